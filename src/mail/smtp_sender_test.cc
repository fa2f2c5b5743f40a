#include "mail/smtp_sender.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "mail/testing/mime_decode.h"
#include "mail/testing/smtp_sink.h"

namespace caredesk::mail {
namespace {

using namespace std::chrono_literals;
using testing::AllLinesEndCrlf;
using testing::Body;
using testing::DecodeEncodedWords;
using testing::DecodeQuotedPrintable;
using testing::HeaderValue;
using testing::RcptMode;
using testing::ReceivedMail;
using testing::SmtpSink;

const TimePoint kNow = FromMillis(1793714709250);  // Tue, 03 Nov 2026 14:05:09 +0000

MailMessage Message(std::string subject = "Your appointment") {
  MailMessage m;
  m.from = {"CareDesk Clinic", "no-reply@clinic.example"};
  m.to = {{"José Núñez", "jose@example.org"}};
  m.subject = std::move(subject);
  m.text = "Dear José,\nyour appointment is confirmed.\n";
  return m;
}

class SmtpSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sink = SmtpSink::Start();
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    sink_ = std::move(sink).value();
  }

  SmtpConfig Config() const {
    SmtpConfig config;
    config.url = sink_->url();
    config.timeout = 10s;
    return config;
  }

  FakeClock clock_{kNow};
  std::unique_ptr<SmtpSink> sink_;
};

// A port on 127.0.0.1 with nothing listening: bound once to get a free number, then closed.
uint16_t ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(fd);
  return ntohs(address.sin_port);
}

TEST_F(SmtpSenderTest, DotLinesArriveIntactAndCurlDoesTheDotStuffing) {
  SmtpSender sender(Config(), clock_);
  ASSERT_TRUE(sender.enabled());
  MailMessage m = Message();
  m.text = "First line\n.\n.starts with a dot\n..two dots\nlast line without a newline";
  auto status = sender.Send(m);
  ASSERT_TRUE(status.ok()) << status.error().message;

  ASSERT_EQ(sink_->message_count(), 1U);  // stored before the 250 that ended Send
  const ReceivedMail mail = sink_->messages().front();
  EXPECT_EQ(mail.from, "no-reply@clinic.example");
  EXPECT_EQ(mail.to, std::vector<std::string>{"jose@example.org"});
  // The raw DATA after the server's unstuffing holds the lines exactly; three lines began with "." and arrived
  // with a doubled dot, so libcurl stuffed them (FormatMessage does not).
  EXPECT_NE(mail.data.find("\r\nFirst line\r\n.\r\n.starts with a dot\r\n..two dots\r\n"), std::string::npos)
      << mail.data;
  EXPECT_EQ(mail.unstuffed_lines, 3U);
  EXPECT_TRUE(AllLinesEndCrlf(mail.data));
  EXPECT_EQ(mail.data.substr(mail.data.size() - 2), "\r\n");
  auto body = DecodeQuotedPrintable(Body(mail.data));
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(*body, m.text);

  EXPECT_EQ(HeaderValue(mail.data, "Date"), "Tue, 03 Nov 2026 14:05:09 +0000");
  const std::string id = *HeaderValue(mail.data, "Message-ID");
  EXPECT_EQ(id.front(), '<');
  EXPECT_NE(id.find("@clinic.example>"), std::string::npos) << id;
  EXPECT_EQ(*DecodeEncodedWords(*HeaderValue(mail.data, "To")), "José Núñez <jose@example.org>");
}

TEST_F(SmtpSenderTest, DeliversToTwoRecipients) {
  SmtpSender sender(Config(), clock_);
  MailMessage m = Message();
  m.to.push_back({"Front desk", "front.desk@clinic.example"});
  m.html = "<p>Dear José</p>";
  auto status = sender.Send(m);
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_TRUE(sink_->WaitForMessages(1, 5s));
  const ReceivedMail mail = sink_->messages().front();
  EXPECT_EQ(mail.to, (std::vector<std::string>{"jose@example.org", "front.desk@clinic.example"}));
  const std::string to = *DecodeEncodedWords(*HeaderValue(mail.data, "To"));
  EXPECT_EQ(to, "José Núñez <jose@example.org>, Front desk <front.desk@clinic.example>");
  EXPECT_NE(mail.data.find("Content-Type: text/html; charset=UTF-8\r\n"), std::string::npos);
}

TEST_F(SmtpSenderTest, RecipientRefusedWith550IsUnavailable) {
  sink_->set_rcpt_mode(RcptMode::kReject);
  SmtpSender sender(Config(), clock_);
  auto status = sender.Send(Message());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(status.error().message.rfind("smtp: ", 0), 0U) << status.error().message;
  EXPECT_NE(status.error().message.find("550"), std::string::npos) << status.error().message;
  EXPECT_EQ(sink_->message_count(), 0U);

  // The sink recovers; so does the sender.
  sink_->set_rcpt_mode(RcptMode::kAccept);
  EXPECT_TRUE(sender.Send(Message()).ok());
  EXPECT_EQ(sink_->message_count(), 1U);
}

TEST_F(SmtpSenderTest, TemporaryRefusalWith451IsUnavailable) {
  sink_->set_rcpt_mode(RcptMode::kTempFail);
  SmtpSender sender(Config(), clock_);
  MailMessage m = Message();
  m.to.push_back({"", "second@example.org"});
  auto status = sender.Send(m);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(status.error().message.find("451"), std::string::npos) << status.error().message;
  EXPECT_EQ(sink_->message_count(), 0U);
}

TEST_F(SmtpSenderTest, UnreachableServerIsUnavailableQuickly) {
  SmtpConfig config;
  config.url = "smtp://127.0.0.1:" + std::to_string(ClosedPort());
  config.timeout = 2s;
  SmtpSender sender(config, clock_);
  const auto start = std::chrono::steady_clock::now();
  auto status = sender.Send(Message());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(status.error().message.rfind("smtp: ", 0), 0U) << status.error().message;
  EXPECT_NE(status.error().message.find("no response from the server"), std::string::npos)
      << status.error().message;
  EXPECT_LT(elapsed, 2500ms);
}

TEST_F(SmtpSenderTest, SilentServerTimesOut) {
  // A listening socket that never answers: the greeting never comes, the timeout ends the send.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  SmtpConfig config;
  config.url = "smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  config.timeout = 1s;
  SmtpSender sender(config, clock_);
  const auto start = std::chrono::steady_clock::now();
  auto status = sender.Send(Message());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  close(fd);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_GE(elapsed, 900ms);
  EXPECT_LT(elapsed, 3s);
}

TEST_F(SmtpSenderTest, InvalidMessageIsRefusedBeforeConnecting) {
  SmtpSender sender(Config(), clock_);
  auto status = sender.Send(Message("a\r\nBcc: x@evil.example"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().field, "subject");
  MailMessage m = Message();
  m.to[0].email = "jose@example.org>\r\nRCPT TO:<evil@evil.example";
  status = sender.Send(m);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "to[0].email");
  EXPECT_EQ(sink_->connection_count(), 0U);
}

TEST_F(SmtpSenderTest, DisabledAndMisconfiguredSenders) {
  SmtpSender disabled(SmtpConfig{}, clock_);
  EXPECT_FALSE(disabled.enabled());
  auto status = disabled.Send(Message());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);

  EXPECT_TRUE(SmtpSender::ValidateConfig(SmtpConfig{}).ok());
  EXPECT_TRUE(SmtpSender::ValidateConfig(Config()).ok());
  for (const char* url : {"http://127.0.0.1:25", "file:///etc/passwd", "smtp://", "smtp:///x", "127.0.0.1:25",
                          "smtp://host name"}) {
    SmtpConfig config = Config();
    config.url = url;
    auto valid = SmtpSender::ValidateConfig(config);
    ASSERT_FALSE(valid.ok()) << url;
    EXPECT_EQ(valid.error().field, "url");
    SmtpSender sender(config, clock_);
    EXPECT_TRUE(sender.enabled());
    status = sender.Send(Message());
    ASSERT_FALSE(status.ok()) << url;
    EXPECT_EQ(status.error().code, ErrorCode::kInternal) << url;
  }
  SmtpConfig config = Config();
  config.timeout = 0s;
  EXPECT_EQ(SmtpSender::ValidateConfig(config).error().field, "timeout");
  EXPECT_EQ(sink_->connection_count(), 0U);
}

TEST_F(SmtpSenderTest, ConcurrentSendsAllArrive) {
  SmtpSender sender(Config(), clock_);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5;
  std::vector<std::thread> threads;
  std::vector<std::string> failures(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto status = sender.Send(Message("message " + std::to_string(t) + "." + std::to_string(i)));
        if (!status.ok()) failures[t] += status.error().message + "\n";
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
  ASSERT_TRUE(sink_->WaitForMessages(kThreads * kPerThread, 10s));
  std::set<std::string> subjects, ids;
  for (const auto& mail : sink_->messages()) {
    subjects.insert(*HeaderValue(mail.data, "Subject"));
    ids.insert(*HeaderValue(mail.data, "Message-ID"));
  }
  EXPECT_EQ(subjects.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(ids.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(sink_->connection_count(), size_t{kThreads * kPerThread});
}

// --- the sink itself, spoken to directly ---

class RawClient {
 public:
  explicit RawClient(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { close(fd_); }
  bool connected() const { return connected_; }

  // The next complete reply (all lines of a multi-line one).
  std::string Reply() {
    std::string reply;
    while (true) {
      const size_t nl = buffer_.find("\r\n");
      if (nl == std::string::npos) {
        char chunk[4096];
        const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return reply + "<closed>";
        buffer_.append(chunk, static_cast<size_t>(n));
        continue;
      }
      const std::string line = buffer_.substr(0, nl + 2);
      buffer_.erase(0, nl + 2);
      reply += line;
      if (line.size() < 4 || line[3] != '-') return reply;
    }
  }
  std::string Command(const std::string& text) {
    send(fd_, text.data(), text.size(), MSG_NOSIGNAL);
    return Reply();
  }

 private:
  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

TEST(SmtpSink, SpeaksTheRfc5321Subset) {
  auto sink = SmtpSink::Start();
  ASSERT_TRUE(sink.ok());
  RawClient c((*sink)->port());
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.Reply().substr(0, 4), "220 ");
  EXPECT_EQ(c.Command("MAIL FROM:<a@x.org>\r\n").substr(0, 3), "503");  // EHLO first
  const std::string ehlo = c.Command("EHLO client.example\r\n");
  EXPECT_EQ(ehlo.substr(0, 4), "250-");
  EXPECT_NE(ehlo.find("250-8BITMIME\r\n"), std::string::npos) << ehlo;
  EXPECT_NE(ehlo.find("SIZE 10485760\r\n"), std::string::npos) << ehlo;
  EXPECT_EQ(c.Command("NOOP\r\n").substr(0, 3), "250");
  EXPECT_EQ(c.Command("RCPT TO:<b@x.org>\r\n").substr(0, 3), "503");   // no MAIL yet
  EXPECT_EQ(c.Command("DATA\r\n").substr(0, 3), "503");
  EXPECT_EQ(c.Command("MAIL FROM:<a@x.org> SIZE=99999999\r\n").substr(0, 3), "552");
  EXPECT_EQ(c.Command("mail from: <a@x.org> BODY=8BITMIME\r\n").substr(0, 3), "250");
  EXPECT_EQ(c.Command("MAIL FROM:<c@x.org>\r\n").substr(0, 3), "503");  // nested
  EXPECT_EQ(c.Command("RSET\r\n").substr(0, 3), "250");
  EXPECT_EQ(c.Command("DATA\r\n").substr(0, 3), "503");  // RSET forgot the sender
  EXPECT_EQ(c.Command("MAIL FROM:<>\r\n").substr(0, 3), "250");  // the null reverse-path
  EXPECT_EQ(c.Command("RCPT TO:b@x.org\r\n").substr(0, 3), "501");
  EXPECT_EQ(c.Command("RCPT TO:<b@x.org>\r\n").substr(0, 3), "250");
  EXPECT_EQ(c.Command("RCPT TO:<c@x.org>\r\n").substr(0, 3), "250");
  EXPECT_EQ(c.Command("DATA\r\n").substr(0, 3), "354");
  EXPECT_EQ(c.Command("Subject: hi\r\n\r\n..\r\n..leading\r\nplain\r\n.\r\n").substr(0, 3), "250");
  EXPECT_EQ(c.Command("WHAT\r\n").substr(0, 3), "500");
  EXPECT_EQ(c.Command("QUIT\r\n").substr(0, 3), "221");
  EXPECT_EQ(c.Reply(), "<closed>");

  ASSERT_EQ((*sink)->message_count(), 1U);
  const ReceivedMail mail = (*sink)->messages().front();
  EXPECT_EQ(mail.from, "");
  EXPECT_EQ(mail.to, (std::vector<std::string>{"b@x.org", "c@x.org"}));
  EXPECT_EQ(mail.data, "Subject: hi\r\n\r\n.\r\n.leading\r\nplain\r\n");
  EXPECT_EQ(mail.unstuffed_lines, 2U);
  EXPECT_EQ((*sink)->connection_count(), 1U);
}

TEST(SmtpSink, StopsWithAnIdleConnectionOpen) {
  auto sink = SmtpSink::Start();
  ASSERT_TRUE(sink.ok());
  RawClient c((*sink)->port());
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.Reply().substr(0, 4), "220 ");
  const auto start = std::chrono::steady_clock::now();
  (*sink)->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(c.Reply(), "<closed>");
  EXPECT_FALSE((*sink)->WaitForMessages(1, 10ms));
}

TEST(SmtpSink, JsonLinesEscapeEverything) {
  EXPECT_EQ(testing::JsonString("plain"), "\"plain\"");
  EXPECT_EQ(testing::JsonString("q\"b\\s/"), "\"q\\\"b\\\\s/\"");
  EXPECT_EQ(testing::JsonString("a\r\nb\tc\b\f"), "\"a\\r\\nb\\tc\\b\\f\"");
  EXPECT_EQ(testing::JsonString(std::string("\0\x1F\x7F", 3)), "\"\\u0000\\u001f\x7F\"");
  EXPECT_EQ(testing::JsonString("José 😀"), "\"José 😀\"");
  EXPECT_EQ(testing::JsonString("caf\xE9!"), "\"caf\\ufffd!\"");  // invalid UTF-8
  EXPECT_EQ(testing::JsonString("\xF0\x9F\x98"), "\"\\ufffd\\ufffd\\ufffd\"");  // truncated sequence

  ReceivedMail mail{"a@x.org", {"b@x.org", "\"odd\"@x.org"}, "Subject: h\xC3\xA9\r\n\r\nline \"1\"\\\r\n", 0};
  const std::string line = testing::ToJsonLine(mail);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const boost::json::object parsed = boost::json::parse(line).as_object();
  EXPECT_EQ(parsed.at("from").as_string(), "a@x.org");
  ASSERT_EQ(parsed.at("to").as_array().size(), 2U);
  EXPECT_EQ(parsed.at("to").as_array()[1].as_string(), "\"odd\"@x.org");
  EXPECT_EQ(parsed.at("data").as_string(), mail.data);
}

// The caredesk_smtp_sink executable, as the HTTP and browser tests run it.
TEST(SmtpSinkExecutable, WritesOneJsonLinePerMessageUntilSigterm) {
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("caredesk-mail-test-" + std::to_string(getpid()) + ".jsonl");
  std::filesystem::remove(out);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    execl(CAREDESK_SMTP_SINK_EXE, "caredesk_smtp_sink", "--port", "0", "--out", out.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  std::string first_line;
  char c;
  while (read(pipe_fds[0], &c, 1) == 1 && c != '\n') first_line += c;
  close(pipe_fds[0]);
  ASSERT_EQ(first_line.rfind("listening on ", 0), 0U) << first_line;
  const int port = std::stoi(first_line.substr(13));
  ASSERT_GT(port, 0);

  FakeClock clock(kNow);
  SmtpConfig config;
  config.url = "smtp://127.0.0.1:" + std::to_string(port);
  config.timeout = 10s;
  SmtpSender sender(config, clock);
  MailMessage m = Message();
  m.text = "Line \"one\"\n.\nend\n";
  m.to.push_back({"", "second@example.org"});
  for (int i = 0; i < 2; ++i) {
    auto status = sender.Send(m);
    EXPECT_TRUE(status.ok()) << status.error().message;
  }

  // Flushed before the 250, so the lines are there now.
  std::ifstream in(out);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2U);
  const boost::json::object parsed = boost::json::parse(lines[1]).as_object();
  EXPECT_EQ(parsed.at("from").as_string(), "no-reply@clinic.example");
  const auto& to = parsed.at("to").as_array();
  ASSERT_EQ(to.size(), 2U);
  EXPECT_EQ(to[0].as_string(), "jose@example.org");
  EXPECT_EQ(to[1].as_string(), "second@example.org");
  const std::string data(parsed.at("data").as_string());
  EXPECT_EQ(HeaderValue(data, "Date"), "Tue, 03 Nov 2026 14:05:09 +0000");
  EXPECT_EQ(DecodeQuotedPrintable(Body(data)), m.text);

  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int wait_status = 0;
  ASSERT_EQ(waitpid(pid, &wait_status, 0), pid);
  EXPECT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
  std::filesystem::remove(out);
}

}  // namespace
}  // namespace caredesk::mail
