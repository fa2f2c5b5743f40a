#include "api/json_body.h"

#include <charconv>
#include <cmath>

namespace caredesk::api {
namespace json = boost::json;

Result<JsonBody> JsonBody::Parse(std::string_view body, std::string_view prefix) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return JsonBody(json::object(), std::string(prefix));
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 32;
  json::value v = json::parse(body, ec, {}, opts);
  if (ec) return Error::Invalid("", "the body is not valid JSON: " + ec.message(), "invalid_json");
  if (!v.is_object()) return Error::Invalid("", "the body must be a JSON object", "invalid_json");
  return JsonBody(std::move(v.as_object()), std::string(prefix));
}

std::string JsonBody::FieldName(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

const json::value* JsonBody::Find(std::string_view key) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

bool JsonBody::Has(std::string_view key) const { return obj_.contains(key); }

Result<std::optional<JsonBody>> JsonBody::Object(std::string_view key) const {
  const json::value* v = Find(key);
  if (v == nullptr) return std::optional<JsonBody>();
  if (!v->is_object()) return Error::Invalid(FieldName(key), FieldName(key) + " must be an object");
  return std::optional<JsonBody>(JsonBody(v->as_object(), FieldName(key)));
}

Result<std::optional<json::array>> JsonBody::Array(std::string_view key) const {
  const json::value* v = Find(key);
  if (v == nullptr) return std::optional<json::array>();
  if (!v->is_array()) return Error::Invalid(FieldName(key), FieldName(key) + " must be an array");
  return std::optional<json::array>(v->as_array());
}

Result<std::optional<std::string>> JsonBody::String(std::string_view key) const {
  const json::value* v = Find(key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return Error::Invalid(FieldName(key), FieldName(key) + " must be a string");
  if (v->as_string().size() > 10000) return Error::Invalid(FieldName(key), FieldName(key) + " is too long");
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::string> JsonBody::RequiredString(std::string_view key) const {
  CD_ASSIGN_OR_RETURN(auto s, String(key));
  if (!s || s->find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::Invalid(FieldName(key), FieldName(key) + " is required", "required");
  }
  return *s;
}

Result<std::string> JsonBody::StringOr(std::string_view key, std::string_view fallback) const {
  CD_ASSIGN_OR_RETURN(auto s, String(key));
  return s ? *s : std::string(fallback);
}

Result<std::optional<int64_t>> JsonBody::Int(std::string_view key) const {
  const json::value* v = Find(key);
  if (v == nullptr) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  }
  // A whole number written as a double ("3.0"); out-of-range doubles would
  // make the cast undefined, so they are refused like any non-integer.
  if (v->is_double()) {
    double d = v->as_double();
    if (d >= -9.0e18 && d <= 9.0e18 && std::trunc(d) == d) return std::optional<int64_t>(static_cast<int64_t>(d));
  }
  return Error::Invalid(FieldName(key), FieldName(key) + " must be an integer");
}

Result<int64_t> JsonBody::RequiredInt(std::string_view key) const {
  CD_ASSIGN_OR_RETURN(auto i, Int(key));
  if (!i) return Error::Invalid(FieldName(key), FieldName(key) + " is required", "required");
  return *i;
}

Result<std::optional<bool>> JsonBody::Bool(std::string_view key) const {
  const json::value* v = Find(key);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_bool()) return Error::Invalid(FieldName(key), FieldName(key) + " must be true or false");
  return std::optional<bool>(v->as_bool());
}

namespace {
// A JSON number as a finite double; nullopt when `v` is not a number.
std::optional<double> FiniteNumber(const json::value& v) {
  double d;
  if (v.is_double()) {
    d = v.as_double();
  } else if (v.is_int64()) {
    d = static_cast<double>(v.as_int64());
  } else if (v.is_uint64()) {
    d = static_cast<double>(v.as_uint64());
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}
}  // namespace

Result<std::optional<double>> JsonBody::Number(std::string_view key) const {
  const json::value* v = Find(key);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  auto d = FiniteNumber(*v);
  if (!d) return Error::Invalid(FieldName(key), FieldName(key) + " must be a number");
  return d;
}

Result<std::vector<std::optional<double>>> JsonBody::NumberList(std::string_view key) const {
  CD_ASSIGN_OR_RETURN(auto arr, Array(key));
  std::vector<std::optional<double>> out;
  if (!arr) return out;
  out.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i) {
    const json::value& v = (*arr)[i];
    if (v.is_null()) {
      out.emplace_back();
      continue;
    }
    auto d = FiniteNumber(v);
    if (!d) {
      return Error::Invalid(FieldName(key) + "[" + std::to_string(i) + "]", "must be a number or null");
    }
    out.push_back(d);
  }
  return out;
}

Result<std::vector<std::string>> JsonBody::StringList(std::string_view key) const {
  CD_ASSIGN_OR_RETURN(auto arr, Array(key));
  std::vector<std::string> out;
  if (!arr) return out;
  out.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i) {
    const json::value& v = (*arr)[i];
    if (v.is_string()) {
      out.emplace_back(v.as_string());
    } else if (v.is_int64() || v.is_uint64() || v.is_double()) {
      out.push_back(json::serialize(v));
    } else {
      return Error::Invalid(FieldName(key) + "[" + std::to_string(i) + "]", "must be a string");
    }
  }
  return out;
}

Result<std::optional<CivilDate>> JsonBody::Date(std::string_view key) const {
  CD_ASSIGN_OR_RETURN(auto s, String(key));
  if (!s || s->empty()) return std::optional<CivilDate>();
  CD_ASSIGN_OR_RETURN(CivilDate d, ParseCivilDate(*s, FieldName(key)));
  return std::optional<CivilDate>(d);
}

Result<std::vector<int64_t>> JsonBody::IntList(std::string_view key) const {
  CD_ASSIGN_OR_RETURN(auto arr, Array(key));
  std::vector<int64_t> out;
  if (!arr) return out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const json::value& v = (*arr)[i];
    if (!v.is_int64() && !(v.is_uint64() && v.as_uint64() <= static_cast<uint64_t>(INT64_MAX))) {
      return Error::Invalid(FieldName(key) + "[" + std::to_string(i) + "]", "must be an integer id");
    }
    out.push_back(v.is_int64() ? v.as_int64() : static_cast<int64_t>(v.as_uint64()));
  }
  return out;
}

Result<JsonBody> ElementObject(const json::value& v, std::string field) {
  if (!v.is_object()) return Error::Invalid(field, field + " must be an object");
  return JsonBody(v.as_object(), std::move(field));
}

namespace {
Result<std::optional<int64_t>> ParseIntText(std::string_view text, std::string_view key) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) {
    return Error::Invalid(std::string(key), std::string(key) + " must be an integer");
  }
  return std::optional<int64_t>(v);
}
}  // namespace

Result<std::optional<int64_t>> QueryInt(const http::Request& r, std::string_view key) {
  auto v = r.Query(key);
  if (!v || v->empty()) return std::optional<int64_t>();
  return ParseIntText(*v, key);
}

Result<int64_t> RequiredQueryInt(const http::Request& r, std::string_view key) {
  CD_ASSIGN_OR_RETURN(auto v, QueryInt(r, key));
  if (!v) return Error::Invalid(std::string(key), std::string(key) + " is required", "required");
  return *v;
}

Result<int64_t> PathId(const http::Request& r, std::string_view key) {
  std::string_view text = r.PathParam(key);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v <= 0) {
    return Error::NotFound("no such record: " + std::string(text), std::string(key));
  }
  return v;
}

Result<Page> QueryPage(const http::Request& r, int default_limit, int max_limit) {
  CD_ASSIGN_OR_RETURN(auto limit, QueryInt(r, "limit"));
  CD_ASSIGN_OR_RETURN(auto offset, QueryInt(r, "offset"));
  Page p{default_limit, 0};
  if (limit) {
    if (*limit < 1 || *limit > max_limit) {
      return Error::Invalid("limit", "limit must be between 1 and " + std::to_string(max_limit));
    }
    p.limit = static_cast<int>(*limit);
  }
  if (offset) {
    if (*offset < 0 || *offset > 1'000'000) return Error::Invalid("offset", "offset must be between 0 and 1000000");
    p.offset = static_cast<int>(*offset);
  }
  return p;
}

std::string Serialize(const json::value& v) { return json::serialize(v); }

http::Response JsonResponse(int status, const json::value& v) { return http::Response::Json(status, Serialize(v)); }

http::Response ItemsResponse(json::array items) {
  json::object o;
  o["items"] = std::move(items);
  return JsonResponse(200, o);
}

}  // namespace caredesk::api
