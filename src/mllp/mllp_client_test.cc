// MllpClient against a real MllpServer on an ephemeral port, and against plain sockets that misbehave.
#include "mllp/mllp_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "mllp/mllp_server.h"

namespace caredesk::mllp {
namespace {

// A listening socket on 127.0.0.1 that accepts nothing and never answers.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    ::listen(fd_, 4);
    socklen_t len = sizeof(a);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

TEST(MllpClient, SendsFramedAndReadsTheReplyOnOneKeptConnection) {
  std::atomic<int> seen{0};
  MllpServerOptions o;
  o.port = 0;
  o.worker_threads = 1;
  MllpServer server(o, [&](std::string_view message, const PeerInfo&) {
    ++seen;
    return "MSA|AA|" + std::string(message.substr(0, 3));
  });
  ASSERT_TRUE(server.Start().ok());
  MllpClient client(MllpClientOptions{"127.0.0.1", server.port()});
  auto first = client.Send("one");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, "MSA|AA|one");
  auto second = client.Send("two");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(*second, "MSA|AA|two");
  EXPECT_EQ(seen.load(), 2);
  EXPECT_EQ(server.stats().connections_accepted, 1u);
  server.Shutdown();
  server.Wait();
}

TEST(MllpClient, ConnectionRefusedSaysWhere) {
  uint16_t port = 0;
  {
    SilentListener l;  // a port that was free a moment ago and is closed now
    port = l.port();
  }
  MllpClient client(MllpClientOptions{"127.0.0.1", port});
  auto r = client.Send("x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << r.error().message;
  EXPECT_FALSE(client.connected());
}

TEST(MllpClient, NoReplyEndsAtTheReadTimeout) {
  SilentListener l;
  MllpClientOptions o{"127.0.0.1", l.port()};
  o.read_timeout = std::chrono::milliseconds(50);
  MllpClient client(o);
  auto r = client.Send("x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no reply within 50 ms"), std::string::npos) << r.error().message;
  EXPECT_FALSE(client.connected());
}

}  // namespace
}  // namespace caredesk::mllp
