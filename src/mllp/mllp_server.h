// The HL7 v2 MLLP listener: TCP (optionally TLS) connections carrying framed
// messages (0x0B <message> 0x1C 0x0D), each answered with the framed reply
// its handler returns.
//
// Threads: `io_threads` run the Asio event loop (accepting, TLS, reading,
// writing); every connection lives on its own strand. The handler, which may
// block on a database, runs on a separate pool of `worker_threads`, never on
// an I/O thread.
//
// Order: a connection hands one message at a time to the handler, in the
// order the messages arrived, and writes the replies in that order; a client
// may pipeline messages without waiting for their ACKs. With a batch_handler
// instead, a connection hands it the messages waiting when it is free (up to
// max_batch_messages, in arrival order) in one call; the handler applies them
// in that order, so several of one sender's messages can share the work of
// one (a database transaction) while HL7 ordering holds. Different connections
// run in parallel. While a connection has kMaxQueuedMessages messages waiting
// or more than max_frame_bytes of replies unwritten, it stops reading (the
// client's sends then wait on TCP flow control).
//
// What the listener decides itself:
//   - framing is mllp::FrameDecoder: bytes outside frames are skipped and
//     counted; a frame longer than max_frame_bytes is answered, after the
//     replies to the messages before it, with an AR addressed from whatever
//     of its header arrived (AckFactory::RejectTooLarge), and the connection
//     is closed;
//   - a handler that throws is answered with AE (application internal
//     error) and logged, for every message it was given; an empty reply sends
//     nothing; a batch handler that returns the wrong number of replies counts
//     as one that threw;
//   - idle_timeout: a connection with nothing in progress that receives no
//     byte for this long is closed; a reply that cannot be written within
//     write_timeout (the client does not read) closes the connection;
//   - over max_connections, new connections are closed at once;
//   - TLS when tls_cert_file and tls_key_file are set (PEM; TLS 1.2 or
//     later), with the handshake bounded by write_timeout.
//
// Shutdown: stops accepting; each connection stops reading, lets the messages
// in its handler finish, writes every reply it has and closes. Messages
// received but not yet handed to the handler get no ACK, so their senders
// send them again. After shutdown_grace whatever is left is dropped.
//
// Thread-safety: construct, Start, HandleSignals and Wait from one controlling
// thread. Shutdown, port() and stats() may be called from any thread, any
// number of times, handlers included. Asio stays inside mllp_server.cc.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "mllp/mllp_ack.h"

namespace caredesk::mllp {

// The client a message came from.
struct PeerInfo {
  std::string address;         // the remote IP address, as text
  uint16_t port = 0;           // the remote port
  uint64_t connection_id = 0;  // 1, 2, ... in accept order, per server
  bool tls = false;
};

// Takes one message (the bytes between 0x0B and 0x1C 0x0D) and returns the
// reply (an ACK, unframed: the server frames it); empty = no reply. Runs on a
// worker thread, concurrently for different connections, never twice at once
// for one connection.
using MessageHandler = std::function<std::string(std::string_view message, const PeerInfo& peer)>;

// Takes messages of one connection, in arrival order, and returns one reply for each, in that order
// (MessageHandler's replies). Runs as MessageHandler does; it must apply the messages in order.
using MessageBatchHandler =
    std::function<std::vector<std::string>(const std::vector<std::string>& messages, const PeerInfo& peer)>;

// Messages a connection holds beyond the one in its handler before it stops
// reading.
inline constexpr size_t kMaxQueuedMessages = 64;

struct MllpServerOptions {
  std::string host = "127.0.0.1";  // an address or a resolvable name
  uint16_t port = 2575;            // 0 = pick a free port, see MllpServer::port()
  int io_threads = 1;
  int worker_threads = 8;
  size_t max_frame_bytes = 1 << 20;
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};  // also the TLS handshake
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(10)};
  size_t max_connections = 256;
  // PEM files; TLS is on when both are set.
  std::string tls_cert_file;
  std::string tls_key_file;
  // For the ACKs the server writes itself (see above). nullptr = the system clock.
  const Clock* clock = nullptr;
  AckSender ack_sender;
  // When set, used instead of the MessageHandler (which may then be empty).
  MessageBatchHandler batch_handler;
  size_t max_batch_messages = 16;
};

// Counters since Start; each is read atomically on its own.
struct MllpStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_refused = 0;  // over max_connections
  uint64_t connections_open = 0;
  uint64_t messages = 0;       // handed to the handler
  uint64_t acks_accept = 0;    // replies whose MSA-1 is AA or CA
  uint64_t acks_error = 0;     // AE or CE
  uint64_t acks_reject = 0;    // AR or CR, the server's own included
  uint64_t replies_other = 0;  // no reply, or a reply without an MSA-1 above
  uint64_t frames_too_large = 0;
  uint64_t handler_failures = 0;  // handlers that threw
  uint64_t stray_bytes = 0;       // bytes outside frames, of closed connections
};

class MllpServer {
 public:
  MllpServer(MllpServerOptions options, MessageHandler handler);
  // Shuts down and waits if Start succeeded and Wait was not called.
  ~MllpServer();
  MllpServer(const MllpServer&) = delete;
  MllpServer& operator=(const MllpServer&) = delete;

  // Loads the TLS certificate and key (kInvalidArgument when they cannot be
  // read or only one is given), binds, listens and starts the threads
  // (kUnavailable when the address cannot be bound). Call once.
  Status Start();

  // The bound port (the chosen one when options.port was 0); 0 before Start.
  uint16_t port() const;
  bool tls() const;

  // Graceful stop, returns at once; see above. Wait for the end with Wait.
  void Shutdown();

  // Blocks until a Shutdown has completed and all threads have ended.
  void Wait();

  // Turns SIGTERM and SIGINT into Shutdown (alongside any other listener of
  // those signals in this process, such as the HTTP server's). Call before
  // Wait.
  void HandleSignals();

  MllpStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caredesk::mllp
