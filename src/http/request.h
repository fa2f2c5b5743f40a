// The HTTP layer's own request and response types. Handlers see only these,
// never Beast: the Beast server (server.cc) converts at the edge, so handler
// translation units stay light to compile and easy to test without sockets.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caredesk::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded path without the query string
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<std::pair<std::string, std::string>> path_params;  // set by the router
  std::string body;
  std::string authorization;  // the Authorization header, as sent
  std::string content_type;
  std::string user_agent;
  std::string host;    // the Host header, as sent (absolute links in FHIR bundles)
  std::string accept;  // the Accept header, as sent
  std::string if_match;       // If-Match, as sent (FHIR version-aware updates)
  std::string if_none_exist;  // If-None-Exist, as sent (FHIR conditional create)
  std::string client_address;  // peer IP address
  std::string request_id;
  // Who made the request, for the access log only: the auth layer sets it
  // (e.g. the username) once it has identified the caller; empty = anonymous.
  std::string log_user;

  // The first value of a query parameter, if present.
  std::optional<std::string_view> Query(std::string_view key) const;
  // A path parameter captured by the route pattern ("{id}"); empty if absent.
  std::string_view PathParam(std::string_view key) const;
};

// A source of server-sent events. The server calls Start once the response
// head is written; `send` queues one chunk (already formatted as SSE text) on
// the connection and returns false once the client has gone; Stop is called
// when the connection closes or the server shuts down. Implementations must be
// thread-safe: `send` may be called from any thread.
// The server guarantees (see event_channel.h): Start runs on a worker thread
// and may block (e.g. to load the first event); Stop runs exactly once, also
// when Start never ran, never while Start is running, possibly on an I/O
// thread, so it must be quick; `send` returns false, too, when the client
// fell too far behind and is being dropped.
class EventStream {
 public:
  virtual ~EventStream() = default;
  virtual void Start(std::function<bool(std::string)> send) = 0;
  virtual void Stop() = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the server writes the head and then streams events until the
  // client disconnects; `body` is ignored.
  std::shared_ptr<EventStream> stream;

  static Response Json(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static Response NoContent() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }
};

}  // namespace caredesk::http
