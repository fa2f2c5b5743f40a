#include "storage/user_repository.h"

namespace caredesk::db {
namespace {

constexpr char kUserColumns[] =
    "id, username, display_name, role, password_hash, active, created_at, updated_at, location_id, department";

constexpr char kInsertUser[] =
    "INSERT INTO users (username, display_name, role, password_hash, active, created_at, updated_at, location_id, "
    "department) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
constexpr char kUpdateUser[] =
    "UPDATE users SET display_name = $2, role = $3, password_hash = $4, active = $5, updated_at = $6, "
    "location_id = $7, department = $8 WHERE id = $1";
constexpr char kInsertSession[] =
    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_address, scopes) "
    "VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id";
constexpr char kSessionSelect[] =
    "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, "
    "u.id, u.username, u.display_name, u.role, u.password_hash, u.active, u.created_at, u.updated_at, "
    "u.location_id, u.department, s.scopes FROM sessions s JOIN users u ON u.id = s.user_id ";
constexpr char kTouchSession[] = "UPDATE sessions SET last_seen_at = $2 WHERE id = $1";
constexpr char kRevokeSession[] = "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
constexpr char kRevokeUserSessions[] =
    "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";

UserRow ReadUser(const ResultSet& rs, size_t row, int off) {
  RowRef r(rs, row);
  UserRow u;
  u.id = r.Int(off + 0);
  u.username = r.Text(off + 1);
  u.display_name = r.Text(off + 2);
  u.role = r.Text(off + 3);
  u.password_hash = r.Text(off + 4);
  u.active = r.Int(off + 5) != 0;
  u.created_at = r.Int(off + 6);
  u.updated_at = r.Int(off + 7);
  u.location_id = r.OptInt(off + 8);
  u.department = r.Text(off + 9);
  return u;
}

SessionRow ReadSession(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  SessionRow s;
  s.id = r.Int(0);
  s.user_id = r.Int(1);
  s.created_at = r.Int(2);
  s.last_seen_at = r.Int(3);
  s.expires_at = r.Int(4);
  s.revoked_at = r.OptInt(5);
  s.user = ReadUser(rs, i, 6);
  if (!rs.IsNull(i, 16)) s.scopes = rs.Text(i, 16);
  return s;
}

}  // namespace

Result<int64_t> UserRepository::Insert(Connection& c, const UserRow& u) {
  auto rs = c.Query(kInsertUser, {u.username, u.display_name, u.role, u.password_hash, u.active, u.created_at,
                                  u.updated_at, u.location_id, u.department});
  if (!rs.ok()) {
    if (IsUniqueViolation(rs.error())) {
      return Error::Conflict("username_taken", "the username " + u.username + " is already taken", "username");
    }
    return std::move(rs).error();
  }
  return rs->Int(0, 0);
}

Result<std::optional<UserRow>> UserRepository::FindByUsername(Connection& c, const std::string& username) {
  static const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE username = $1";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {username}));
  if (rs.empty()) return std::optional<UserRow>();
  return std::optional<UserRow>(ReadUser(rs, 0, 0));
}

Result<std::optional<UserRow>> UserRepository::FindById(Connection& c, int64_t id) {
  static const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {id}));
  if (rs.empty()) return std::optional<UserRow>();
  return std::optional<UserRow>(ReadUser(rs, 0, 0));
}

Result<std::vector<UserRow>> UserRepository::List(Connection& c) {
  static const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users ORDER BY username";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql));
  std::vector<UserRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadUser(rs, i, 0));
  return out;
}

Status UserRepository::Update(Connection& c, const UserRow& u) {
  CD_ASSIGN_OR_RETURN(int64_t n,
                      c.Exec(kUpdateUser, {u.id, u.display_name, u.role, u.password_hash, u.active, u.updated_at,
                                           u.location_id, u.department}));
  if (n == 0) return Error::NotFound("no user with id " + std::to_string(u.id));
  return Ok();
}

Result<int64_t> UserRepository::InsertSession(Connection& c, const std::string& token_hash, int64_t user_id,
                                              int64_t now, int64_t expires_at, const std::string& client_address,
                                              const std::optional<std::string>& scopes) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(kInsertSession, {token_hash, user_id, now, expires_at, client_address, scopes}));
  return rs.Int(0, 0);
}

Result<std::optional<SessionRow>> UserRepository::FindSession(Connection& c, const std::string& token_hash) {
  static const std::string sql = std::string(kSessionSelect) + "WHERE s.token_hash = $1";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {token_hash}));
  if (rs.empty()) return std::optional<SessionRow>();
  return std::optional<SessionRow>(ReadSession(rs, 0));
}

Result<std::vector<SessionRow>> UserRepository::LiveScopedSessions(Connection& c, int64_t now) {
  static const std::string sql = std::string(kSessionSelect) +
                                "WHERE s.scopes IS NOT NULL AND s.revoked_at IS NULL AND s.expires_at > $1 "
                                "ORDER BY s.id DESC";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {now}));
  std::vector<SessionRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadSession(rs, i));
  return out;
}

Status UserRepository::TouchSession(Connection& c, int64_t session_id, int64_t now) {
  CD_RETURN_IF_ERROR(c.Exec(kTouchSession, {session_id, now}));
  return Ok();
}

Status UserRepository::RevokeSession(Connection& c, int64_t session_id, int64_t now) {
  CD_RETURN_IF_ERROR(c.Exec(kRevokeSession, {session_id, now}));
  return Ok();
}

Status UserRepository::RevokeSessionsOfUser(Connection& c, int64_t user_id, int64_t now) {
  CD_RETURN_IF_ERROR(c.Exec(kRevokeUserSessions, {user_id, now}));
  return Ok();
}

}  // namespace caredesk::db
