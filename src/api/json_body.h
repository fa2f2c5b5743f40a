// Decoding request bodies and query parameters with errors that name the
// offending field: malformed JSON, a wrong type or a missing field become a
// 400 {"error":{"code","message","field"}}, never a 500. Boost.JSON stays
// inside the api layer.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/civil_time.h"
#include "core/status.h"
#include "http/request.h"

namespace caredesk::api {

class JsonBody {
 public:
  // An object body; an empty body reads as {}.
  static Result<JsonBody> Parse(std::string_view body, std::string_view prefix = "");
  // A nested object (for "address.city" style field names in errors).
  Result<std::optional<JsonBody>> Object(std::string_view key) const;
  Result<std::optional<boost::json::array>> Array(std::string_view key) const;

  Result<std::string> RequiredString(std::string_view key) const;
  Result<std::optional<std::string>> String(std::string_view key) const;
  // Absent or null → default.
  Result<std::string> StringOr(std::string_view key, std::string_view fallback) const;
  Result<int64_t> RequiredInt(std::string_view key) const;
  Result<std::optional<int64_t>> Int(std::string_view key) const;
  Result<std::optional<bool>> Bool(std::string_view key) const;
  // A finite number (integer or not); absent or null → nullopt.
  Result<std::optional<double>> Number(std::string_view key) const;
  // An array of finite numbers in which null stands for a missing value;
  // absent → empty.
  Result<std::vector<std::optional<double>>> NumberList(std::string_view key) const;
  // An array of strings (numbers are taken as their text); absent → empty.
  Result<std::vector<std::string>> StringList(std::string_view key) const;
  Result<std::optional<CivilDate>> Date(std::string_view key) const;
  Result<std::vector<int64_t>> IntList(std::string_view key) const;  // absent → empty

  bool Has(std::string_view key) const;
  std::string FieldName(std::string_view key) const;
  const boost::json::object& raw() const { return obj_; }

  JsonBody(boost::json::object obj, std::string prefix) : obj_(std::move(obj)), prefix_(std::move(prefix)) {}

 private:
  const boost::json::value* Find(std::string_view key) const;
  boost::json::object obj_;
  std::string prefix_;
};

// JsonBody over one element of an array of objects ("coverages[2]").
Result<JsonBody> ElementObject(const boost::json::value& v, std::string field);

// Query parameters.
Result<std::optional<int64_t>> QueryInt(const http::Request& r, std::string_view key);
Result<int64_t> RequiredQueryInt(const http::Request& r, std::string_view key);
// An id from the path ("{id}"): a positive integer or 404.
Result<int64_t> PathId(const http::Request& r, std::string_view key = "id");
// limit/offset paging with bounds.
struct Page {
  int limit;
  int offset;
};
Result<Page> QueryPage(const http::Request& r, int default_limit, int max_limit);

std::string Serialize(const boost::json::value& v);
http::Response JsonResponse(int status, const boost::json::value& v);
// {"items":[…]}
http::Response ItemsResponse(boost::json::array items);

// Helpers for optional values when encoding.
inline boost::json::value OptionalValue(const std::optional<int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}
inline boost::json::value OptionalValue(const std::optional<std::string>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}
inline boost::json::value OptionalDate(const std::optional<CivilDate>& d) {
  return d ? boost::json::value(d->ToString()) : boost::json::value(nullptr);
}
// An instant kept as epoch milliseconds, as ISO 8601 UTC, or null.
inline boost::json::value OptionalInstant(const std::optional<int64_t>& ms) {
  return ms ? boost::json::value(FormatInstantUtc(FromMillis(*ms))) : boost::json::value(nullptr);
}

}  // namespace caredesk::api
