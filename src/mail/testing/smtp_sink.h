// A test SMTP server on 127.0.0.1 that keeps what it receives: for the mail
// unit tests and, through the caredesk_smtp_sink executable, for the HTTP and
// browser tests. It speaks an RFC 5321 subset: greeting 220, EHLO (advertising
// 8BITMIME and SIZE) and HELO, MAIL FROM (SIZE= honoured), RCPT TO, DATA with
// dot-unstuffing, RSET, NOOP, QUIT; anything else is answered 500 or 502. No
// TLS, no AUTH. A mode answers 451 or 550 to every RCPT TO, to test failures.
//
// A message counts as received once DATA ends with "."; it is stored (and the
// callback has run) before the 250 reply, so a client that saw success can
// look for it at once. Each connection is served on its own thread.
//
// Thread-safe: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/status.h"

namespace caredesk::mail::testing {

struct ReceivedMail {
  std::string from;             // the MAIL FROM reverse-path without <>
  std::vector<std::string> to;  // the accepted RCPT TO forward-paths without <>, in order
  std::string data;             // the message as sent: after dot-unstuffing, without the final ".", with the line
                                // ends as received (so it ends with CRLF for a correct client)
  size_t unstuffed_lines = 0;   // DATA lines that began with ".." and lost their first dot
};

enum class RcptMode {
  kAccept,    // 250 to every well-formed RCPT TO
  kTempFail,  // 451 4.3.0 to every RCPT TO
  kReject,    // 550 5.1.1 to every RCPT TO
};

struct SmtpSinkOptions {
  uint16_t port = 0;  // 0 = an ephemeral port
  RcptMode rcpt_mode = RcptMode::kAccept;
  size_t max_message_bytes = 10 * 1024 * 1024;  // advertised as SIZE; larger messages get 552
  // Runs for every received message, one at a time (serialised), before the 250 reply to DATA.
  std::function<void(const ReceivedMail&)> on_message;
};

class SmtpSink {
 public:
  // Listens on 127.0.0.1; Error::Unavailable naming the failing call when the socket cannot be set up.
  static Result<std::unique_ptr<SmtpSink>> Start(SmtpSinkOptions options = {});
  ~SmtpSink();  // Stop()
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const;  // "smtp://127.0.0.1:PORT"

  void set_rcpt_mode(RcptMode mode) { rcpt_mode_ = mode; }

  std::vector<ReceivedMail> messages() const;
  size_t message_count() const;
  size_t connection_count() const;  // connections accepted so far
  // True once at least `n` messages have been received; false when `timeout` passes first.
  bool WaitForMessages(size_t n, std::chrono::milliseconds timeout) const;
  void Clear();  // forgets the received messages

  // Closes the listening socket and every connection and joins the threads. Idempotent.
  void Stop();

  SmtpSink(SmtpSinkOptions options, int listen_fd, int wake_read, int wake_write, uint16_t port);  // use Start()

 private:
  struct Connection {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void AcceptLoop();
  void Serve(int fd);
  void ReapFinished();
  void Deliver(ReceivedMail mail);

  const SmtpSinkOptions options_;
  const int listen_fd_;
  const int wake_read_;
  const int wake_write_;
  const uint16_t port_;
  std::atomic<RcptMode> rcpt_mode_;

  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<ReceivedMail> messages_;
  size_t connections_ = 0;
  bool stopped_ = false;

  std::mutex callback_mutex_;
  std::mutex connections_mutex_;
  std::list<Connection> connection_threads_;
  std::thread acceptor_;
};

// `s` as a JSON string literal with its quotes: '"', '\\' and control characters escaped (\n, \r, \t, \b, \f or
// \u00XX); valid UTF-8 kept; each byte of an invalid UTF-8 sequence becomes U+FFFD.
std::string JsonString(std::string_view s);

// {"from":"...","to":["...",...],"data":"..."} without a line break; what caredesk_smtp_sink writes per message.
std::string ToJsonLine(const ReceivedMail& mail);

}  // namespace caredesk::mail::testing
