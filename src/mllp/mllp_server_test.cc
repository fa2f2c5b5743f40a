// Drives a real MllpServer on an ephemeral port of 127.0.0.1 with blocking
// POSIX socket clients (and an OpenSSL client for TLS). Every client read
// has a deadline, so a server bug fails a test instead of hanging it.
#include "mllp/mllp_server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>

#include "domain/hl7v2/hl7v2_message.h"
#include "mllp/mllp_framing.h"

namespace caredesk::mllp {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kDeadline = std::chrono::seconds(10);

std::string Adt(std::string_view control_id) {
  return fmt::format(
      "MSH|^~\\&|SENDAPP|SENDFAC|CAREDESK|CLINIC|20250310165900||ADT^A01^ADT_A01|{}|P|2.5\r"
      "EVN|A01|20250310165900\r"
      "PID|1||123^^^MRN||Doe^John\r",
      control_id);
}

// MSA-1 and MSA-2 of an ACK, or "unparsable".
std::pair<std::string, std::string> Msa(const std::string& ack) {
  auto parsed = hl7v2::ParseMessage(ack);
  if (!parsed.ok()) return {"unparsable: " + parsed.error().message, ack};
  return {parsed->Get("MSA", 1), parsed->Get("MSA", 2)};
}

// A blocking client on 127.0.0.1. Reads wait at most until their deadline.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval send_timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // The next `count` messages the server sends (fewer when it closes or the
  // deadline passes first).
  std::vector<std::string> Read(size_t count, milliseconds timeout = kDeadline) {
    const auto deadline = SteadyClock::now() + timeout;
    while (frames_.size() < count && !eof_ && ReadSome(deadline)) {
    }
    std::vector<std::string> out;
    while (!frames_.empty() && out.size() < count) {
      out.push_back(std::move(frames_.front()));
      frames_.pop_front();
    }
    return out;
  }

  // True when the server closes the connection within `timeout` (whatever it
  // sends meanwhile is kept for Read).
  bool WaitClosed(milliseconds timeout = kDeadline) {
    const auto deadline = SteadyClock::now() + timeout;
    while (!eof_ && ReadSome(deadline)) {
    }
    return eof_;
  }

  size_t raw_bytes() const { return raw_bytes_; }
  const std::string& first_bytes() const { return first_bytes_; }

 private:
  bool ReadSome(SteadyClock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char buffer[16384];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) {
      eof_ = true;  // closed or reset
      return false;
    }
    if (first_bytes_.size() < 16) first_bytes_.append(buffer, std::min<size_t>(static_cast<size_t>(n), 16));
    raw_bytes_ += static_cast<size_t>(n);
    std::vector<std::string> got;
    EXPECT_TRUE(decoder_.Feed(std::string_view(buffer, static_cast<size_t>(n)), got).ok());
    for (auto& g : got) frames_.push_back(std::move(g));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  FrameDecoder decoder_{16 << 20};
  std::deque<std::string> frames_;
  size_t raw_bytes_ = 0;
  std::string first_bytes_;
};

class MllpServerTest : public ::testing::Test {
 protected:
  MllpServerOptions Options() {
    MllpServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.worker_threads = 4;
    options.clock = &clock_;
    options.ack_sender = sender_;
    return options;
  }

  // The default handler of `caredesk serve --mllp`: parse and acknowledge.
  MessageHandler Acknowledge() {
    return [this](std::string_view message, const PeerInfo&) { return acks_.AcknowledgeParsed(message); };
  }

  MllpServer& Start(MllpServerOptions options, MessageHandler handler) {
    server_ = std::make_unique<MllpServer>(std::move(options), std::move(handler));
    const Status started = server_->Start();
    EXPECT_TRUE(started.ok()) << started.error().message;
    return *server_;
  }

  FakeClock clock_{TimePoint{std::chrono::milliseconds(1741626000000)}};
  AckSender sender_{{"CAREDESK", "", ""}, {"CLINIC", "", ""}};
  AckFactory acks_{clock_, sender_};
  std::unique_ptr<MllpServer> server_;
};

TEST_F(MllpServerTest, OneMessageGetsAFramedAckEchoingMsh10) {
  PeerInfo seen;
  std::mutex mu;
  MllpServer& server = Start(Options(), [&](std::string_view message, const PeerInfo& peer) {
    std::lock_guard lock(mu);
    seen = peer;
    return acks_.AcknowledgeParsed(message);
  });
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(Frame(Adt("MSG-0001"))));
  const auto acks = client.Read(1);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(client.first_bytes().front(), kStartBlock);
  EXPECT_EQ(client.raw_bytes(), acks[0].size() + 3);  // 0x0B, the ACK, 0x1C 0x0D and nothing else
  EXPECT_EQ(Msa(acks[0]), std::make_pair(std::string("AA"), std::string("MSG-0001")));
  std::lock_guard lock(mu);
  EXPECT_EQ(seen.address, "127.0.0.1");
  EXPECT_EQ(seen.connection_id, 1u);
  EXPECT_NE(seen.port, 0);
  EXPECT_FALSE(seen.tls);
  EXPECT_EQ(server.stats().acks_accept, 1u);
  EXPECT_EQ(server.stats().messages, 1u);
}

TEST_F(MllpServerTest, AMessageInManyTinyWritesIsOneMessage) {
  MllpServer& server = Start(Options(), Acknowledge());
  Client client(server.port());
  // Noise before the frame, then the frame a few bytes at a time.
  const std::string stream = "\r\nnoise" + Frame(Adt("TINY-1")) + Frame(Adt("TINY-2"));
  std::mt19937 rng(11);
  for (size_t i = 0; i < stream.size();) {
    const size_t n = std::uniform_int_distribution<size_t>(1, 3)(rng);
    ASSERT_TRUE(client.Send(std::string_view(stream).substr(i, n)));
    i += n;
    if (i % 16 < 3) std::this_thread::sleep_for(milliseconds(1));  // let the server see the pieces apart
  }
  const auto acks = client.Read(2);
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(Msa(acks[0]).second, "TINY-1");
  EXPECT_EQ(Msa(acks[1]).second, "TINY-2");
  EXPECT_EQ(Msa(acks[1]).first, "AA");
  EXPECT_TRUE(client.Read(1, milliseconds(100)).empty());  // nothing for the noise
  server_->Shutdown();
  server_->Wait();
  EXPECT_EQ(server.stats().stray_bytes, 7u);
}

// A handler that takes a random while, so that messages handled in parallel
// would come back out of order.
std::string SlowAck(AckFactory& acks, std::string_view message) {
  thread_local std::mt19937 rng(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 2000)(rng)));
  return acks.AcknowledgeParsed(message);
}

TEST_F(MllpServerTest, PipelinedMessagesAreAckedInOrder) {
  MllpServer& server =
      Start(Options(), [this](std::string_view message, const PeerInfo&) { return SlowAck(acks_, message); });
  Client client(server.port());
  std::string burst;
  for (int i = 0; i < 30; ++i) burst += Frame(Adt(fmt::format("P-{}", i)));
  ASSERT_TRUE(client.Send(burst));
  const auto acks = client.Read(30);
  ASSERT_EQ(acks.size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(Msa(acks[i]), std::make_pair(std::string("AA"), fmt::format("P-{}", i)));
}

// With a batch handler, the messages waiting on a connection are handed on together (up to the
// limit), in arrival order, and their replies go out in that order; a handler that throws or
// returns the wrong number of replies gets every message of its call answered AE.
TEST_F(MllpServerTest, ABatchHandlerGetsAConnectionsWaitingMessagesTogetherInOrder) {
  std::mutex mu;
  std::vector<size_t> sizes;
  std::vector<std::string> order;
  MllpServerOptions options = Options();
  options.max_batch_messages = 8;
  options.batch_handler = [&](const std::vector<std::string>& messages, const PeerInfo&) {
    std::this_thread::sleep_for(milliseconds(20));  // let the rest of the burst arrive and wait
    std::vector<std::string> replies;
    std::lock_guard lock(mu);
    sizes.push_back(messages.size());
    for (const std::string& m : messages) {
      const std::string control = hl7v2::SalvageHeader(m).control_id;
      order.push_back(control);
      if (control == "THROW") throw std::runtime_error("boom");
      replies.push_back(control == "SHORT" ? std::string() : acks_.AcknowledgeParsed(m));
    }
    if (std::find(order.end() - static_cast<long>(messages.size()), order.end(), "SHORT") != order.end()) {
      replies.pop_back();  // one reply too few
    }
    return replies;
  };
  MllpServer& server = Start(std::move(options), MessageHandler{});
  Client client(server.port());
  std::string burst;
  for (int i = 0; i < 30; ++i) burst += Frame(Adt(fmt::format("B-{}", i)));
  ASSERT_TRUE(client.Send(burst));
  const auto acks = client.Read(30);
  ASSERT_EQ(acks.size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(Msa(acks[i]), std::make_pair(std::string("AA"), fmt::format("B-{}", i)));
  {
    std::lock_guard lock(mu);
    ASSERT_EQ(order.size(), 30u);
    for (int i = 0; i < 30; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], fmt::format("B-{}", i));
    EXPECT_LT(sizes.size(), 30u) << "the waiting messages were handed on one at a time";
    for (size_t n : sizes) EXPECT_LE(n, 8u);
  }
  EXPECT_EQ(server.stats().messages, 30u);

  ASSERT_TRUE(client.Send(Frame(Adt("THROW"))));
  auto failed = client.Read(1);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(Msa(failed[0]), std::make_pair(std::string("AE"), std::string("THROW")));
  ASSERT_TRUE(client.Send(Frame(Adt("SHORT"))));
  failed = client.Read(1);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(Msa(failed[0]), std::make_pair(std::string("AE"), std::string("SHORT")));
  EXPECT_EQ(server.stats().handler_failures, 2u);
}

TEST_F(MllpServerTest, ConcurrentConnectionsEachGetTheirAcksInOrder) {
  constexpr int kConnections = 20;
  constexpr int kMessages = 50;
  std::mutex mu;
  std::map<uint64_t, int> in_handler;  // per connection
  int running = 0;
  int most_running = 0;
  bool overlapped_on_one_connection = false;
  MllpServerOptions options = Options();
  options.worker_threads = 8;
  MllpServer& server = Start(options, [&](std::string_view message, const PeerInfo& peer) {
    {
      std::lock_guard lock(mu);
      if (++in_handler[peer.connection_id] > 1) overlapped_on_one_connection = true;
      most_running = std::max(most_running, ++running);
    }
    std::string reply = SlowAck(acks_, message);
    std::lock_guard lock(mu);
    --in_handler[peer.connection_id];
    --running;
    return reply;
  });

  std::vector<std::string> failures(kConnections);
  std::vector<std::thread> clients;
  for (int c = 0; c < kConnections; ++c) {
    clients.emplace_back([&, c] {
      Client client(server.port());
      if (!client.connected()) {
        failures[c] = "cannot connect";
        return;
      }
      // Pipelined in windows of 10, as a sender with a window would.
      for (int first = 0; first < kMessages; first += 10) {
        std::string window;
        for (int i = first; i < first + 10; ++i) window += Frame(Adt(fmt::format("C{}-M{}", c, i)));
        if (!client.Send(window)) {
          failures[c] = "send failed";
          return;
        }
        const auto acks = client.Read(10);
        for (int i = 0; i < 10; ++i) {
          const auto msa =
              i < static_cast<int>(acks.size()) ? Msa(acks[i]) : std::make_pair(std::string("missing"), std::string());
          if (msa != std::make_pair(std::string("AA"), fmt::format("C{}-M{}", c, first + i))) {
            failures[c] = fmt::format("message {}: {} {}", first + i, msa.first, msa.second);
            return;
          }
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  for (int c = 0; c < kConnections; ++c) EXPECT_EQ(failures[c], "") << "connection " << c;
  EXPECT_FALSE(overlapped_on_one_connection);
  EXPECT_GT(most_running, 1);  // connections do run in parallel
  EXPECT_EQ(server.stats().acks_accept, static_cast<uint64_t>(kConnections * kMessages));
  EXPECT_EQ(server.stats().connections_accepted, static_cast<uint64_t>(kConnections));
}

TEST_F(MllpServerTest, AMalformedMessageGetsAnErrorAckWithErr) {
  MllpServer& server = Start(Options(), Acknowledge());
  Client client(server.port());
  std::string unsupported = Adt("BAD-1");
  unsupported.replace(unsupported.find("|P|2.5"), 6, "|P|7.1");
  const std::string bad_segment = Adt("BAD-2") + "pid|x\r";
  ASSERT_TRUE(client.Send(Frame(unsupported) + Frame(bad_segment) + Frame("not HL7 at all") + Frame(Adt("OK-3"))));
  const auto acks = client.Read(4);
  ASSERT_EQ(acks.size(), 4u);
  EXPECT_EQ(Msa(acks[0]), std::make_pair(std::string("AR"), std::string("BAD-1")));
  EXPECT_EQ(Msa(acks[1]), std::make_pair(std::string("AE"), std::string("BAD-2")));
  EXPECT_EQ(Msa(acks[2]).second, "");
  EXPECT_NE(Msa(acks[2]).first, "AA");
  for (int i = 0; i < 3; ++i) EXPECT_NE(acks[i].find("\rERR|"), std::string::npos) << acks[i];
  EXPECT_EQ(Msa(acks[3]), std::make_pair(std::string("AA"), std::string("OK-3")));  // the connection goes on
  EXPECT_EQ(server.stats().acks_reject + server.stats().acks_error, 3u);
}

TEST_F(MllpServerTest, AnOversizeFrameIsRejectedThenTheConnectionCloses) {
  MllpServerOptions options = Options();
  options.max_frame_bytes = 4096;
  MllpServer& server = Start(options, Acknowledge());
  Client client(server.port());
  // A good message first: its ACK comes before the rejection.
  const std::string huge = Adt("BIG-1") + "NTE|1||" + std::string(64 * 1024, 'x');
  ASSERT_TRUE(client.Send(Frame(Adt("SMALL-1")) + "\x0b" + huge));  // the big frame never even ends
  const auto acks = client.Read(2);
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(Msa(acks[0]), std::make_pair(std::string("AA"), std::string("SMALL-1")));
  EXPECT_EQ(Msa(acks[1]), std::make_pair(std::string("AR"), std::string("BIG-1")));
  EXPECT_NE(acks[1].find("4096 bytes"), std::string::npos) << acks[1];
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(server.stats().frames_too_large, 1u);
}

TEST_F(MllpServerTest, AnIdleConnectionIsClosed) {
  MllpServerOptions options = Options();
  options.idle_timeout = milliseconds(300);
  MllpServer& server = Start(options, Acknowledge());
  Client idle(server.port());
  Client busy(server.port());
  const auto start = SteadyClock::now();
  // The busy one keeps talking past the idle timeout and stays open.
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(busy.Send(Frame(Adt(fmt::format("B{}", i)))));
    ASSERT_EQ(busy.Read(1).size(), 1u);
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_TRUE(idle.WaitClosed(milliseconds(3000)));
  EXPECT_GE(SteadyClock::now() - start, milliseconds(250));
  ASSERT_TRUE(busy.Send(Frame(Adt("B-last"))));
  EXPECT_EQ(busy.Read(1).size(), 1u);
  EXPECT_TRUE(busy.WaitClosed(milliseconds(3000)));  // and is closed once it is quiet
}

TEST_F(MllpServerTest, StopLetsTheMessageInItsHandlerFinish) {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool release = false;
  MllpServer& server = Start(Options(), [&](std::string_view message, const PeerInfo&) {
    std::unique_lock lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return acks_.AcknowledgeParsed(message);
  });
  Client client(server.port());
  ASSERT_TRUE(client.Send(Frame(Adt("SLOW-1")) + Frame(Adt("QUEUED-2"))));
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kDeadline, [&] { return entered; }));
  }
  server.Shutdown();
  // Still working: no ACK yet, the connection open.
  EXPECT_TRUE(client.Read(1, milliseconds(200)).empty());
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  const auto acks = client.Read(2);
  ASSERT_EQ(acks.size(), 1u);  // the queued message is not started, so not ACKed: its sender sends it again
  EXPECT_EQ(Msa(acks[0]), std::make_pair(std::string("AA"), std::string("SLOW-1")));
  EXPECT_TRUE(client.WaitClosed());
  server.Wait();
  EXPECT_EQ(server.stats().messages, 1u);
  Client late(server.port());
  EXPECT_FALSE(late.connected());
}

TEST_F(MllpServerTest, AHandlerThatThrowsIsAnsweredWithAe) {
  MllpServer& server = Start(Options(), [this](std::string_view message, const PeerInfo&) -> std::string {
    if (message.find("BOOM") != std::string_view::npos) throw std::runtime_error("database gone");
    return acks_.AcknowledgeParsed(message);
  });
  Client client(server.port());
  ASSERT_TRUE(client.Send(Frame(Adt("BOOM")) + Frame(Adt("FINE"))));
  const auto acks = client.Read(2);
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(Msa(acks[0]), std::make_pair(std::string("AE"), std::string("BOOM")));
  EXPECT_EQ(Msa(acks[1]), std::make_pair(std::string("AA"), std::string("FINE")));
  EXPECT_EQ(server.stats().handler_failures, 1u);
}

TEST_F(MllpServerTest, ConnectionsOverTheLimitAreClosedAtOnce) {
  MllpServerOptions options = Options();
  options.max_connections = 2;
  MllpServer& server = Start(options, Acknowledge());
  Client a(server.port());
  Client b(server.port());
  for (Client* c : {&a, &b}) {
    ASSERT_TRUE(c->Send(Frame(Adt("HELLO"))));
    ASSERT_EQ(c->Read(1).size(), 1u);
  }
  Client refused(server.port());
  EXPECT_TRUE(refused.WaitClosed(milliseconds(2000)));
  EXPECT_EQ(server.stats().connections_refused, 1u);
  ASSERT_TRUE(a.Send(Frame(Adt("STILL-HERE"))));
  EXPECT_EQ(a.Read(1).size(), 1u);
}

TEST_F(MllpServerTest, RandomBytesNeverBreakTheServer) {
  MllpServerOptions options = Options();
  options.max_frame_bytes = 1 << 20;
  MllpServer& server = Start(options, Acknowledge());
  std::mt19937 rng(2024);
  for (int round = 0; round < 20; ++round) {
    Client client(server.port());
    ASSERT_TRUE(client.connected());
    std::string noise(std::uniform_int_distribution<size_t>(1, 20000)(rng), '\0');
    for (char& ch : noise) {
      const int pick = std::uniform_int_distribution<int>(0, 99)(rng);
      ch = pick < 3   ? kStartBlock
           : pick < 6 ? kEndBlock
           : pick < 9 ? kCarriageReturn
                      : static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
      if (pick == 50) ch = '|';
    }
    if (round % 2 == 0) noise.insert(std::min(noise.size(), size_t{5}), "\x0bMSH|^~\\&|");
    for (size_t i = 0; i < noise.size();) {
      const size_t n = std::uniform_int_distribution<size_t>(1, 4000)(rng);
      ASSERT_TRUE(client.Send(std::string_view(noise).substr(i, n)));
      i += n;
    }
    // A good message after the noise is still answered, last.
    ASSERT_TRUE(client.Send(Frame(Adt(fmt::format("AFTER-{}", round)))));
    std::vector<std::string> acks;
    for (;;) {
      auto more = client.Read(1);
      if (more.empty()) break;
      acks.push_back(std::move(more[0]));
      if (Msa(acks.back()).second == fmt::format("AFTER-{}", round)) break;
    }
    ASSERT_FALSE(acks.empty()) << "round " << round;
    EXPECT_EQ(Msa(acks.back()), std::make_pair(std::string("AA"), fmt::format("AFTER-{}", round)));
    for (const auto& ack : acks) EXPECT_FALSE(Msa(ack).first.starts_with("unparsable")) << ack;
  }
  EXPECT_EQ(server.stats().frames_too_large, 0u);
}

TEST_F(MllpServerTest, StartFailsOnATakenPortAndOnHalfATlsConfiguration) {
  MllpServer& first = Start(Options(), Acknowledge());
  MllpServerOptions same = Options();
  same.port = first.port();
  MllpServer second(same, Acknowledge());
  EXPECT_EQ(second.Start().error().code, ErrorCode::kUnavailable);
  MllpServerOptions half = Options();
  half.tls_cert_file = "/nonexistent/cert.pem";
  MllpServer third(half, Acknowledge());
  EXPECT_EQ(third.Start().error().code, ErrorCode::kInvalidArgument);
  half.tls_key_file = "/nonexistent/key.pem";
  MllpServer fourth(half, Acknowledge());
  EXPECT_EQ(fourth.Start().error().code, ErrorCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------
// TLS

// A self-signed certificate for 127.0.0.1 made by the openssl command line,
// or empty when it is not there.
struct TestCertificate {
  std::filesystem::path dir;
  std::filesystem::path cert;
  std::filesystem::path key;
};

std::optional<TestCertificate> MakeCertificate() {
  if (std::system("openssl version > /dev/null 2>&1") != 0) return std::nullopt;
  TestCertificate c;
  c.dir = std::filesystem::temp_directory_path() / fmt::format("caredesk-mllp-tls-{}", ::getpid());
  std::filesystem::create_directories(c.dir);
  c.cert = c.dir / "cert.pem";
  c.key = c.dir / "key.pem";
  const std::string command = fmt::format(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout {} -out {} > /dev/null 2>&1",
      c.key.string(), c.cert.string());
  if (std::system(command.c_str()) != 0) return std::nullopt;
  return c;
}

// A blocking TLS client that trusts only `ca_file` and checks the address.
class TlsClient {
 public:
  TlsClient(uint16_t port, const std::string& ca_file) : tcp_(port) {
    timeval timeout{10, 0};
    ::setsockopt(tcp_.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1) return;
    ssl_ = SSL_new(ctx_);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
    SSL_set_fd(ssl_, tcp_.fd());
    handshake_ok_ = SSL_connect(ssl_) == 1;
  }
  ~TlsClient() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    SSL_CTX_free(ctx_);
  }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  bool handshake_ok() const { return handshake_ok_; }

  bool Send(std::string_view bytes) {
    return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size());
  }

  std::vector<std::string> Read(size_t count) {
    std::vector<std::string> out;
    while (out.size() < count) {
      char buffer[4096];
      const int n = SSL_read(ssl_, buffer, sizeof buffer);
      if (n <= 0) break;
      EXPECT_TRUE(decoder_.Feed(std::string_view(buffer, static_cast<size_t>(n)), out).ok());
    }
    return out;
  }

  // True when the server ends the TLS session with close_notify.
  bool ReadCloseNotify() {
    char buffer[256];
    const int n = SSL_read(ssl_, buffer, sizeof buffer);
    return n <= 0 && SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN;
  }

 private:
  Client tcp_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  bool handshake_ok_ = false;
  FrameDecoder decoder_{16 << 20};
};

TEST_F(MllpServerTest, TlsRoundTrip) {
  const auto certificate = MakeCertificate();
  if (!certificate) GTEST_SKIP() << "the openssl command line is not installed: cannot make a test certificate";
  MllpServerOptions options = Options();
  options.tls_cert_file = certificate->cert.string();
  options.tls_key_file = certificate->key.string();
  std::atomic<bool> saw_tls{false};
  MllpServer& server = Start(options, [&](std::string_view message, const PeerInfo& peer) {
    saw_tls = peer.tls;
    return acks_.AcknowledgeParsed(message);
  });
  EXPECT_TRUE(server.tls());
  {
    TlsClient client(server.port(), certificate->cert.string());
    ASSERT_TRUE(client.handshake_ok()) << ERR_error_string(ERR_get_error(), nullptr);
    ASSERT_TRUE(client.Send(Frame(Adt("TLS-1")) + Frame(Adt("TLS-2"))));
    const auto acks = client.Read(2);
    ASSERT_EQ(acks.size(), 2u);
    EXPECT_EQ(Msa(acks[0]), std::make_pair(std::string("AA"), std::string("TLS-1")));
    EXPECT_EQ(Msa(acks[1]), std::make_pair(std::string("AA"), std::string("TLS-2")));
    EXPECT_TRUE(saw_tls);
    // A graceful stop ends the session properly.
    server.Shutdown();
    EXPECT_TRUE(client.ReadCloseNotify());
  }
  server.Wait();
  std::filesystem::remove_all(certificate->dir);
}

TEST_F(MllpServerTest, PlainBytesToATlsListenerGetNoAnswer) {
  const auto certificate = MakeCertificate();
  if (!certificate) GTEST_SKIP() << "the openssl command line is not installed: cannot make a test certificate";
  MllpServerOptions options = Options();
  options.tls_cert_file = certificate->cert.string();
  options.tls_key_file = certificate->key.string();
  MllpServer& server = Start(options, Acknowledge());
  Client plain(server.port());
  ASSERT_TRUE(plain.Send(Frame(Adt("PLAIN-1"))));
  EXPECT_TRUE(plain.WaitClosed());
  EXPECT_TRUE(plain.Read(1).empty());
  EXPECT_EQ(server.stats().messages, 0u);
  std::filesystem::remove_all(certificate->dir);
}

}  // namespace
}  // namespace caredesk::mllp
