// The `settings` key-value table: configuration that lives in the database
// so that every server process sees the same. Thread-compatible.
#pragma once

#include <optional>
#include <string>

#include "storage/db.h"

namespace caredesk::db {

class SettingsRepository {
 public:
  static Result<std::optional<std::string>> Get(Connection& c, const std::string& key);
  static Status Put(Connection& c, const std::string& key, const std::string& value);
};

}  // namespace caredesk::db
