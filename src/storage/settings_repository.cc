#include "storage/settings_repository.h"

namespace caredesk::db {

Result<std::optional<std::string>> SettingsRepository::Get(Connection& c, const std::string& key) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT value FROM settings WHERE key = $1", {key}));
  if (rs.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rs.Text(0, 0));
}

Status SettingsRepository::Put(Connection& c, const std::string& key, const std::string& value) {
  CD_RETURN_IF_ERROR(c.Exec(
      "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      {key, value}));
  return Ok();
}

}  // namespace caredesk::db
