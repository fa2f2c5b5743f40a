#include "bench_workload.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

#include "domain/security/credentials.h"

namespace caredesk::bench {
namespace {

constexpr int kSearchDays = 90;
constexpr size_t kSlotsPerCall = 500;  // kMaxSlotLimit
constexpr char kPatientName[] = "SELECT given_name, family_name FROM patients WHERE id = $1";
constexpr char kPatientRange[] = "SELECT MIN(id), MAX(id) FROM patients";

// One slip in a name of 4+ ASCII letters, never in its first letter.
std::string Mistype(const std::string& name, std::mt19937_64& rng) {
  std::vector<size_t> letters;  // positions of ASCII letters after the first character
  for (size_t i = 1; i < name.size(); ++i) {
    if (std::isalpha(static_cast<unsigned char>(name[i])) && static_cast<unsigned char>(name[i]) < 0x80) {
      letters.push_back(i);
    }
  }
  if (name.size() < 4 || letters.size() < 3) return name;
  std::string out = name;
  const size_t i = letters[std::uniform_int_distribution<size_t>(0, letters.size() - 1)(rng)];
  switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
    case 0:  // transpose with the next letter ("Jonh")
      if (i + 1 < out.size() && std::isalpha(static_cast<unsigned char>(out[i + 1])) && out[i] != out[i + 1]) {
        std::swap(out[i], out[i + 1]);
        break;
      }
      [[fallthrough]];
    case 1:  // drop it ("Smih")
      out.erase(i, 1);
      break;
    case 2:  // double it ("Smitth")
      out.insert(i, 1, out[i]);
      break;
    default: {  // another letter ("Smoth")
      char c = static_cast<char>('a' + std::uniform_int_distribution<int>(0, 25)(rng));
      if (c == std::tolower(static_cast<unsigned char>(out[i]))) c = c == 'z' ? 'a' : static_cast<char>(c + 1);
      out[i] = c;
    }
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Runtime>> OpenBenchRuntime(const std::string& db, int pool_size) {
  Config config;
  config.db = db;
  config.db_pool = pool_size;
  return OpenRuntime(config, pool_size);
}

std::string BenchDatabase(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string_view(argv[i]) == "--db") return argv[i + 1];
  }
  const char* env = std::getenv("CAREDESK_BENCH_DB");
  return env ? env : "";
}

LatencySummary Summarise(std::vector<double>& samples) {
  LatencySummary s;
  s.count = samples.size();
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    auto i = static_cast<size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(i, samples.size() - 1)];
  };
  s.p50_ms = at(0.50);
  s.p90_ms = at(0.90);
  s.p99_ms = at(0.99);
  s.max_ms = samples.back();
  return s;
}

Result<std::pair<int64_t, int64_t>> PatientIdRange(db::Pool& pool) {
  auto conn = pool.Acquire();
  CD_ASSIGN_OR_RETURN(db::ResultSet rs, conn->Query(kPatientRange));
  if (rs.empty() || rs.IsNull(0, 0)) return Error::NotFound("the database holds no patients; run caredesk demo");
  return std::make_pair(rs.Int(0, 0), rs.Int(0, 1));
}

Result<std::vector<TypoQuery>> MakeTypoQueries(db::Pool& pool, size_t count, std::mt19937_64& rng) {
  CD_ASSIGN_OR_RETURN(auto range, PatientIdRange(pool));
  std::uniform_int_distribution<int64_t> pick(range.first, range.second);
  auto conn = pool.Acquire();
  std::vector<TypoQuery> out;
  out.reserve(count);
  for (size_t tries = 0; out.size() < count && tries < count * 4; ++tries) {
    const int64_t id = pick(rng);
    CD_ASSIGN_OR_RETURN(db::ResultSet rs, conn->Query(kPatientName, {id}));
    if (rs.empty()) continue;
    TypoQuery q;
    q.patient_id = id;
    q.given_name = rs.Text(0, 0);
    q.family_name = rs.Text(0, 1);
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    // 0-5: both names, 6-7: only the given name, 8-9: only the family name.
    const std::string given = kind < 8 ? Mistype(q.given_name, rng) : q.given_name;
    const std::string family = kind < 6 || kind >= 8 ? Mistype(q.family_name, rng) : q.family_name;
    q.text = given + " " + family;
    out.push_back(std::move(q));
  }
  return out;
}

Result<std::vector<int64_t>> BookableTypes(Runtime& rt) {
  CD_ASSIGN_OR_RETURN(auto snap, rt.schedule->Snapshot());
  std::set<int64_t> active_providers;
  for (const Provider& p : snap->providers) {
    if (p.active) active_providers.insert(p.id);
  }
  std::vector<int64_t> out;
  for (const AppointmentType& t : snap->appointment_types) {
    if (!t.active) continue;
    for (int64_t p : t.provider_ids) {
      if (active_providers.count(p)) {
        out.push_back(t.id);
        break;
      }
    }
  }
  if (out.empty()) return Error::NotFound("no bookable appointment types; run caredesk demo");
  return out;
}

Result<std::vector<OpenSlot>> FindOpenSlots(Runtime& rt, size_t count, TimePoint from, std::mt19937_64& rng) {
  CD_ASSIGN_OR_RETURN(auto snap, rt.schedule->Snapshot());
  std::map<int64_t, std::string> zone_of;
  for (const Location& l : snap->locations) zone_of[l.id] = l.time_zone;
  // The types each active provider does.
  std::map<int64_t, std::vector<int64_t>> types_of;
  for (const Provider& p : snap->providers) {
    if (p.active) types_of[p.id];
  }
  for (const AppointmentType& t : snap->appointment_types) {
    if (!t.active) continue;
    for (int64_t p : t.provider_ids) {
      auto it = types_of.find(p);
      if (it != types_of.end()) it->second.push_back(t.id);
    }
  }
  std::vector<int64_t> providers;
  for (const auto& [p, types] : types_of) {
    if (!types.empty()) providers.push_back(p);
  }
  if (providers.empty()) return Error::NotFound("no provider does any active appointment type");
  std::shuffle(providers.begin(), providers.end(), rng);
  const size_t per_provider = std::min(kSlotsPerCall, count / providers.size() + 1);

  std::vector<OpenSlot> out;
  for (int64_t p : providers) {
    if (out.size() >= count) break;
    const auto& types = types_of[p];
    const int64_t type = types[std::uniform_int_distribution<size_t>(0, types.size() - 1)(rng)];
    SlotQuery q;
    q.appointment_type_id = type;
    q.provider_id = p;
    q.from = q.not_before = from;
    q.to = from + std::chrono::hours(24 * kSearchDays);
    q.limit = per_provider;
    CD_ASSIGN_OR_RETURN(auto slots, rt.appointments->Slots(q));
    for (const Slot& s : slots) {
      out.push_back(OpenSlot{type, p, s.location_id, s.start, zone_of[s.location_id]});
    }
  }
  std::shuffle(out.begin(), out.end(), rng);
  if (out.size() > count) out.resize(count);
  return out;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace caredesk::bench
