// The only translation unit of caredesk_mllp that sees Asio. Two pieces:
//   ServerCore  the acceptor, the threads, the connection registry, shutdown;
//   Connection  one client (plain TCP or TLS): read and de-frame, hand the
//               messages one at a time to the workers, write the replies in
//               order, close.
// Framing is mllp_framing (FrameDecoder), the ACKs the server writes itself
// mllp_ack (AckFactory); both are Asio-free and tested on their own.
#include "mllp/mllp_server.h"

#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <csignal>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <algorithm>
#include <vector>

#include "mllp/mllp_framing.h"

namespace caredesk::mllp {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using ErrorCode = boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kReadChunkBytes = 16 * 1024;
constexpr auto kLingerTimeout = std::chrono::seconds(1);  // draining, or the TLS close, before closing
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr uint64_t kRefusalLogEvery = 100;  // log the first refused connection and every 100th after it

struct Counters {
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> connections_refused{0};
  std::atomic<uint64_t> connections_open{0};
  std::atomic<uint64_t> messages{0};
  std::atomic<uint64_t> acks_accept{0};
  std::atomic<uint64_t> acks_error{0};
  std::atomic<uint64_t> acks_reject{0};
  std::atomic<uint64_t> replies_other{0};
  std::atomic<uint64_t> frames_too_large{0};
  std::atomic<uint64_t> handler_failures{0};
  std::atomic<uint64_t> stray_bytes{0};
};

void Bump(std::atomic<uint64_t>& counter, uint64_t n = 1) { counter.fetch_add(n, std::memory_order_relaxed); }
uint64_t Read(const std::atomic<uint64_t>& counter) { return counter.load(std::memory_order_relaxed); }

class ConnectionBase : public std::enable_shared_from_this<ConnectionBase> {
 public:
  virtual ~ConnectionBase() = default;
  // Both may be called from any thread.
  virtual void Start() = 0;
  virtual void BeginShutdown() = 0;
};

// Everything behind an MllpServer; see mllp_server.h for the contracts.
class ServerCore {
 public:
  ServerCore(MllpServerOptions options, MessageHandler handler);
  ~ServerCore();

  Status Start();
  uint16_t port() const { return port_.load(); }
  bool tls() const { return tls_.load(); }
  void Shutdown();
  void Wait();
  void HandleSignals();
  MllpStats stats() const;

  // For connections.
  const MllpServerOptions& options() const { return options_; }
  Counters& counters() { return counters_; }
  net::thread_pool& workers() { return *workers_; }
  bool shutting_down() const { return shutting_down_.load(std::memory_order_acquire); }
  // On a worker thread: the reply to `message`.
  std::string Handle(std::string_view message, const PeerInfo& peer);
  // On a worker thread: the replies to `messages`, in order (options().batch_handler).
  std::vector<std::string> HandleBatch(const std::vector<std::string>& messages, const PeerInfo& peer);
  bool batches() const { return static_cast<bool>(options_.batch_handler); }
  // On a worker thread: the reply to a frame over the limit.
  std::string RejectTooLarge(std::string_view frame_start, const PeerInfo& peer);
  void Unregister(ConnectionBase* connection);

 private:
  void Accept();
  void OnAccept(ErrorCode ec, tcp::socket socket);
  void RunIoThread();
  void BeginShutdown();    // on strand_
  void FinishShutdown();   // on strand_
  void FinishIfDrained();  // mu_ held
  void CountReply(std::string_view reply);
  Status LoadTls();

  // Declared before io_context_ and workers_: connections destroyed while
  // those are torn down still use them.
  const MllpServerOptions options_;
  const MessageHandler handler_;
  SystemClock system_clock_;
  AckFactory acks_;
  Counters counters_;
  std::mutex mu_;
  std::unordered_map<ConnectionBase*, std::weak_ptr<ConnectionBase>> connections_;  // guarded by mu_
  bool finish_requested_ = false;                                                   // guarded by mu_
  std::atomic<bool> started_{false};
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> tls_{false};
  std::atomic<uint16_t> port_{0};
  uint64_t last_connection_id_ = 0;  // on strand_
  std::optional<ssl::context> ssl_context_;

  net::io_context io_context_;
  net::strand<net::io_context::executor_type> strand_;  // acceptor, timers, signals
  net::executor_work_guard<net::io_context::executor_type> work_;
  tcp::acceptor acceptor_;
  net::steady_timer accept_retry_timer_;
  net::steady_timer grace_timer_;
  std::optional<net::signal_set> signals_;  // guarded by mu_
  std::optional<net::thread_pool> workers_;
  std::vector<std::thread> io_threads_;
};

// One client connection, over a tcp::socket or an ssl::stream of one. All
// members run on the connection's strand, except peer_, which is immutable
// and read by the workers too.
//
// The flow is one state machine, Pump(), run after every completion: hand the
// next message to the workers when none is there, write the replies
// gathered, read more while the queues are short, close when the input has
// ended (end of stream, an oversize frame, shutdown) and nothing is pending.
template <class Stream>
class Connection final : public ConnectionBase {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  template <class... StreamArgs>
  Connection(ServerCore& server, PeerInfo peer, StreamArgs&&... stream_args)
      : server_(server),
        options_(server.options()),
        stream_(std::forward<StreamArgs>(stream_args)...),
        timer_(stream_.get_executor()),
        peer_(std::move(peer)),
        decoder_(options_.max_frame_bytes),
        last_read_(SteadyClock::now()) {
    Bump(server_.counters().connections_open);
    Bump(server_.counters().connections_accepted);
  }

  ~Connection() override {
    server_.counters().connections_open.fetch_sub(1, std::memory_order_relaxed);
    Bump(server_.counters().stray_bytes, decoder_.stray_bytes());
    server_.Unregister(this);
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start() override {
    net::dispatch(stream_.get_executor(), [self = Self()] {
      if constexpr (kTls) {
        self->handshaking_ = true;
        self->handshake_started_ = SteadyClock::now();
        self->stream_.async_handshake(ssl::stream_base::server, [self](ErrorCode ec) { self->OnHandshake(ec); });
      }
      self->WaitForDeadline();
      self->Pump();
    });
  }

  void BeginShutdown() override {
    net::post(stream_.get_executor(), [self = Self()] {
      self->stopping_ = true;
      if (self->handshaking_) return self->Close();
      self->Pump();
    });
  }

 private:
  // A message waiting for the handler, or the beginning of an oversize frame.
  struct Item {
    std::string message;
    bool too_large = false;
  };

  std::shared_ptr<Connection> Self() { return std::static_pointer_cast<Connection>(shared_from_this()); }

  tcp::socket& Socket() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  void OnHandshake(ErrorCode ec) {
    handshaking_ = false;
    if (closed_) return;
    if (ec) {
      spdlog::info("mllp: TLS handshake with {} failed: {}", peer_.address, ec.message());
      return Close();
    }
    last_read_ = SteadyClock::now();
    Pump();
  }

  void Pump() {
    if (closing_ || closed_ || handshaking_) return;
    if (!handling_ && !inbox_.empty() && !stopping_) StartHandler();
    if (!writing_ && !outbox_.empty()) StartWrite();
    if (read_closed_ || stopping_) {
      // Shutdown drops the messages not yet handed on: no ACK, so they are sent again.
      if (!handling_ && !writing_ && outbox_.empty() && (stopping_ || inbox_.empty())) return CloseGracefully();
    } else if (!reading_ && inbox_.size() < kMaxQueuedMessages &&
               outbox_.size() + write_buffer_.size() <= options_.max_frame_bytes) {
      StartRead();
    }
    const auto deadline = Deadline();
    if (deadline < timer_.expiry()) timer_.expires_at(deadline);  // the waiting OnTimer re-arms
  }

  // Reading.

  void StartRead() {
    reading_ = true;
    stream_.async_read_some(net::buffer(read_buffer_),
                            [self = Self()](ErrorCode ec, size_t bytes) { self->OnRead(ec, bytes); });
  }

  void OnRead(ErrorCode ec, size_t bytes) {
    reading_ = false;
    if (closed_) return;
    if (closing_) {
      // Draining after our last reply (plain TCP); a TLS read was cancelled for the TLS close.
      if constexpr (!kTls) {
        if (!ec) return StartRead();
        Close();
      }
      return;
    }
    if (bytes > 0) {
      last_read_ = SteadyClock::now();
      Decode(std::string_view(read_buffer_.data(), bytes));
    }
    if (ec) {
      if (ec != net::error::eof && ec != ssl::error::stream_truncated) return Close();  // reset, aborted
      read_closed_ = true;  // the client is done sending; the replies still go out
    }
    Pump();
  }

  void Decode(std::string_view bytes) {
    const Status status = decoder_.Feed(bytes, decoded_);
    for (std::string& message : decoded_) inbox_.push_back({std::move(message), false});
    decoded_.clear();
    if (!status.ok()) {
      Bump(server_.counters().frames_too_large);
      spdlog::warn("mllp: connection {} from {}: {}; rejecting it and closing", peer_.connection_id, peer_.address,
                   status.error().message);
      inbox_.push_back({std::string(decoder_.partial_frame()), true});
      read_closed_ = true;
    }
  }

  // Handling, one message at a time, on the workers.

  void StartHandler() {
    handling_ = true;
    if (server_.batches() && !inbox_.front().too_large) {
      // The messages waiting, up to the limit and the first oversize frame, in one call.
      std::vector<std::string> messages;
      const size_t limit = std::max<size_t>(1, options_.max_batch_messages);
      while (!inbox_.empty() && !inbox_.front().too_large && messages.size() < limit) {
        messages.push_back(std::move(inbox_.front().message));
        inbox_.pop_front();
      }
      net::post(server_.workers(), [self = Self(), messages = std::move(messages)] {
        std::vector<std::string> replies = self->server_.HandleBatch(messages, self->peer_);
        net::post(self->stream_.get_executor(),
                  [self, replies = std::move(replies)]() mutable { self->OnHandledAll(std::move(replies)); });
      });
      return;
    }
    net::post(server_.workers(), [self = Self(), item = std::move(inbox_.front())] {
      std::string reply = item.too_large ? self->server_.RejectTooLarge(item.message, self->peer_)
                                         : self->server_.Handle(item.message, self->peer_);
      net::post(self->stream_.get_executor(),
                [self, reply = std::move(reply)]() mutable { self->OnHandled(std::move(reply)); });
    });
    inbox_.pop_front();
  }

  void OnHandledAll(std::vector<std::string> replies) {
    handling_ = false;
    if (closed_) return;
    for (const std::string& reply : replies) {
      if (reply.empty()) continue;
      outbox_.reserve(outbox_.size() + reply.size() + 3);
      outbox_.push_back(kStartBlock);
      outbox_.append(reply);
      outbox_.push_back(kEndBlock);
      outbox_.push_back(kCarriageReturn);
    }
    Pump();
  }

  void OnHandled(std::string reply) {
    handling_ = false;
    if (closed_) return;
    if (!reply.empty()) {
      outbox_.reserve(outbox_.size() + reply.size() + 3);
      outbox_.push_back(kStartBlock);
      outbox_.append(reply);
      outbox_.push_back(kEndBlock);
      outbox_.push_back(kCarriageReturn);
    }
    Pump();
  }

  // Writing: whatever replies have gathered go out in one write.

  void StartWrite() {
    writing_ = true;
    write_started_ = SteadyClock::now();
    write_buffer_.swap(outbox_);
    net::async_write(stream_, net::buffer(write_buffer_), [self = Self()](ErrorCode ec, size_t) { self->OnWrite(ec); });
  }

  void OnWrite(ErrorCode ec) {
    writing_ = false;
    write_buffer_.clear();
    if (closed_) return;
    if (ec) return Close();
    Pump();
  }

  // Deadlines: one timer, re-armed by OnTimer to whatever Deadline() says.

  SteadyClock::time_point Deadline() const {
    if (closing_) return linger_until_;
    if (handshaking_) return handshake_started_ + options_.write_timeout;
    if (writing_) return write_started_ + options_.write_timeout;
    if (handling_ || !inbox_.empty()) return SteadyClock::time_point::max();  // handlers take their time
    return last_read_ + options_.idle_timeout;
  }

  void WaitForDeadline() {
    timer_.expires_at(Deadline());
    timer_.async_wait([self = Self()](ErrorCode) { self->OnTimer(); });
  }

  // Runs when the deadline passes or was moved (the wait is then cancelled).
  void OnTimer() {
    if (closed_) return;
    if (SteadyClock::now() >= Deadline()) {
      if (closing_) return Close();
      if (handshaking_) {
        spdlog::info("mllp: TLS handshake with {} timed out", peer_.address);
        return Close();
      }
      if (writing_) {
        spdlog::warn("mllp: connection {} from {} does not read its ACKs; closing", peer_.connection_id, peer_.address);
        return Close();
      }
      spdlog::debug("mllp: connection {} from {} idle; closing", peer_.connection_id, peer_.address);
      CloseGracefully();
      if (closed_) return;
    }
    WaitForDeadline();
  }

  // Closing: our FIN (or TLS close_notify) after the last reply, then the
  // client's bytes are read and dropped until it closes too or the linger
  // timeout passes, so that the kernel does not answer unread bytes with a
  // reset that could destroy the replies.
  void CloseGracefully() {
    closing_ = true;
    linger_until_ = SteadyClock::now() + kLingerTimeout;
    if (linger_until_ < timer_.expiry()) timer_.expires_at(linger_until_);
    ErrorCode ignored;
    if constexpr (kTls) {
      if (reading_) Socket().cancel(ignored);  // nothing else is pending
      stream_.async_shutdown([self = Self()](ErrorCode) { self->Close(); });
    } else {
      Socket().shutdown(tcp::socket::shutdown_send, ignored);
      if (ignored) return Close();
      if (!reading_) StartRead();
    }
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    ErrorCode ignored;
    Socket().close(ignored);
  }

  ServerCore& server_;
  const MllpServerOptions& options_;
  Stream stream_;
  net::steady_timer timer_;
  const PeerInfo peer_;
  FrameDecoder decoder_;
  std::array<char, kReadChunkBytes> read_buffer_;
  std::vector<std::string> decoded_;  // reused by Decode
  std::deque<Item> inbox_;            // received, not yet handed to the handler
  std::string outbox_;                // framed replies not yet being written
  std::string write_buffer_;          // framed replies being written
  bool handshaking_ = false;
  bool reading_ = false;
  bool handling_ = false;
  bool writing_ = false;
  bool read_closed_ = false;  // end of stream, or a frame over the limit
  bool stopping_ = false;     // server shutdown
  bool closing_ = false;      // our side is closed, lingering
  bool closed_ = false;
  SteadyClock::time_point last_read_;
  SteadyClock::time_point handshake_started_;
  SteadyClock::time_point write_started_;
  SteadyClock::time_point linger_until_;
};

// ---------------------------------------------------------------------------
// ServerCore

ServerCore::ServerCore(MllpServerOptions options, MessageHandler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      acks_(options_.clock != nullptr ? *options_.clock : system_clock_, options_.ack_sender),
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

Status ServerCore::LoadTls() {
  if (options_.tls_cert_file.empty() && options_.tls_key_file.empty()) return Ok();
  if (options_.tls_cert_file.empty() || options_.tls_key_file.empty()) {
    return Error::Invalid("mllp_tls", "MLLP over TLS needs both a certificate file and a key file");
  }
  ssl::context& context = ssl_context_.emplace(ssl::context::tls_server);
  ErrorCode ec;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                          ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                      ec);
  if (!ec) context.use_certificate_chain_file(options_.tls_cert_file, ec);
  if (ec) {
    return Error::Invalid("mllp_tls_cert",
                          fmt::format("cannot use the TLS certificate {}: {}", options_.tls_cert_file, ec.message()));
  }
  context.use_private_key_file(options_.tls_key_file, ssl::context::pem, ec);
  if (ec) {
    return Error::Invalid("mllp_tls_key",
                          fmt::format("cannot use the TLS key {}: {}", options_.tls_key_file, ec.message()));
  }
  tls_ = true;
  return Ok();
}

Status ServerCore::Start() {
  if (started_.exchange(true)) return Error::Internal("MllpServer::Start called twice");
  if (shutting_down()) return Error::Unavailable("the MLLP server was shut down before it started");
  if (!handler_ && !options_.batch_handler) return Error::Internal("the MLLP server has no message handler");
  CD_RETURN_IF_ERROR(LoadTls());

  ErrorCode ec;
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
  for (int i = 0; i < std::max(1, options_.io_threads); ++i) io_threads_.emplace_back([this] { RunIoThread(); });
  return Ok();
}

void ServerCore::RunIoThread() {
  pthread_setname_np(pthread_self(), "cd-mllp");
  for (;;) {
    try {
      io_context_.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("mllp: uncaught exception on an I/O thread: {}", e.what());
    }
  }
}

void ServerCore::Accept() {
  acceptor_.async_accept(net::make_strand(io_context_),
                         [this](ErrorCode ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void ServerCore::OnAccept(ErrorCode ec, tcp::socket socket) {
  if (shutting_down() || ec == net::error::operation_aborted) return;
  if (ec) {
    // Usually out of file descriptors: back off instead of spinning.
    spdlog::warn("mllp: accept failed: {}", ec.message());
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](ErrorCode wait_ec) {
      if (!wait_ec && !shutting_down()) Accept();
    });
    return;
  }
  ErrorCode ignored;
  if (Read(counters_.connections_open) >= options_.max_connections) {
    const uint64_t refused = counters_.connections_refused.fetch_add(1, std::memory_order_relaxed);
    if (refused % kRefusalLogEvery == 0) {
      spdlog::warn("mllp: {} connections open, the limit: refusing new ones ({} refused so far)",
                   options_.max_connections, refused + 1);
    }
    socket.close(ignored);
    return Accept();
  }
  socket.set_option(tcp::no_delay(true), ignored);  // ACKs are small and awaited
  PeerInfo peer;
  if (auto remote = socket.remote_endpoint(ignored); !ignored) {
    peer.address = remote.address().to_string();
    peer.port = remote.port();
  }
  peer.connection_id = ++last_connection_id_;
  peer.tls = ssl_context_.has_value();
  std::shared_ptr<ConnectionBase> connection;
  if (ssl_context_) {
    connection = std::make_shared<Connection<ssl::stream<tcp::socket>>>(*this, std::move(peer), std::move(socket),
                                                                        *ssl_context_);
  } else {
    connection = std::make_shared<Connection<tcp::socket>>(*this, std::move(peer), std::move(socket));
  }
  {
    std::lock_guard lock(mu_);
    connections_.emplace(connection.get(), connection);
  }
  connection->Start();
  Accept();
}

void ServerCore::CountReply(std::string_view reply) {
  const std::string_view code = AckCodeOf(reply);
  if (code == "AA" || code == "CA") {
    Bump(counters_.acks_accept);
  } else if (code == "AE" || code == "CE") {
    Bump(counters_.acks_error);
  } else if (code == "AR" || code == "CR") {
    Bump(counters_.acks_reject);
  } else {
    Bump(counters_.replies_other);
  }
}

std::string ServerCore::Handle(std::string_view message, const PeerInfo& peer) {
  Bump(counters_.messages);
  std::string reply;
  try {
    reply = handler_(message, peer);
  } catch (const std::exception& e) {
    Bump(counters_.handler_failures);
    spdlog::error("mllp: the handler failed on a message of connection {} from {}: {}", peer.connection_id,
                  peer.address, e.what());
    reply = acks_.InternalError(message);
  } catch (...) {
    Bump(counters_.handler_failures);
    spdlog::error("mllp: the handler failed on a message of connection {} from {}", peer.connection_id, peer.address);
    reply = acks_.InternalError(message);
  }
  CountReply(reply);
  return reply;
}

std::vector<std::string> ServerCore::HandleBatch(const std::vector<std::string>& messages, const PeerInfo& peer) {
  Bump(counters_.messages, messages.size());
  std::vector<std::string> replies;
  const char* failure = nullptr;
  std::string what;
  try {
    replies = options_.batch_handler(messages, peer);
    if (replies.size() != messages.size()) failure = "returned the wrong number of replies";
  } catch (const std::exception& e) {
    failure = "threw";
    what = e.what();
  } catch (...) {
    failure = "threw";
  }
  if (failure != nullptr) {
    Bump(counters_.handler_failures);
    spdlog::error("mllp: the handler failed on {} messages of connection {} from {}: it {} {}", messages.size(),
                  peer.connection_id, peer.address, failure, what);
    replies.clear();
    for (const std::string& m : messages) replies.push_back(acks_.InternalError(m));
  }
  for (const std::string& reply : replies) CountReply(reply);
  return replies;
}

std::string ServerCore::RejectTooLarge(std::string_view frame_start, const PeerInfo&) {
  std::string reply = acks_.RejectTooLarge(frame_start, options_.max_frame_bytes);
  CountReply(reply);
  return reply;
}

void ServerCore::Unregister(ConnectionBase* connection) {
  std::lock_guard lock(mu_);
  connections_.erase(connection);
  FinishIfDrained();
}

void ServerCore::FinishIfDrained() {
  if (!shutting_down() || !connections_.empty() || finish_requested_) return;
  finish_requested_ = true;
  net::post(strand_, [this] { FinishShutdown(); });
}

void ServerCore::Shutdown() {
  if (shutting_down_.exchange(true, std::memory_order_acq_rel)) return;
  if (!started_) return;
  net::post(strand_, [this] { BeginShutdown(); });
}

void ServerCore::BeginShutdown() {
  ErrorCode ec;
  acceptor_.close(ec);
  accept_retry_timer_.cancel();

  std::vector<std::shared_ptr<ConnectionBase>> open;
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
  grace_timer_.async_wait([this](ErrorCode wait_ec) {
    if (wait_ec) return;
    {
      std::lock_guard lock(mu_);
      if (finish_requested_) return;
      finish_requested_ = true;
      spdlog::warn("mllp: shutdown grace period over, dropping {} connections", connections_.size());
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
  signals_->async_wait([this](ErrorCode ec, int signal_number) {
    if (ec) return;
    spdlog::info("mllp: signal {} received, shutting down", signal_number);
    Shutdown();
  });
}

MllpStats ServerCore::stats() const {
  return MllpStats{
      .connections_accepted = Read(counters_.connections_accepted),
      .connections_refused = Read(counters_.connections_refused),
      .connections_open = Read(counters_.connections_open),
      .messages = Read(counters_.messages),
      .acks_accept = Read(counters_.acks_accept),
      .acks_error = Read(counters_.acks_error),
      .acks_reject = Read(counters_.acks_reject),
      .replies_other = Read(counters_.replies_other),
      .frames_too_large = Read(counters_.frames_too_large),
      .handler_failures = Read(counters_.handler_failures),
      .stray_bytes = Read(counters_.stray_bytes),
  };
}

}  // namespace

// ---------------------------------------------------------------------------
// MllpServer

class MllpServer::Impl : public ServerCore {
 public:
  using ServerCore::ServerCore;
};

MllpServer::MllpServer(MllpServerOptions options, MessageHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
MllpServer::~MllpServer() = default;
Status MllpServer::Start() { return impl_->Start(); }
uint16_t MllpServer::port() const { return impl_->port(); }
bool MllpServer::tls() const { return impl_->tls(); }
void MllpServer::Shutdown() { impl_->Shutdown(); }
void MllpServer::Wait() { impl_->Wait(); }
void MllpServer::HandleSignals() { impl_->HandleSignals(); }
MllpStats MllpServer::stats() const { return impl_->stats(); }

}  // namespace caredesk::mllp
