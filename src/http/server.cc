// The only translation unit of the library that sees Beast and Asio. It holds
// three pieces:
//   ServerCore  the acceptor, the threads, the connection registry, shutdown;
//   Connection  one client: read a request, hand it to the workers, write the
//               answer, keep alive or close; or stream events;
//   SharedStringBody  a Beast body over a cached static file, without a copy.
// Beast-free logic lives beside it: request_decoding (target, request id),
// static_files, event_channel (SSE queue and Start/Stop order), metrics,
// access_log.
#include "http/server.h"

#include <array>
#include <atomic>
#include <csignal>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <pthread.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "http/event_channel.h"
#include "http/json_response.h"
#include "http/request_decoding.h"
#include "http/static_files.h"

namespace caredesk::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kReadChunkBytes = 4096;  // reads while idle, streaming or draining
constexpr auto kLingerTimeout = std::chrono::seconds(1);       // draining after an early error answer
constexpr auto kStreamEndTimeout = std::chrono::seconds(2);    // last writes of a stream at shutdown
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kHeartbeat = ": keep-alive\n\n";
constexpr std::string_view kMetricsPath = "/metrics";
constexpr std::string_view kStaticRoute = "static";
constexpr std::string_view kOtherRoute = "other";
constexpr std::string_view kRequestIdHeader = "X-Request-Id";

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kSecurityHeaders = {{
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
     "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
}};

// A response body sharing an immutable string, so cached files are written
// without copying them.
struct SharedStringBody {
  using value_type = std::shared_ptr<const std::string>;

  static std::uint64_t size(const value_type& body) { return body ? body->size() : 0; }

  class writer {
   public:
    using const_buffers_type = net::const_buffer;

    template <bool kIsRequest, class Fields>
    writer(const bhttp::header<kIsRequest, Fields>&, const value_type& body) : body_(body) {}

    void init(beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
      ec = {};
      if (!body_ || body_->empty()) return boost::none;
      return std::make_pair(const_buffers_type(body_->data(), body_->size()), false);
    }

   private:
    const value_type& body_;
  };
};

template <class Fields>
void SetCommonHeaders(Fields& fields, std::string_view request_id) {
  for (const auto& [name, value] : kSecurityHeaders) fields.set(name, value);
  fields.set(kRequestIdHeader, request_id);
}

bool IsParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

class Connection;

// Everything behind a Server; see server.h for the contracts.
class ServerCore {
 public:
  ServerCore(ServerOptions options, const Router& router, Metrics& metrics);
  ~ServerCore();

  Status Start();
  uint16_t port() const { return port_.load(); }
  void Wait();
  void Shutdown();
  void HandleSignals();
  std::vector<std::thread::id> IoThreadIds() const { return io_thread_ids_; }

  // For connections.
  const ServerOptions& options() const { return options_; }
  Metrics& metrics() { return metrics_; }
  const StaticFiles* static_files() const { return static_files_.get(); }
  AccessLog* access_log() const { return access_log_.get(); }
  net::thread_pool& workers() { return *workers_; }
  bool shutting_down() const { return shutting_down_.load(std::memory_order_acquire); }
  Metrics::RouteSeries& SeriesFor(std::string_view method, std::string_view route) const {
    return route_series_->Find(method, route);
  }
  // Runs on a worker thread: answers `request`, setting `series` to the
  // route's metrics series.
  Response Serve(Request& request, Metrics::RouteSeries*& series) const;
  void Unregister(Connection* connection);

 private:
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void RunIoThread();
  void BeginShutdown();   // on strand_
  void FinishShutdown();  // on strand_
  void FinishIfDrained();  // mu_ held

  // Declared before io_context_ and workers_: connections destroyed while
  // those are torn down still use them.
  const ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  std::unique_ptr<StaticFiles> static_files_;
  std::unique_ptr<AccessLog> access_log_;
  std::unique_ptr<RouteSeriesIndex> route_series_;
  std::mutex mu_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;  // guarded by mu_
  bool finish_requested_ = false;                                          // guarded by mu_
  std::atomic<bool> started_{false};
  std::atomic<bool> shutting_down_{false};
  std::atomic<uint16_t> port_{0};

  net::io_context io_context_;
  net::strand<net::io_context::executor_type> strand_;  // acceptor, timers, signals
  net::executor_work_guard<net::io_context::executor_type> work_;
  tcp::acceptor acceptor_;
  net::steady_timer accept_retry_timer_;
  net::steady_timer grace_timer_;
  std::optional<net::signal_set> signals_;  // guarded by mu_
  std::optional<net::thread_pool> workers_;
  std::vector<std::thread> io_threads_;
  std::vector<std::thread::id> io_thread_ids_;
};

// One client connection. All members run on the connection's strand, except
// during kHandling, when a worker owns request_, handled_ and file_ until it
// posts back to the strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ServerCore& server, tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Both may be called from any thread.
  void Start();
  void BeginShutdown();

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kStreaming, kClosed };

  // One request and its answer, for metrics and the access log.
  struct Exchange {
    SteadyClock::time_point started;
    Metrics::RouteSeries* series = nullptr;
    unsigned version = 11;
    bool keep_alive = false;
    bool head = false;    // a HEAD request: headers only
    bool counted = true;  // metrics recorded (true: nothing pending)
    bool logged = true;   // access log written
    int status = 0;
    uint64_t bytes_out = 0;
  };

  // Reading.
  void WaitForRequest();
  void OnIdleRead(beast::error_code ec, size_t bytes);
  void ReadHeader();
  void OnHeader(beast::error_code ec, size_t bytes);
  void ReadBody();
  void OnBody(beast::error_code ec, size_t bytes);
  void OnReadError(beast::error_code ec);
  void OnRequest();

  // Answering.
  void BeginExchange(Metrics::RouteSeries& series);
  void HandOff();     // route or /metrics, on the workers
  void ServeStatic();  // from the cache here, else on the workers
  void OnHandled();
  void WriteResponse(Response& response);
  void WriteFile(const StaticFiles::File& file);
  template <class Body>
  void Write(bhttp::response<Body>& message);
  void OnWrite(beast::error_code ec, size_t bytes);
  void SendErrorAndClose(int status, std::string_view code, std::string message);
  void CountRequest();
  void LogRequest();

  // Event streams.
  void StartEventStream();
  void OnEventHeadWritten(beast::error_code ec, size_t bytes);
  void WatchForDisconnect();
  void ArmHeartbeat();
  void FlushEvents();
  void OnEventsWritten(beast::error_code ec, size_t bytes);
  void EndEventStream();

  // Closing.
  void CloseGracefully(bool drain);
  void Drain();
  void Close();

  ServerCore& server_;
  const ServerOptions& options_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string client_address_;
  Phase phase_ = Phase::kIdle;
  // The body limit of a request to `target`: bulk_body_limit on bulk_body_paths, else body_limit.
  size_t BodyLimitFor(std::string_view target) const;
  bool first_request_ = true;
  bool drain_on_close_ = false;

  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;  // reused across requests, keeping string capacity
  Exchange exchange_;
  Response handled_;
  StaticFiles::File file_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  std::optional<bhttp::response<SharedStringBody>> file_response_;

  std::shared_ptr<EventChannel> events_;
  std::optional<bhttp::response<bhttp::empty_body>> event_head_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> event_head_writer_;
  std::string event_buffer_;  // the batch being written
  net::steady_timer heartbeat_;
  bool chunked_ = false;
  bool event_writing_ = false;
  bool ending_stream_ = false;
};

// ---------------------------------------------------------------------------
// Connection: reading

Connection::Connection(ServerCore& server, tcp::socket socket)
    : server_(server),
      options_(server.options()),
      stream_(std::move(socket)),
      heartbeat_(stream_.get_executor()) {
  beast::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) client_address_ = endpoint.address().to_string();
  server_.metrics().ConnectionOpened();
}

Connection::~Connection() {
  if (events_) events_->Close();
  CountRequest();
  LogRequest();
  server_.metrics().ConnectionClosed();
  server_.Unregister(this);
}

void Connection::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
}

void Connection::BeginShutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    switch (self->phase_) {
      case Phase::kIdle:
      case Phase::kClosed:  // draining after an error answer
        self->Close();
        break;
      case Phase::kStreaming: self->EndEventStream(); break;
      default: break;  // finishes its request, then closes: keep-alive is off now
    }
  });
}

// Waits for the first byte of the next request under the idle deadline, so
// that a connection between requests is told apart from one in mid-request.
void Connection::WaitForRequest() {
  if (server_.shutting_down()) return CloseGracefully(false);
  if (buffer_.size() > 0) return ReadHeader();  // a pipelined request
  phase_ = Phase::kIdle;
  stream_.expires_after(first_request_ ? options_.read_timeout : options_.idle_timeout);
  first_request_ = false;
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          beast::bind_front_handler(&Connection::OnIdleRead, shared_from_this()));
}

void Connection::OnIdleRead(beast::error_code ec, size_t bytes) {
  buffer_.commit(bytes);
  if (ec || phase_ == Phase::kClosed) return Close();  // idle timeout, client gone, shutdown
  ReadHeader();
}

void Connection::ReadHeader() {
  phase_ = Phase::kReading;
  exchange_.started = {};
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
  // The largest limit any path has; OnHeader narrows it to the request's own once the target is known.
  parser_->body_limit(options_.bulk_body_paths.empty() ? options_.body_limit
                                                       : std::max(options_.body_limit, options_.bulk_body_limit));
  stream_.expires_after(options_.read_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Connection::OnHeader, shared_from_this()));
}

// A Content-Length over body_limit already failed the header read with
// body_limit (Beast checks it when the head is complete), so 413 goes out
// before any body byte is read.
size_t Connection::BodyLimitFor(std::string_view target) const {
  const std::string_view path = target.substr(0, target.find('?'));
  const auto& bulk = options_.bulk_body_paths;
  if (std::find(bulk.begin(), bulk.end(), path) == bulk.end()) return options_.body_limit;
  return std::max(options_.body_limit, options_.bulk_body_limit);
}

void Connection::OnHeader(beast::error_code ec, size_t) {
  if (ec) return OnReadError(ec);
  exchange_.started = SteadyClock::now();
  if (parser_->is_done()) return OnRequest();
  const auto& message = parser_->get();
  if (!options_.bulk_body_paths.empty()) {
    const size_t limit = BodyLimitFor(message.target());
    if (const auto length = parser_->content_length(); length && *length > limit) {
      return SendErrorAndClose(413, "payload_too_large", fmt::format("the request body exceeds {} bytes", limit));
    }
    parser_->body_limit(limit);  // a chunked body is held to the same
  }
  if (message.version() >= 11 && beast::iequals(message[bhttp::field::expect], "100-continue")) {
    net::async_write(stream_, net::buffer(kContinue), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Close();
      self->ReadBody();
    });
    return;
  }
  ReadBody();
}

void Connection::ReadBody() {
  bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::OnBody, shared_from_this()));
}

void Connection::OnBody(beast::error_code ec, size_t) {
  if (ec) return OnReadError(ec);
  OnRequest();
}

void Connection::OnReadError(beast::error_code ec) {
  if (ec == bhttp::error::header_limit) {
    return SendErrorAndClose(431, "header_too_large", "the request header fields are too large");
  }
  if (ec == bhttp::error::body_limit) {
    return SendErrorAndClose(413, "payload_too_large",
                             fmt::format("the request body exceeds {} bytes", BodyLimitFor(parser_->get().target())));
  }
  // end_of_stream and partial_message (client gone) share the category of
  // the parse errors but deserve no answer.
  if (IsParseError(ec) && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return SendErrorAndClose(400, "bad_request", "malformed HTTP request");
  }
  Close();  // timeout, reset, shutdown
}

void Connection::OnRequest() {
  auto& message = parser_->get();
  request_.method.assign(message.method_string());
  const bool decoded = DecodeTarget(message.target(), request_).ok();
  if (auto id = message[kRequestIdHeader]; IsSaneRequestId(id)) {
    request_.request_id.assign(id);
  } else {
    request_.request_id = NewRequestId();
  }
  request_.path_params.clear();
  request_.body = std::move(message.body());
  request_.authorization.assign(message[bhttp::field::authorization]);
  request_.content_type.assign(message[bhttp::field::content_type]);
  request_.user_agent.assign(message[bhttp::field::user_agent]);
  request_.host.assign(message[bhttp::field::host]);
  request_.accept.assign(message[bhttp::field::accept]);
  request_.if_match.assign(message[bhttp::field::if_match]);
  request_.if_none_exist.assign(message["If-None-Exist"]);
  request_.client_address = client_address_;
  request_.log_user.clear();
  exchange_.version = message.version();
  exchange_.keep_alive = message.keep_alive();
  exchange_.head = message.method() == bhttp::verb::head;
  parser_.reset();

  if (!decoded) {
    request_.path.clear();
    request_.query.clear();
    return SendErrorAndClose(400, "bad_request", "malformed request target");
  }
  if (server_.static_files() != nullptr && StaticFiles::Handles(request_.method, request_.path)) {
    return ServeStatic();
  }
  HandOff();
}

// ---------------------------------------------------------------------------
// Connection: answering

void Connection::BeginExchange(Metrics::RouteSeries& series) {
  exchange_.series = &series;
  exchange_.counted = false;
  exchange_.logged = false;
  exchange_.status = 0;
  exchange_.bytes_out = 0;
  server_.metrics().RequestStarted();
}

void Connection::HandOff() {
  BeginExchange(server_.SeriesFor(request_.method, kOtherRoute));
  phase_ = Phase::kHandling;
  net::post(server_.workers(), [self = shared_from_this()] {
    self->handled_ = self->server_.Serve(self->request_, self->exchange_.series);
    net::post(self->stream_.get_executor(), [self] { self->OnHandled(); });
  });
}

void Connection::ServeStatic() {
  BeginExchange(server_.SeriesFor(request_.method, kStaticRoute));
  if (const StaticFiles::File* file = server_.static_files()->FindCached(request_.path)) return WriteFile(*file);
  phase_ = Phase::kHandling;
  net::post(server_.workers(), [self = shared_from_this()] {
    auto file = self->server_.static_files()->Load(self->request_.path);
    const bool found = file.ok();
    if (found) {
      self->file_ = std::move(file).value();
    } else {
      self->handled_ = ErrorResponse(file.error());
    }
    net::post(self->stream_.get_executor(), [self, found] {
      found ? self->WriteFile(self->file_) : self->WriteResponse(self->handled_);
    });
  });
}

void Connection::OnHandled() {
  if (handled_.stream) return StartEventStream();
  WriteResponse(handled_);
}

void Connection::WriteResponse(Response& response) {
  auto& message = response_.emplace();
  message.version(exchange_.version);
  message.result(static_cast<unsigned>(response.status));
  if (!response.content_type.empty()) message.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) message.insert(name, value);
  SetCommonHeaders(message, request_.request_id);
  if (message.find(bhttp::field::cache_control) == message.end()) message.set(bhttp::field::cache_control, "no-store");

  const bool bodyless = response.status < 200 || response.status == 204 || response.status == 304;
  if (!bodyless) {
    if (exchange_.head) {
      message.content_length(response.body.size());
    } else {
      message.body() = std::move(response.body);
      message.prepare_payload();
    }
  }
  response.stream.reset();
  exchange_.status = response.status;
  message.keep_alive(exchange_.keep_alive && !drain_on_close_ && !server_.shutting_down());
  Write(message);
}

void Connection::WriteFile(const StaticFiles::File& file) {
  auto& message = file_response_.emplace();
  message.version(exchange_.version);
  message.result(bhttp::status::ok);
  message.set(bhttp::field::content_type, file.content_type);
  message.set(bhttp::field::cache_control, file.cache_control);
  SetCommonHeaders(message, request_.request_id);
  if (exchange_.head) {
    message.content_length(file.body->size());
  } else {
    message.body() = file.body;
    message.prepare_payload();
  }
  exchange_.status = 200;
  message.keep_alive(exchange_.keep_alive && !server_.shutting_down());
  Write(message);
}

template <class Body>
void Connection::Write(bhttp::response<Body>& message) {
  phase_ = Phase::kWriting;
  stream_.expires_after(options_.read_timeout);
  bhttp::async_write(stream_, message, beast::bind_front_handler(&Connection::OnWrite, shared_from_this()));
}

void Connection::OnWrite(beast::error_code ec, size_t bytes) {
  exchange_.bytes_out += bytes;
  CountRequest();
  LogRequest();
  const bool keep_alive = response_ ? response_->keep_alive() : file_response_->keep_alive();
  response_.reset();
  file_response_.reset();
  file_ = {};
  if (ec) return Close();
  if (!keep_alive) return CloseGracefully(drain_on_close_);
  WaitForRequest();
}

// For requests refused before they were read whole: the client may still be
// sending, so the connection is drained before it is closed (else the kernel
// would answer the unread bytes with a reset, which can destroy our answer).
void Connection::SendErrorAndClose(int status, std::string_view code, std::string message) {
  if (parser_) {
    const auto& partial = parser_->get();
    request_.method.assign(partial.method_string());
    exchange_.version = partial.version() == 10 ? 10 : 11;
    auto id = partial[kRequestIdHeader];
    request_.request_id = IsSaneRequestId(id) ? std::string(id) : NewRequestId();
    request_.path.clear();
    request_.log_user.clear();
    parser_.reset();
  }
  if (exchange_.started == SteadyClock::time_point()) exchange_.started = SteadyClock::now();
  exchange_.keep_alive = false;
  exchange_.head = false;
  drain_on_close_ = true;
  BeginExchange(server_.SeriesFor(request_.method, kOtherRoute));
  handled_ = ErrorResponse(status, code, message, "");
  WriteResponse(handled_);
}

void Connection::CountRequest() {
  if (exchange_.counted) return;
  exchange_.counted = true;
  server_.metrics().RequestFinished();
  Metrics::Record(*exchange_.series, exchange_.status, SteadyClock::now() - exchange_.started);
}

void Connection::LogRequest() {
  if (exchange_.logged) return;
  exchange_.logged = true;
  AccessLog* log = server_.access_log();
  if (log == nullptr) return;
  const std::chrono::duration<double, std::milli> elapsed = SteadyClock::now() - exchange_.started;
  log->Write({.request_id = request_.request_id,
              .method = request_.method,
              .route = exchange_.series->route,
              .path = request_.path,
              .status = exchange_.status,
              .duration_ms = elapsed.count(),
              .bytes_out = exchange_.bytes_out,
              .client = client_address_,
              .user = request_.log_user});
}

// ---------------------------------------------------------------------------
// Connection: event streams
//
// The head goes out first; then the stream starts on a worker and its events
// arrive through events_ (EventChannel), which wakes the strand to write them
// as they come, batched. A read stays pending to notice the client leaving.
// The access log line is written when the stream ends; the metrics count the
// request once the head is out, so hours-long streams stay out of the
// latency histogram and the in-flight gauge.

void Connection::StartEventStream() {
  phase_ = Phase::kStreaming;
  chunked_ = exchange_.version >= 11;
  exchange_.status = handled_.status;
  auto wake = [weak = weak_from_this()] {
    if (auto self = weak.lock()) net::post(self->stream_.get_executor(), [self] { self->FlushEvents(); });
  };
  events_ = std::make_shared<EventChannel>(std::move(handled_.stream), options_.event_backlog_limit, std::move(wake));

  auto& head = event_head_.emplace();
  head.version(exchange_.version);
  head.result(static_cast<unsigned>(handled_.status));
  for (const auto& [name, value] : handled_.headers) head.insert(name, value);
  head.set(bhttp::field::content_type, "text/event-stream");
  head.set(bhttp::field::cache_control, "no-store");
  SetCommonHeaders(head, request_.request_id);
  head.keep_alive(false);  // the connection ends with the stream
  if (chunked_) head.chunked(true);
  event_head_writer_.emplace(head);

  if (server_.shutting_down()) EndEventStream();
  stream_.expires_after(options_.read_timeout);
  bhttp::async_write_header(stream_, *event_head_writer_,
                            beast::bind_front_handler(&Connection::OnEventHeadWritten, shared_from_this()));
}

void Connection::OnEventHeadWritten(beast::error_code ec, size_t bytes) {
  exchange_.bytes_out += bytes;
  CountRequest();
  if (ec) return Close();
  if (ending_stream_) return FlushEvents();
  stream_.expires_never();
  WatchForDisconnect();
  ArmHeartbeat();
  net::post(server_.workers(), [events = events_] { events->RunStart(); });
}

void Connection::WatchForDisconnect() {
  // Whatever the client sends now is read and dropped; an error means it left.
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes), [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) return self->Close();
    if (self->phase_ == Phase::kStreaming) self->WatchForDisconnect();
  });
}

void Connection::ArmHeartbeat() {
  heartbeat_.expires_after(options_.event_heartbeat);
  heartbeat_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->phase_ != Phase::kStreaming || self->ending_stream_) return;
    self->events_->Send(std::string(kHeartbeat));
    self->ArmHeartbeat();
  });
}

void Connection::FlushEvents() {
  if (phase_ != Phase::kStreaming || event_writing_ || !event_head_writer_->is_header_done()) return;
  if (events_->overflowed()) {
    spdlog::warn("event stream {} dropped: the client fell {} bytes behind", request_.request_id,
                 options_.event_backlog_limit);
    return Close();
  }
  events_->TakeQueued(event_buffer_);
  auto done = beast::bind_front_handler(&Connection::OnEventsWritten, shared_from_this());
  if (!event_buffer_.empty()) {
    event_writing_ = true;
    stream_.expires_after(ending_stream_ ? kStreamEndTimeout : options_.read_timeout);
    if (chunked_) {
      net::async_write(stream_, bhttp::make_chunk(net::buffer(event_buffer_)), std::move(done));
    } else {
      net::async_write(stream_, net::buffer(event_buffer_), std::move(done));
    }
    return;
  }
  if (!ending_stream_) return;
  if (!chunked_) return CloseGracefully(false);
  event_writing_ = true;
  stream_.expires_after(kStreamEndTimeout);
  net::async_write(stream_, bhttp::make_chunk_last(), [self = shared_from_this()](beast::error_code ec, size_t n) {
    self->event_writing_ = false;
    self->exchange_.bytes_out += n;
    ec ? self->Close() : self->CloseGracefully(false);
  });
}

void Connection::OnEventsWritten(beast::error_code ec, size_t bytes) {
  event_writing_ = false;
  exchange_.bytes_out += bytes;
  if (ec) return Close();
  events_->Written(event_buffer_.size());
  FlushEvents();
}

// Shutdown: stop the stream, write what it queued and the last chunk, close.
void Connection::EndEventStream() {
  if (ending_stream_) return;
  ending_stream_ = true;
  events_->Close();
  heartbeat_.cancel();
  FlushEvents();
}

// ---------------------------------------------------------------------------
// Connection: closing

void Connection::CloseGracefully(bool drain) {
  phase_ = Phase::kClosed;
  if (events_) events_->Close();
  heartbeat_.cancel();
  LogRequest();
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec || !drain) return Close();
  stream_.expires_after(kLingerTimeout);
  Drain();
}

void Connection::Drain() {
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes), [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) return self->Close();  // the client's end of file, or the linger timeout
    self->Drain();
  });
}

void Connection::Close() {
  phase_ = Phase::kClosed;
  if (events_) events_->Close();
  heartbeat_.cancel();
  LogRequest();
  stream_.close();
}

// ---------------------------------------------------------------------------
// ServerCore

ServerCore::ServerCore(ServerOptions options, const Router& router, Metrics& metrics)
    : options_(std::move(options)),
      router_(router),
      metrics_(metrics),
      io_context_(std::max(1, options_.io_threads)),
      strand_(net::make_strand(io_context_)),
      work_(net::make_work_guard(io_context_)),
      acceptor_(strand_),
      accept_retry_timer_(strand_),
      grace_timer_(strand_) {}

ServerCore::~ServerCore() {
  Shutdown();
  Wait();
  std::lock_guard lock(mu_);
  finish_requested_ = true;  // connections destroyed from here on must not post
}

Status ServerCore::Start() {
  if (started_.exchange(true)) return Error::Internal("Server::Start called twice");
  if (shutting_down()) return Error::Unavailable("the server was shut down before it started");
  if (!options_.static_dir.empty()) {
    CD_ASSIGN_OR_RETURN(static_files_, StaticFiles::Open(options_.static_dir));
  }
  CD_ASSIGN_OR_RETURN(access_log_, AccessLog::Open(options_.access_log));

  std::vector<std::pair<std::string, std::string>> routes;
  for (const auto& route : router_.Routes()) routes.emplace_back(route.method, route.pattern);
  routes.emplace_back("GET", kMetricsPath);
  if (static_files_) {
    routes.emplace_back("GET", kStaticRoute);
    routes.emplace_back("HEAD", kStaticRoute);
  }
  route_series_ = std::make_unique<RouteSeriesIndex>(metrics_, routes);

  beast::error_code ec;
  tcp::resolver resolver(io_context_);
  auto endpoints = resolver.resolve(options_.host, std::to_string(options_.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Error::Unavailable(fmt::format("cannot resolve {}: {}", options_.host, ec.message()));
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto fail = [&](std::string_view step) {
    return Error::Unavailable(fmt::format("cannot {} {}:{}: {}", step, options_.host, options_.port, ec.message()));
  };
  if (acceptor_.open(endpoint.protocol(), ec)) return fail("open");
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec)) return fail("configure");
  if (acceptor_.bind(endpoint, ec)) return fail("bind");
  if (acceptor_.listen(net::socket_base::max_listen_connections, ec)) return fail("listen on");
  port_ = acceptor_.local_endpoint(ec).port();

  workers_.emplace(static_cast<size_t>(std::max(1, options_.worker_threads)));
  net::post(strand_, [this] { Accept(); });
  for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
    io_threads_.emplace_back([this] { RunIoThread(); });
    io_thread_ids_.push_back(io_threads_.back().get_id());
  }
  return Ok();
}

void ServerCore::RunIoThread() {
  pthread_setname_np(pthread_self(), "cd-io");
  for (;;) {
    try {
      io_context_.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http: uncaught exception on an I/O thread: {}", e.what());
    }
  }
}

void ServerCore::Accept() {
  acceptor_.async_accept(net::make_strand(io_context_),
                         beast::bind_front_handler(&ServerCore::OnAccept, this));
}

void ServerCore::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (shutting_down() || ec == net::error::operation_aborted) return;
  if (ec) {
    // Usually out of file descriptors: back off instead of spinning.
    spdlog::warn("http: accept failed: {}", ec.message());
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec && !shutting_down()) Accept();
    });
    return;
  }
  auto connection = std::make_shared<Connection>(*this, std::move(socket));
  {
    std::lock_guard lock(mu_);
    connections_.emplace(connection.get(), connection);
  }
  connection->Start();
  Accept();
}

void ServerCore::Unregister(Connection* connection) {
  std::lock_guard lock(mu_);
  connections_.erase(connection);
  FinishIfDrained();
}

void ServerCore::FinishIfDrained() {
  if (!shutting_down() || !connections_.empty() || finish_requested_) return;
  finish_requested_ = true;
  net::post(strand_, [this] { FinishShutdown(); });
}

Response ServerCore::Serve(Request& request, Metrics::RouteSeries*& series) const {
  if (request.path == kMetricsPath) {
    series = &SeriesFor(request.method, kMetricsPath);
    if (request.method != "GET") return ErrorResponse(405, "method_not_allowed", "use GET for /metrics", "");
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics_.Render();
    return response;
  }
  const Router::Match match = router_.Find(request);
  series = &SeriesFor(request.method, match.handler != nullptr ? match.pattern : kOtherRoute);
  try {
    return match.handler != nullptr ? (*match.handler)(request) : router_.Dispatch(request);
  } catch (const std::exception& e) {
    spdlog::error("http: request {} ({} {}) failed: {}", request.request_id, request.method, series->route, e.what());
  } catch (...) {
    spdlog::error("http: request {} ({} {}) failed", request.request_id, request.method, series->route);
  }
  return ErrorResponse(500, "internal", "internal error", "");
}

void ServerCore::Shutdown() {
  if (shutting_down_.exchange(true, std::memory_order_acq_rel)) return;
  if (!started_) return;
  net::post(strand_, [this] { BeginShutdown(); });
}

void ServerCore::BeginShutdown() {
  beast::error_code ec;
  acceptor_.close(ec);
  accept_retry_timer_.cancel();

  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mu_);
    if (signals_) signals_->cancel(ec);
    for (const auto& [raw, weak] : connections_) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
  }
  for (const auto& connection : open) connection->BeginShutdown();
  open.clear();

  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](beast::error_code wait_ec) {
    if (wait_ec) return;
    {
      std::lock_guard lock(mu_);
      if (finish_requested_) return;
      finish_requested_ = true;
      spdlog::warn("http: shutdown grace period over, dropping {} connections", connections_.size());
    }
    FinishShutdown();
  });
  std::lock_guard lock(mu_);
  FinishIfDrained();
}

void ServerCore::FinishShutdown() {
  grace_timer_.cancel();
  work_.reset();
  io_context_.stop();
}

void ServerCore::Wait() {
  for (auto& thread : io_threads_) {
    if (thread.joinable()) thread.join();
  }
  if (workers_) {
    workers_->stop();  // queued work would answer nobody
    workers_->join();
  }
}

void ServerCore::HandleSignals() {
  // Installed before returning, so a signal right after is not lost; mu_
  // orders this against the cancel in BeginShutdown.
  std::lock_guard lock(mu_);
  if (shutting_down() || signals_) return;
  signals_.emplace(strand_, SIGINT, SIGTERM);
  signals_->async_wait([this](beast::error_code ec, int signal_number) {
    if (ec) return;
    spdlog::info("http: signal {} received, shutting down", signal_number);
    Shutdown();
  });
}

}  // namespace

// ---------------------------------------------------------------------------
// Server

class Server::Impl : public ServerCore {
 public:
  using ServerCore::ServerCore;
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}
Server::~Server() = default;
Status Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Wait() { impl_->Wait(); }
void Server::Shutdown() { impl_->Shutdown(); }
void Server::HandleSignals() { impl_->HandleSignals(); }
std::vector<std::thread::id> Server::IoThreadIds() const { return impl_->IoThreadIds(); }

}  // namespace caredesk::http
