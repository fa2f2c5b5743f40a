#include "app/auth_service.h"

#include <algorithm>

#include "domain/security/credentials.h"
#include "storage/schedule_repository.h"

namespace caredesk {

Status ValidateUsername(const std::string& username) {
  if (username.size() < 3 || username.size() > 64) {
    return Error::Invalid("username", "a username has 3 to 64 characters");
  }
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return Error::Invalid("username", "a username may use letters, digits, '.', '_' and '-'");
  }
  return Ok();
}

AuthService::AuthService(db::Pool& pool, const Clock& clock, AuditLog& audit, SessionPolicy policy,
                         ThrottlePolicy throttle)
    : pool_(pool), clock_(clock), audit_(audit), policy_(policy), throttle_(clock, throttle) {
  auto h = HashPassword("not a real password, only for timing");
  if (h.ok()) dummy_hash_ = *h;
}

Result<AuthService::LoginResult> AuthService::Login(const std::string& username, const std::string& password,
                                                    const std::string& client_address) {
  if (username.empty()) return Error::Invalid("username", "username is required");
  if (password.empty()) return Error::Invalid("password", "password is required");
  if (int64_t wait = throttle_.RetryAfterSeconds(username, client_address); wait > 0) {
    return Error{ErrorCode::kRateLimited, "too_many_attempts",
                 "too many failed sign-ins; try again in " + std::to_string(wait) + " seconds", ""};
  }
  std::optional<db::UserRow> user;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(user, db::UserRepository::FindByUsername(*conn, username));
  }
  bool ok = user && user->active ? VerifyPassword(password, user->password_hash)
                                 : (VerifyPassword(password, dummy_hash_), false);
  Actor who;
  who.username = username;
  who.client_address = client_address;
  if (user) {
    who.user_id = user->id;
    who.role = ParseRole(user->role).value_or(Role::kCoordinator);
  }
  if (!ok) {
    throttle_.RecordFailure(username, client_address);
    (void)audit_.Record(audit_.Make(who, "login", audit_category::kSecurity, std::nullopt, "failure",
                                    user ? "wrong password or inactive user" : "unknown user"));
    return Error{ErrorCode::kUnauthenticated, "invalid_credentials", "the username or password is not right", ""};
  }
  throttle_.RecordSuccess(username, client_address);
  int64_t now = ToMillis(clock_.Now());
  int64_t expires = now + std::chrono::duration_cast<std::chrono::milliseconds>(policy_.absolute).count();
  std::string token = NewSessionToken();
  auto conn = pool_.Acquire();
  auto r = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(db::UserRepository::InsertSession(c, Sha256Hex(token), user->id, now, expires,
                                                         client_address));
    return audit_.AppendInTx(c, audit_.Make(who, "login", audit_category::kSecurity, std::nullopt));
  });
  if (!r.ok()) return std::move(r).error();
  return LoginResult{token, expires, *user};
}

Result<Actor> AuthService::Authenticate(std::string_view token, const std::string& client_address) {
  if (token.empty()) return Error::Unauthenticated("sign in first: no bearer token was sent");
  int64_t now = ToMillis(clock_.Now());
  std::string token_hash = Sha256Hex(token);
  std::optional<db::SessionRow> session = CachedSession(token_hash, now);
  if (!session) {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(session, db::UserRepository::FindSession(*conn, token_hash));
    if (!session) return Error::Unauthenticated("the session token is not valid");
    RememberSession(token_hash, *session, now);
  }
  if (session->revoked_at) return Error::Unauthenticated("the session has ended (signed out)");
  if (!session->user.active) return Error::Unauthenticated("the user is deactivated");
  if (now >= session->expires_at) return Error::Unauthenticated("the session has expired; sign in again");
  std::optional<SmartScopes> scopes;
  if (session->scopes) {
    auto parsed = ParseSmartScopes(*session->scopes);
    if (!parsed.ok()) return Error::Unauthenticated("the token's scopes are no longer understood; issue a new one");
    scopes = std::move(*parsed);
  }
  int64_t idle_ms = std::chrono::duration_cast<std::chrono::milliseconds>(policy_.idle).count();
  if (!scopes && now - session->last_seen_at >= idle_ms) {  // a system's token has no idle expiry
    return Error::Unauthenticated("the session expired after inactivity; sign in again");
  }
  // Refresh the idle timer at most once a minute to keep reads cheap.
  if (now - session->last_seen_at > 60'000) {
    auto conn = pool_.Acquire();
    CD_RETURN_IF_ERROR(db::UserRepository::TouchSession(*conn, session->id, now));
    session->last_seen_at = now;
    RememberSession(token_hash, *session, now);
  }
  auto role = ParseRole(session->user.role);
  if (!role) return Error::Internal("user " + session->user.username + " has an unknown role");
  return Actor{session->user.id, session->user.username, *role, client_address, session->id, std::move(scopes)};
}

Result<AuthService::LoginResult> AuthService::IssueToken(const Actor& by, const std::string& username,
                                                         const std::string& scopes, int days) {
  CD_ASSIGN_OR_RETURN(SmartScopes parsed, ParseSmartScopes(scopes));
  if (days < 1 || days > kMaxTokenDays) {
    return Error::Invalid("days", "a token lasts 1 to " + std::to_string(kMaxTokenDays) + " days");
  }
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto user, db::UserRepository::FindByUsername(*conn, username));
  if (!user) return Error::NotFound("no user " + username, "username");
  if (!user->active) return Error::Unprocessable("username", "user " + username + " is deactivated");
  const int64_t now = ToMillis(clock_.Now());
  const int64_t expires = now + int64_t{days} * 86'400'000;
  std::string token = NewSessionToken();
  int64_t session_id = 0;
  auto r = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(session_id, db::UserRepository::InsertSession(c, Sha256Hex(token), user->id, now, expires,
                                                                       by.client_address, parsed.text));
    return audit_.AppendInTx(c, audit_.Make(by, "token_issue", audit_category::kSecurity, std::nullopt, "success",
                                            "for " + username + ": " + parsed.text + ", " + std::to_string(days) +
                                                " days"));
  });
  if (!r.ok()) return std::move(r).error();
  return LoginResult{token, expires, *user, session_id};
}

std::optional<db::SessionRow> AuthService::CachedSession(const std::string& token_hash, int64_t now) {
  std::lock_guard lock(cache_mu_);
  auto it = session_cache_.find(token_hash);
  if (it == session_cache_.end()) return std::nullopt;
  if (now - it->second.fetched_at_ms >= kSessionCacheMs || now < it->second.fetched_at_ms) {
    session_cache_.erase(it);
    return std::nullopt;
  }
  return it->second.session;
}

void AuthService::RememberSession(const std::string& token_hash, const db::SessionRow& session, int64_t now) {
  std::lock_guard lock(cache_mu_);
  // Bounded: a flood of distinct tokens cannot grow it without limit.
  if (session_cache_.size() >= kSessionCacheMaxEntries) session_cache_.clear();
  session_cache_[token_hash] = CachedSessionEntry{session, now};
}

void AuthService::ForgetSessions() {
  std::lock_guard lock(cache_mu_);
  session_cache_.clear();
}

Result<std::vector<db::SessionRow>> AuthService::SystemTokens() {
  auto conn = pool_.Acquire();
  return db::UserRepository::LiveScopedSessions(*conn, ToMillis(clock_.Now()));
}

Status AuthService::RevokeSystemToken(const Actor& by, int64_t session_id) {
  auto conn = pool_.Acquire();
  const int64_t now = ToMillis(clock_.Now());
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto live, db::UserRepository::LiveScopedSessions(c, now));
    const auto found = std::find_if(live.begin(), live.end(), [&](const db::SessionRow& s) { return s.id == session_id; });
    if (found == live.end()) return Error::NotFound("no working system token " + std::to_string(session_id));
    CD_RETURN_IF_ERROR(db::UserRepository::RevokeSession(c, session_id, now));
    return audit_.AppendInTx(c, audit_.Make(by, "token_revoke", audit_category::kSecurity, std::nullopt, "success",
                                            "token " + std::to_string(session_id) + " of " + found->user.username +
                                                ": " + found->scopes.value_or("")));
  });
  ForgetSessions();
  return st;
}

Status AuthService::Logout(const Actor& actor) {
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(db::UserRepository::RevokeSession(c, actor.session_id, ToMillis(clock_.Now())));
    return audit_.AppendInTx(c, audit_.Make(actor, "logout", audit_category::kSecurity, std::nullopt));
  });
  ForgetSessions();
  return st;
}

namespace {

Result<std::string> ValidateDepartment(std::string department) {
  while (!department.empty() && department.back() == ' ') department.pop_back();
  while (!department.empty() && department.front() == ' ') department.erase(department.begin());
  if (department.size() > 100) return Error::Invalid("department", "at most 100 characters", "too_long");
  return department;
}

}  // namespace

Result<db::UserRow> AuthService::CreateUser(const Actor& by, const NewUser& nu) {
  CD_RETURN_IF_ERROR(ValidateUsername(nu.username));
  if (!ParseRole(nu.role)) {
    return Error::Invalid("role", "role must be one of admin, manager, coordinator, clinician, billing, auditor");
  }
  CD_RETURN_IF_ERROR(CheckPasswordPolicy(nu.password));
  CD_ASSIGN_OR_RETURN(std::string hash, HashPassword(nu.password));
  int64_t now = ToMillis(clock_.Now());
  db::UserRow row;
  row.username = nu.username;
  row.display_name = nu.display_name.empty() ? nu.username : nu.display_name;
  row.role = nu.role;
  row.password_hash = hash;
  row.created_at = row.updated_at = now;
  row.location_id = nu.location_id;
  CD_ASSIGN_OR_RETURN(row.department, ValidateDepartment(nu.department));
  auto conn = pool_.Acquire();
  auto r = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(db::ScheduleRepository::RequireLocation(c, row.location_id));
    CD_ASSIGN_OR_RETURN(row.id, db::UserRepository::Insert(c, row));
    return audit_.AppendInTx(c, audit_.Make(by, "user_create", audit_category::kPrivileges, std::nullopt, "success",
                                            "user " + row.username + " with role " + row.role));
  });
  if (!r.ok()) return std::move(r).error();
  return row;
}

Result<db::UserRow> AuthService::UpdateUser(const Actor& by, int64_t id, const UserChange& change) {
  if (change.role && !ParseRole(*change.role)) {
    return Error::Invalid("role", "role must be one of admin, manager, coordinator, clinician, billing, auditor");
  }
  std::optional<std::string> department;
  if (change.department) {
    CD_ASSIGN_OR_RETURN(department, ValidateDepartment(*change.department));
  }
  std::string new_hash;
  if (change.password) {
    CD_RETURN_IF_ERROR(CheckPasswordPolicy(*change.password));
    CD_ASSIGN_OR_RETURN(new_hash, HashPassword(*change.password));
  }
  auto conn = pool_.Acquire();
  db::UserRow row;
  auto r = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto found, db::UserRepository::FindById(c, id));
    if (!found) return Error::NotFound("no user with id " + std::to_string(id));
    row = *found;
    std::string detail = "user " + row.username;
    if (change.display_name) row.display_name = *change.display_name;
    if (change.role && *change.role != row.role) {
      detail += ": role " + row.role + " -> " + *change.role;
      row.role = *change.role;
    }
    if (change.active && *change.active != row.active) {
      row.active = *change.active;
      detail += row.active ? ": activated" : ": deactivated";
    }
    if (!new_hash.empty()) {
      row.password_hash = new_hash;
      detail += ": password reset";
    }
    if (change.location_id && *change.location_id != row.location_id) {
      CD_RETURN_IF_ERROR(db::ScheduleRepository::RequireLocation(c, *change.location_id));
      row.location_id = *change.location_id;
      detail += ": unit location " + (row.location_id ? std::to_string(*row.location_id) : std::string("none"));
    }
    if (department && *department != row.department) {
      row.department = *department;
      detail += ": unit department \"" + row.department + "\"";
    }
    row.updated_at = ToMillis(clock_.Now());
    CD_RETURN_IF_ERROR(db::UserRepository::Update(c, row));
    if (!row.active || !new_hash.empty()) {
      CD_RETURN_IF_ERROR(db::UserRepository::RevokeSessionsOfUser(c, row.id, row.updated_at));
    }
    return audit_.AppendInTx(c, audit_.Make(by, "user_update", audit_category::kPrivileges, std::nullopt, "success",
                                            detail));
  });
  ForgetSessions();  // a deactivation or role change applies to the next request
  if (!r.ok()) return std::move(r).error();
  return row;
}

Result<std::vector<db::UserRow>> AuthService::ListUsers() {
  auto conn = pool_.Acquire();
  return db::UserRepository::List(*conn);
}

}  // namespace caredesk
