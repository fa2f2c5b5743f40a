// The workloads of the benchmarks, shared by app_benchmark (which runs them
// in-process against the real services) and bench_requests (which writes
// them as request files for http_load), so both measure the same thing:
// typo'd patient names, random patient ids, slot searches over 90 days and
// bookings of distinct open slots. Everything is drawn from an existing demo
// database and deterministic for a given seed and database.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cli/runtime.h"

namespace caredesk::bench {

// The services over `db` (SQLite file or postgresql:// URL), built as
// `caredesk serve` builds them (cli/runtime.h), with a pool of `pool_size`.
// The patient index is not loaded.
Result<std::unique_ptr<Runtime>> OpenBenchRuntime(const std::string& db, int pool_size);

// The database named by --db, else by CAREDESK_BENCH_DB; empty when neither.
std::string BenchDatabase(int argc, char** argv);

// Latency summary of samples in milliseconds (sorted in place).
struct LatencySummary {
  size_t count = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};
LatencySummary Summarise(std::vector<double>& samples_ms);

// A name search with a slip in it, and the patient it was made from.
struct TypoQuery {
  std::string text;  // "Jonh Smtih"
  int64_t patient_id = 0;
  std::string given_name, family_name;  // as registered
};

// `count` queries made from random patients' names: both names mistyped
// (60%), only the family name (20%) or only the given name (20%). A slip is
// one transposition of neighbours, deletion, doubling or substitution of a
// letter other than the first, in names of 4+ letters.
Result<std::vector<TypoQuery>> MakeTypoQueries(db::Pool& pool, size_t count, std::mt19937_64& rng);

// Lowest and highest patient id.
Result<std::pair<int64_t, int64_t>> PatientIdRange(db::Pool& pool);

// The ids of the active appointment types that at least one active provider does.
Result<std::vector<int64_t>> BookableTypes(Runtime& rt);

// An open slot, ready to book.
struct OpenSlot {
  int64_t appointment_type_id = 0;
  int64_t provider_id = 0;
  int64_t location_id = 0;
  TimePoint start{};
  std::string time_zone;  // the location's
};

// Up to `count` distinct open slots starting in [from, from + 90 days), in
// random order, none overlapping another: each provider is given one
// appointment type it does (its slots of one type never overlap), and its
// open slots of that type are taken through AppointmentService::Slots.
Result<std::vector<OpenSlot>> FindOpenSlots(Runtime& rt, size_t count, TimePoint from, std::mt19937_64& rng);

// "%20"-style encoding of a query-string value.
std::string UrlEncode(std::string_view s);

}  // namespace caredesk::bench
