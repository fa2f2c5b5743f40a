#include "domain/security/smart_scopes.h"

#include <algorithm>

namespace caredesk {
namespace {

bool IsTypeName(std::string_view t) {
  if (t == "*") return true;
  if (t.empty() || t.size() > 64 || !(t[0] >= 'A' && t[0] <= 'Z')) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

}  // namespace

bool SmartScopes::Allows(std::string_view type, bool write) const {
  return std::any_of(scopes.begin(), scopes.end(), [&](const SmartScope& s) {
    return (s.type == "*" || s.type == type) && (write ? s.write : s.read);
  });
}

Result<SmartScopes> ParseSmartScopes(std::string_view text, const std::string& field) {
  SmartScopes out;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && text[at] == ' ') ++at;
    size_t end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view scope = text.substr(at, end - at);
    at = end;
    if (scope.empty()) continue;
    const auto bad = [&](const std::string& why) {
      return Error::Invalid(field, "scope \"" + std::string(scope) + "\": " + why, "invalid_scope");
    };
    const size_t slash = scope.find('/'), dot = scope.rfind('.');
    if (slash == std::string_view::npos || dot == std::string_view::npos || dot < slash) {
      return bad("a scope is context/Type.access, such as system/Patient.read");
    }
    SmartScope s;
    s.context = std::string(scope.substr(0, slash));
    s.type = std::string(scope.substr(slash + 1, dot - slash - 1));
    const std::string_view access = scope.substr(dot + 1);
    if (s.context == "patient") return bad("patient/ scopes need a SMART launch, which CareDesk does not offer");
    if (s.context != "system" && s.context != "user") return bad("the context is system or user");
    if (!IsTypeName(s.type)) return bad("the resource type is a FHIR type name or *");
    if (access == "read") {
      s.read = true;
    } else if (access == "write") {
      s.write = true;
    } else if (access == "*") {
      s.read = s.write = true;
    } else {
      // SMART v2: letters of c r u d s, in that order, each at most once.
      static constexpr std::string_view kOrder = "cruds";
      size_t last = 0;
      bool any = false;
      for (char c : access) {
        const size_t pos = kOrder.find(c);
        if (pos == std::string_view::npos || (any && pos <= last)) {
          return bad("the access is read, write, * or SMART v2 letters of cruds in that order");
        }
        last = pos;
        any = true;
        (c == 'r' || c == 's' ? s.read : s.write) = true;
      }
      if (!any) return bad("the access is missing");
    }
    out.scopes.push_back(std::move(s));
    out.text += (out.text.empty() ? "" : " ") + std::string(scope);
  }
  if (out.scopes.empty()) return Error::Invalid(field, "at least one scope, such as system/*.read", "invalid_scope");
  return out;
}

}  // namespace caredesk
