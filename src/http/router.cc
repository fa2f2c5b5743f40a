#include "http/router.h"

#include "http/json_response.h"

namespace caredesk::http {

std::optional<std::string_view> Request::Query(std::string_view key) const {
  for (const auto& [k, v] : query) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view Request::PathParam(std::string_view key) const {
  for (const auto& [k, v] : path_params) {
    if (k == key) return v;
  }
  return {};
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

void Router::Add(std::string method, std::string pattern, Handler handler) {
  Route r;
  for (auto seg : SplitPath(pattern)) r.segments.emplace_back(seg);
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(Request& request) const {
  auto parts = SplitPath(request.path);
  Match m;
  for (const Route& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& s = r.segments[i];
      if (!(s.size() > 1 && s.front() == '{')) ok = (s == parts[i]);
    }
    if (!ok) continue;
    if (r.method != request.method) {
      m.path_known = true;
      continue;
    }
    request.path_params.clear();
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string& s = r.segments[i];
      if (s.size() > 1 && s.front() == '{') {
        request.path_params.emplace_back(s.substr(1, s.size() - 2), std::string(parts[i]));
      }
    }
    m.handler = &r.handler;
    m.pattern = r.pattern;
    return m;
  }
  return m;
}

Response Router::Dispatch(Request& request) const {
  Match m = Find(request);
  if (m.handler != nullptr) return (*m.handler)(request);
  if (m.path_known) return ErrorResponse(405, "method_not_allowed", request.method + " is not allowed here", "");
  return ErrorResponse(404, "not_found", "no such endpoint: " + request.path, "");
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : routes_) out.push_back({r.method, r.pattern});
  return out;
}

}  // namespace caredesk::http
