#include "mail/testing/smtp_sink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

namespace caredesk::mail::testing {
namespace {

constexpr std::string_view kHostName = "caredesk-smtp-sink";
constexpr size_t kMaxRecipients = 1000;
constexpr size_t kMaxCommandLine = 4096;

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// The valid UTF-8 sequence length at `i` (1..4), or 0.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return length;
}

// Reads CRLF- (or LF-) terminated lines from a socket; gives up when the peer closes, on an error, when the
// line exceeds `limit` or when the sink's wake pipe becomes readable (Stop).
class LineReader {
 public:
  LineReader(int fd, int wake) : fd_(fd), wake_(wake) {}

  // The line without its terminator in `line`, the terminator ("\r\n" or "\n") in `ending`.
  bool Next(std::string& line, std::string_view& ending, size_t limit) {
    while (true) {
      const size_t nl = buffer_.find('\n', start_);
      if (nl != std::string::npos) {
        const bool crlf = nl > start_ && buffer_[nl - 1] == '\r';
        line.assign(buffer_, start_, nl - start_ - (crlf ? 1 : 0));
        ending = crlf ? "\r\n" : "\n";
        start_ = nl + 1;
        return true;
      }
      if (buffer_.size() - start_ > limit) return false;
      if (start_ > 0) {
        buffer_.erase(0, start_);
        start_ = 0;
      }
      pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_, POLLIN, 0}};
      const int ready = poll(fds, 2, -1);
      if (ready < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      if (fds[1].revents != 0) return false;
      char chunk[16384];
      const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
  int wake_;
  std::string buffer_;
  size_t start_ = 0;
};

bool SendAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = send(fd, text.data(), text.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// "FROM:<path> params" after the verb: the path without <> and the parameters; nullopt when malformed.
std::optional<std::pair<std::string, std::string>> ParsePath(std::string_view arg, std::string_view keyword) {
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  if (Upper(arg.substr(0, keyword.size())) != keyword) return std::nullopt;
  arg.remove_prefix(keyword.size());
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  if (arg.empty() || arg.front() != '<') return std::nullopt;
  const size_t close = arg.find('>');
  if (close == std::string_view::npos) return std::nullopt;
  std::string path(arg.substr(1, close - 1));
  if (const size_t colon = path.find(':'); !path.empty() && path.front() == '@' && colon != std::string::npos) {
    path.erase(0, colon + 1);  // an obsolete source route "@a,@b:user@host"
  }
  return std::make_pair(std::move(path), std::string(arg.substr(close + 1)));
}

// The SIZE=n parameter among ESMTP parameters, 0 when absent.
size_t SizeParameter(std::string_view params) {
  const std::string upper = Upper(params);
  const size_t at = upper.find("SIZE=");
  if (at == std::string::npos || (at > 0 && upper[at - 1] != ' ')) return 0;
  size_t size = 0;
  for (size_t i = at + 5; i < upper.size() && upper[i] >= '0' && upper[i] <= '9'; ++i) {
    size = size * 10 + static_cast<size_t>(upper[i] - '0');
    if (size > (size_t{1} << 40)) break;
  }
  return size;
}

}  // namespace

Result<std::unique_ptr<SmtpSink>> SmtpSink::Start(SmtpSinkOptions options) {
  auto fail = [](const char* call) {
    return Error::Unavailable(std::string("smtp sink: ") + call + ": " + std::strerror(errno));
  };
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail("socket");
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(options.port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    Error error = fail("bind/listen");
    close(fd);
    return error;
  }
  int wake[2];
  if (pipe2(wake, O_CLOEXEC) != 0) {
    Error error = fail("pipe2");
    close(fd);
    return error;
  }
  auto sink = std::make_unique<SmtpSink>(std::move(options), fd, wake[0], wake[1], ntohs(address.sin_port));
  sink->acceptor_ = std::thread([raw = sink.get()] { raw->AcceptLoop(); });
  return sink;
}

SmtpSink::SmtpSink(SmtpSinkOptions options, int listen_fd, int wake_read, int wake_write, uint16_t port)
    : options_(std::move(options)),
      listen_fd_(listen_fd),
      wake_read_(wake_read),
      wake_write_(wake_write),
      port_(port),
      rcpt_mode_(options_.rcpt_mode) {}

SmtpSink::~SmtpSink() { Stop(); }

std::string SmtpSink::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

std::vector<ReceivedMail> SmtpSink::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

size_t SmtpSink::message_count() const {
  std::lock_guard lock(mutex_);
  return messages_.size();
}

size_t SmtpSink::connection_count() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

bool SmtpSink::WaitForMessages(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return messages_.size() >= n; });
}

void SmtpSink::Clear() {
  std::lock_guard lock(mutex_);
  messages_.clear();
}

void SmtpSink::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  // The pipe stays readable from now on: the acceptor and every connection's poll wake up and return.
  while (write(wake_write_, "x", 1) < 0 && errno == EINTR) {
  }
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard lock(connections_mutex_);
    for (auto& connection : connection_threads_) {
      if (connection.thread.joinable()) connection.thread.join();
    }
    connection_threads_.clear();
  }
  close(listen_fd_);
  close(wake_read_);
  close(wake_write_);
}

void SmtpSink::ReapFinished() {
  std::lock_guard lock(connections_mutex_);
  for (auto it = connection_threads_.begin(); it != connection_threads_.end();) {
    if (it->done) {
      if (it->thread.joinable()) it->thread.join();
      it = connection_threads_.erase(it);
    } else {
      ++it;
    }
  }
}

void SmtpSink::AcceptLoop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
    const int ready = poll(fds, 2, 1000);
    if (ready < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    ReapFinished();
    if (ready <= 0 || (fds[0].revents & POLLIN) == 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    // A client that stops reading must not block Stop for ever.
    timeval send_timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
    {
      std::lock_guard lock(mutex_);
      ++connections_;
    }
    std::lock_guard lock(connections_mutex_);
    Connection& connection = connection_threads_.emplace_back();
    connection.thread = std::thread([this, fd, &connection] {
      Serve(fd);
      close(fd);
      connection.done = true;
    });
  }
}

void SmtpSink::Deliver(ReceivedMail mail) {
  {
    std::lock_guard lock(callback_mutex_);
    if (options_.on_message) options_.on_message(mail);
  }
  std::lock_guard lock(mutex_);
  messages_.push_back(std::move(mail));
  arrived_.notify_all();
}

void SmtpSink::Serve(int fd) {
  LineReader reader(fd, wake_read_);
  auto reply = [fd](std::string_view text) { return SendAll(fd, std::string(text) + "\r\n"); };
  if (!reply("220 " + std::string(kHostName) + " ESMTP ready")) return;

  bool greeted = false;
  std::optional<std::string> from;
  std::vector<std::string> recipients;
  auto reset = [&] {
    from.reset();
    recipients.clear();
  };

  std::string line;
  std::string_view ending;
  while (reader.Next(line, ending, kMaxCommandLine)) {
    const size_t space = line.find(' ');
    const std::string verb = Upper(line.substr(0, space));
    const std::string_view arg =
        space == std::string::npos ? std::string_view() : std::string_view(line).substr(space + 1);
    bool ok = true;
    if (verb == "EHLO") {
      greeted = true;
      reset();
      ok = reply("250-" + std::string(kHostName) + " greets you\r\n250-8BITMIME\r\n250-SIZE " +
                 std::to_string(options_.max_message_bytes) + "\r\n250 HELP");
    } else if (verb == "HELO") {
      greeted = true;
      reset();
      ok = reply("250 " + std::string(kHostName));
    } else if (verb == "MAIL") {
      auto path = ParsePath(arg, "FROM:");
      if (!greeted) {
        ok = reply("503 5.5.1 send EHLO or HELO first");
      } else if (from) {
        ok = reply("503 5.5.1 nested MAIL command");
      } else if (!path) {
        ok = reply("501 5.5.4 syntax: MAIL FROM:<address>");
      } else if (SizeParameter(path->second) > options_.max_message_bytes) {
        ok = reply("552 5.3.4 message size exceeds fixed maximum message size");
      } else {
        from = path->first;
        ok = reply("250 2.1.0 OK");
      }
    } else if (verb == "RCPT") {
      auto path = ParsePath(arg, "TO:");
      if (!from) {
        ok = reply("503 5.5.1 need MAIL command");
      } else if (!path || path->first.empty()) {
        ok = reply("501 5.5.4 syntax: RCPT TO:<address>");
      } else if (rcpt_mode_ == RcptMode::kTempFail) {
        ok = reply("451 4.3.0 recipient temporarily refused (test sink)");
      } else if (rcpt_mode_ == RcptMode::kReject) {
        ok = reply("550 5.1.1 recipient rejected (test sink)");
      } else if (recipients.size() >= kMaxRecipients) {
        ok = reply("452 4.5.3 too many recipients");
      } else {
        recipients.push_back(path->first);
        ok = reply("250 2.1.5 OK");
      }
    } else if (verb == "DATA") {
      if (!from || recipients.empty()) {
        if (!reply(from ? "554 5.5.1 no valid recipients" : "503 5.5.1 need MAIL command")) return;
        continue;
      }
      if (!reply("354 end data with <CR><LF>.<CR><LF>")) return;
      ReceivedMail mail{*from, recipients, {}, 0};
      bool too_large = false;
      bool ended = false;
      while (reader.Next(line, ending, options_.max_message_bytes + kMaxCommandLine)) {
        if (line == ".") {
          ended = true;
          break;
        }
        std::string_view text = line;
        if (!text.empty() && text.front() == '.') {
          text.remove_prefix(1);
          ++mail.unstuffed_lines;
        }
        if (mail.data.size() + text.size() + ending.size() > options_.max_message_bytes) too_large = true;
        if (!too_large) {
          mail.data.append(text);
          mail.data.append(ending);
        }
      }
      if (!ended) return;
      reset();
      if (too_large) {
        ok = reply("552 5.3.4 message size exceeds fixed maximum message size");
      } else {
        Deliver(std::move(mail));
        ok = reply("250 2.0.0 OK queued");
      }
    } else if (verb == "RSET") {
      reset();
      ok = reply("250 2.0.0 OK");
    } else if (verb == "NOOP") {
      ok = reply("250 2.0.0 OK");
    } else if (verb == "QUIT") {
      reply("221 2.0.0 bye");
      return;
    } else if (verb == "VRFY" || verb == "EXPN" || verb == "HELP" || verb == "STARTTLS" || verb == "AUTH") {
      ok = reply("502 5.5.1 command not implemented");
    } else {
      ok = reply("500 5.5.2 command not recognized");
    }
    if (!ok) return;
  }
}

std::string JsonString(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  out.reserve(s.size() + s.size() / 8 + 2);
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else if (c < 0x80) {
          out += static_cast<char>(c);
        } else if (const size_t n = Utf8SequenceLength(s, i); n == 0) {
          out += "\\ufffd";
        } else {
          out.append(s.substr(i, n));
          i += n;
          continue;
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string ToJsonLine(const ReceivedMail& mail) {
  std::string out = "{\"from\":" + JsonString(mail.from) + ",\"to\":[";
  for (size_t i = 0; i < mail.to.size(); ++i) {
    if (i > 0) out += ',';
    out += JsonString(mail.to[i]);
  }
  out += "],\"data\":" + JsonString(mail.data) + "}";
  return out;
}

}  // namespace caredesk::mail::testing
