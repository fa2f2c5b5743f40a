// bench_requests: writes request files for http_load ("METHOD PATH [JSON
// body]", one a line) from an existing demo database, with the workloads of
// bench_workload.h, so the HTTP loads and app_benchmark ask the same things.
//
//   bench_requests patient-gets --db D --count N --out F   GET /api/v1/patients/{random id}
//   bench_requests searches     --db D --count N --out F   GET /api/v1/patients?q=<typo'd name>&limit=10
//   bench_requests slots        --db D --count N --out F   GET /api/v1/slots, random type, next 90 days, limit 20
//   bench_requests bookings     --db D --count N --out F   POST /api/v1/appointments, distinct open slots
//   [--seed S] (default 1); --db defaults to $CAREDESK_BENCH_DB
//
// Bookings start a day from now at the earliest, so they are still in the
// future when the load runs; each line is a different slot that no other
// line overlaps, open when the file was written.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "bench_workload.h"

namespace caredesk::bench {
namespace {

struct Args {
  std::string kind;
  std::string db;
  std::string out;
  size_t count = 0;
  uint64_t seed = 1;
};

[[noreturn]] void Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "bench_requests: " << problem << "\n";
  std::cerr << "usage: bench_requests (patient-gets|searches|slots|bookings) --count N --out FILE [--db D] [--seed S]\n";
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
    else if (s == "--count") a.count = std::strtoull(value().c_str(), nullptr, 10);
    else if (s == "--out") a.out = value();
    else if (s == "--seed") a.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (a.kind.empty() && s[0] != '-') a.kind = s;
    else Usage("unknown argument " + s);
  }
  if (a.kind.empty()) Usage("give a kind of request");
  if (a.db.empty()) Usage("no database: give --db or set CAREDESK_BENCH_DB");
  if (a.out.empty() || a.count == 0) Usage("give --count and --out");
  return a;
}

int Write(const Args& a) {
  auto rt = OpenBenchRuntime(a.db, 2);
  if (!rt.ok()) Usage("cannot open " + a.db + ": " + rt.error().message);
  Runtime& r = **rt;
  std::mt19937_64 rng(a.seed);
  std::ofstream out(a.out, std::ios::trunc);
  if (!out) Usage("cannot write " + a.out);
  size_t written = 0;
  if (a.kind == "patient-gets") {
    auto range = PatientIdRange(*r.pool);
    if (!range.ok()) Usage(range.error().message);
    std::uniform_int_distribution<int64_t> pick(range->first, range->second);
    for (; written < a.count; ++written) out << "GET /api/v1/patients/" << pick(rng) << "\n";
  } else if (a.kind == "searches") {
    auto queries = MakeTypoQueries(*r.pool, a.count, rng);
    if (!queries.ok()) Usage(queries.error().message);
    for (const auto& q : *queries) {
      out << "GET /api/v1/patients?q=" << UrlEncode(q.text) << "&limit=10\n";
      ++written;
    }
  } else if (a.kind == "slots") {
    auto types = BookableTypes(r);
    if (!types.ok()) Usage(types.error().message);
    const TimePoint from = r.clock.Now();
    const std::string from_text = FormatInstantUtc(from);
    const std::string to_text = FormatInstantUtc(from + std::chrono::hours(24 * 90));
    std::uniform_int_distribution<size_t> pick(0, types->size() - 1);
    for (; written < a.count; ++written) {
      out << "GET /api/v1/slots?appointment_type=" << (*types)[pick(rng)] << "&from=" << from_text
          << "&to=" << to_text << "&limit=20\n";
    }
  } else if (a.kind == "bookings") {
    auto range = PatientIdRange(*r.pool);
    if (!range.ok()) Usage(range.error().message);
    auto slots = FindOpenSlots(r, a.count, r.clock.Now() + std::chrono::hours(24), rng);
    if (!slots.ok()) Usage(slots.error().message);
    std::uniform_int_distribution<int64_t> patient(range->first, range->second);
    for (const OpenSlot& s : *slots) {
      out << "POST /api/v1/appointments {\"patient_id\":" << patient(rng)
          << ",\"appointment_type_id\":" << s.appointment_type_id << ",\"provider_id\":" << s.provider_id
          << ",\"location_id\":" << s.location_id << ",\"start\":\"" << FormatInstant(s.start, s.time_zone)
          << "\"}\n";
      ++written;
    }
  } else {
    Usage("unknown kind " + a.kind);
  }
  out.close();
  std::printf("wrote %zu %s requests to %s\n", written, a.kind.c_str(), a.out.c_str());
  return written == a.count ? 0 : 3;
}

}  // namespace
}  // namespace caredesk::bench

int main(int argc, char** argv) { return caredesk::bench::Write(caredesk::bench::ParseArgs(argc, argv)); }
