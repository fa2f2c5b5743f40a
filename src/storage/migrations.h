// Numbered schema migrations (migrations/NNNN_name.sql, embedded at build
// time) and the runner that applies the missing ones, each in its own
// transaction, under a lock so two processes starting together do not race.
#pragma once

#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct Migration {
  int version;
  std::string name;
  // With {{id}} for the dialect's auto-increment key, and lines between
  // {{sqlite}} or {{postgres}} and {{end}} (each alone on its line) kept
  // only for that dialect.
  std::string sql;
};

const std::vector<Migration>& EmbeddedMigrations();

// Replaces the dialect tokens of a migration and keeps only its dialect's
// blocks.
std::string RenderMigration(const std::string& sql, Dialect dialect);

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;
};

Result<MigrationReport> ApplyMigrations(Connection& conn, const std::vector<Migration>& migrations,
                                        int64_t now_ms);

}  // namespace caredesk::db
