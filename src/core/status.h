// Expected outcomes as values: a small error type with a few codes, mapped to
// HTTP status in one table (http/error_map.cc). Exceptions are reserved for
// what ends a request unexpectedly. Thread-compatible value types.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace caredesk {

enum class ErrorCode {
  kInvalidArgument,   // 400: malformed input, wrong type, missing field
  kUnauthenticated,   // 401
  kPermissionDenied,  // 403
  kNotFound,          // 404
  kConflict,          // 409: slot taken, duplicate, state conflict
  kTooLarge,          // 413
  kUnprocessable,     // 422: well-formed but semantically impossible
  kRateLimited,       // 429
  kUnavailable,       // 503: database busy, shutting down
  kInternal,          // 500: a bug or an environment failure
};

// An error a caller can act on. `reason` is a stable machine-readable code
// ("slot_taken", "invalid_date"); `field` names the offending input field.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string reason;
  std::string message;
  std::string field;

  static Error Invalid(std::string field, std::string message,
                       std::string reason = "invalid_field") {
    return {ErrorCode::kInvalidArgument, std::move(reason), std::move(message), std::move(field)};
  }
  static Error Unprocessable(std::string field, std::string message,
                             std::string reason = "unprocessable") {
    return {ErrorCode::kUnprocessable, std::move(reason), std::move(message), std::move(field)};
  }
  static Error NotFound(std::string message, std::string field = {}) {
    return {ErrorCode::kNotFound, "not_found", std::move(message), std::move(field)};
  }
  static Error Conflict(std::string reason, std::string message, std::string field = {}) {
    return {ErrorCode::kConflict, std::move(reason), std::move(message), std::move(field)};
  }
  static Error Forbidden(std::string message) {
    return {ErrorCode::kPermissionDenied, "forbidden", std::move(message), {}};
  }
  static Error Unauthenticated(std::string message) {
    return {ErrorCode::kUnauthenticated, "unauthenticated", std::move(message), {}};
  }
  static Error Internal(std::string message) {
    return {ErrorCode::kInternal, "internal", std::move(message), {}};
  }
  static Error Unavailable(std::string message) {
    return {ErrorCode::kUnavailable, "unavailable", std::move(message), {}};
  }
};

// Result<T>: either a value or an Error. Result<void> carries only success or
// an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { assert(!ok()); return *e_; }
  Error&& error() && { assert(!ok()); return std::move(*e_); }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

// The success or error of a Result, its value dropped (a row count, an id nobody needs).
template <class T>
Status StatusOf(Result<T> r) {
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

}  // namespace caredesk

// Propagates an error from an expression yielding Result<...>.
#define CD_RETURN_IF_ERROR(expr)                        \
  do {                                                  \
    auto cd_status_ = (expr);                           \
    if (!cd_status_.ok()) return std::move(cd_status_).error(); \
  } while (0)

#define CD_CONCAT_INNER_(a, b) a##b
#define CD_CONCAT_(a, b) CD_CONCAT_INNER_(a, b)
// CD_ASSIGN_OR_RETURN(auto x, expr): binds the value or returns the error.
#define CD_ASSIGN_OR_RETURN(lhs, expr) \
  CD_ASSIGN_OR_RETURN_IMPL_(CD_CONCAT_(cd_result_, __LINE__), lhs, expr)
#define CD_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).error();   \
  lhs = std::move(tmp).value()
