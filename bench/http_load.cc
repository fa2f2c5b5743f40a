// http_load: a small closed-loop HTTP/1.1 keep-alive load generator for the
// CareDesk benchmarks (scripts/bench.sh). Each of --connections connections
// sends one request, waits for the whole response, and sends the next; the
// connections are driven by --threads epoll loops (default 1, so the load
// generator takes as little as possible of a machine it shares with the
// server).
//
//   http_load --url http://127.0.0.1:8080 --connections 64 --duration 15 --path /healthz
//   http_load --url http://127.0.0.1:8080 --connections 64 --requests-file bookings.txt
//             --header "Authorization: Bearer TOKEN" --duration 20
//
// Request sources: --path P (the same GET every time), or --requests-file F
// with one request a line, "METHOD PATH [JSON body]"; each line is sent once
// (for bookings of distinct slots) unless --cycle is given, which reuses the
// lines in order. The run stops at --duration seconds, after --requests
// requests, or when the file's lines are used up, whichever comes first; at
// least one of --duration and --requests is required, and both are capped.
//
// Two ways to load:
//  - closed loop (default): every connection sends its next request as soon
//    as the previous response has arrived, so the server runs saturated and,
//    by Little's law, mean latency = connections ÷ throughput. Latency is
//    measured from the first byte written to the last byte read.
//  - open loop (--rate R): requests are due at a fixed R per second, spread
//    evenly, whatever the server does; each due request goes out on an idle
//    connection, and waits in the client when all --connections are busy.
//    Latency is measured from the moment the request was DUE, so time spent
//    queued behind a slow response counts (no "coordinated omission", as in
//    wrk2). This is the latency users see at that arrival rate.
// Prints a human summary and a last line of JSON:
//   {"label":…,"mode":"closed|open","offered_rps":…,"requests":…,"seconds":…,
//    "rps":…,"p50_ms":…,"p90_ms":…,"p99_ms":…,"max_ms":…,"status":{"200":…},
//    "errors":…}
// Only loopback addresses are accepted. Responses must carry Content-Length
// (Beast's do); a chunked response counts as an error.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr double kMaxDurationSeconds = 600;
constexpr long kMaxRequests = 10'000'000;
constexpr int kMaxConnections = 1024;
constexpr size_t kMaxResponseBytes = 64 << 20;

struct Options {
  std::string host = "127.0.0.1";
  int port = 80;
  int connections = 64;
  int threads = 1;
  double duration = 0;  // seconds; 0 = unbounded by time
  long requests = 0;    // 0 = unbounded by count
  std::string path;
  std::string requests_file;
  bool cycle = false;
  std::vector<std::string> headers;
  std::string label;
  double rate = 0;  // requests/s in open loop; 0 = closed loop
  std::string timeline;  // a file for "seconds since start,latency ms" of every response
};

[[noreturn]] void Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "http_load: " << problem << "\n";
  std::cerr << "usage: http_load --url http://127.0.0.1:PORT (--path P | --requests-file F [--cycle])\n"
               "                 (--duration S | --requests N) [--connections N] [--threads T]\n"
               "                 [--rate R] [--header 'Name: value']... [--label NAME] [--timeline FILE]\n";
  std::exit(2);
}

// Accepts http://HOST:PORT[/...] with a loopback HOST.
void ParseUrl(const std::string& url, Options& o) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) Usage("--url must start with http://");
  std::string rest = url.substr(kScheme.size());
  rest = rest.substr(0, rest.find('/'));
  auto colon = rest.rfind(':');
  o.host = colon == std::string::npos ? rest : rest.substr(0, colon);
  o.port = colon == std::string::npos ? 80 : std::atoi(rest.c_str() + colon + 1);
  if (o.host == "localhost") o.host = "127.0.0.1";
  in_addr addr{};
  if (inet_pton(AF_INET, o.host.c_str(), &addr) != 1 || (ntohl(addr.s_addr) >> 24) != 127) {
    Usage("only loopback IPv4 addresses (127.x.x.x or localhost) are allowed, not " + o.host);
  }
  if (o.port <= 0 || o.port > 65535) Usage("bad port in --url");
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  bool have_url = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--url") {
      ParseUrl(value(), o);
      have_url = true;
    } else if (a == "--connections") {
      o.connections = std::atoi(value().c_str());
    } else if (a == "--threads") {
      o.threads = std::atoi(value().c_str());
    } else if (a == "--duration") {
      o.duration = std::atof(value().c_str());
    } else if (a == "--requests") {
      o.requests = std::atol(value().c_str());
    } else if (a == "--path") {
      o.path = value();
    } else if (a == "--requests-file") {
      o.requests_file = value();
    } else if (a == "--cycle") {
      o.cycle = true;
    } else if (a == "--header") {
      o.headers.push_back(value());
    } else if (a == "--label") {
      o.label = value();
    } else if (a == "--rate") {
      o.rate = std::atof(value().c_str());
    } else if (a == "--timeline") {
      o.timeline = value();
    } else if (a == "--help" || a == "-h") {
      Usage("");
    } else {
      Usage("unknown argument " + a);
    }
  }
  if (!have_url) Usage("--url is required");
  if (o.path.empty() == o.requests_file.empty()) Usage("give exactly one of --path and --requests-file");
  if (o.duration <= 0 && o.requests <= 0) Usage("give --duration or --requests (loads are bounded)");
  if (o.duration > kMaxDurationSeconds) Usage("--duration is capped at 600 s");
  if (o.requests > kMaxRequests) Usage("--requests is capped at 10,000,000");
  if (o.connections < 1 || o.connections > kMaxConnections) Usage("--connections must be 1..1024");
  if (o.threads < 1 || o.threads > o.connections) Usage("--threads must be 1..connections");
  if (o.rate < 0 || o.rate > 1e6) Usage("--rate must be 0 (closed loop) .. 1,000,000 requests/s");
  if (o.label.empty()) o.label = o.path.empty() ? o.requests_file : o.path;
  return o;
}

// The requests to send, serialised once up front.
class RequestSource {
 public:
  RequestSource(const Options& o) : cycle_(o.cycle), limit_(o.requests > 0 ? o.requests : kMaxRequests) {
    std::string common = "Host: " + o.host + ":" + std::to_string(o.port) + "\r\n";
    for (const auto& h : o.headers) common += h + "\r\n";
    if (!o.path.empty()) {
      wire_.push_back(Serialise("GET", o.path, "", common));
      cycle_ = true;
      return;
    }
    std::ifstream in(o.requests_file);
    if (!in) Usage("cannot read " + o.requests_file);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      auto sp1 = line.find(' ');
      if (sp1 == std::string::npos) Usage("bad request line (want METHOD PATH [body]): " + line);
      auto sp2 = line.find(' ', sp1 + 1);
      std::string method = line.substr(0, sp1);
      std::string path = line.substr(sp1 + 1, sp2 == std::string::npos ? std::string::npos : sp2 - sp1 - 1);
      std::string body = sp2 == std::string::npos ? "" : line.substr(sp2 + 1);
      wire_.push_back(Serialise(method, path, body, common));
    }
    if (wire_.empty()) Usage(o.requests_file + " holds no requests");
  }

  // The next request's bytes, or nullptr when the source is used up.
  const std::string* Next() {
    long n = next_.fetch_add(1, std::memory_order_relaxed);
    if (n >= limit_) return nullptr;
    if (cycle_) return &wire_[static_cast<size_t>(n) % wire_.size()];
    return static_cast<size_t>(n) < wire_.size() ? &wire_[static_cast<size_t>(n)] : nullptr;
  }
  size_t lines() const { return wire_.size(); }

 private:
  static std::string Serialise(const std::string& method, const std::string& path, const std::string& body,
                               const std::string& common) {
    std::string r = method + " " + path + " HTTP/1.1\r\n" + common;
    if (!body.empty()) r += "Content-Type: application/json\r\n";
    if (!body.empty() || method == "POST" || method == "PUT") r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    r += "\r\n" + body;
    return r;
  }

  bool cycle_;
  long limit_;
  std::vector<std::string> wire_;
  std::atomic<long> next_{0};
};

// What one thread saw.
struct Tally {
  std::vector<double> latencies_ms;
  std::vector<double> done_at_s;  // with --timeline: when each response completed, in order of latencies_ms
  std::map<int, long> by_status;
  long errors = 0;  // connect, read or parse failures, closed connections mid-request
};

struct Conn {
  int fd = -1;
  bool want_out = false;  // registered for EPOLLOUT (a write is pending)
  const std::string* request = nullptr;
  size_t sent = 0;
  std::string in;
  Clock::time_point started;
  bool busy = false;  // a request is in flight
};

int Connect(const Options& o) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
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

// Parses a complete response at the front of `in`: returns its status and
// length once all of it has arrived, nullopt while more is needed; -1 status
// on a malformed or unsupported response.
std::optional<std::pair<int, size_t>> CompleteResponse(const std::string& in, bool* close_after) {
  auto head_end = in.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::nullopt;
  if (in.compare(0, 9, "HTTP/1.1 ") != 0 && in.compare(0, 9, "HTTP/1.0 ") != 0) return std::make_pair(-1, in.size());
  int status = std::atoi(in.c_str() + 9);
  size_t content_length = 0;
  bool have_length = false;
  *close_after = in.compare(0, 9, "HTTP/1.0 ") == 0;
  size_t pos = in.find("\r\n") + 2;
  while (pos < head_end) {
    size_t eol = in.find("\r\n", pos);
    std::string_view line(in.data() + pos, eol - pos);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string name(line.substr(0, colon));
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      std::string_view v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      if (name == "content-length") {
        content_length = std::strtoull(std::string(v).c_str(), nullptr, 10);
        have_length = true;
      } else if (name == "transfer-encoding") {
        return std::make_pair(-1, in.size());  // chunked: not supported
      } else if (name == "connection" && (v == "close" || v == "Close")) {
        *close_after = true;
      }
    }
    pos = eol + 2;
  }
  if (!have_length && status != 204 && status != 304 && status >= 200) return std::make_pair(-1, in.size());
  size_t total = head_end + 4 + content_length;
  if (total > kMaxResponseBytes) return std::make_pair(-1, in.size());
  if (in.size() < total) return std::nullopt;
  return std::make_pair(status, total);
}

// One epoll loop over `count` connections until the source is used up or the
// deadline passes. A connection is registered for reading all the time and
// for writing only while a request could not be written at once.
//
// Open loop (`rate` > 0, this loop's share of --rate): requests fall due every
// 1/rate s from `start`; a due request is sent on an idle connection, or waits
// in `due` until one is free. Its latency counts from when it fell due.
void RunLoop(const Options& o, RequestSource& source, int count, double rate, Clock::time_point start,
             Clock::time_point deadline, Tally& tally) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  const bool open_loop = rate > 0;
  const auto interval = open_loop ? std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate))
                                  : Clock::duration::zero();
  Clock::time_point next_due = start;
  std::deque<Clock::time_point> due;  // open loop: due requests not yet sent
  std::vector<Conn*> idle;            // open loop: connected, nothing in flight
  bool source_done = false;
  std::vector<std::unique_ptr<Conn>> conns;
  int active = 0;
  auto interest = [&](Conn& c, bool out, int op) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | (out ? EPOLLOUT : 0u);
    ev.data.ptr = &c;
    epoll_ctl(ep, op, c.fd, &ev);
    c.want_out = out;
  };
  // Writes what it can of the current request; false on a broken connection.
  auto pump = [&](Conn& c) -> bool {
    while (c.sent < c.request->size()) {
      ssize_t w = send(c.fd, c.request->data() + c.sent, c.request->size() - c.sent, MSG_NOSIGNAL);
      if (w > 0) {
        c.sent += static_cast<size_t>(w);
      } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!c.want_out) interest(c, true, EPOLL_CTL_MOD);
        return true;
      } else {
        return false;
      }
    }
    if (c.want_out) interest(c, false, EPOLL_CTL_MOD);
    return true;
  };
  auto open = [&](Conn& c) -> bool {
    c.fd = Connect(o);
    if (c.fd < 0) return false;
    interest(c, true, EPOLL_CTL_ADD);  // writable once connected
    return true;
  };
  auto close_conn = [&](Conn& c) {
    if (c.fd >= 0) {
      epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
      close(c.fd);
      c.fd = -1;
    }
    --active;
  };
  // Takes the next request; false when there is none or time is up. In the
  // open loop, only when one is due, and the clock starts at its due time.
  auto next = [&](Conn& c) -> bool {
    if (open_loop) {
      if (due.empty() || source_done) return false;
      c.request = source.Next();
      if (!c.request) {
        source_done = true;
        return false;
      }
      c.started = due.front();
      due.pop_front();
    } else {
      c.request = Clock::now() < deadline ? source.Next() : nullptr;
      if (!c.request) return false;
      c.started = Clock::now();
    }
    c.sent = 0;
    c.in.clear();
    c.busy = true;
    return true;
  };
  // Open loop: queues what has fallen due and sends it on idle connections.
  auto dispatch = [&] {
    auto now = Clock::now();
    while (next_due <= now && next_due < deadline) {
      due.push_back(next_due);
      next_due += interval;
    }
    while (!due.empty() && !idle.empty() && !source_done) {
      Conn& c = *idle.back();
      if (!next(c)) break;
      idle.pop_back();
      if (!pump(c)) {
        ++tally.errors;
        close_conn(c);
      }
    }
  };
  for (int i = 0; i < count; ++i) {
    auto c = std::make_unique<Conn>();
    if (open_loop) {
      c->fd = Connect(o);
      if (c->fd < 0) {
        ++tally.errors;
        continue;
      }
      interest(*c, false, EPOLL_CTL_ADD);
      idle.push_back(c.get());
    } else {
      if (!next(*c)) break;
      if (!open(*c)) {
        ++tally.errors;
        continue;
      }
    }
    ++active;
    conns.push_back(std::move(c));
  }
  std::vector<epoll_event> events(static_cast<size_t>(std::max(count, 1)));
  char buf[64 * 1024];
  while (active > 0) {
    // Nanosecond timeouts (epoll_pwait2): at 2,000/s a request falls due every 0.5 ms, and a timeout rounded
    // down to whole milliseconds would be 0, so the loop would spin and take a core from the server it measures.
    Clock::duration timeout;
    if (open_loop) {
      dispatch();
      bool scheduling = next_due < deadline && !source_done;
      if (!scheduling && static_cast<int>(idle.size()) == active) {
        break;  // nothing more will fall due and nothing is in flight
      }
      timeout = scheduling ? std::max(next_due - Clock::now(), Clock::duration::zero())  // dispatch re-checks
                           : Clock::duration(std::chrono::seconds(5));
    } else {
      timeout = std::max(deadline - Clock::now(), Clock::duration::zero()) + std::chrono::seconds(5);
    }
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    const timespec wait{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    int n = epoll_pwait2(ep, events.data(), static_cast<int>(events.size()), &wait, nullptr);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 && open_loop && timeout < std::chrono::seconds(5)) continue;  // time for the next due request
    if (n <= 0) {  // nothing for 5 s past the deadline: count the requests in flight as lost
      for (auto& c : conns) {
        if (c->fd >= 0) {
          if (c->busy) ++tally.errors;
          close_conn(*c);
        }
      }
      break;
    }
    for (int i = 0; i < n; ++i) {
      Conn& c = *static_cast<Conn*>(events[i].data.ptr);
      if (c.fd < 0) continue;
      bool failed = false, closed = false;
      if ((events[i].events & EPOLLOUT) && c.want_out) failed = !pump(c);
      if (!failed && (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
        for (;;) {
          ssize_t r = recv(c.fd, buf, sizeof buf, 0);
          if (r > 0) {
            c.in.append(buf, static_cast<size_t>(r));
            if (static_cast<size_t>(r) < sizeof buf) break;
            continue;
          }
          if (r == 0) closed = true;
          else if (errno != EAGAIN && errno != EWOULDBLOCK) failed = true;
          break;
        }
      }
      bool close_after = false;
      auto done = failed ? std::nullopt : CompleteResponse(c.in, &close_after);
      if (!done) {
        if (failed || closed) {
          ++tally.errors;  // the request in flight is lost
          close_conn(c);
        }
        continue;
      }
      if (done->first < 0) {
        ++tally.errors;
        close_conn(c);
        continue;
      }
      const auto now = Clock::now();
      tally.latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - c.started).count());
      if (!o.timeline.empty()) tally.done_at_s.push_back(std::chrono::duration<double>(now - start).count());
      ++tally.by_status[done->first];
      c.busy = false;
      if (open_loop) {
        if (close_after || closed) {  // the server ended the connection: open another, idle
          epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
          close(c.fd);
          c.fd = Connect(o);
          if (c.fd < 0) {
            ++tally.errors;
            --active;
            continue;
          }
          interest(c, false, EPOLL_CTL_ADD);
        }
        c.in.clear();
        idle.push_back(&c);
        continue;
      }
      if (!next(c)) {
        close_conn(c);
        continue;
      }
      if (close_after || closed) {  // the server ended the connection: open another
        epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
        close(c.fd);
        if (!open(c)) {
          c.fd = -1;
          ++tally.errors;
          --active;
        }
        continue;
      }
      if (!pump(c)) {
        ++tally.errors;
        close_conn(c);
      }
    }
  }
  close(ep);
}

double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto i = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) >= 0x20) out += ch;
  }
  return out;
}

// One line per response, in completion order: seconds since the start, latency in ms. For finding out when
// the slow ones happened (a checkpoint, a stall) rather than only how many there were.
void WriteTimeline(const std::string& path, const std::vector<Tally>& tallies) {
  std::vector<std::pair<double, double>> rows;
  for (const auto& t : tallies) {
    for (size_t i = 0; i < t.done_at_s.size(); ++i) rows.emplace_back(t.done_at_s[i], t.latencies_ms[i]);
  }
  std::sort(rows.begin(), rows.end());
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) {
    std::fprintf(stderr, "http_load: cannot write %s\n", path.c_str());
    return;
  }
  std::fprintf(f, "done_s,latency_ms\n");
  for (auto [at, ms] : rows) std::fprintf(f, "%.6f,%.3f\n", at, ms);
  std::fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseArgs(argc, argv);
  RequestSource source(o);
  const double bound = o.duration > 0 ? o.duration : kMaxDurationSeconds;
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(bound));

  std::vector<Tally> tallies(static_cast<size_t>(o.threads));
  std::vector<std::thread> threads;
  for (int t = 0; t < o.threads; ++t) {
    int share = o.connections / o.threads + (t < o.connections % o.threads ? 1 : 0);
    threads.emplace_back([&, t, share] {
      RunLoop(o, source, share, o.rate / o.threads, started, deadline, tallies[static_cast<size_t>(t)]);
    });
  }
  for (auto& th : threads) th.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  if (!o.timeline.empty()) WriteTimeline(o.timeline, tallies);
  Tally all;
  for (auto& t : tallies) {
    all.latencies_ms.insert(all.latencies_ms.end(), t.latencies_ms.begin(), t.latencies_ms.end());
    for (auto [status, n] : t.by_status) all.by_status[status] += n;
    all.errors += t.errors;
  }
  std::sort(all.latencies_ms.begin(), all.latencies_ms.end());
  const auto n = static_cast<long>(all.latencies_ms.size());
  const double rps = seconds > 0 ? static_cast<double>(n) / seconds : 0;
  const double p50 = Percentile(all.latencies_ms, 0.50), p90 = Percentile(all.latencies_ms, 0.90),
               p99 = Percentile(all.latencies_ms, 0.99), mx = all.latencies_ms.empty() ? 0 : all.latencies_ms.back();

  std::printf("%s: %ld requests in %.2f s on %d connections = %.0f req/s (%s)\n", o.label.c_str(), n, seconds,
              o.connections, rps, o.rate > 0 ? ("open loop, offered " + std::to_string(o.rate) + "/s").c_str()
                                             : "closed loop");
  std::printf("  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", p50, p90, p99, mx);
  std::printf("  status:");
  for (auto [status, count] : all.by_status) std::printf(" %d=%ld", status, count);
  std::printf("  errors=%ld\n", all.errors);

  std::string status_json;
  for (auto [status, count] : all.by_status) {
    if (!status_json.empty()) status_json += ",";
    status_json += "\"" + std::to_string(status) + "\":" + std::to_string(count);
  }
  std::printf(
      "{\"label\":\"%s\",\"mode\":\"%s\",\"offered_rps\":%.1f,\"connections\":%d,\"requests\":%ld,\"seconds\":%.3f,\"rps\":%.1f,\"p50_ms\":%.3f,"
      "\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"status\":{%s},\"errors\":%ld}\n",
      JsonEscape(o.label).c_str(), o.rate > 0 ? "open" : "closed", o.rate, o.connections, n, seconds, rps, p50, p90, p99, mx, status_json.c_str(), all.errors);
  return all.errors > 0 && n == 0 ? 1 : 0;
}
