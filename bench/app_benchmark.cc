// app_benchmark: the CareDesk use cases timed in-process, through the real
// services (src/app) over an existing demo database — the same code the HTTP
// handlers call, without HTTP. A plain timed driver: each mode runs for a
// bounded time and prints a human summary and one JSON line.
//
//   CAREDESK_BENCH_DB=var/bench/big.db build/bench/app_benchmark slots  [--seconds 10] [--threads 1]
//   CAREDESK_BENCH_DB=var/bench/big.db build/bench/app_benchmark book   [--seconds 10] [--threads 16] [--count 60000]
//   CAREDESK_BENCH_DB=var/bench/big.db build/bench/app_benchmark search [--seconds 10] [--queries 5000]
//   CAREDESK_BENCH_DB=var/bench/big.db build/bench/app_benchmark get    [--seconds 10] [--threads 16]
//   (--db D instead of the environment; a SQLite file or a postgresql:// URL)
//
// slots:  "next 20 open slots of a random bookable type across all eligible
//         providers over 90 days from now": AppointmentService::Slots, which
//         includes the database busy lookups.
// book:   AppointmentService::Book on distinct open slots (found first, not
//         timed) from --threads threads at once, each call the whole booking
//         transaction plus the read-back the HTTP handler answers with.
//         WRITES to the database: every success is a new appointment.
// search: PatientService::LoadIndex (timed), then typo'd name searches
//         ("Jonh Smtih", bench_workload.h) through PatientService::Search —
//         index, row fetch and the audit entry of the read — and through the
//         bare in-memory index, each for half of --seconds.
// get:    PatientService::Get of random patients from --threads threads: the
//         read transaction and the audit entries of the read, as
//         GET /api/v1/patients/{id} runs them. Also prints the process CPU
//         time per call, steadier than the rate on a shared machine.
//         WRITES audit entries.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "bench_workload.h"

namespace caredesk::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Args {
  std::string mode;
  std::string db;
  double seconds = 10;
  int threads = 0;  // 0 = the mode's default
  size_t count = 60000;
  size_t queries = 5000;
  uint64_t seed = 1;
};

[[noreturn]] void Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "app_benchmark: " << problem << "\n";
  std::cerr << "usage: app_benchmark (slots|book|search|get) [--db D] [--seconds S] [--threads N] [--count N]\n"
               "                     [--queries N] [--seed S]    (D defaults to $CAREDESK_BENCH_DB)\n";
  std::exit(2);
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  a.db = BenchDatabase(argc, argv);
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(s + " needs a value");
      return argv[++i];
    };
    if (s == "--db") value();
    else if (s == "--seconds") a.seconds = std::atof(value().c_str());
    else if (s == "--threads") a.threads = std::atoi(value().c_str());
    else if (s == "--count") a.count = std::strtoull(value().c_str(), nullptr, 10);
    else if (s == "--queries") a.queries = std::strtoull(value().c_str(), nullptr, 10);
    else if (s == "--seed") a.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (s == "--help" || s == "-h") Usage("");
    else if (a.mode.empty() && s[0] != '-') a.mode = s;
    else Usage("unknown argument " + s);
  }
  if (a.mode != "slots" && a.mode != "book" && a.mode != "search" && a.mode != "get") {
    Usage("give a mode: slots, book, search or get");
  }
  if (a.db.empty()) Usage("no database: give --db or set CAREDESK_BENCH_DB");
  if (a.seconds <= 0 || a.seconds > 120) Usage("--seconds must be in (0, 120]");
  if (a.threads < 0 || a.threads > 256) Usage("--threads must be 1..256");
  return a;
}

Actor BenchActor() {
  Actor a;
  a.username = "app_benchmark";
  a.role = Role::kCoordinator;
  a.client_address = "in-process";
  return a;
}

double Ms(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void PrintLatency(const char* what, const LatencySummary& s, double seconds) {
  std::printf("  %-28s %zu in %.2f s = %.0f/s; ms p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", what, s.count, seconds,
              seconds > 0 ? static_cast<double>(s.count) / seconds : 0, s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms);
}

std::string LatencyJson(const std::string& prefix, const LatencySummary& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "\"%sp50_ms\":%.3f,\"%sp90_ms\":%.3f,\"%sp99_ms\":%.3f,\"%smax_ms\":%.3f",
                prefix.c_str(), s.p50_ms, prefix.c_str(), s.p90_ms, prefix.c_str(), s.p99_ms, prefix.c_str(),
                s.max_ms);
  return buf;
}

// Runs `op(thread, rng)` on `threads` threads until `deadline` or until it
// returns false; returns the per-call latencies in ms.
template <class Op>
std::vector<double> RunTimed(int threads, SteadyClock::time_point deadline, uint64_t seed, Op op) {
  std::vector<std::vector<double>> per(static_cast<size_t>(threads));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::mt19937_64 rng(seed + static_cast<uint64_t>(t));
      auto& mine = per[static_cast<size_t>(t)];
      while (SteadyClock::now() < deadline) {
        auto started = SteadyClock::now();
        if (!op(t, rng)) break;
        mine.push_back(Ms(SteadyClock::now() - started));
      }
    });
  }
  for (auto& th : pool) th.join();
  std::vector<double> all;
  for (auto& v : per) all.insert(all.end(), v.begin(), v.end());
  return all;
}

int RunSlots(const Args& a, Runtime& rt) {
  const int threads = a.threads > 0 ? a.threads : 1;
  auto started_engine = SteadyClock::now();
  if (auto e = rt.schedule->Engine(); !e.ok()) Usage(e.error().message);
  const double engine_ms = Ms(SteadyClock::now() - started_engine);
  auto types = BookableTypes(rt);
  if (!types.ok()) Usage(types.error().message);
  std::printf("slots: %zu bookable types; schedule loaded and engine built in %.1f ms; %d thread(s)\n",
              types->size(), engine_ms, threads);
  std::atomic<long> errors{0}, found{0};
  auto op = [&](int, std::mt19937_64& rng) {
    SlotQuery q;
    q.appointment_type_id = (*types)[std::uniform_int_distribution<size_t>(0, types->size() - 1)(rng)];
    q.from = q.not_before = rt.clock.Now();
    q.to = q.from + std::chrono::hours(24 * 90);
    q.limit = 20;
    auto slots = rt.appointments->Slots(q);
    if (!slots.ok()) ++errors;
    else found += static_cast<long>(slots->size());
    return true;
  };
  RunTimed(threads, SteadyClock::now() + std::chrono::milliseconds(500), a.seed + 1000, op);  // warm-up
  found = 0;
  errors = 0;
  auto started = SteadyClock::now();
  auto samples = RunTimed(threads, started + std::chrono::duration_cast<SteadyClock::duration>(
                                                 std::chrono::duration<double>(a.seconds)),
                          a.seed, op);
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  auto s = Summarise(samples);
  const double per_search = s.count ? static_cast<double>(found) / static_cast<double>(s.count) : 0;
  PrintLatency("AppointmentService::Slots", s, seconds);
  std::printf("  slots found per search: %.1f (of 20 asked)\n", per_search);
  std::printf(
      "{\"bench\":\"slots\",\"threads\":%d,\"searches\":%zu,\"per_s\":%.1f,%s,\"slots_per_search\":%.1f,"
      "\"errors\":%ld}\n",
      threads, s.count, static_cast<double>(s.count) / seconds, LatencyJson("", s).c_str(), per_search,
      errors.load());
  return errors > 0 ? 1 : 0;
}

int RunBook(const Args& a, Runtime& rt) {
  const int threads = a.threads > 0 ? a.threads : 16;
  auto range = PatientIdRange(*rt.pool);
  if (!range.ok()) Usage(range.error().message);
  std::mt19937_64 rng(a.seed);
  auto found_at = SteadyClock::now();
  auto slots = FindOpenSlots(rt, a.count, rt.clock.Now() + std::chrono::hours(24), rng);
  if (!slots.ok()) Usage(slots.error().message);
  std::printf("book: %zu distinct open slots found in %.1f s; %d threads\n", slots->size(),
              std::chrono::duration<double>(SteadyClock::now() - found_at).count(), threads);
  const Actor actor = BenchActor();
  std::atomic<size_t> next{0};
  std::atomic<long> booked{0}, taken{0}, failed{0};
  std::mutex first_error_mu;
  std::string first_error;
  auto op = [&](int, std::mt19937_64& r) {
    size_t i = next++;
    if (i >= slots->size()) return false;
    const OpenSlot& s = (*slots)[i];
    BookingRequest req;
    req.patient_id = std::uniform_int_distribution<int64_t>(range->first, range->second)(r);
    req.appointment_type_id = s.appointment_type_id;
    req.provider_id = s.provider_id;
    req.location_id = s.location_id;
    req.start = s.start;
    auto v = rt.appointments->Book(actor, req);
    if (v.ok()) {
      ++booked;
    } else if (v.error().reason == "slot_taken") {
      ++taken;
    } else {
      ++failed;
      std::lock_guard lock(first_error_mu);
      if (first_error.empty()) first_error = v.error().message;
    }
    return true;
  };
  auto started = SteadyClock::now();
  auto samples = RunTimed(threads, started + std::chrono::duration_cast<SteadyClock::duration>(
                                                 std::chrono::duration<double>(a.seconds)),
                          a.seed, op);
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  auto s = Summarise(samples);
  PrintLatency("AppointmentService::Book", s, seconds);
  std::printf("  booked %ld (%.0f/s), slot_taken %ld, other errors %ld%s%s\n", booked.load(),
              static_cast<double>(booked) / seconds, taken.load(), failed.load(),
              first_error.empty() ? "" : "; first: ", first_error.c_str());
  if (next >= slots->size()) std::printf("  note: ran out of open slots before the time was up\n");
  std::printf(
      "{\"bench\":\"book\",\"threads\":%d,\"calls\":%zu,\"booked\":%ld,\"booked_per_s\":%.1f,\"slot_taken\":%ld,"
      "\"errors\":%ld,\"seconds\":%.3f,%s}\n",
      threads, s.count, booked.load(), static_cast<double>(booked) / seconds, taken.load(), failed.load(), seconds,
      LatencyJson("", s).c_str());
  return failed > 0 ? 1 : 0;
}

bool SameName(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

int RunSearch(const Args& a, Runtime& rt) {
  auto load_started = SteadyClock::now();
  if (auto st = rt.patients->LoadIndex(); !st.ok()) Usage(st.error().message);
  const double load_s = std::chrono::duration<double>(SteadyClock::now() - load_started).count();
  const size_t patients = rt.patients->indexed();
  const double index_mib = static_cast<double>(rt.patients->index().MemoryUsage()) / (1 << 20);
  std::printf("search: %zu patients indexed in %.1f s (index ~%.0f MiB)\n", patients, load_s, index_mib);
  std::mt19937_64 rng(a.seed);
  auto queries = MakeTypoQueries(*rt.pool, a.queries, rng);
  if (!queries.ok()) Usage(queries.error().message);
  const Actor actor = BenchActor();
  constexpr size_t kLimit = 10;

  // Through the service: index, row fetch, audit entry.
  std::atomic<size_t> next{0};
  std::atomic<long> errors{0}, in_top10{0}, judged{0};
  auto service_op = [&](int, std::mt19937_64&) {
    const TypoQuery& q = (*queries)[next++ % queries->size()];
    auto hits = rt.patients->Search(actor, q.text, kLimit, 0);
    if (!hits.ok()) {
      ++errors;
      return true;
    }
    ++judged;
    for (const auto& h : *hits) {
      if (h.patient.id == q.patient_id ||
          (SameName(h.patient.given_name, q.given_name) && SameName(h.patient.family_name, q.family_name))) {
        ++in_top10;
        break;
      }
    }
    return true;
  };
  const auto half = std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(a.seconds / 2));
  RunTimed(1, SteadyClock::now() + std::chrono::milliseconds(300), a.seed, service_op);  // warm-up
  next = 0;
  in_top10 = judged = 0;
  auto started = SteadyClock::now();
  auto service = RunTimed(1, started + half, a.seed, service_op);
  const double service_s = std::chrono::duration<double>(SteadyClock::now() - started).count();

  // The bare in-memory index.
  next = 0;
  std::atomic<size_t> bare_hits{0};
  auto index_op = [&](int, std::mt19937_64&) {
    const TypoQuery& q = (*queries)[next++ % queries->size()];
    bare_hits += rt.patients->index().Search(q.text, kLimit, 0).size();
    return true;
  };
  started = SteadyClock::now();
  auto bare = RunTimed(1, started + half, a.seed, index_op);
  const double bare_s = std::chrono::duration<double>(SteadyClock::now() - started).count();

  auto s = Summarise(service);
  auto b = Summarise(bare);
  PrintLatency("PatientService::Search", s, service_s);
  PrintLatency("PatientIndex::Search", b, bare_s);
  const double top10 = judged > 0 ? static_cast<double>(in_top10) / static_cast<double>(judged) : 0;
  std::printf("  intended patient (or a namesake) on the first page of ten: %.1f%%\n", 100 * top10);
  std::printf(
      "{\"bench\":\"search\",\"patients\":%zu,\"index_load_s\":%.2f,\"index_mib\":%.0f,\"searches\":%zu,%s,%s,"
      "\"in_top10\":%.3f,\"errors\":%ld}\n",
      patients, load_s, index_mib, s.count, LatencyJson("", s).c_str(), LatencyJson("index_", b).c_str(), top10,
      errors.load());
  return errors > 0 ? 1 : 0;
}

// User plus system CPU time of the whole process so far.
double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

int RunGet(const Args& a, Runtime& rt) {
  const int threads = a.threads > 0 ? a.threads : 16;
  auto range = PatientIdRange(*rt.pool);
  if (!range.ok()) Usage(range.error().message);
  std::printf("get: patients %lld..%lld; %d threads\n", static_cast<long long>(range->first),
              static_cast<long long>(range->second), threads);
  const Actor actor = BenchActor();
  std::atomic<long> errors{0};
  auto op = [&](int, std::mt19937_64& r) {
    int64_t id = std::uniform_int_distribution<int64_t>(range->first, range->second)(r);
    auto p = rt.patients->Get(actor, id);
    if (!p.ok() && p.error().code != ErrorCode::kNotFound) ++errors;
    return true;
  };
  RunTimed(threads, SteadyClock::now() + std::chrono::milliseconds(500), a.seed + 1000, op);  // warm-up
  errors = 0;
  const double cpu_before = ProcessCpuSeconds();
  auto started = SteadyClock::now();
  auto samples = RunTimed(threads, started + std::chrono::duration_cast<SteadyClock::duration>(
                                                 std::chrono::duration<double>(a.seconds)),
                          a.seed, op);
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  const double cpu = ProcessCpuSeconds() - cpu_before;
  auto s = Summarise(samples);
  const double cpu_us = s.count ? cpu * 1e6 / static_cast<double>(s.count) : 0;
  PrintLatency("PatientService::Get", s, seconds);
  std::printf("  process CPU per call: %.1f us (%.2f cores busy)\n", cpu_us, cpu / seconds);
  std::printf("{\"bench\":\"get\",\"threads\":%d,\"calls\":%zu,\"per_s\":%.1f,%s,\"cpu_us_per_call\":%.1f,"
              "\"errors\":%ld}\n",
              threads, s.count, static_cast<double>(s.count) / seconds, LatencyJson("", s).c_str(), cpu_us,
              errors.load());
  return errors > 0 ? 1 : 0;
}

}  // namespace
}  // namespace caredesk::bench

int main(int argc, char** argv) {
  using namespace caredesk::bench;
  Args a = ParseArgs(argc, argv);
  const int threads = a.threads > 0 ? a.threads : (a.mode == "book" || a.mode == "get" ? 16 : 1);
  auto rt = OpenBenchRuntime(a.db, threads + 2);
  if (!rt.ok()) {
    std::cerr << "app_benchmark: cannot open " << a.db << ": " << rt.error().message << "\n";
    return 1;
  }
  if (a.mode == "slots") return RunSlots(a, **rt);
  if (a.mode == "book") return RunBook(a, **rt);
  if (a.mode == "get") return RunGet(a, **rt);
  return RunSearch(a, **rt);
}
