// Maps method + path pattern to a handler. Patterns are literal segments and
// `{name}` captures ("/api/v1/patients/{id}/cancel"). Routes are registered at
// start-up; Dispatch is then safe to call from many threads at once.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace caredesk::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: no route
    std::string_view pattern;          // the matched pattern, for metrics labels
    bool path_known = false;           // path matched but not the method (405)
  };
  // Finds the route for `request`, filling request.path_params on success.
  Match Find(Request& request) const;

  // Finds and runs the route; answers 404 or 405 as JSON errors otherwise.
  Response Dispatch(Request& request) const;

  struct RouteInfo {
    std::string method;
    std::string pattern;
  };
  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{id}" marks a capture
    Handler handler;
  };
  std::vector<Route> routes_;
};

// Splits a path into its segments, ignoring empty ones.
std::vector<std::string_view> SplitPath(std::string_view path);

}  // namespace caredesk::http
