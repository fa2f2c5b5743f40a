// Sign-in, sessions and user administration. Sessions are opaque bearer
// tokens stored as SHA-256; they end on logout, after `idle` without use, and
// at `absolute` after sign-in, whichever comes first. Failed sign-ins are
// throttled per user and per address. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "core/clock.h"
#include "domain/security/login_throttle.h"
#include "storage/pool.h"
#include "storage/user_repository.h"

namespace caredesk {

struct SessionPolicy {
  std::chrono::minutes idle{30};
  std::chrono::minutes absolute{12 * 60};
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;
  std::string password;
  std::optional<int64_t> location_id;  // the user's unit (db::UserRow)
  std::string department;
};

struct UserChange {
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<bool> active;
  std::optional<std::string> password;
  // Set: the user's unit changes (an empty inner location clears it).
  std::optional<std::optional<int64_t>> location_id;
  std::optional<std::string> department;
};

class AuthService {
 public:
  // Sessions read from the database are remembered for kSessionCacheMs, so a
  // burst of requests with one token costs one query. Logout and user changes
  // in this process clear the cache at once; a sign-out or deactivation made
  // by another server process sharing the database takes effect within
  // kSessionCacheMs.
  static constexpr int64_t kSessionCacheMs = 1000;
  static constexpr size_t kSessionCacheMaxEntries = 10'000;
  AuthService(db::Pool& pool, const Clock& clock, AuditLog& audit, SessionPolicy policy,
              ThrottlePolicy throttle = {});

  struct LoginResult {
    std::string token;
    int64_t expires_at_ms;
    db::UserRow user;
    int64_t session_id = 0;
  };
  // Errors: 400 for missing fields, 401 "invalid_credentials" (same message
  // whether the user exists or not), 429 "too_many_attempts" with the wait in
  // the message.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& client_address);
  // The actor behind a bearer token, or 401.
  Result<Actor> Authenticate(std::string_view token, const std::string& client_address);

  // A token for another system, acting as `username` (an active user) with SMART `scopes` on /fhir/R4 only, for
  // `days` (1-366) with no idle expiry. Audited (token_issue; never the token). Errors: 400 naming scope or
  // days, 404 for no such user, 422 for an inactive one.
  static constexpr int kMaxTokenDays = 366;
  Result<LoginResult> IssueToken(const Actor& by, const std::string& username, const std::string& scopes, int days);
  // The tokens issued for systems that still work, newest first (a session each: its id names it).
  Result<std::vector<db::SessionRow>> SystemTokens();
  // Ends token `session_id` at once in this process (in others within kSessionCacheMs); audited
  // (token_revoke). NotFound unless it is a system's token still working.
  Status RevokeSystemToken(const Actor& by, int64_t session_id);
  Status Logout(const Actor& actor);

  Result<db::UserRow> CreateUser(const Actor& by, const NewUser& user);  // by.user_id 0 = command line
  Result<db::UserRow> UpdateUser(const Actor& by, int64_t id, const UserChange& change);
  Result<std::vector<db::UserRow>> ListUsers();

 private:
  struct CachedSessionEntry {
    db::SessionRow session;
    int64_t fetched_at_ms = 0;
  };
  std::optional<db::SessionRow> CachedSession(const std::string& token_hash, int64_t now);
  void RememberSession(const std::string& token_hash, const db::SessionRow& session, int64_t now);
  void ForgetSessions();

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  SessionPolicy policy_;
  LoginThrottle throttle_;
  std::string dummy_hash_;  // verified against for unknown users, so timing tells nothing
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedSessionEntry> session_cache_;  // guarded by cache_mu_
};

// Validates a username: 3–64 characters of letters, digits, '.', '_', '-'.
Status ValidateUsername(const std::string& username);

}  // namespace caredesk
