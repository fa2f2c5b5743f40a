// The HTTP/1.1 server: Boost.Beast asynchronous I/O in front of a Router.
//
// Threads: `io_threads` run the event loop (accepting, parsing, writing);
// every connection lives on its own strand. Route handlers, which may block
// on the database, run on a separate pool of `worker_threads` and never on an
// I/O thread; their responses are posted back to the connection's strand.
// Only cached static files are answered directly on the I/O threads.
//
// What the server adds around the Router:
//   - limits: a request head over header_limit gets 431, a body over
//     body_limit 413 (decided from Content-Length before any body byte is
//     read, or when a chunked body crosses the limit), a malformed request
//     400; all three close the connection;
//   - timeouts: read_timeout for a request in progress, idle_timeout between
//     keep-alive requests;
//   - headers on every response: X-Request-Id (the client's if sane, else a
//     fresh one), nosniff, Referrer-Policy, X-Frame-Options and a
//     Content-Security-Policy fit for a same-origin single-page app;
//     "Cache-Control: no-store" on everything but static files unless the
//     handler set its own;
//   - GET /metrics (Prometheus text, see metrics.h), served on the workers;
//   - static files with SPA fallback when static_dir is set (static_files.h):
//     GET/HEAD outside /api/, /healthz and /metrics;
//   - server-sent events for responses carrying an EventStream (request.h);
//   - an access log line per request (access_log.h).
//
// Thread-safety: construct, Start, HandleSignals and Wait from one
// controlling thread. Shutdown and port() may be called from any thread,
// any number of times, handlers included. The Router and the Metrics must
// outlive the Server; the Router must not change once Start was called.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "http/access_log.h"
#include "http/metrics.h"
#include "http/router.h"

namespace caredesk::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an address or a resolvable name
  uint16_t port = 8080;            // 0 = pick a free port, see Server::port()
  int io_threads = 2;
  int worker_threads = 8;
  size_t header_limit = 16 * 1024;  // request line and header fields, bytes
  size_t body_limit = 1 << 20;      // request body, bytes
  // Paths (exact) that take larger bodies, such as bulk imports, and their limit; still decided from
  // Content-Length before the body is read.
  std::vector<std::string> bulk_body_paths;
  size_t bulk_body_limit = 256u << 20;
  std::chrono::seconds read_timeout{30};  // to read a request; also bounds each write
  std::chrono::seconds idle_timeout{75};  // between keep-alive requests
  // How long Shutdown lets in-flight requests finish before it stops anyway.
  std::chrono::seconds shutdown_grace{10};
  // Serve a single-page app from here for non-/api GET paths; empty = none.
  std::string static_dir;

  // A comment line is sent on every event stream this often.
  std::chrono::milliseconds event_heartbeat{15000};
  // A client more than this many bytes behind on an event stream is dropped.
  size_t event_backlog_limit = 1 << 20;
  AccessLogOptions access_log;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics);
  // Shuts down and waits if Start succeeded and Wait was not called.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the static directory and the access log, binds, listens and starts
  // the threads. Fails with kUnavailable if the address cannot be bound (the
  // port is taken) and kInvalidArgument if static_dir is not a directory.
  // Call once.
  Status Start();

  // The bound port (the chosen one when options.port was 0); 0 before Start.
  uint16_t port() const;

  // Blocks until a Shutdown has completed and all threads have ended. A
  // handler that never returns keeps Wait from returning.
  void Wait();

  // Graceful stop, returns at once: stops accepting, closes idle
  // connections, ends event streams (their Stop runs), lets requests in
  // progress finish and answers them with "Connection: close"; after
  // shutdown_grace whatever is left is dropped. Wait for the end with Wait.
  void Shutdown();

  // Turns SIGTERM and SIGINT into Shutdown. Call before Wait.
  void HandleSignals();

  // The ids of the I/O threads, for tests that check where handlers run.
  // Valid after Start.
  std::vector<std::thread::id> IoThreadIds() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caredesk::http
