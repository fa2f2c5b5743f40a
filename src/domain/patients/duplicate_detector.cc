#include "domain/patients/duplicate_detector.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "domain/patients/name_match.h"

namespace caredesk {
namespace {

// One comparison outcome: its m- and u-probability. The outcomes of one field are exclusive, so
// each field's m values, and its u values, sum to 1.
struct Level {
  const char* name;
  double m;  // P(outcome | same person)
  double u;  // P(outcome | different people)
  double Weight() const { return std::log2(m / u); }
};

// The m/u values are typical of patient registries (names typed from speech, dates copied from
// forms) rather than fitted, and were checked against the FEBRL data. u of exact name agreement
// approximates Σ p² over common Western name frequencies; with the index's counts it becomes the
// name's own frequency (ExactU).
constexpr Level kGivenExact{"exact", 0.86, 0.005};
constexpr Level kGivenNickname{"nickname", 0.03, 0.001};
constexpr Level kGivenTypo{"typo", 0.05, 0.002};
constexpr Level kGivenSimilar{"sounds alike", 0.02, 0.01};
constexpr Level kGivenInitial{"initial only", 0.01, 0.04};
constexpr Level kGivenDisagree{"differs", 0.03, 0.942};

constexpr Level kFamilyExact{"exact", 0.88, 0.002};
constexpr Level kFamilyTypo{"typo", 0.07, 0.001};
constexpr Level kFamilySimilar{"sounds alike", 0.02, 0.006};
constexpr Level kFamilyDisagree{"differs", 0.03, 0.991};

// Names entered the other way round (family name in the given name field).
constexpr double kSwapPenalty = 2.0;

constexpr Level kMiddleAgree{"same initial", 0.8, 0.1};
constexpr Level kMiddleDisagree{"different initial", 0.2, 0.9};

// u: 1 / (365.25 × 90) for the same day across ninety birth years, and the share of dates one
// typing error away.
constexpr Level kBirthExact{"exact", 0.92, 3.0e-5};
constexpr Level kBirthTransposed{"day and month transposed", 0.01, 3.0e-5};
constexpr Level kBirthDigit{"one digit differs", 0.04, 1.2e-3};
constexpr Level kBirthComponent{"one of day, month, year differs", 0.02, 4.0e-3};
constexpr Level kBirthDisagree{"differs", 0.01, 0.995};

constexpr Level kSexAgree{"same", 0.98, 0.5};
constexpr Level kSexDisagree{"differs", 0.02, 0.5};

// u of phone and e-mail agreement allows for households sharing them.
constexpr Level kPhoneExact{"same", 0.6, 1.0e-3};
constexpr Level kPhoneTail{"same number, other prefix", 0.1, 1.0e-3};
constexpr Level kPhoneTypo{"one digit differs", 0.05, 2.0e-4};
constexpr Level kPhoneDisagree{"differs", 0.25, 0.999};

constexpr Level kEmailExact{"same", 0.6, 1.0e-3};
constexpr Level kEmailDisagree{"differs", 0.4, 0.999};

constexpr Level kPostalExact{"same", 0.85, 0.01};
constexpr Level kPostalDisagree{"differs", 0.15, 0.99};

// Frequency weighting: u of exact name agreement is the name's share of patients, smoothed as
// if the index also held this many patients with the fixed u.
constexpr double kPriorPatients = 1000.0;
constexpr size_t kMinEditLength = 4;  // shorter names are never "typos" of each other
constexpr size_t kMinEdit2Length = 8;
constexpr double kSimilarJaroWinkler = 0.88;
constexpr size_t kMinPhoneDigits = 7;
// Blocking candidates scored per probe: the best by agreeing keys.
constexpr size_t kCandidatesExamined = 32;

// The running weight and, when explaining, its reasons.
struct Evidence {
  bool explain = true;
  double weight = 0;
  std::vector<std::string> reasons;

  void Add(const char* field, const char* level, double w) {
    weight += w;
    if (!explain) return;
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s: %s (%+.1f)", field, level, w);
    reasons.emplace_back(buf);
  }
  void Add(const char* field, const Level& level) { Add(field, level.name, level.Weight()); }
};

// u of exact agreement on `token`, from the index's counts when known.
double ExactU(std::string_view token, double fixed_u, const NameCounts* counts) {
  if (counts == nullptr || !counts->count) return fixed_u;
  const double n = static_cast<double>(counts->count(token));
  return (n + kPriorPatients * fixed_u) / (static_cast<double>(counts->patients) + kPriorPatients);
}

bool IsTypo(std::string_view a, std::string_view b) {
  const size_t shorter = std::min(a.size(), b.size());
  if (shorter < kMinEditLength) return false;
  const int allowed = shorter >= kMinEdit2Length ? 2 : 1;
  return DamerauLevenshtein(a, b, allowed) <= allowed;
}

// One token of a name with its phonetic key, derived once per record.
struct NameToken {
  std::string text;
  std::string sound;  // PhoneticKey, or "" for tokens too short to compare by sound
};
using Name = std::vector<NameToken>;

Name MakeName(std::string_view name) {
  Name out;
  for (std::string& token : NameTokens(name)) {
    std::string sound = token.size() >= 3 ? PhoneticKey(token) : std::string();
    out.push_back({std::move(token), std::move(sound)});
  }
  return out;
}

bool SoundsAlike(const NameToken& a, const NameToken& b) {
  return JaroWinkler(a.text, b.text) >= kSimilarJaroWinkler ||
         (!a.sound.empty() && a.sound == b.sound);
}

// The best agreement between two names (token lists) as a level and its weight; nullptr level
// when either is missing.
struct NameComparison {
  const Level* level = nullptr;
  double weight = 0;
};

NameComparison CompareGiven(const Name& a, const Name& b, const NameCounts* counts) {
  if (a.empty() || b.empty()) return {};
  NameComparison best{&kGivenDisagree, kGivenDisagree.Weight()};
  const auto consider = [&](const Level& level, double weight) {
    if (weight > best.weight) best = {&level, weight};
  };
  for (const NameToken& tx : a) {
    for (const NameToken& ty : b) {
      const std::string& x = tx.text;
      const std::string& y = ty.text;
      if (x == y) {
        consider(kGivenExact, std::log2(kGivenExact.m / ExactU(x, kGivenExact.u, counts)));
      } else if (AreNicknames(x, y)) {
        consider(kGivenNickname, kGivenNickname.Weight());
      } else if (IsTypo(x, y)) {
        consider(kGivenTypo, kGivenTypo.Weight());
      } else if (x.size() == 1 || y.size() == 1) {
        if (x.front() == y.front()) consider(kGivenInitial, kGivenInitial.Weight());
      } else if (SoundsAlike(tx, ty)) {
        consider(kGivenSimilar, kGivenSimilar.Weight());
      }
    }
  }
  return best;
}

NameComparison CompareFamily(const Name& a, const Name& b, const NameCounts* counts) {
  if (a.empty() || b.empty()) return {};
  NameComparison best{&kFamilyDisagree, kFamilyDisagree.Weight()};
  const auto consider = [&](const Level& level, double weight) {
    if (weight > best.weight) best = {&level, weight};
  };
  for (const NameToken& tx : a) {
    for (const NameToken& ty : b) {
      const std::string& x = tx.text;
      const std::string& y = ty.text;
      if (x == y) {
        consider(kFamilyExact, std::log2(kFamilyExact.m / ExactU(x, kFamilyExact.u, counts)));
      } else if (IsTypo(x, y)) {
        consider(kFamilyTypo, kFamilyTypo.Weight());
      } else if (SoundsAlike(tx, ty)) {
        consider(kFamilySimilar, kFamilySimilar.Weight());
      }
    }
  }
  // Compound family names written whole or run together ("garcia lopez" / "garcialopez").
  if (best.level != &kFamilyExact && a.size() + b.size() > 2) {
    std::string joined_a, joined_b;
    for (const NameToken& x : a) joined_a += x.text;
    for (const NameToken& y : b) joined_b += y.text;
    if (joined_a == joined_b) best = {&kFamilyExact, kFamilyExact.Weight()};
  }
  return best;
}

double WeightOf(const NameComparison& c) { return c.level == nullptr ? 0.0 : c.weight; }

void AddName(Evidence& e, const char* field, const NameComparison& c) {
  if (c.level != nullptr) e.Add(field, c.level->name, c.weight);
}

// A record as the comparisons read it, normalized once.
struct Comparable {
  Name given;
  Name family;
  Name middle;
  std::optional<CivilDate> birth_date;
  std::string sex;          // female|male|other, or "" when unknown
  std::string phone;        // digits
  std::string email;        // folded to lower case
  std::string postal_code;  // upper case, no spaces
};

Comparable MakeComparable(const IndexedPatient& p) {
  Comparable c;
  c.given = MakeName(p.given_name);
  c.family = MakeName(p.family_name);
  c.middle = MakeName(p.middle_name);
  c.birth_date = p.birth_date;
  const std::string sex = FoldToAscii(p.sex);
  if (sex == "female" || sex == "male" || sex == "other") c.sex = sex;
  for (char ch : p.phone) {
    if (ch >= '0' && ch <= '9') c.phone.push_back(ch);
  }
  c.email = FoldToAscii(p.email);
  for (char ch : p.postal_code) {
    if (ch == ' ') continue;
    c.postal_code.push_back((ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch);
  }
  return c;
}

void CompareBirthDates(const Comparable& a, const Comparable& b, Evidence& e) {
  if (!a.birth_date || !b.birth_date) return;
  const CivilDate& x = *a.birth_date;
  const CivilDate& y = *b.birth_date;
  if (x == y) return e.Add("birth_date", kBirthExact);
  if (x.year == y.year && x.day == y.month && x.month == y.day) {
    return e.Add("birth_date", kBirthTransposed);
  }
  char dx[16], dy[16];
  std::snprintf(dx, sizeof dx, "%04d%02d%02d", x.year, x.month, x.day);
  std::snprintf(dy, sizeof dy, "%04d%02d%02d", y.year, y.month, y.day);
  if (DamerauLevenshtein(dx, dy, 1) <= 1) return e.Add("birth_date", kBirthDigit);
  const int same = (x.year == y.year) + (x.month == y.month) + (x.day == y.day);
  if (same == 2) return e.Add("birth_date", kBirthComponent);
  e.Add("birth_date", kBirthDisagree);
}

// The outcome of comparing one contact field; nullopt when missing on either side.
struct ContactOutcome {
  const char* field;
  const Level* level;
};

std::optional<ContactOutcome> ComparePhones(const std::string& x, const std::string& y) {
  if (x.size() < kMinPhoneDigits || y.size() < kMinPhoneDigits) return std::nullopt;
  if (x == y) return ContactOutcome{"phone", &kPhoneExact};
  if (PhoneTailsMatch(x, y)) return ContactOutcome{"phone", &kPhoneTail};
  if (x.size() == y.size() && DamerauLevenshtein(x, y, 1) <= 1) {
    return ContactOutcome{"phone", &kPhoneTypo};
  }
  return ContactOutcome{"phone", &kPhoneDisagree};
}

std::optional<ContactOutcome> CompareExactly(const char* field, const std::string& x,
                                             const std::string& y, const Level& agree,
                                             const Level& disagree) {
  if (x.empty() || y.empty()) return std::nullopt;
  return ContactOutcome{field, x == y ? &agree : &disagree};
}

// Phone, e-mail and postal code are shared by households, so their agreements are not
// independent evidence: all are reported, but only the strongest agreement counts.
void AddContact(const Comparable& a, const Comparable& b, Evidence& e) {
  double agreement = 0;
  double strongest = 0;
  for (const std::optional<ContactOutcome>& o :
       {ComparePhones(a.phone, b.phone),
        CompareExactly("email", a.email, b.email, kEmailExact, kEmailDisagree),
        CompareExactly("postal_code", a.postal_code, b.postal_code, kPostalExact,
                       kPostalDisagree)}) {
    if (!o) continue;
    e.Add(o->field, *o->level);
    const double w = o->level->Weight();
    if (w > 0) {
      agreement += w;
      strongest = std::max(strongest, w);
    }
  }
  if (agreement > strongest) {
    e.Add("contact", "shared by a household, counted once", strongest - agreement);
  }
}

MatchScore Compare(const Comparable& a, const Comparable& b, const NameCounts* counts,
                   bool explain) {
  Evidence e;
  e.explain = explain;

  const NameComparison given = CompareGiven(a.given, b.given, counts);
  const NameComparison family = CompareFamily(a.family, b.family, counts);
  const NameComparison given_swapped = CompareGiven(a.given, b.family, counts);
  const NameComparison family_swapped = CompareFamily(a.family, b.given, counts);
  const double straight = WeightOf(given) + WeightOf(family);
  const double swapped = WeightOf(given_swapped) + WeightOf(family_swapped) - kSwapPenalty;
  if (swapped > straight && given_swapped.level != nullptr && family_swapped.level != nullptr) {
    AddName(e, "given_name (as family name)", given_swapped);
    AddName(e, "family_name (as given name)", family_swapped);
    e.Add("names", "given and family swapped", -kSwapPenalty);
  } else {
    AddName(e, "given_name", given);
    AddName(e, "family_name", family);
  }
  if (!a.middle.empty() && !b.middle.empty()) {
    const bool same_initial = a.middle.front().text.front() == b.middle.front().text.front();
    e.Add("middle_name", same_initial ? kMiddleAgree : kMiddleDisagree);
  }
  CompareBirthDates(a, b, e);
  if (!a.sex.empty() && !b.sex.empty()) e.Add("sex", a.sex == b.sex ? kSexAgree : kSexDisagree);
  AddContact(a, b, e);

  MatchScore score;
  score.weight = e.weight;
  score.probability = 1.0 / (1.0 + std::exp2(-(e.weight - kProbableDuplicateWeight)));
  score.reasons = std::move(e.reasons);
  return score;
}

}  // namespace

MatchScore DuplicateDetector::Score(const IndexedPatient& a, const IndexedPatient& b,
                                    const NameCounts* counts) {
  return Compare(MakeComparable(a), MakeComparable(b), counts, /*explain=*/true);
}

std::vector<DuplicateCandidate> DuplicateDetector::Find(const IndexedPatient& probe,
                                                        size_t limit) const {
  std::vector<DuplicateCandidate> found;
  if (limit == 0) return found;
  const NameCounts counts{index_.size(),
                          [this](std::string_view token) { return index_.CountWithName(token); }};
  const Comparable prepared_probe = MakeComparable(probe);
  for (const SearchHit& hit :
       index_.FindDuplicateCandidates(probe, std::max(limit, kCandidatesExamined))) {
    const std::optional<IndexedPatient> other = index_.Get(hit.id);
    if (!other) continue;  // removed meanwhile
    const Comparable candidate = MakeComparable(*other);
    // Reasons are worded only for the candidates that are kept.
    if (Compare(prepared_probe, candidate, &counts, /*explain=*/false).weight >=
        kProbableDuplicateWeight) {
      found.push_back({hit.id, Compare(prepared_probe, candidate, &counts, /*explain=*/true)});
    }
  }
  std::sort(found.begin(), found.end(),
            [](const DuplicateCandidate& x, const DuplicateCandidate& y) {
              if (x.score.weight != y.score.weight) return x.score.weight > y.score.weight;
              return x.id < y.id;
            });
  if (found.size() > limit) found.resize(limit);
  return found;
}

}  // namespace caredesk
