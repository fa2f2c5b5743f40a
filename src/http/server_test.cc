// Drives a real Server on an ephemeral port with a small Beast client. Every
// client operation has a deadline, so a server bug fails a test instead of
// hanging it.
#include "http/server.h"

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

namespace caredesk::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ClientResponse = bhttp::response<bhttp::string_body>;

constexpr auto kDeadline = seconds(5);

std::string Get(std::string_view target, std::string_view headers = "") {
  return fmt::format("GET {} HTTP/1.1\r\nHost: localhost\r\n{}\r\n", target, headers);
}

bool Contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// A blocking HTTP client with deadlines: each call runs the client's own
// io_context until its one operation completes or times out.
class TestClient {
 public:
  explicit TestClient(uint16_t port) : stream_(io_context_) {
    stream_.expires_after(kDeadline);
    stream_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                          [this](beast::error_code ec) { error_ = ec; });
    Run();
  }

  bool connected() const { return !error_; }

  void Send(std::string_view bytes) {
    stream_.expires_after(kDeadline);
    net::async_write(stream_, net::buffer(bytes), [this](beast::error_code ec, size_t) { error_ = ec; });
    Run();
  }

  // Reads one response; `head_request` for answers to HEAD (no body).
  ClientResponse ReadResponse(bool head_request = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    parser.skip(head_request);
    stream_.expires_after(kDeadline);
    bhttp::async_read(stream_, buffer_, parser, [this](beast::error_code ec, size_t) { error_ = ec; });
    Run();
    EXPECT_FALSE(error_) << error_.message();
    return parser.release();
  }

  ClientResponse Request(std::string_view raw, bool head_request = false) {
    Send(raw);
    return ReadResponse(head_request);
  }

  // Reads raw bytes until `needle` has arrived; returns all bytes read so far
  // (empty if the deadline passed first).
  std::string ReadUntil(std::string_view needle) {
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (!Contains(raw_, needle)) {
      if (std::chrono::steady_clock::now() > deadline || !ReadSome(kDeadline)) return {};
    }
    return raw_;
  }

  // True if the server closes the connection within `timeout`.
  bool WaitClosed(std::chrono::milliseconds timeout = kDeadline) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!ReadSome(std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now()))) {
        return error_ != beast::error::timeout;
      }
    }
    return false;
  }

  const beast::error_code& error() const { return error_; }

 private:
  bool ReadSome(milliseconds timeout) {
    if (buffer_.size() > 0) {  // left over from a parsed response
      raw_ += beast::buffers_to_string(buffer_.data());
      buffer_.consume(buffer_.size());
      return true;
    }
    stream_.expires_after(timeout);
    std::array<char, 4096> chunk;
    size_t got = 0;
    stream_.async_read_some(net::buffer(chunk), [&](beast::error_code ec, size_t n) {
      error_ = ec;
      got = n;
    });
    Run();
    raw_.append(chunk.data(), got);
    return !error_;
  }

  void Run() {
    io_context_.restart();
    io_context_.run();
  }

  net::io_context io_context_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string raw_;
  beast::error_code error_;
};

// An event source the test pushes to by hand.
class TestEventStream : public EventStream {
 public:
  void Start(std::function<bool(std::string)> send) override {
    {
      std::lock_guard lock(mu_);
      send_ = send;
    }
    send("data: first\n\n");
  }
  void Stop() override {
    std::lock_guard lock(mu_);
    ++stops_;
    send_ = nullptr;
    cv_.notify_all();
  }
  bool Push(std::string chunk) {
    std::function<bool(std::string)> send;
    {
      std::lock_guard lock(mu_);
      send = send_;
    }
    return send && send(std::move(chunk));
  }
  // Waits until Stop has run; returns how often it ran.
  int WaitStopped() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kDeadline, [&] { return stops_ > 0; });
    return stops_;
  }
  int stops() {
    std::lock_guard lock(mu_);
    return stops_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::function<bool(std::string)> send_;
  int stops_ = 0;
};

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.Add("GET", "/healthz", [](Request&) { return Response::Json(200, R"({"status":"ok"})"); });
    router_.Add("GET", "/api/items/{id}",
                [](Request& r) { return Response::Json(200, std::string(r.PathParam("id"))); });
    router_.Add("GET", "/api/echo", [](Request& r) {
      std::string out;
      for (const auto& [k, v] : r.query) out += k + "=" + v + ";";
      r.log_user = "jdoe";
      return Response::Json(200, out);
    });
    router_.Add("POST", "/api/echo", [](Request& r) { return Response::Json(200, r.body); });
    router_.Add("GET", "/api/thread", [this](Request&) {
      std::lock_guard lock(mu_);
      handler_thread_ = std::this_thread::get_id();
      return Response::NoContent();
    });
    router_.Add("GET", "/api/slow", [this](Request&) {
      slow_started_.set_value();
      slow_release_.wait_for(kDeadline);
      return Response::Json(200, "slow done");
    });
    router_.Add("GET", "/api/events", [this](Request&) {
      Response response;
      std::lock_guard lock(mu_);
      stream_ = std::make_shared<TestEventStream>();
      response.stream = stream_;
      return response;
    });
    router_.Add("GET", "/api/throw", [](Request&) -> Response { throw std::runtime_error("boom"); });
  }

  void TearDown() override {
    if (server_) {
      server_->Shutdown();
      server_->Wait();
    }
  }

  void StartServer(const std::function<void(ServerOptions&)>& adjust = {}) {
    ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 4;
    options.header_limit = 1024;
    options.body_limit = 4096;
    auto logger = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
    logger->set_pattern("%v");
    options.access_log.logger = logger;
    if (adjust) adjust(options);
    server_ = std::make_unique<Server>(std::move(options), router_, metrics_);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().message;
    ASSERT_NE(server_->port(), 0);
  }

  TestClient Connect() { return TestClient(server_->port()); }

  std::shared_ptr<TestEventStream> LastStream() {
    std::lock_guard lock(mu_);
    return stream_;
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::ostringstream log_;
  std::mutex mu_;
  std::thread::id handler_thread_;
  std::shared_ptr<TestEventStream> stream_;
  std::promise<void> slow_started_;
  std::promise<void> slow_release_promise_;
  std::shared_future<void> slow_release_ = slow_release_promise_.get_future().share();
};

TEST_F(ServerTest, RoutesWithPathParametersAndSetsHeaders) {
  StartServer();
  TestClient client = Connect();
  ClientResponse response = client.Request(Get("/api/items/a%20b"));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "a b");
  EXPECT_EQ(response[bhttp::field::content_type], "application/json");
  EXPECT_EQ(response[bhttp::field::cache_control], "no-store");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_TRUE(Contains(response["Content-Security-Policy"], "default-src 'self'"));
  EXPECT_EQ(response["X-Request-Id"].size(), 32u);
}

TEST_F(ServerTest, EchoesASaneRequestIdAndReplacesOthers) {
  StartServer();
  TestClient client = Connect();
  EXPECT_EQ(client.Request(Get("/healthz", "X-Request-Id: abc-123\r\n"))["X-Request-Id"], "abc-123");
  auto replaced = client.Request(Get("/healthz", "X-Request-Id: <script>\r\n"))["X-Request-Id"];
  EXPECT_EQ(replaced.size(), 32u);
}

TEST_F(ServerTest, AnswersUnknownRoutesAndMethodsWithJsonErrors) {
  StartServer();
  TestClient client = Connect();
  ClientResponse not_found = client.Request(Get("/api/nothing"));
  EXPECT_EQ(not_found.result_int(), 404);
  EXPECT_TRUE(Contains(not_found.body(), R"("code":"not_found")"));
  ClientResponse not_allowed = client.Request("DELETE /api/items/1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(not_allowed.result_int(), 405);
  EXPECT_TRUE(Contains(not_allowed.body(), R"("code":"method_not_allowed")"));
}

TEST_F(ServerTest, KeepsHttp11ConnectionsAliveAndClosesHttp10) {
  StartServer();
  TestClient client = Connect();
  EXPECT_EQ(client.Request(Get("/api/items/1")).body(), "1");
  EXPECT_EQ(client.Request(Get("/api/items/2")).body(), "2");

  TestClient old = Connect();
  ClientResponse response = old.Request("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.version(), 10u);
  EXPECT_TRUE(old.WaitClosed());
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  StartServer();
  TestClient client = Connect();
  client.Send(Get("/api/items/1") + Get("/api/items/2"));
  EXPECT_EQ(client.ReadResponse().body(), "1");
  EXPECT_EQ(client.ReadResponse().body(), "2");
}

TEST_F(ServerTest, RefusesALargeBodyFromContentLengthWithoutReadingIt) {
  StartServer();
  TestClient client = Connect();
  // Only the head is sent: the answer must not wait for the body.
  ClientResponse response = client.Request("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_TRUE(Contains(response.body(), R"("code":"payload_too_large")"));
  EXPECT_EQ(response[bhttp::field::connection], "close");
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(ServerTest, RefusesAChunkedBodyOverTheLimit) {
  StartServer();
  TestClient client = Connect();
  std::string chunk = fmt::format("7d0\r\n{}\r\n", std::string(2000, 'x'));
  client.Send("POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk +
              "0\r\n\r\n");
  ClientResponse response = client.ReadResponse();
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(ServerTest, BulkPathsTakeLargerBodiesAndTheRestKeepTheLimit) {
  StartServer([](ServerOptions& o) {
    o.bulk_body_paths = {"/api/echo"};
    o.bulk_body_limit = 16384;
  });
  const std::string body(10000, 'y');
  TestClient client = Connect();
  ClientResponse echoed = client.Request(
      fmt::format("POST /api/echo?via=bulk HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{}", body.size(), body));
  EXPECT_EQ(echoed.result_int(), 200);
  EXPECT_EQ(echoed.body().size(), body.size());
  ClientResponse too_large = client.Request("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  EXPECT_EQ(too_large.result_int(), 413);
  EXPECT_TRUE(Contains(too_large.body(), "16384")) << too_large.body();
  // Any other path keeps body_limit, decided before the body is read.
  TestClient other = Connect();
  ClientResponse refused = other.Request("POST /api/items/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n");
  EXPECT_EQ(refused.result_int(), 413);
  EXPECT_TRUE(Contains(refused.body(), "4096")) << refused.body();
  TestClient chunked = Connect();
  std::string chunk = fmt::format("7d0\r\n{}\r\n", std::string(2000, 'x'));
  chunked.Send("POST /api/items/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk +
               "0\r\n\r\n");
  EXPECT_EQ(chunked.ReadResponse().result_int(), 413);
}

TEST_F(ServerTest, AcceptsAChunkedBodyWithinTheLimit) {
  StartServer();
  TestClient client = Connect();
  ClientResponse response =
      client.Request("POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(response.body(), "hello");
}

TEST_F(ServerTest, AnswersExpectContinueBeforeReadingTheBody) {
  StartServer();
  TestClient client = Connect();
  client.Send("POST /api/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(client.ReadResponse().result_int(), 100);
  client.Send("hello");
  EXPECT_EQ(client.ReadResponse().body(), "hello");
}

TEST_F(ServerTest, RefusesOversizedHeaders) {
  StartServer();
  TestClient client = Connect();
  ClientResponse response = client.Request(Get("/healthz", "X-Filler: " + std::string(2000, 'x') + "\r\n"));
  EXPECT_EQ(response.result_int(), 431);
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(ServerTest, DecodesTheQueryString) {
  StartServer();
  TestClient client = Connect();
  ClientResponse response = client.Request(Get("/api/echo?name=Jane+Doe&city=New%20York&plus=%2B"));
  EXPECT_EQ(response.body(), "name=Jane Doe;city=New York;plus=+;");
}

TEST_F(ServerTest, AnswersMalformedRequestsWith400) {
  StartServer();
  for (std::string_view raw : {"GARBAGE\r\n\r\n", "GET nopath HTTP/1.1\r\nHost: x\r\n\r\n",
                               "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/9.9\r\n\r\n"}) {
    TestClient client = Connect();
    ClientResponse response = client.Request(raw);
    EXPECT_EQ(response.result_int(), 400) << raw;
    EXPECT_TRUE(Contains(response.body(), R"("code":"bad_request")")) << raw;
    EXPECT_TRUE(client.WaitClosed()) << raw;
  }
}

TEST_F(ServerTest, AnswersHandlerExceptionsWith500) {
  StartServer();
  TestClient client = Connect();
  ClientResponse response = client.Request(Get("/api/throw"));
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_TRUE(Contains(response.body(), R"("code":"internal")"));
  EXPECT_EQ(client.Request(Get("/api/items/1")).body(), "1");  // the connection survives
}

TEST_F(ServerTest, RunsHandlersOffTheIoThreads) {
  StartServer();
  TestClient client = Connect();
  EXPECT_EQ(client.Request(Get("/api/thread")).result_int(), 204);
  std::lock_guard lock(mu_);
  const auto io_threads = server_->IoThreadIds();
  ASSERT_EQ(io_threads.size(), 2u);
  EXPECT_NE(handler_thread_, std::thread::id());
  EXPECT_EQ(std::count(io_threads.begin(), io_threads.end(), handler_thread_), 0);
}

TEST_F(ServerTest, StreamsEventsAndStopsWhenTheClientLeaves) {
  StartServer([](ServerOptions& o) { o.event_heartbeat = milliseconds(50); });
  {
    TestClient client = Connect();
    client.Send(Get("/api/events"));
    std::string head = client.ReadUntil("data: first\n\n");
    EXPECT_TRUE(Contains(head, "HTTP/1.1 200 OK\r\n")) << head;
    EXPECT_TRUE(Contains(head, "Content-Type: text/event-stream\r\n")) << head;
    EXPECT_TRUE(Contains(head, "Transfer-Encoding: chunked\r\n")) << head;
    EXPECT_TRUE(Contains(head, "Cache-Control: no-store\r\n")) << head;
    EXPECT_FALSE(Contains(head, "Content-Length")) << head;

    auto stream = LastStream();
    ASSERT_TRUE(stream->Push("event: board\ndata: {\"n\":2}\n\n"));
    EXPECT_FALSE(client.ReadUntil("data: {\"n\":2}\n\n").empty());
    EXPECT_FALSE(client.ReadUntil(": keep-alive\n\n").empty());
    EXPECT_EQ(stream->stops(), 0);
  }  // the client disconnects
  auto stream = LastStream();
  EXPECT_EQ(stream->WaitStopped(), 1);
  EXPECT_FALSE(stream->Push("data: late\n\n"));
}

TEST_F(ServerTest, DropsAnEventClientThatFallsTooFarBehind) {
  StartServer([](ServerOptions& o) { o.event_backlog_limit = 64 * 1024; });
  TestClient client = Connect();
  client.Send(Get("/api/events"));
  ASSERT_FALSE(client.ReadUntil("data: first\n\n").empty());
  auto stream = LastStream();
  // The client reads nothing more: once the socket buffers are full the
  // backlog grows past the limit and the server gives up on the client.
  const std::string event = "data: " + std::string(4096, 'x') + "\n\n";
  int sent = 0;
  while (sent < 100000 && stream->Push(event)) ++sent;
  EXPECT_LT(sent, 100000);
  EXPECT_EQ(stream->WaitStopped(), 1);
}

TEST_F(ServerTest, EndsEventStreamsOnShutdown) {
  StartServer();
  TestClient client = Connect();
  client.Send(Get("/api/events"));
  ASSERT_FALSE(client.ReadUntil("data: first\n\n").empty());
  const auto begun = std::chrono::steady_clock::now();
  server_->Shutdown();
  server_->Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - begun, seconds(2));
  EXPECT_EQ(LastStream()->stops(), 1);
  EXPECT_FALSE(client.ReadUntil("\r\n0\r\n\r\n").empty());  // the last chunk
  EXPECT_TRUE(client.WaitClosed());
  server_.reset();
}

TEST_F(ServerTest, ShutdownLetsAnInFlightRequestFinish) {
  StartServer();
  TestClient idle = Connect();
  EXPECT_EQ(idle.Request(Get("/healthz")).result_int(), 200);
  TestClient busy = Connect();
  busy.Send(Get("/api/slow"));
  ASSERT_EQ(slow_started_.get_future().wait_for(kDeadline), std::future_status::ready);

  server_->Shutdown();
  EXPECT_TRUE(idle.WaitClosed());  // idle connections go at once
  EXPECT_FALSE(TestClient(server_->port()).connected());  // no longer accepting
  slow_release_promise_.set_value();
  ClientResponse response = busy.ReadResponse();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "slow done");
  EXPECT_EQ(response[bhttp::field::connection], "close");
  server_->Wait();
  server_.reset();
}

TEST_F(ServerTest, ShutsDownOnSigterm) {
  StartServer();
  server_->HandleSignals();
  std::raise(SIGTERM);
  server_->Wait();  // returns only once the signal has led to a shutdown
  EXPECT_FALSE(TestClient(server_->port()).connected());
  server_.reset();
}

TEST_F(ServerTest, ClosesIdleConnectionsAfterTheIdleTimeout) {
  StartServer([](ServerOptions& o) { o.idle_timeout = seconds(1); });
  TestClient client = Connect();
  EXPECT_EQ(client.Request(Get("/healthz")).result_int(), 200);
  const auto begun = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.WaitClosed(seconds(3)));
  EXPECT_GT(std::chrono::steady_clock::now() - begun, milliseconds(800));
}

TEST_F(ServerTest, RefusesAPortInUse) {
  StartServer();
  ServerOptions options;
  options.port = server_->port();
  options.access_log.enabled = false;
  Server second(options, router_, metrics_);
  Status started = second.Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, ErrorCode::kUnavailable);
}

TEST_F(ServerTest, ServesStaticFilesWithSpaFallback) {
  namespace fs = std::filesystem;
  const fs::path base =
      fs::temp_directory_path() / ("caredesk_server_static_" + std::to_string(std::random_device{}()));
  fs::remove_all(base);
  fs::create_directories(base / "dist" / "assets");
  std::ofstream(base / "dist" / "index.html") << "<!doctype html>";
  std::ofstream(base / "dist" / "assets" / "app-1.js") << "let x = 1;";
  std::ofstream(base / "secret.txt") << "secret";
  StartServer([&](ServerOptions& o) { o.static_dir = (base / "dist").string(); });
  TestClient client = Connect();

  ClientResponse index = client.Request(Get("/"));
  EXPECT_EQ(index.body(), "<!doctype html>");
  EXPECT_EQ(index[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(index[bhttp::field::cache_control], "no-cache");
  EXPECT_TRUE(Contains(index["Content-Security-Policy"], "connect-src 'self'"));

  for (int i = 0; i < 2; ++i) {  // from disk, then from the cache
    ClientResponse asset = client.Request(Get("/assets/app-1.js"));
    EXPECT_EQ(asset.body(), "let x = 1;");
    EXPECT_EQ(asset[bhttp::field::content_type], "text/javascript; charset=utf-8");
    EXPECT_EQ(asset[bhttp::field::cache_control], "public, max-age=31536000, immutable");
  }
  ClientResponse head = client.Request("HEAD /assets/app-1.js HTTP/1.1\r\nHost: x\r\n\r\n", /*head_request=*/true);
  EXPECT_EQ(head[bhttp::field::content_length], "10");
  EXPECT_TRUE(head.body().empty());

  EXPECT_EQ(client.Request(Get("/patients/42")).body(), "<!doctype html>");
  EXPECT_EQ(client.Request(Get("/..%2Fsecret.txt")).result_int(), 404);
  EXPECT_EQ(client.Request(Get("/assets/%2E%2E/%2E%2E/secret.txt")).result_int(), 404);
  ClientResponse api = client.Request(Get("/api/missing"));
  EXPECT_EQ(api.result_int(), 404);
  EXPECT_EQ(api[bhttp::field::content_type], "application/json");
  EXPECT_EQ(client.Request(Get("/healthz")).body(), R"({"status":"ok"})");
  fs::remove_all(base);
}

TEST_F(ServerTest, ExportsRouteCountersAndHistograms) {
  StartServer();
  TestClient client = Connect();
  client.Request(Get("/api/items/1"));
  client.Request(Get("/api/items/2"));
  client.Request(Get("/api/nothing"));
  ClientResponse response = client.Request(Get("/metrics"));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_TRUE(Contains(response[bhttp::field::content_type], "text/plain"));
  const std::string& text = response.body();
  EXPECT_TRUE(Contains(text, R"(caredesk_http_requests_total{method="GET",route="/api/items/{id}",status="2xx"} 2)"))
      << text;
  EXPECT_TRUE(Contains(text, R"(caredesk_http_requests_total{method="GET",route="other",status="4xx"} 1)")) << text;
  EXPECT_TRUE(Contains(text, R"(caredesk_http_requests_total{method="GET",route="/healthz",status="2xx"} 0)"));
  EXPECT_TRUE(
      Contains(text, R"(caredesk_http_request_duration_seconds_count{method="GET",route="/api/items/{id}"} 2)"));
  EXPECT_TRUE(Contains(
      text, R"(caredesk_http_request_duration_seconds_bucket{method="GET",route="/api/items/{id}",le="+Inf"} 2)"));
  EXPECT_TRUE(Contains(text, "caredesk_http_connections_open 1\n"));
  EXPECT_TRUE(Contains(text, "caredesk_http_in_flight 1\n"));  // the scrape itself
}

TEST_F(ServerTest, LogsOneLinePerRequestWithoutTheQuery) {
  StartServer();
  {
    TestClient client = Connect();
    client.Request(Get("/api/echo?name=Jane+Doe", "X-Request-Id: log-1\r\n"));
  }
  server_->Shutdown();
  server_->Wait();
  const std::string log = log_.str();
  EXPECT_TRUE(
      Contains(log, R"("request_id":"log-1","method":"GET","route":"/api/echo","path":"/api/echo","status":200)"))
      << log;
  EXPECT_TRUE(Contains(log, R"("client":"127.0.0.1","user":"jdoe"})")) << log;
  EXPECT_FALSE(Contains(log, "Jane")) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1);
  server_.reset();
}

}  // namespace
}  // namespace caredesk::http
