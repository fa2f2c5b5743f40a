// Users and sessions in the database. Functions take the connection the
// caller holds (and its transaction, if any). Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct UserRow {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string role;
  std::string password_hash;
  bool active = true;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // The user's unit (migration 0014): whose comments staff without analytics.read see.
  std::optional<int64_t> location_id;
  std::string department;
};

struct SessionRow {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> revoked_at;
  std::optional<std::string> scopes;  // SMART scopes of a token issued for a system; none for a sign-in
  UserRow user;  // joined
};

class UserRepository {
 public:
  static Result<int64_t> Insert(Connection& c, const UserRow& u);
  static Result<std::optional<UserRow>> FindByUsername(Connection& c, const std::string& username);
  static Result<std::optional<UserRow>> FindById(Connection& c, int64_t id);
  static Result<std::vector<UserRow>> List(Connection& c);
  // display_name, role, active, password_hash, location_id, department
  static Status Update(Connection& c, const UserRow& u);

  static Result<int64_t> InsertSession(Connection& c, const std::string& token_hash, int64_t user_id, int64_t now,
                                       int64_t expires_at, const std::string& client_address,
                                       const std::optional<std::string>& scopes = std::nullopt);
  static Result<std::optional<SessionRow>> FindSession(Connection& c, const std::string& token_hash);
  static Status TouchSession(Connection& c, int64_t session_id, int64_t now);
  static Status RevokeSession(Connection& c, int64_t session_id, int64_t now);
  // Tokens issued for systems (sessions with scopes) neither revoked nor expired at `now`, newest first.
  static Result<std::vector<SessionRow>> LiveScopedSessions(Connection& c, int64_t now);
  static Status RevokeSessionsOfUser(Connection& c, int64_t user_id, int64_t now);
};

}  // namespace caredesk::db
