// A small blocking MLLP client: one TCP connection to a peer, one message at a time — frame it
// (0x0B … 0x1C 0x0D), write it, read the framed reply (FrameDecoder). Connect, write and read are each
// bounded by a timeout (poll), so a silent peer costs at most that long. The connection is opened on the
// first Send and kept for the next ones; any error closes it, and the next Send connects again.
//
// Thread-compatible: one thread uses a client at a time. POSIX sockets stay in mllp_client.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace caredesk::mllp {

struct MllpClientOptions {
  std::string host;  // an address or a resolvable name
  uint16_t port = 0;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};  // for the whole reply
  size_t max_reply_bytes = 1 << 20;
};

class MllpClient {
 public:
  explicit MllpClient(MllpClientOptions options) : options_(std::move(options)) {}
  ~MllpClient() { Close(); }
  MllpClient(const MllpClient&) = delete;
  MllpClient& operator=(const MllpClient&) = delete;

  // Sends `message` (unframed) and returns the reply (unframed). kUnavailable with a message saying
  // what failed ("connect to host:port: Connection refused", "no reply within 30 s", ...) on any
  // error, after which the connection is closed.
  Result<std::string> Send(std::string_view message);

  bool connected() const { return fd_ >= 0; }
  void Close();
  const MllpClientOptions& options() const { return options_; }

 private:
  Status Connect();
  Error Fail(std::string what);

  MllpClientOptions options_;
  int fd_ = -1;
};

}  // namespace caredesk::mllp
