#include "mllp/mllp_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "mllp/mllp_framing.h"

namespace caredesk::mllp {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, at least 0.
int Remaining(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

std::string Seconds(std::chrono::milliseconds d) {
  auto ms = d.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace

void MllpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Error MllpClient::Fail(std::string what) {
  Close();
  return Error::Unavailable(std::move(what));
}

Status MllpClient::Connect() {
  std::string where = options_.host + ":" + std::to_string(options_.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(options_.host.c_str(), std::to_string(options_.port).c_str(), &hints, &found);
  if (rc != 0) return Error::Unavailable("cannot resolve " + options_.host + ": " + ::gai_strerror(rc));
  std::string last = "no address";
  auto deadline = SteadyClock::now() + options_.connect_timeout;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) {
      last = std::strerror(errno);
      continue;
    }
    int err = 0;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        err = errno;
      } else {
        pollfd p{fd, POLLOUT, 0};
        int n = ::poll(&p, 1, Remaining(deadline));
        if (n == 0) {
          ::close(fd);
          ::freeaddrinfo(found);
          return Error::Unavailable("connect to " + where + ": no answer within " +
                                    Seconds(options_.connect_timeout));
        }
        socklen_t len = sizeof(err);
        if (n < 0) err = errno;
        else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      }
    }
    if (err != 0) {
      last = std::strerror(err);
      ::close(fd);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    fd_ = fd;
    ::freeaddrinfo(found);
    return Ok();
  }
  ::freeaddrinfo(found);
  return Error::Unavailable("connect to " + where + ": " + last);
}

Result<std::string> MllpClient::Send(std::string_view message) {
  bool reused = fd_ >= 0;
  if (reused) {
    // A kept connection the peer has closed meanwhile reads as end of file (or has stray bytes): start afresh.
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) Close();
  }
  if (fd_ < 0) CD_RETURN_IF_ERROR(Connect());
  std::string frame = Frame(message);
  auto deadline = SteadyClock::now() + options_.write_timeout;
  size_t written = 0;
  while (written < frame.size()) {
    ssize_t n = ::send(fd_, frame.data() + written, frame.size() - written, MSG_NOSIGNAL);
    if (n > 0) {
      written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      int r = ::poll(&p, 1, Remaining(deadline));
      if (r == 0) return Fail("write: the peer did not take the message within " + Seconds(options_.write_timeout));
      if (r < 0 && errno != EINTR) return Fail(std::string("write: ") + std::strerror(errno));
      continue;
    }
    return Fail(std::string("write: ") + std::strerror(errno));
  }
  FrameDecoder decoder(options_.max_reply_bytes);
  std::vector<std::string> replies;
  deadline = SteadyClock::now() + options_.read_timeout;
  std::vector<char> buffer(16 * 1024);
  while (replies.empty()) {
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, Remaining(deadline));
    if (r == 0) return Fail("no reply within " + Seconds(options_.read_timeout));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Fail(std::string("read: ") + std::strerror(errno));
    }
    ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n == 0) return Fail("the peer closed the connection without a reply");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return Fail(std::string("read: ") + std::strerror(errno));
    }
    auto st = decoder.Feed(std::string_view(buffer.data(), static_cast<size_t>(n)), replies);
    if (!st.ok()) return Fail("the reply is larger than " + std::to_string(options_.max_reply_bytes) + " bytes");
  }
  if (replies.size() > 1 || decoder.in_frame()) {
    // More than one reply to one message: the stream cannot be trusted to pair the next ones.
    Close();
  }
  return std::move(replies.front());
}

}  // namespace caredesk::mllp
