// caredesk_smtp_sink: the test SMTP sink as a process, for the HTTP and
// browser tests. Listens on 127.0.0.1 (--port P, 0 = an ephemeral port),
// prints "listening on PORT" on stdout once it accepts connections, and
// appends every received message to --out FILE as one JSON line
// {"from":"...","to":["..."],"data":"<raw message>"}, flushed before the
// client gets its 250. Runs until SIGTERM or SIGINT, then exits 0.
//
//   caredesk_smtp_sink --port 0 --out var/mail.jsonl [--rcpt-reply accept|451|550]
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <string_view>

#include "mail/testing/smtp_sink.h"

namespace {

constexpr std::string_view kUsage =
    "usage: caredesk_smtp_sink --out FILE [--port P] [--rcpt-reply accept|451|550]\n"
    "  --port P        port on 127.0.0.1; 0 (the default) picks a free one\n"
    "  --out FILE      append one JSON line per received message\n"
    "  --rcpt-reply R  answer every RCPT TO with 250 (accept, the default), 451 or 550\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "caredesk_smtp_sink: %s\n%s", message.c_str(), kUsage.data());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using caredesk::mail::testing::RcptMode;
  caredesk::mail::testing::SmtpSinkOptions options;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage.data(), stdout);
      return 0;
    }
    if (i + 1 >= argc) return UsageError("missing value after " + std::string(arg));
    const std::string value = argv[++i];
    if (arg == "--port") {
      char* end = nullptr;
      const long port = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || port < 0 || port > 65535) return UsageError("bad port: " + value);
      options.port = static_cast<uint16_t>(port);
    } else if (arg == "--out") {
      out_path = value;
    } else if (arg == "--rcpt-reply") {
      if (value == "accept") {
        options.rcpt_mode = RcptMode::kAccept;
      } else if (value == "451") {
        options.rcpt_mode = RcptMode::kTempFail;
      } else if (value == "550") {
        options.rcpt_mode = RcptMode::kReject;
      } else {
        return UsageError("bad --rcpt-reply: " + value);
      }
    } else {
      return UsageError("unknown option " + std::string(arg));
    }
  }
  if (out_path.empty()) return UsageError("--out FILE is required");

  // Block the stop signals before any thread starts, so that only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::FILE* out = std::fopen(out_path.c_str(), "a");
  if (out == nullptr) {
    std::perror(("caredesk_smtp_sink: " + out_path).c_str());
    return 1;
  }
  bool write_failed = false;
  options.on_message = [out, &write_failed](const caredesk::mail::testing::ReceivedMail& mail) {
    const std::string line = caredesk::mail::testing::ToJsonLine(mail) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), out) != line.size() || std::fflush(out) != 0) {
      if (!write_failed) std::perror("caredesk_smtp_sink: writing the output file");
      write_failed = true;
    }
  };

  auto sink = caredesk::mail::testing::SmtpSink::Start(std::move(options));
  if (!sink.ok()) {
    std::fprintf(stderr, "caredesk_smtp_sink: %s\n", sink.error().message.c_str());
    return 1;
  }
  std::printf("listening on %u\n", static_cast<unsigned>((*sink)->port()));
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  (*sink)->Stop();
  std::fclose(out);
  return write_failed ? 1 : 0;
}
