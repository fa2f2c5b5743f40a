// Throwaway databases for tests, one per test, on both engines. SQLite: a
// file in a temporary directory. PostgreSQL: a fresh database created through
// CAREDESK_TEST_PG_URL (make test starts a private cluster and sets it). When
// CAREDESK_TEST_PG_URL is unset the PostgreSQL cases fail and say so, unless
// CAREDESK_TEST_SQLITE_ONLY=1 is set for a quick local run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/pool.h"

namespace caredesk::testing {

enum class Backend { kSqlite, kPostgres };

std::string BackendName(Backend b);
std::vector<Backend> AllBackends();

class TestDatabase {
 public:
  // Creates an empty, migrated database. On failure returns an error naming
  // what is missing.
  static Result<std::unique_ptr<TestDatabase>> Create(Backend backend, int pool_size = 4);
  ~TestDatabase();

  db::Pool& pool() { return *pool_; }
  const std::string& target() const { return target_; }

  TestDatabase() = default;  // use Create()

 private:
  std::unique_ptr<db::Pool> pool_;
  std::string target_;
  std::string admin_url_;   // PostgreSQL: to drop the database afterwards
  std::string db_name_;
  std::string temp_dir_;
};

}  // namespace caredesk::testing
