// mllp_load: a load generator for the HL7 v2 listener (`caredesk serve --mllp`).
// Each of --connections connections keeps up to --window messages in flight:
// it pipelines that many framed messages, and sends the next one as each ACK
// comes back (the listener answers a connection's messages in order). All
// connections are driven by one epoll loop, so the generator takes as little
// as possible of a machine it shares with the server.
//
//   mllp_load --port 2575 --connections 8 --window 16 --duration 15
//             --message ../shared/data/hl7v2/messages/ADT-A01-01.hl7
//
// The message file holds one HL7 v2 message (segments ended by CR, LF or
// CRLF; sent with CR). Every copy gets a unique MSH-10 ("L", the start time in
// hex seconds, the connection and a sequence number), and every ACK's MSA-2
// must echo the MSH-10 of the oldest message in flight on its connection, or
// it counts as an error. Latency is measured from the moment a message is
// handed to the socket to the moment its ACK has been read whole.
//
// With --patients N, the message is about N distinct patients in turn: copy m (counted over all
// connections, in the order they are sent) is about patient m mod N, whose PID-3 identifiers are the
// file's with "-<patient>" appended to each CX-1, whose PID-5 is a family and given name spelled
// from the patient's number, and whose birth date (PID-7) and phone number (PID-13's first XTN-1)
// are derived from it too (--shared-contact keeps the file's: then every patient shares one phone
// number, which the duplicate detector's candidate search reads in full for every registration).
// The first N messages register N patients, later ones find them again (as they are: nothing to
// change). Without it every copy is about the file's one patient.
//
// The run stops sending at --duration seconds (or after --messages messages),
// then waits up to 5 s for the ACKs in flight. Prints a human summary and a
// last line of JSON:
//   {"label":…,"connections":…,"window":…,"patients":…,"messages":…,"seconds":…,"mps":…,
//    "p50_ms":…,"p90_ms":…,"p99_ms":…,"max_ms":…,"acks":{"AA":…},"non_aa":…,
//    "errors":…}
// where messages and mps count the ACKs received before the stop, and acks,
// non_aa and errors every ACK and failure of the run. Only loopback addresses
// are accepted.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "mllp/mllp_ack.h"
#include "mllp/mllp_framing.h"

namespace {

using Clock = std::chrono::steady_clock;
using caredesk::mllp::FrameDecoder;

constexpr double kMaxDurationSeconds = 600;
constexpr long kMaxMessages = 100'000'000;
constexpr int kMaxConnections = 1024;
constexpr int kMaxWindow = 4096;
constexpr auto kDrainTimeout = std::chrono::seconds(5);
constexpr size_t kMaxAckBytes = 1 << 20;

struct Options {
  std::string host = "127.0.0.1";
  int port = 2575;
  int connections = 8;
  int window = 16;
  double duration = 0;  // seconds; 0 = unbounded by time
  long messages = 0;    // 0 = unbounded by count
  std::string message_file;
  std::string label;
  long patients = 0;  // 0 = the file's patient in every message
  bool shared_contact = false;  // --patients keeps the file's PID-7 and PID-13 for every patient
};

[[noreturn]] void Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "mllp_load: " << problem << "\n";
  std::cerr << "usage: mllp_load --port PORT --message FILE (--duration S | --messages N)\n"
               "                 [--host 127.0.0.1] [--connections N] [--window W] [--label NAME]\n"
               "                 [--patients N [--shared-contact]]\n";
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--host") {
      o.host = value();
    } else if (a == "--port") {
      o.port = std::atoi(value().c_str());
    } else if (a == "--connections") {
      o.connections = std::atoi(value().c_str());
    } else if (a == "--window") {
      o.window = std::atoi(value().c_str());
    } else if (a == "--duration") {
      o.duration = std::atof(value().c_str());
    } else if (a == "--messages") {
      o.messages = std::atol(value().c_str());
    } else if (a == "--message") {
      o.message_file = value();
    } else if (a == "--label") {
      o.label = value();
    } else if (a == "--patients") {
      o.patients = std::atol(value().c_str());
    } else if (a == "--shared-contact") {
      o.shared_contact = true;
    } else if (a == "--help" || a == "-h") {
      Usage("");
    } else {
      Usage("unknown argument " + a);
    }
  }
  if (o.host == "localhost") o.host = "127.0.0.1";
  in_addr addr{};
  if (inet_pton(AF_INET, o.host.c_str(), &addr) != 1 || (ntohl(addr.s_addr) >> 24) != 127) {
    Usage("only loopback IPv4 addresses (127.x.x.x or localhost) are allowed, not " + o.host);
  }
  if (o.port <= 0 || o.port > 65535) Usage("--port must be 1..65535");
  if (o.message_file.empty()) Usage("--message is required (e.g. ../shared/data/hl7v2/messages/ADT-A01-01.hl7)");
  if (o.duration <= 0 && o.messages <= 0) Usage("give --duration or --messages (loads are bounded)");
  if (o.duration > kMaxDurationSeconds) Usage("--duration is capped at 600 s");
  if (o.messages > kMaxMessages) Usage("--messages is capped at 100,000,000");
  if (o.connections < 1 || o.connections > kMaxConnections) Usage("--connections must be 1..1024");
  if (o.window < 1 || o.window > kMaxWindow) Usage("--window must be 1..4096");
  if (o.patients < 0 || o.patients > kMaxMessages) Usage("--patients must be 0..100,000,000");
  if (o.label.empty()) o.label = o.message_file.substr(o.message_file.rfind('/') + 1);
  return o;
}

// The message split around its MSH-10, so that each copy gets its own, and (for --patients) its PID
// segment split into fields, so that each patient gets its own.
struct Template {
  std::string head;  // 0x0B and everything before MSH-10
  std::string tail;  // everything after MSH-10, and 0x1C 0x0D
  // tail = before_pid + (PID fields joined by the field separator) + after_pid, when there is a PID
  // with a PID-3 and a PID-5.
  bool has_pid = false;
  std::string before_pid, after_pid;
  std::vector<std::string> pid;  // pid[0] = "PID", pid[3] = PID-3, ...
  char field = '|';
  char component = '^';
  char repetition = '~';
  bool vary_contact = true;  // PID-7 and PID-13 per patient too

  // The part after MSH-10 for patient `n`.
  void AppendTail(std::string& out, long n) const;
};

// A name spelled from `n` (different for every n below 2^24, and unlike the names of the numbers
// next to it: n is scrambled first), capitalised; `salt` gives another spelling of the same number.
std::string NameOf(long n, int salt) {
  static constexpr const char* kSyllables[16] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo",
                                                  "ba", "de", "fu", "go", "hi", "ja", "ku", "pe"};
  std::string name;
  // A bijection of 0..2^24−1: multiplication by an odd number and xor-shifts, modulo 2^24.
  uint32_t v = static_cast<uint32_t>(n) & 0xFFFFFFu;
  v = (v * 0x9E3B1u + static_cast<uint32_t>(salt) * 0x5A5A5u) & 0xFFFFFFu;
  v ^= v >> 12;
  v = (v * 0x2C1B3u) & 0xFFFFFFu;
  v ^= v >> 11;
  for (int i = 0; i < 6; ++i) {
    name += kSyllables[v % 16];
    v /= 16;
  }
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

// YYYYMMDD of the day `days` after 1940-01-01 (Howard Hinnant's civil_from_days).
std::string DateOf(long days) {
  const long z = days - 10958 /* 1940-01-01 is day −10958 of 1970 */ + 719468 /* from 0000-03-01 */;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long d = doy - (153 * mp + 2) / 5 + 1;
  const long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char out[48];
  std::snprintf(out, sizeof out, "%04ld%02ld%02ld", y, m, d);
  return out;
}

void Template::AppendTail(std::string& out, long n) const {
  out += before_pid;
  const std::string suffix = "-" + std::to_string(n);
  for (size_t f = 0; f < pid.size(); ++f) {
    if (f > 0) out += field;
    const std::string& value = pid[f];
    if (f == 3) {
      // Each repetition's CX-1 with the patient's number appended.
      size_t from = 0;
      while (from <= value.size()) {
        size_t to = value.find(repetition, from);
        if (to == std::string::npos) to = value.size();
        const std::string_view one(value.data() + from, to - from);
        const size_t c = std::min(one.find(component), one.size());
        if (from > 0) out += repetition;
        out += one.substr(0, c);
        out += suffix;
        out += one.substr(c);
        from = to + 1;
      }
    } else if (f == 5) {
      out += NameOf(n, 0);
      out += component;
      out += NameOf(n, 7);
    } else if (f == 7 && vary_contact) {
      out += DateOf(n % 25000);
    } else if (f == 13 && vary_contact) {
      // The first repetition's number (XTN-1), the rest as in the file.
      char number[16];
      std::snprintf(number, sizeof number, "555%07ld", n % 10'000'000);
      const size_t c = std::min(value.find(component), value.find(repetition));
      out += number;
      if (c != std::string::npos) out += value.substr(c);
    } else {
      out += value;
    }
  }
  out += after_pid;
}

Template LoadTemplate(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Usage("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string raw = buffer.str();
  if (raw.rfind("\xEF\xBB\xBF", 0) == 0) raw.erase(0, 3);
  // Segments end in CR on the wire.
  std::string text;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    text.push_back(raw[i] == '\n' ? '\r' : raw[i]);
  }
  while (!text.empty() && text.back() == '\r') text.pop_back();
  text.push_back('\r');
  if (text.rfind("MSH", 0) != 0 || text.size() < 8) Usage(path + " does not start with an MSH segment");
  const char separator = text[3];
  const size_t segment_end = text.find('\r');
  // MSH-1 is the separator at index 3, so MSH-10 starts after the ninth one.
  size_t at = 3;
  for (int field = 1; field < 10; ++field) {
    at = text.find(separator, at + (field == 1 ? 0 : 1));
    if (at == std::string::npos || at > segment_end) Usage(path + ": MSH has no MSH-10");
  }
  size_t end = text.find(separator, at + 1);
  if (end == std::string::npos || end > segment_end) end = segment_end;
  Template t;
  t.head = std::string(1, caredesk::mllp::kStartBlock) + text.substr(0, at + 1);
  t.tail = text.substr(end) + caredesk::mllp::kEndBlock + caredesk::mllp::kCarriageReturn;
  t.component = text.size() > 4 ? text[4] : '^';
  t.repetition = text.size() > 5 ? text[5] : '~';
  t.field = separator;
  // The PID segment within the tail.
  const size_t pid = t.tail.find(std::string("\rPID") + separator);
  if (pid != std::string::npos) {
    const size_t begin = pid + 1;
    const size_t end_of_pid = t.tail.find('\r', begin);
    const std::string segment = t.tail.substr(begin, end_of_pid - begin);
    size_t from = 0;
    for (;;) {
      const size_t to = segment.find(separator, from);
      t.pid.push_back(segment.substr(from, to == std::string::npos ? std::string::npos : to - from));
      if (to == std::string::npos) break;
      from = to + 1;
    }
    t.before_pid = t.tail.substr(0, begin);
    t.after_pid = t.tail.substr(end_of_pid);
    t.has_pid = t.pid.size() > 5 && !t.pid[3].empty();
  }
  return t;
}

// MSA-2 of an ACK: the field after MSA-1.
std::string_view Msa2(std::string_view ack) {
  size_t at = ack.find("\rMSA");
  if (at == std::string_view::npos) at = ack.find("\nMSA");
  if (at == std::string_view::npos || at + 5 > ack.size()) return {};
  const char separator = ack[at + 4];
  const size_t code_end = ack.find(separator, at + 5);
  if (code_end == std::string_view::npos) return {};
  size_t end = code_end + 1;
  while (end < ack.size() && ack[end] != separator && ack[end] != '\r' && ack[end] != '\n') ++end;
  return ack.substr(code_end + 1, end - code_end - 1);
}

struct InFlight {
  std::string control_id;
  Clock::time_point sent;
};

struct Conn {
  int index = 0;
  int fd = -1;
  bool connected = false;
  bool want_out = false;
  bool dead = false;
  std::string out;
  size_t out_offset = 0;
  std::deque<InFlight> in_flight;
  FrameDecoder decoder{kMaxAckBytes};
  std::vector<std::string> acks;  // reused
  long next_sequence = 0;
};

int Connect(const Options& o) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(o.port));
  inet_pton(AF_INET, o.host.c_str(), &sa.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i = std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())));
  return sorted[i];
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  Template message = LoadTemplate(o.message_file);
  message.vary_contact = !o.shared_contact;
  if (o.patients > 0 && !message.has_pid) Usage(o.message_file + ": --patients needs a PID segment with PID-3 and PID-5");
  char run_id[16];
  std::snprintf(run_id, sizeof run_id, "L%08lx",
                static_cast<unsigned long>(std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count()) &
                    0xFFFFFFFFul);

  const int epoll = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Conn> conns(static_cast<size_t>(o.connections));
  for (int i = 0; i < o.connections; ++i) {
    Conn& c = conns[static_cast<size_t>(i)];
    c.index = i;
    c.fd = Connect(o);
    if (c.fd < 0) {
      std::cerr << "mllp_load: cannot connect to " << o.host << ":" << o.port << ": " << std::strerror(errno) << "\n";
      return 1;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;  // EPOLLOUT tells when the connection is up
    ev.data.u32 = static_cast<uint32_t>(i);
    c.want_out = true;
    epoll_ctl(epoll, EPOLL_CTL_ADD, c.fd, &ev);
  }

  const auto start = Clock::now();
  const auto stop_at =
      o.duration > 0 ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration))
                     : Clock::time_point::max();
  long sent = 0;
  long received_in_run = 0;
  long errors = 0;
  std::map<std::string, long> by_code;
  std::vector<double> latencies_ms;
  latencies_ms.reserve(1 << 20);
  bool stopping = false;
  Clock::time_point stopped_at = Clock::time_point::max();
  Clock::time_point last_counted_ack = start;

  auto fail = [&](Conn& c, const char* what) {
    if (c.dead) return;
    c.dead = true;
    errors += 1 + static_cast<long>(c.in_flight.size());
    std::cerr << "mllp_load: connection " << c.index << ": " << what << "\n";
    c.in_flight.clear();
    epoll_ctl(epoll, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
  };

  auto set_out = [&](Conn& c, bool want) {
    if (c.want_out == want || c.dead) return;
    c.want_out = want;
    epoll_event ev{};
    ev.events = EPOLLIN;
    if (want) ev.events |= EPOLLOUT;
    ev.data.u32 = static_cast<uint32_t>(c.index);
    epoll_ctl(epoll, EPOLL_CTL_MOD, c.fd, &ev);
  };

  auto flush = [&](Conn& c) {
    while (c.out_offset < c.out.size()) {
      const ssize_t n = send(c.fd, c.out.data() + c.out_offset, c.out.size() - c.out_offset, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        return fail(c, std::strerror(errno));
      }
      c.out_offset += static_cast<size_t>(n);
    }
    if (c.out_offset == c.out.size()) {
      c.out.clear();
      c.out_offset = 0;
    }
    set_out(c, !c.out.empty());
  };

  auto top_up = [&](Conn& c) {
    if (c.dead || !c.connected || stopping) return;
    const auto now = Clock::now();
    while (static_cast<int>(c.in_flight.size()) < o.window && (o.messages <= 0 || sent < o.messages)) {
      char id[32];
      std::snprintf(id, sizeof id, "%s-%d-%ld", run_id, c.index, c.next_sequence++);
      c.out += message.head;
      c.out += id;
      if (o.patients > 0) {
        message.AppendTail(c.out, sent % o.patients);
      } else {
        c.out += message.tail;
      }
      c.in_flight.push_back({id, now});
      ++sent;
    }
    flush(c);
  };

  std::vector<epoll_event> events(static_cast<size_t>(o.connections));
  char buffer[65536];
  for (;;) {
    const auto now = Clock::now();
    if (!stopping && (now >= stop_at || (o.messages > 0 && sent >= o.messages))) {
      stopping = true;
      stopped_at = now;
    }
    bool any_in_flight = false;
    for (const Conn& c : conns) any_in_flight |= !c.dead && !c.in_flight.empty();
    if (stopping && (!any_in_flight || now >= stopped_at + kDrainTimeout)) break;

    int timeout_ms = 100;
    if (!stopping && stop_at != Clock::time_point::max()) {
      timeout_ms = static_cast<int>(
          std::clamp<long>(std::chrono::duration_cast<std::chrono::milliseconds>(stop_at - now).count() + 1, 0, 100));
    }
    const int n = epoll_wait(epoll, events.data(), static_cast<int>(events.size()), timeout_ms);
    for (int e = 0; e < n; ++e) {
      Conn& c = conns[events[static_cast<size_t>(e)].data.u32];
      if (c.dead) continue;
      const uint32_t what = events[static_cast<size_t>(e)].events;
      if (!c.connected && (what & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int error = 0;
        socklen_t len = sizeof error;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len);
        if (error != 0) {
          fail(c, std::strerror(error));
          continue;
        }
        c.connected = true;
        set_out(c, false);
        top_up(c);
        continue;
      }
      if (what & EPOLLOUT) flush(c);
      if (c.dead || !(what & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
      for (;;) {
        const ssize_t got = recv(c.fd, buffer, sizeof buffer, 0);
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (got <= 0) {
          fail(c, got == 0 ? "the server closed the connection" : std::strerror(errno));
          break;
        }
        if (!c.decoder.Feed(std::string_view(buffer, static_cast<size_t>(got)), c.acks).ok()) {
          fail(c, "an ACK over 1 MiB");
          break;
        }
        const auto arrived = Clock::now();
        for (const std::string& ack : c.acks) {
          if (c.in_flight.empty()) {
            ++errors;  // an ACK nobody asked for
            continue;
          }
          const InFlight& f = c.in_flight.front();
          const std::string_view code = caredesk::mllp::AckCodeOf(ack);
          ++by_code[code.empty() ? std::string("none") : std::string(code)];
          if (Msa2(ack) != f.control_id) ++errors;
          if (arrived <= stop_at) {
            ++received_in_run;
            last_counted_ack = arrived;
            latencies_ms.push_back(std::chrono::duration<double, std::milli>(arrived - f.sent).count());
          }
          c.in_flight.pop_front();
        }
        c.acks.clear();
        if (static_cast<size_t>(got) < sizeof buffer) break;
      }
      top_up(c);
    }
  }
  for (Conn& c : conns) {
    if (!c.dead) {
      errors += static_cast<long>(c.in_flight.size());  // never answered
      close(c.fd);
    }
  }
  close(epoll);

  // With --duration the run is the time until the stop (or until every connection failed); with
  // --messages alone, the time to the last ACK.
  const auto end = o.duration > 0 ? std::min(stopped_at, Clock::now()) : last_counted_ack;
  const double seconds = std::chrono::duration<double>(end - start).count();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double mps = seconds > 0 ? static_cast<double>(received_in_run) / seconds : 0;
  long non_aa = 0;
  for (const auto& [code, count] : by_code) non_aa += code == "AA" ? 0 : count;
  const double p50 = Percentile(latencies_ms, 0.50);
  const double p90 = Percentile(latencies_ms, 0.90);
  const double p99 = Percentile(latencies_ms, 0.99);
  const double max = latencies_ms.empty() ? 0 : latencies_ms.back();

  std::printf("%s: %d connections, window %d: %ld messages ACKed in %.2f s = %.0f messages/s\n", o.label.c_str(),
              o.connections, o.window, received_in_run, seconds, mps);
  std::printf("ACK latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", p50, p90, p99, max);
  std::printf("ACK codes:");
  for (const auto& [code, count] : by_code) std::printf(" %s=%ld", code.c_str(), count);
  std::printf("  non-AA %ld  errors %ld\n", non_aa, errors);
  std::printf(
      "{\"label\":\"%s\",\"connections\":%d,\"window\":%d,\"patients\":%ld,\"messages\":%ld,\"seconds\":%.3f,\"mps\":%.1f,"
      "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"acks\":{",
      o.label.c_str(), o.connections, o.window, o.patients, received_in_run, seconds, mps, p50, p90, p99, max);
  bool first = true;
  for (const auto& [code, count] : by_code) {
    std::printf("%s\"%s\":%ld", first ? "" : ",", code.c_str(), count);
    first = false;
  }
  std::printf("},\"non_aa\":%ld,\"errors\":%ld}\n", non_aa, errors);
  return errors == 0 ? 0 : 1;
}
