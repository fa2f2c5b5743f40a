// The state of a survey invitation token: single use, expiring, and void once the patient has
// opted out. Tokens are issued and stored elsewhere; this is the pure rule the answer page and
// the reminder job apply. Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace caredesk::surveys {

struct TokenTimes {
  TimePoint issued_at;
  TimePoint expires_at;
  std::optional<TimePoint> used_at;  // when the survey was submitted with it
  bool opted_out = false;            // the patient asked for no more surveys
};

enum class TokenState { kValid, kExpired, kUsed, kOptedOut };

// "valid", "expired", "used", "opted_out".
std::string_view TokenStateName(TokenState state);

// The state at `now`, the first that applies: opted_out; used (used_at set and not after now);
// expired (now at or after expires_at, or now before issued_at — a token is never honoured
// outside [issued_at, expires_at)); otherwise valid.
TokenState TokenStateAt(const TokenTimes& token, TimePoint now);

// OK when the token is valid at `now`; otherwise Conflict with reason token_used or opted_out,
// or Unprocessable with reason token_expired, all on field "token".
Status CheckTokenUsable(const TokenTimes& token, TimePoint now);

// Invalid on "expires_at" unless issued_at < expires_at, on "used_at" unless
// issued_at <= used_at < expires_at.
Status ValidateTokenTimes(const TokenTimes& token);

}  // namespace caredesk::surveys
