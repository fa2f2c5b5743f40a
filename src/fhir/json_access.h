// Reading elements of a resource another system sent, which may be of any shape: a missing element and one of
// the wrong JSON type read alike (empty, or null), so a reader checks for what it needs once. And a stored
// resource's text read back.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace caredesk::fhir {

inline std::string StringAt(const boost::json::value* v) {
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
inline std::string StringAt(const boost::json::object& o, std::string_view key) { return StringAt(o.if_contains(key)); }

inline const boost::json::array* ArrayAt(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

inline const boost::json::object* ObjectAt(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

// JSON text CareDesk stored (a resource as sent, a projection) as an object; empty if it is not one.
inline boost::json::object ObjectOf(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.get_object()) : boost::json::object();
}

}  // namespace caredesk::fhir
