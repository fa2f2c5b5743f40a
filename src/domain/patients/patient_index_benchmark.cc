// PatientIndex at 10,000 and 1,000,000 synthetic patients: build time and memory, and the
// latency distribution of typo'd front-desk searches and of duplicate detection at registration.
//
//   ninja -C build-patients patient_index_benchmark
//   build-patients/bench/patient_index_benchmark --benchmark_counters_tabular=true
//
// The population is deterministic: names drawn with Zipf-like weights from about 330 given and
// 340 family names across cultures, plus a long tail of made-up family names (a quarter of
// patients) and given names (a twentieth), so that the name dictionary grows with the population
// as real ones do (about 2,900 distinct names at 10,000 patients, 28,000 at 1,000,000).
//
// Counters: latency percentiles in microseconds over all iterations, by the wall clock (p50_us …)
// and by the thread's CPU clock (cpu_p50_us …, which a busy machine disturbs less); for searches,
// how often the intended patient — or a namesake with the same given and family name, who ties
// with them on score — is on the first page of ten (in_top10; not judged for prefix queries).
// BM_SearchTypos/<patients>/<kind>: kind 0 is the mixed workload, 1–4 one kind of it (QueryKind).
#include <benchmark/benchmark.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "domain/patients/duplicate_detector.h"
#include "domain/patients/patient_index.h"

namespace caredesk {
namespace {

// clang-format off
constexpr const char* kGivenNames[] = {
    // English
    "james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas",
    "charles", "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven", "paul",
    "andrew", "joshua", "kenneth", "kevin", "brian", "george", "timothy", "ronald", "edward",
    "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric", "jonathan", "stephen", "larry",
    "justin", "scott", "brandon", "benjamin", "samuel", "gregory", "alexander", "frank", "patrick",
    "raymond", "jack", "dennis", "jerry", "tyler", "aaron", "henry", "adam", "peter", "nathan",
    "zachary", "kyle", "walter", "harold", "carl", "arthur", "gerald", "roger", "keith", "mary",
    "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen",
    "lisa", "nancy", "betty", "margaret", "sandra", "ashley", "kimberly", "emily", "donna",
    "michelle", "carol", "amanda", "dorothy", "melissa", "deborah", "stephanie", "rebecca",
    "sharon", "laura", "cynthia", "kathleen", "amy", "angela", "shirley", "anna", "brenda",
    "pamela", "emma", "nicole", "helen", "samantha", "katherine", "christine", "debra", "rachel",
    "carolyn", "janet", "catherine", "maria", "heather", "diane", "ruth", "julie", "olivia",
    "joyce", "virginia", "victoria", "kelly", "lauren", "christina", "joan", "evelyn", "judith",
    "megan", "andrea", "cheryl", "hannah", "jacqueline", "martha", "gloria", "teresa", "ann",
    "sara", "madison", "frances", "kathryn", "janice", "jean", "abigail", "alice", "judy", "sophia",
    "grace", "denise", "amber", "doris", "marilyn", "danielle", "beverly", "isabella", "theresa",
    "diana", "natalie", "brittany", "charlotte", "marie", "kayla", "alexis", "lori",
    // Spanish, Portuguese, Italian, French, German
    "jose", "juan", "luis", "carlos", "jorge", "pedro", "miguel", "alejandro", "francisco",
    "javier", "manuel", "antonio", "rafael", "fernando", "ricardo", "diego", "sergio", "pablo",
    "guadalupe", "rosa", "carmen", "ana", "lucia", "sofia", "valentina", "camila", "isabel",
    "gabriela", "mariana", "fernanda", "joao", "thiago", "rodrigo", "beatriz", "giulia", "giuseppe",
    "marco", "luca", "francesca", "chiara", "pierre", "louis", "camille", "chloe", "manon",
    "hans", "klaus", "stefan", "jurgen", "ursula", "katrin", "lukas",
    // Slavic, Greek, Nordic
    "ivan", "dmitri", "sergei", "olga", "natalia", "tatiana", "irina", "piotr", "katarzyna",
    "agnieszka", "tomasz", "pavel", "milan", "jana", "dimitrios", "georgios", "eleni", "lars",
    "sven", "ingrid", "astrid", "mikael", "freya",
    // Arabic, Turkish, Persian
    "mohammed", "muhammad", "ahmed", "ali", "omar", "hassan", "hussein", "ibrahim", "youssef",
    "khalid", "fatima", "aisha", "zainab", "mariam", "layla", "noor", "mustafa", "mehmet", "emre",
    "elif", "reza", "parisa", "dariush",
    // South Asian
    "priya", "anjali", "deepika", "pooja", "sunita", "rahul", "amit", "vikram", "arjun", "rajesh",
    "sanjay", "anil", "ravi", "suresh", "lakshmi", "kavya", "aditya", "rohan", "neha", "imran",
    // East and South-East Asian
    "wei", "jing", "li", "ming", "hui", "xin", "yan", "jun", "lei", "hao", "yu", "chen", "min",
    "ji", "seo", "hyun", "jae", "hiroshi", "takashi", "yuki", "haruto", "sakura", "yui", "minh",
    "anh", "linh", "thanh", "duc", "mai", "huong",
    // African
    "kwame", "kofi", "ama", "abena", "chinedu", "ngozi", "oluwaseun", "adebayo", "folake", "tendai",
    "thabo", "sipho", "nomvula", "amara", "chiamaka", "emeka", "zanele", "ayodele",
};
// clang-format on

// clang-format off
constexpr const char* kFamilyNames[] = {
    // English
    "smith", "johnson", "williams", "brown", "jones", "miller", "davis", "wilson", "anderson",
    "taylor", "thomas", "moore", "jackson", "martin", "lee", "thompson", "white", "harris", "clark",
    "lewis", "robinson", "walker", "young", "allen", "king", "wright", "scott", "hill", "green",
    "adams", "baker", "nelson", "carter", "mitchell", "roberts", "turner", "phillips", "campbell",
    "parker", "evans", "edwards", "collins", "stewart", "morris", "murphy", "cook", "rogers",
    "morgan", "peterson", "cooper", "reed", "bailey", "bell", "kelly", "howard", "ward", "cox",
    "richardson", "wood", "watson", "brooks", "bennett", "gray", "james", "hughes", "price",
    "sanders", "myers", "long", "ross", "foster", "powell", "jenkins", "perry", "russell",
    "sullivan", "fisher", "henderson", "hamilton", "graham", "wallace", "woods", "cole", "west",
    "jordan", "owens", "reynolds", "ellis", "harrison", "gibson", "mcdonald", "marshall", "obrien",
    "oconnor", "murray", "kennedy", "wells", "burns", "fletcher", "shaw", "holmes", "palmer",
    "black", "robertson", "dixon", "hunt", "hawkins", "grant", "knight",
    // Spanish, Portuguese, Italian, French, German, Dutch
    "garcia", "rodriguez", "martinez", "hernandez", "lopez", "gonzalez", "perez", "sanchez",
    "ramirez", "torres", "flores", "rivera", "gomez", "diaz", "reyes", "morales", "cruz", "ortiz",
    "gutierrez", "chavez", "ramos", "ruiz", "alvarez", "mendoza", "castillo", "jimenez", "vasquez",
    "romero", "herrera", "medina", "aguilar", "vargas", "castro", "silva", "santos", "oliveira",
    "souza", "pereira", "costa", "ferreira", "almeida", "carvalho", "rossi", "russo", "ferrari",
    "esposito", "bianchi", "romano", "colombo", "ricci", "marino", "greco", "bruno", "dubois",
    "moreau", "laurent", "lefebvre", "leroy", "girard", "fournier", "mercier", "muller", "schmidt",
    "schneider", "fischer", "weber", "meyer", "wagner", "becker", "schulz", "hoffmann", "koch",
    "richter", "klein", "wolf", "schroder", "neumann", "braun", "devries", "jansen", "bakker",
    "visser",
    // Slavic, Greek, Nordic, Irish
    "ivanov", "smirnov", "kuznetsov", "popov", "sokolov", "petrov", "volkov", "kowalski", "nowak",
    "wisniewski", "wojcik", "kaminski", "lewandowski", "novak", "horvat", "kovacs", "nagy",
    "papadopoulos", "georgiou", "nikolaou", "hansen", "johansson", "nielsen", "larsen", "andersen",
    "eriksson", "lindqvist", "virtanen", "korhonen", "byrne", "ryan", "doyle", "mccarthy",
    "gallagher", "quinn",
    // Arabic, Turkish, Persian
    "khan", "ahmed", "ali", "hussain", "rahman", "abdullah", "hassan", "ibrahim", "mahmoud",
    "haddad", "nasser", "saleh", "yilmaz", "kaya", "demir", "sahin", "celik", "hosseini", "karimi",
    "rezaei",
    // South Asian
    "patel", "sharma", "singh", "kumar", "gupta", "shah", "mehta", "joshi", "reddy", "rao", "nair",
    "iyer", "chowdhury", "das", "bose", "banerjee", "mukherjee", "verma", "agarwal", "malhotra",
    // East and South-East Asian
    "wang", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu",
    "hu", "guo", "he", "lin", "luo", "gao", "zheng", "kim", "park", "choi", "jung", "kang", "cho",
    "yoon", "jang", "lim", "nguyen", "tran", "le", "pham", "hoang", "phan", "vu", "dang", "bui",
    "do", "ngo", "tanaka", "suzuki", "takahashi", "watanabe", "ito", "yamamoto", "nakamura",
    "kobayashi", "sato", "kato", "bautista", "ocampo",
    // African
    "okafor", "okonkwo", "adeyemi", "olawale", "mensah", "asante", "boateng", "owusu", "mwangi",
    "kamau", "otieno", "ndlovu", "dlamini", "nkosi", "mokoena", "diallo", "traore", "keita",
    "toure", "abebe", "tesfaye", "haile", "banda", "phiri",
};
// clang-format on

// Syllables of made-up names for the long tail (30 × 30 × 30 three-syllable names).
constexpr const char* kSyllables[] = {"ka",  "ro",  "vin", "del", "mar", "to",  "shi", "len",
                                      "bra", "qui", "zo",  "fen", "ha",  "lu",  "ber", "ni",
                                      "gar", "so",  "tam", "ve",  "ri",  "don", "pa",  "ly",
                                      "cor", "mu",  "sen", "tha", "wi",  "nes"};

constexpr double kZipfExponent = 0.6;
constexpr double kTailFamilyShare = 0.25;
constexpr double kTailGivenShare = 0.05;
constexpr double kMiddleNameShare = 0.35;
constexpr double kEmailShare = 0.4;
constexpr size_t kQueryCount = 4096;
constexpr size_t kPageSize = 10;

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Draws list indices with weight 1 / (rank + 1)^s.
class ZipfDraw {
 public:
  ZipfDraw(size_t n, double s) : cumulative_(n) {
    double total = 0;
    for (size_t i = 0; i < n; ++i) cumulative_[i] = total += 1.0 / std::pow(i + 1.0, s);
    for (double& c : cumulative_) c /= total;
  }
  size_t operator()(std::mt19937_64& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<size_t>(std::lower_bound(cumulative_.begin(), cumulative_.end(), u) -
                               cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

// Patient number i (1-based) of the synthetic population: the same for a given i every time.
class Population {
 public:
  Population()
      : given_(std::size(kGivenNames), kZipfExponent),
        family_(std::size(kFamilyNames), kZipfExponent) {}

  IndexedPatient Patient(int64_t i) const {
    std::mt19937_64 rng(SplitMix64(static_cast<uint64_t>(i)));
    std::uniform_real_distribution<double> unit(0, 1);
    IndexedPatient p;
    p.id = i;
    p.given_name = unit(rng) < kTailGivenShare ? MadeUp(rng) : kGivenNames[given_(rng)];
    p.family_name = unit(rng) < kTailFamilyShare ? MadeUp(rng) : kFamilyNames[family_(rng)];
    if (unit(rng) < kMiddleNameShare) p.middle_name = kGivenNames[given_(rng)];
    const CivilDate first{1930, 1, 1};
    p.birth_date = first.AddDays(static_cast<int64_t>(rng() % (365 * 94)));
    p.sex = rng() % 2 == 0 ? "female" : "male";
    p.phone = std::to_string(200 + rng() % 800) + std::to_string(1000000 + rng() % 9000000);
    if (unit(rng) < kEmailShare) {
      p.email = p.given_name + "." + p.family_name + std::to_string(rng() % 100) + "@example.com";
    }
    p.postal_code = std::to_string(10000 + rng() % 90000);
    p.mrn = FormatMrn(i);
    return p;
  }

 private:
  static std::string MadeUp(std::mt19937_64& rng) {
    std::string name;
    const int syllables = 2 + static_cast<int>(rng() % 2);
    for (int k = 0; k < syllables; ++k) name += kSyllables[rng() % std::size(kSyllables)];
    return name;
  }

  ZipfDraw given_;
  ZipfDraw family_;
};

const Population& SyntheticPopulation() {
  static const Population population;
  return population;
}

// One typing error: a transposition, substitution, deletion or insertion (substitution only
// below four letters).
std::string Typo(std::string s, std::mt19937_64& rng) {
  if (s.size() < 3) return s;
  const size_t kind = s.size() < 4 ? 1 : rng() % 4;
  const size_t pos = 1 + rng() % (s.size() - 2);  // keep the first letter, as people do
  const char letter = static_cast<char>('a' + rng() % 26);
  switch (kind) {
    case 0:
      std::swap(s[pos], s[pos + 1]);
      break;
    case 1:
      s[pos] = s[pos] == letter ? static_cast<char>('a' + (letter - 'a' + 1) % 26) : letter;
      break;
    case 2:
      s.erase(pos, 1);
      break;
    default:
      s.insert(pos, 1, letter);
      break;
  }
  return s;
}

// The kinds of search the front desk types, and their share of the mixed workload.
enum QueryKind : int64_t {
  kMixed = 0,
  kNamesWithTypos = 1,  // "given famliy", "family, gievn", both typo'd: 75%
  kNamesAndDate = 2,    // "famliy given MM/DD/YYYY": 10%
  kPrefixes = 3,        // "gi fam": 10%
  kPhone = 4,           // "(555) 123-4567": 5%
};

struct Query {
  std::string text;
  int64_t target;
  bool judged;  // whether the intended patient should be on the first page (not for prefixes)
};

Query MakeQuery(const IndexedPatient& p, QueryKind kind, std::mt19937_64& rng) {
  const std::string& given = p.given_name;
  const std::string& family = p.family_name;
  switch (kind) {
    case kNamesWithTypos: {
      const uint64_t form = rng() % 75;
      if (form < 40) return {given + " " + Typo(family, rng), p.id, true};
      if (form < 60) return {family + ", " + Typo(given, rng), p.id, true};
      return {Typo(given, rng) + " " + Typo(family, rng), p.id, true};
    }
    case kNamesAndDate: {
      const CivilDate& d = *p.birth_date;
      char date[16];
      std::snprintf(date, sizeof date, "%02d/%02d/%04d", d.month, d.day, d.year);
      return {Typo(family, rng) + " " + given + " " + date, p.id, true};
    }
    case kPrefixes:
      return {given.substr(0, 2) + " " + family.substr(0, 3), p.id, false};
    case kPhone:
      return {"(" + p.phone.substr(0, 3) + ") " + p.phone.substr(3, 3) + "-" + p.phone.substr(6),
              p.id, true};
    case kMixed:
      break;
  }
  const uint64_t share = rng() % 100;
  const QueryKind drawn = share < 75   ? kNamesWithTypos
                          : share < 85 ? kNamesAndDate
                          : share < 95 ? kPrefixes
                                       : kPhone;
  return MakeQuery(p, drawn, rng);
}

std::vector<Query> MakeQueries(int64_t population_size, QueryKind kind, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Query> queries;
  for (size_t q = 0; q < kQueryCount; ++q) {
    const int64_t target = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(population_size));
    queries.push_back(MakeQuery(SyntheticPopulation().Patient(target), kind, rng));
  }
  return queries;
}

double ThreadCpuMicros() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Latencies of each iteration, by the wall clock and by the thread's CPU clock.
class Latencies {
 public:
  void Start() {
    wall_start_ = std::chrono::steady_clock::now();
    cpu_start_ = ThreadCpuMicros();
  }
  void Stop() {
    cpu_.push_back(ThreadCpuMicros() - cpu_start_);
    wall_.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - wall_start_)
            .count());
  }
  void Report(benchmark::State& state) {
    Percentiles(state, wall_, "");
    Percentiles(state, cpu_, "cpu_");
  }

 private:
  static void Percentiles(benchmark::State& state, std::vector<double>& micros,
                          const std::string& prefix) {
    if (micros.empty()) return;
    std::sort(micros.begin(), micros.end());
    const auto at = [&](double q) {
      return micros[std::min(micros.size() - 1,
                             static_cast<size_t>(q * static_cast<double>(micros.size())))];
    };
    state.counters[prefix + "p50_us"] = at(0.50);
    state.counters[prefix + "p90_us"] = at(0.90);
    state.counters[prefix + "p99_us"] = at(0.99);
    state.counters[prefix + "max_us"] = micros.back();
  }

  std::chrono::steady_clock::time_point wall_start_;
  double cpu_start_ = 0;
  std::vector<double> wall_;
  std::vector<double> cpu_;
};

double ResidentMegabytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

// Indexes are built once per size and shared by the benchmarks that follow.
std::map<int64_t, std::unique_ptr<PatientIndex>>& Indexes() {
  static std::map<int64_t, std::unique_ptr<PatientIndex>> indexes;
  return indexes;
}

PatientIndex& IndexOf(int64_t size) {
  std::unique_ptr<PatientIndex>& index = Indexes()[size];
  if (!index) {
    index = std::make_unique<PatientIndex>();
    index->Reserve(static_cast<size_t>(size));
    for (int64_t i = 1; i <= size; ++i) index->Upsert(SyntheticPopulation().Patient(i));
  }
  return *index;
}

void BM_BuildIndex(benchmark::State& state) {
  const int64_t size = state.range(0);
  for (auto _ : state) {
    Indexes().erase(size);
    const double rss_before = ResidentMegabytes();
    const auto start = std::chrono::steady_clock::now();
    PatientIndex& index = IndexOf(size);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    state.counters["build_s"] = took.count();
    state.counters["rss_mb"] = ResidentMegabytes() - rss_before;
    state.counters["heap_mb"] = static_cast<double>(index.MemoryUsage()) / (1 << 20);
    state.counters["patients"] = static_cast<double>(index.size());
  }
}

void BM_SearchTypos(benchmark::State& state) {
  const int64_t size = state.range(0);
  const PatientIndex& index = IndexOf(size);
  const std::vector<Query> queries =
      MakeQueries(size, static_cast<QueryKind>(state.range(1)), 20250615);
  Latencies latencies;
  size_t next = 0, judged = 0, found = 0;
  for (auto _ : state) {
    const Query& q = queries[next++ % queries.size()];
    latencies.Start();
    const std::vector<SearchHit> hits = index.Search(q.text, kPageSize);
    latencies.Stop();
    benchmark::DoNotOptimize(hits);
    if (!q.judged) continue;
    state.PauseTiming();
    const IndexedPatient target = *index.Get(q.target);
    ++judged;
    found += std::any_of(hits.begin(), hits.end(), [&](const SearchHit& h) {
      if (h.id == q.target) return true;
      const IndexedPatient hit = *index.Get(h.id);
      return hit.given_name == target.given_name && hit.family_name == target.family_name;
    });
    state.ResumeTiming();
  }
  latencies.Report(state);
  state.counters["in_top10"] =
      judged == 0 ? 0 : static_cast<double>(found) / static_cast<double>(judged);
}

void BM_FindDuplicates(benchmark::State& state) {
  const int64_t size = state.range(0);
  const PatientIndex& index = IndexOf(size);
  const DuplicateDetector detector(index);
  std::mt19937_64 rng(7);
  std::vector<IndexedPatient> probes;
  for (size_t i = 0; i < kQueryCount; ++i) {
    IndexedPatient p = SyntheticPopulation().Patient(
        1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(size)));
    p.id = 0;  // a new registration of someone already known, with a typo in the family name
    p.family_name = Typo(p.family_name, rng);
    probes.push_back(std::move(p));
  }
  Latencies latencies;
  size_t next = 0, flagged = 0, probed = 0;
  for (auto _ : state) {
    const IndexedPatient& probe = probes[next++ % probes.size()];
    latencies.Start();
    const std::vector<DuplicateCandidate> found = detector.Find(probe, kPageSize);
    latencies.Stop();
    ++probed;
    flagged += !found.empty();
    benchmark::DoNotOptimize(found);
  }
  latencies.Report(state);
  state.counters["flagged"] = static_cast<double>(flagged) / static_cast<double>(probed);
}

BENCHMARK(BM_BuildIndex)->Arg(10'000)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SearchTypos)
    ->ArgsProduct({{10'000, 1'000'000},
                   {kMixed, kNamesWithTypos, kNamesAndDate, kPrefixes, kPhone}})
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(2.0);
BENCHMARK(BM_FindDuplicates)
    ->Arg(10'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(2.0);

}  // namespace
}  // namespace caredesk
