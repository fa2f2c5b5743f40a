#include "domain/surveys/survey_token.h"

namespace caredesk::surveys {

std::string_view TokenStateName(TokenState state) {
  switch (state) {
    case TokenState::kValid:
      return "valid";
    case TokenState::kExpired:
      return "expired";
    case TokenState::kUsed:
      return "used";
    case TokenState::kOptedOut:
      return "opted_out";
  }
  return {};
}

TokenState TokenStateAt(const TokenTimes& token, TimePoint now) {
  if (token.opted_out) return TokenState::kOptedOut;
  if (token.used_at && *token.used_at <= now) return TokenState::kUsed;
  if (now >= token.expires_at || now < token.issued_at) return TokenState::kExpired;
  return TokenState::kValid;
}

Status CheckTokenUsable(const TokenTimes& token, TimePoint now) {
  switch (TokenStateAt(token, now)) {
    case TokenState::kValid:
      return Ok();
    case TokenState::kUsed:
      return Error::Conflict("token_used", "this survey link has already been used", "token");
    case TokenState::kOptedOut:
      return Error::Conflict("opted_out", "the patient has opted out of surveys", "token");
    case TokenState::kExpired:
      break;
  }
  return Error::Unprocessable("token", "this survey link has expired", "token_expired");
}

Status ValidateTokenTimes(const TokenTimes& token) {
  if (token.expires_at <= token.issued_at) {
    return Error::Invalid("expires_at", "a token must expire after it is issued", "invalid_expiry");
  }
  if (token.used_at && (*token.used_at < token.issued_at || *token.used_at >= token.expires_at)) {
    return Error::Invalid("used_at", "a token can only be used between its issue and its expiry", "invalid_use_time");
  }
  return Ok();
}

}  // namespace caredesk::surveys
