// References inside resources written in bulk (an import, a transaction Bundle): every "reference" string, at
// any depth, visited or rewritten to what the resource it names is called here.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <unordered_map>

namespace caredesk::fhir {

// The names a writer used ("urn:uuid:…", a fullUrl, "Patient/abc") and what they are here ("Patient/7").
using ReferenceNames = std::unordered_map<std::string, std::string>;

// `f(value)` for every "reference" string in `v` (a json::value holding a string).
template <typename F>
void EachReference(boost::json::value& v, F& f) {
  if (v.is_array()) {
    for (boost::json::value& e : v.get_array()) EachReference(e, f);
  } else if (v.is_object()) {
    for (auto& [key, value] : v.get_object()) {
      if (key == "reference" && value.is_string()) {
        f(value);
      } else if (value.is_object() || value.is_array()) {
        EachReference(value, f);
      }
    }
  }
}

template <typename F>
void EachReference(boost::json::object& o, F f) {
  for (auto& [key, value] : o) {
    if (value.is_object() || value.is_array()) EachReference(value, f);
  }
}

// Every reference in `o` that `names` knows, rewritten to what it is here; the rest stay as given.
inline void Rewrite(boost::json::object& o, const ReferenceNames& names) {
  EachReference(o, [&](boost::json::value& ref) {
    const auto found = names.find(std::string(ref.get_string()));
    if (found != names.end()) ref = found->second;
  });
}

}  // namespace caredesk::fhir
