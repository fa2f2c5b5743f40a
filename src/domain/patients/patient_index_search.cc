// PatientIndex::Search: planning a query, scoring candidates, and enumerating them in an order
// that lets the search stop as soon as its page is settled.
#include <algorithm>
#include <bit>
#include <cstdio>

#include "domain/patients/patient_index_internal.h"

namespace caredesk {

using index_internal::Collector;
using index_internal::DateKey;
using index_internal::kFullPoints;
using index_internal::kMaxNameTerms;
using index_internal::kMaxPairProbes;
using index_internal::kNoBirthDate;
using index_internal::kNoSlot;
using index_internal::kPointsDateDigit;
using index_internal::kPointsDateSwapped;
using index_internal::kPointsPhoneTail;
using index_internal::NameMatcher;
using index_internal::PairKey;
using index_internal::PhoneKeyOf;
using index_internal::PhoneOf;
using index_internal::PhonePoints;
using index_internal::Plan;
using index_internal::PlannedToken;
using index_internal::PointsFor;
using index_internal::Record;
using index_internal::Stream;
using index_internal::StreamGroup;
using index_internal::StringKey;

namespace {

// A token with at most this many candidates drives the search by itself.
constexpr size_t kSmallDriver = 256;
// Enumeration stops after scoring this many candidates; beyond it results are best effort.
constexpr size_t kMaxScored = 250'000;

constexpr ExpandOptions kSearchExpansion{};

// Birth dates a typed date may stand for: itself, day and month swapped, and every real date
// one digit away (one digit replaced, or two neighbouring digits of YYYYMMDD swapped).
std::vector<std::pair<int32_t, int>> BirthDateVariants(const CivilDate& date) {
  std::vector<std::pair<int32_t, int>> variants;
  const auto add = [&](const CivilDate& d, int points) {
    if (IsRealDate(d) && d.year >= 1800 && d.year <= 2200) {
      variants.emplace_back(static_cast<int32_t>(d.DaysSinceEpoch()), points);
    }
  };
  add(date, kFullPoints);
  if (date.day != date.month) add({date.year, date.day, date.month}, kPointsDateSwapped);

  char digits[9];
  std::snprintf(digits, sizeof digits, "%04d%02d%02d", date.year, date.month, date.day);
  const auto from_digits = [](const char* s) {
    const auto num = [&](int from, int len) {
      int v = 0;
      for (int i = from; i < from + len; ++i) v = v * 10 + (s[i] - '0');
      return v;
    };
    return CivilDate{num(0, 4), num(4, 2), num(6, 2)};
  };
  for (int pos = 0; pos < 8; ++pos) {
    const char original = digits[pos];
    for (char c = '0'; c <= '9'; ++c) {
      if (c == original) continue;
      digits[pos] = c;
      add(from_digits(digits), kPointsDateDigit);
    }
    digits[pos] = original;
    if (pos < 7 && digits[pos] != digits[pos + 1]) {
      std::swap(digits[pos], digits[pos + 1]);
      add(from_digits(digits), kPointsDateDigit);
      std::swap(digits[pos], digits[pos + 1]);
    }
  }
  // One entry per date, with its best points.
  std::sort(variants.begin(), variants.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second > b.second;
  });
  variants.erase(std::unique(variants.begin(), variants.end(),
                             [](const auto& a, const auto& b) { return a.first == b.first; }),
                 variants.end());
  return variants;
}

int DatePoints(const std::vector<std::pair<int32_t, int>>& variants, int32_t days) {
  auto it = std::lower_bound(variants.begin(), variants.end(), days,
                             [](const auto& v, int32_t d) { return v.first < d; });
  return it != variants.end() && it->first == days ? it->second : 0;
}

}  // namespace

namespace index_internal {

// ---- Search state --------------------------------------------------------------------------

// Candidates of one token at one quality: slots, ascending, each matching with `points`.
struct Stream {
  std::span<const uint32_t> slots;
  int points;
};

// One query token, looked up: how to score a record against it, and its candidates.
struct PlannedToken {
  SearchToken::Kind kind = SearchToken::Kind::kName;
  NameMatcher name;                                 // kName, kInitial
  std::vector<std::pair<int32_t, int>> birth_days;  // kBirthDate: (days, points) by days
  std::string digits;                               // kDigits
  std::string mrn;                                  // kMrn, or the MRN bare kDigits may be
  std::string email;                                // kEmail
  std::vector<Stream> streams;                      // the token's candidates, by quality
  std::vector<std::vector<uint32_t>> verified;      // storage behind identifier streams
  size_t estimate = 0;                              // Σ stream sizes
  bool enumerable = true;                           // initials have no streams
  bool exhausted = false;                           // all of `streams` has been scored

  bool is_name() const {
    return kind == SearchToken::Kind::kName || kind == SearchToken::Kind::kInitial;
  }
};

// Ranking keys: key = matched * (100 n + 1) + points orders by tokens matched, then by total
// points, with integers only. score = (matched + points / (100 n)) / (n + 1).
struct Plan {
  std::vector<PlannedToken> tokens;
  // Pairs of name tokens (indices into `tokens`) whose pair postings have all been scored.
  std::vector<std::pair<size_t, size_t>> exhausted_pairs;

  int64_t n() const { return static_cast<int64_t>(tokens.size()); }
  int64_t Key(int64_t matched, int64_t points) const {
    return matched * (kFullPoints * n() + 1) + points;
  }
  // Above every patient matching at most n - 1 tokens.
  int64_t PartialBound() const { return Key(n() - 1, kFullPoints * (n() - 1)); }
  double Score(int64_t key) const {
    const int64_t base = kFullPoints * n() + 1;
    const double matched = static_cast<double>(key / base);
    const double points = static_cast<double>(key % base);
    return (matched + points / (kFullPoints * n())) / (n() + 1);
  }
};

// The streams of equal points of one or more tokens.
struct StreamGroup {
  int points;
  std::vector<std::span<const uint32_t>> lists;
};

// ---- Candidate collection ------------------------------------------------------------------

// An open-addressing set of slots, for the candidates one search has seen.
class SlotSet {
 public:
  SlotSet() : table_(kInitialCapacity, kNoSlot), shift_(64 - kInitialBits) {}

  // True when `slot` was not there before.
  bool Insert(uint32_t slot) {
    if ((size_ + 1) * 4 > table_.size() * 3) Grow();
    size_t i = Index(slot);
    while (table_[i] != kNoSlot) {
      if (table_[i] == slot) return false;
      i = (i + 1) & (table_.size() - 1);
    }
    table_[i] = slot;
    ++size_;
    return true;
  }

  bool Contains(uint32_t slot) const {
    for (size_t i = Index(slot); table_[i] != kNoSlot; i = (i + 1) & (table_.size() - 1)) {
      if (table_[i] == slot) return true;
    }
    return false;
  }

 private:
  static constexpr int kInitialBits = 8;
  static constexpr size_t kInitialCapacity = size_t{1} << kInitialBits;

  size_t Index(uint32_t slot) const { return (slot * 0x9E3779B97F4A7C15ULL) >> shift_; }

  void Grow() {
    std::vector<uint32_t> old = std::move(table_);
    table_.assign(old.size() * 2, kNoSlot);
    --shift_;
    size_ = 0;
    for (uint32_t slot : old) {
      if (slot != kNoSlot) Insert(slot);
    }
  }

  std::vector<uint32_t> table_;
  int shift_;
  size_t size_ = 0;
};

struct Found {
  uint32_t slot;
  int64_t key;
};

// The scored candidates of one search.
class Collector {
 public:
  explicit Collector(size_t wanted) : wanted_(wanted) {}

  bool Seen(uint32_t slot) const { return seen_.Contains(slot); }
  // Records a scored candidate; false (and nothing recorded) when already seen.
  bool Add(uint32_t slot, int64_t key) {
    if (!seen_.Insert(slot)) return false;
    found_.push_back({slot, key});
    return true;
  }
  size_t CountAbove(int64_t bound) const {
    return static_cast<size_t>(
        std::count_if(found_.begin(), found_.end(), [&](const Found& f) { return f.key > bound; }));
  }
  // True when the top `wanted` hits are settled, given that no unseen patient ranks above
  // `bound`.
  bool Enough(int64_t bound) const { return CountAbove(bound) >= wanted_; }
  bool OverBudget() const { return found_.size() > kMaxScored; }
  size_t wanted() const { return wanted_; }
  std::vector<Found>& found() { return found_; }

 private:
  size_t wanted_;
  SlotSet seen_;
  std::vector<Found> found_;
};

}  // namespace index_internal

using index_internal::Found;

namespace {

// The streams of `tokens` grouped by points, best first.
std::vector<StreamGroup> GroupStreams(const std::vector<const PlannedToken*>& tokens) {
  std::vector<Stream> all;
  for (const PlannedToken* t : tokens) all.insert(all.end(), t->streams.begin(), t->streams.end());
  std::stable_sort(all.begin(), all.end(),
                   [](const Stream& a, const Stream& b) { return a.points > b.points; });
  std::vector<StreamGroup> groups;
  for (const Stream& s : all) {
    if (s.slots.empty()) continue;
    if (groups.empty() || groups.back().points != s.points) groups.push_back({s.points, {}});
    groups.back().lists.push_back(s.slots);
  }
  return groups;
}

}  // namespace

// ---- Searching: planning and scoring -------------------------------------------------------

Plan PatientIndex::Impl::MakePlan(std::vector<SearchToken> tokens) const {
  Plan plan;
  plan.tokens.reserve(tokens.size());
  for (SearchToken& token : tokens) {
    PlannedToken& t = plan.tokens.emplace_back();
    t.kind = token.kind;
    switch (token.kind) {
      case SearchToken::Kind::kName:
        t.name.expansions = dictionary_.Expand(token.text, kSearchExpansion);
        for (const TermExpansion& e : t.name.expansions) {
          const int points = PointsFor(e.match);
          t.name.points.push_back(static_cast<uint8_t>(points));
          const std::vector<uint32_t>& postings = term_postings_[e.term];
          t.streams.push_back({postings, points});
          t.estimate += postings.size();
        }
        break;
      case SearchToken::Kind::kInitial:
        t.name.initial = token.text.front();
        t.enumerable = false;
        t.estimate = std::numeric_limits<size_t>::max();
        break;
      case SearchToken::Kind::kBirthDate:
        t.birth_days = BirthDateVariants(token.date);
        for (const auto& [days, points] : t.birth_days) {
          const std::span<const uint32_t> slots = birth_dates_.Find(DateKey(days));
          t.streams.push_back({slots, points});
          t.estimate += slots.size();
        }
        break;
      case SearchToken::Kind::kDigits:
        t.digits = token.text;
        if (IsMrnShaped("MRN" + token.text)) t.mrn = "MRN" + token.text;
        PlanIdentifier(t);
        break;
      case SearchToken::Kind::kMrn:
        t.mrn = token.text;
        PlanIdentifier(t);
        break;
      case SearchToken::Kind::kEmail:
        t.email = token.text;
        PlanIdentifier(t);
        break;
    }
  }
  return plan;
}

// Identifier tokens are verified while planning (their postings are tiny), so their streams
// hold exactly the patients they match, split by points.
void PatientIndex::Impl::PlanIdentifier(PlannedToken& t) const {
  std::vector<uint32_t> exact;
  std::vector<uint32_t> tail;
  if (!t.digits.empty()) {
    for (uint32_t slot : phones_.Find(PhoneKeyOf(t.digits))) {
      const int points = PhonePoints(PhoneOf(records_[slot]), t.digits);
      if (points == kFullPoints) exact.push_back(slot);
      if (points == kPointsPhoneTail) tail.push_back(slot);
    }
  }
  if (!t.mrn.empty()) {
    for (uint32_t slot : mrns_.Find(StringKey(t.mrn))) {
      if (Mrn(records_[slot]) == t.mrn) exact.push_back(slot);
    }
  }
  if (!t.email.empty()) {
    for (uint32_t slot : emails_.Find(StringKey(t.email))) {
      if (Email(records_[slot]) == t.email) exact.push_back(slot);
    }
  }
  std::sort(exact.begin(), exact.end());
  exact.erase(std::unique(exact.begin(), exact.end()), exact.end());
  t.verified = {std::move(exact), std::move(tail)};
  t.streams = {{t.verified[0], kFullPoints}, {t.verified[1], kPointsPhoneTail}};
  t.estimate = t.verified[0].size() + t.verified[1].size();
}

// Points of the best assignment of the query's name tokens to the record's name terms, each
// term used by one token at most; `matched` gets the number of tokens assigned.
int PatientIndex::Impl::NamePoints(const Plan& plan, const Record& r, int& matched) const {
  std::array<const NameMatcher*, kMaxSearchTokens> matchers{};
  size_t q = 0;
  for (const PlannedToken& t : plan.tokens) {
    if (t.is_name()) matchers[q++] = &t.name;
  }
  matched = 0;
  if (q == 0) return 0;
  const size_t terms = r.term_count();
  std::array<std::array<int, kMaxNameTerms>, kMaxSearchTokens> points{};
  std::array<int, kMaxNameTerms> wanted_by{};
  for (size_t i = 0; i < q; ++i) {
    for (size_t j = 0; j < terms; ++j) {
      points[i][j] = matchers[i]->Points(r.terms[j], dictionary_);
      if (points[i][j] > 0) ++wanted_by[j];
    }
  }
  const bool contested =
      std::any_of(wanted_by.begin(), wanted_by.begin() + terms, [](int n) { return n > 1; });
  if (!contested) {  // every token simply takes its best term
    int total = 0;
    for (size_t i = 0; i < q; ++i) {
      const int best = *std::max_element(points[i].begin(), points[i].begin() + terms);
      if (best > 0) {
        ++matched;
        total += best;
      }
    }
    return total;
  }
  // Two tokens want the same term: exact assignment over subsets of terms, maximizing tokens
  // matched, then points (value = matched * kScale + points).
  constexpr int kScale = 1 << 12;
  const size_t masks = size_t{1} << terms;
  std::vector<int> best(masks, -1);
  best[0] = 0;
  for (size_t i = 0; i < q; ++i) {
    std::vector<int> next = best;  // token i unassigned
    for (size_t mask = 0; mask < masks; ++mask) {
      if (best[mask] < 0) continue;
      for (size_t j = 0; j < terms; ++j) {
        if ((mask >> j & 1) || points[i][j] == 0) continue;
        const size_t to = mask | (size_t{1} << j);
        next[to] = std::max(next[to], best[mask] + kScale + points[i][j]);
      }
    }
    best = std::move(next);
  }
  const int value = *std::max_element(best.begin(), best.end());
  matched = value / kScale;
  return value % kScale;
}

int64_t PatientIndex::Impl::KeyOf(const Plan& plan, uint32_t slot) const {
  const Record& r = records_[slot];
  int matched = 0;
  int points = NamePoints(plan, r, matched);
  for (const PlannedToken& t : plan.tokens) {
    int p = 0;
    switch (t.kind) {
      case SearchToken::Kind::kName:
      case SearchToken::Kind::kInitial:
        continue;  // counted by NamePoints
      case SearchToken::Kind::kBirthDate:
        if (r.birth_days != kNoBirthDate) p = DatePoints(t.birth_days, r.birth_days);
        break;
      case SearchToken::Kind::kDigits:
        p = PhonePoints(PhoneOf(r), t.digits);
        if (!t.mrn.empty() && Mrn(r) == t.mrn) p = kFullPoints;
        break;
      case SearchToken::Kind::kMrn:
        p = Mrn(r) == t.mrn ? kFullPoints : 0;
        break;
      case SearchToken::Kind::kEmail:
        p = Email(r) == t.email ? kFullPoints : 0;
        break;
    }
    if (p > 0) {
      ++matched;
      points += p;
    }
  }
  return plan.Key(matched, points);
}

// Scores the slots not seen yet. Candidates are scattered over the records, so their cache
// lines are requested a few slots ahead: the misses overlap instead of queueing.
void PatientIndex::Impl::ScoreUnseen(const Plan& plan, std::span<const uint32_t> slots,
                                     Collector& c) const {
  constexpr size_t kPrefetchDistance = 8;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (i + kPrefetchDistance < slots.size()) {
      __builtin_prefetch(&records_[slots[i + kPrefetchDistance]]);
    }
    if (!c.Seen(slots[i])) c.Add(slots[i], KeyOf(plan, slots[i]));
  }
}

// ---- Searching: enumeration ----------------------------------------------------------------
//
// Candidates are enumerated in stages, each stopping as soon as the top `offset + limit` is
// settled (Collector::Enough with a bound no unseen patient can beat):
//  1. full matches (all tokens) from the most selective driver — the postings of pairs of
//     name terms, or the streams of the single most selective token — in decreasing quality;
//  2. for queries of 3+ tokens, patients matching m = n-1 … 2 tokens, from a cover of token
//     streams and name-pair postings (EnumerateCover), in decreasing order of attainable rank;
//  3. patients matching one token: their score depends only on the quality of the stream they
//     appear in, so streams are taken in decreasing quality and only the smallest ids of the
//     last stream group are needed.

void PatientIndex::Impl::Run(Plan& plan, Collector& c) const {
  if (plan.n() == 1) {
    EnumerateTiered(plan, c);
    return;
  }

  // Stage 1. A token with no candidates rules out full matches.
  PlannedToken* single = nullptr;
  bool full_possible = true;
  for (PlannedToken& t : plan.tokens) {
    if (!t.enumerable) continue;
    if (t.estimate == 0) full_possible = false;
    if (single == nullptr || t.estimate < single->estimate) single = &t;
  }
  if (single == nullptr) return;  // only initials
  if (full_possible) {
    // The name pair with the fewest term combinations.
    size_t pair_a = 0, pair_b = 0;
    size_t best_probes = std::numeric_limits<size_t>::max();
    for (size_t i = 0; i < plan.tokens.size(); ++i) {
      for (size_t j = i + 1; j < plan.tokens.size(); ++j) {
        const PlannedToken& a = plan.tokens[i];
        const PlannedToken& b = plan.tokens[j];
        if (a.kind != SearchToken::Kind::kName || b.kind != SearchToken::Kind::kName) continue;
        const size_t probes = a.name.expansions.size() * b.name.expansions.size();
        if (probes < best_probes) {
          best_probes = probes;
          pair_a = i;
          pair_b = j;
        }
      }
    }
    // For a two-name query the pair driver reads no records, so fewer probes than the single
    // driver's candidates make it the cheaper one; otherwise it scores what it finds, and a
    // small single token is cheaper still.
    const bool pair_exists = best_probes != std::numeric_limits<size_t>::max();
    const bool pair_cheaper =
        plan.n() == 2 ? best_probes < single->estimate : single->estimate > kSmallDriver;
    DriveResult result = DriveResult::kAborted;
    if (pair_exists && pair_cheaper) result = DriveByNamePair(plan, pair_a, pair_b, c);
    if (result == DriveResult::kEnough) return;
    if (result == DriveResult::kAborted && DriveBySingleToken(plan, *single, c)) return;
  }
  if (c.OverBudget()) return;

  // Stages 2 and 3.
  if (EnumerateLevels(plan, c)) return;
  EnumerateTiered(plan, c);
}

bool PatientIndex::Impl::DriveBySingleToken(const Plan& plan, PlannedToken& driver,
                                            Collector& c) const {
  const std::vector<StreamGroup> groups = GroupStreams({&driver});
  for (size_t g = 0; g < groups.size(); ++g) {
    for (std::span<const uint32_t> list : groups[g].lists) ScoreUnseen(plan, list, c);
    if (c.OverBudget()) return true;
    int64_t bound = plan.PartialBound();
    if (g + 1 < groups.size()) {
      bound =
          std::max(bound, plan.Key(plan.n(), groups[g + 1].points + kFullPoints * (plan.n() - 1)));
    }
    if (c.Enough(bound)) return true;
  }
  driver.exhausted = true;
  return false;
}

PatientIndex::Impl::DriveResult PatientIndex::Impl::DriveByNamePair(Plan& plan, size_t a_index,
                                                                    size_t b_index,
                                                                    Collector& c) const {
  const PlannedToken& a = plan.tokens[a_index];
  const PlannedToken& b = plan.tokens[b_index];
  // Each token's terms by quality tier, best first.
  struct Tier {
    int points;
    std::vector<uint32_t> terms;
  };
  const auto tiers_of = [](const NameMatcher& m) {
    std::vector<Tier> tiers;
    for (size_t i = 0; i < m.expansions.size(); ++i) {
      auto it = std::find_if(tiers.begin(), tiers.end(),
                             [&](const Tier& t) { return t.points == m.points[i]; });
      if (it == tiers.end()) it = tiers.insert(tiers.end(), Tier{m.points[i], {}});
      it->terms.push_back(m.expansions[i].term);
    }
    std::sort(tiers.begin(), tiers.end(),
              [](const Tier& x, const Tier& y) { return x.points > y.points; });
    return tiers;
  };
  const std::vector<Tier> ta = tiers_of(a.name);
  const std::vector<Tier> tb = tiers_of(b.name);

  struct Combo {
    int sum;
    size_t ia, ib;
  };
  std::vector<Combo> combos;
  for (size_t i = 0; i < ta.size(); ++i) {
    for (size_t j = 0; j < tb.size(); ++j) combos.push_back({ta[i].points + tb[j].points, i, j});
  }
  std::stable_sort(combos.begin(), combos.end(),
                   [](const Combo& x, const Combo& y) { return x.sum > y.sum; });

  size_t probes = 0;
  for (size_t k = 0; k < combos.size();) {
    // One level: all combos of equal summed quality.
    size_t end = k;
    size_t level_probes = 0;
    while (end < combos.size() && combos[end].sum == combos[k].sum) {
      level_probes += ta[combos[end].ia].terms.size() * tb[combos[end].ib].terms.size();
      ++end;
    }
    if (probes + level_probes > kMaxPairProbes) return DriveResult::kAborted;
    probes += level_probes;
    std::vector<uint64_t> keys;
    for (size_t x = k; x < end; ++x) {
      for (uint32_t term_a : ta[combos[x].ia].terms) {
        for (uint32_t term_b : tb[combos[x].ib].terms) keys.push_back(PairKey(term_a, term_b));
      }
    }
    for (uint64_t key : keys) pairs_.Prefetch(key);
    StreamGroup level{combos[k].sum, {}};
    for (uint64_t key : keys) {
      const std::span<const uint32_t> slots = pairs_.Find(key);
      if (!slots.empty()) level.lists.push_back(slots);
    }
    if (plan.n() == 2) {
      // The query is just these two names: a patient first found at this level ranks exactly
      // at its summed quality (a better assignment would be a pair of an earlier level), so
      // only the smallest ids are needed and nobody is scored.
      const int64_t key = plan.Key(2, level.points);
      const size_t above = c.CountAbove(key);
      if (above >= c.wanted()) return DriveResult::kEnough;
      const size_t needed = c.wanted() - above;
      if (TakeSmallestIds(level, needed, key, c) >= needed) return DriveResult::kEnough;
      k = end;
      continue;
    }
    for (std::span<const uint32_t> slots : level.lists) ScoreUnseen(plan, slots, c);
    if (c.OverBudget()) return DriveResult::kEnough;
    int64_t bound = plan.PartialBound();
    if (end < combos.size()) {
      bound = std::max(bound, plan.Key(plan.n(), combos[end].sum + kFullPoints * (plan.n() - 2)));
    }
    if (c.Enough(bound)) return DriveResult::kEnough;
    k = end;
  }
  plan.exhausted_pairs.emplace_back(a_index, b_index);
  return DriveResult::kExhausted;
}

// The pair postings of every term combination of name tokens `a` and `b`, with the summed
// points of the two terms; false when there are more than kMaxPairProbes combinations.
bool PatientIndex::Impl::PairPostings(const Plan& plan, size_t a, size_t b,
                                      std::vector<Stream>& postings) const {
  const NameMatcher& ma = plan.tokens[a].name;
  const NameMatcher& mb = plan.tokens[b].name;
  if (ma.expansions.size() * mb.expansions.size() > kMaxPairProbes) return false;
  for (size_t i = 0; i < ma.expansions.size(); ++i) {
    for (size_t j = 0; j < mb.expansions.size(); ++j) {
      const std::span<const uint32_t> slots =
          pairs_.Find(PairKey(ma.expansions[i].term, mb.expansions[j].term));
      if (!slots.empty()) postings.push_back({slots, ma.points[i] + mb.points[j]});
    }
  }
  return true;
}

bool PatientIndex::Impl::EnumerateLevels(Plan& plan, Collector& c) const {
  std::vector<size_t> enumerable;
  int64_t initials = 0;
  for (size_t i = 0; i < plan.tokens.size(); ++i) {
    if (plan.tokens[i].enumerable) {
      enumerable.push_back(i);
    } else {
      ++initials;
    }
  }
  const int64_t e = static_cast<int64_t>(enumerable.size());
  for (int64_t m = plan.n() - 1; m >= 2; --m) {
    // A patient matching m tokens matches at least `need` enumerable ones.
    const int64_t need = std::max<int64_t>(m - initials, 1);
    if (need > e) continue;
    if (EnumerateCover(plan, enumerable, m, need, c)) return true;
    if (c.Enough(plan.Key(m - 1, kFullPoints * (m - 1)))) return true;
  }
  return false;
}

// Scores, best first, the patients matching `level` tokens of which at least `need` are among
// the `enumerable` ones, and returns true as soon as the top hits are settled. Such a patient
// appears in the streams of any token it matches and in the pair postings of any two name
// tokens it matches, so a set of sources meeting every `need`-subset of the tokens finds them
// all. Sources are chosen greedily by cost per subset met (nil for one already enumerated),
// then their groups are scored in decreasing order of the best rank they can hold.
bool PatientIndex::Impl::EnumerateCover(Plan& plan, const std::vector<size_t>& enumerable,
                                        int64_t level, int64_t need, Collector& c) const {
  const size_t e = enumerable.size();
  std::vector<uint32_t> subsets;  // bit i: enumerable[i]
  for (uint32_t mask = 0; mask < (1u << e); ++mask) {
    if (std::popcount(mask) == need) subsets.push_back(mask);
  }

  struct Source {
    uint32_t mask;  // one token, or two name tokens
    size_t cost;
    std::vector<Stream> postings;
  };
  std::vector<Source> sources;
  for (size_t i = 0; i < e; ++i) {
    const PlannedToken& t = plan.tokens[enumerable[i]];
    sources.push_back({1u << i, t.exhausted ? 0 : t.estimate, t.streams});
  }
  for (size_t i = 0; need >= 2 && i < e; ++i) {
    for (size_t j = i + 1; j < e; ++j) {
      const size_t a = enumerable[i];
      const size_t b = enumerable[j];
      if (plan.tokens[a].kind != SearchToken::Kind::kName ||
          plan.tokens[b].kind != SearchToken::Kind::kName) {
        continue;
      }
      Source s{(1u << i) | (1u << j), 0, {}};
      if (!PairPostings(plan, a, b, s.postings)) continue;
      const bool done = std::find(plan.exhausted_pairs.begin(), plan.exhausted_pairs.end(),
                                  std::make_pair(a, b)) != plan.exhausted_pairs.end();
      if (!done) {
        for (const Stream& p : s.postings) s.cost += p.slots.size();
      }
      sources.push_back(std::move(s));
    }
  }

  std::vector<bool> met(subsets.size(), false);
  size_t unmet = subsets.size();
  std::vector<const Source*> chosen;
  while (unmet > 0) {
    // The source with the lowest cost per subset it newly meets (cross-multiplied ratios).
    size_t best = sources.size();
    size_t best_cost = 0, best_gain = 0;
    for (size_t k = 0; k < sources.size(); ++k) {
      size_t gain = 0;
      for (size_t x = 0; x < subsets.size(); ++x) {
        if (!met[x] && (subsets[x] & sources[k].mask) == sources[k].mask) ++gain;
      }
      if (gain == 0) continue;
      if (best == sources.size() || sources[k].cost * best_gain < best_cost * gain) {
        best = k;
        best_cost = sources[k].cost;
        best_gain = gain;
      }
    }
    for (size_t x = 0; x < subsets.size(); ++x) {
      if (!met[x] && (subsets[x] & sources[best].mask) == sources[best].mask) {
        met[x] = true;
        --unmet;
      }
    }
    if (sources[best].cost > 0) chosen.push_back(&sources[best]);
  }

  // A patient in a group of points p (one token's quality, or two names' summed) matches at
  // most `level` tokens, the others for at most full points each.
  struct Group {
    int64_t bound;
    std::vector<std::span<const uint32_t>> lists;
  };
  std::vector<Group> groups;
  for (const Source* s : chosen) {
    const int64_t tokens = std::popcount(s->mask);
    for (const Stream& stream : s->postings) {
      const int64_t bound = plan.Key(level, stream.points + kFullPoints * (level - tokens));
      auto it = std::find_if(groups.begin(), groups.end(),
                             [&](const Group& g) { return g.bound == bound; });
      if (it == groups.end()) it = groups.insert(groups.end(), Group{bound, {}});
      it->lists.push_back(stream.slots);
    }
  }
  std::sort(groups.begin(), groups.end(),
            [](const Group& x, const Group& y) { return x.bound > y.bound; });
  const int64_t lower_levels = plan.Key(level - 1, kFullPoints * (level - 1));
  for (size_t g = 0; g < groups.size(); ++g) {
    for (std::span<const uint32_t> slots : groups[g].lists) ScoreUnseen(plan, slots, c);
    if (c.OverBudget()) return true;
    const int64_t next = g + 1 < groups.size() ? groups[g + 1].bound : lower_levels;
    if (c.Enough(std::max(next, lower_levels))) return true;
  }

  for (const Source* s : chosen) {
    const size_t first = enumerable[static_cast<size_t>(std::countr_zero(s->mask))];
    if (std::popcount(s->mask) == 1) {
      plan.tokens[first].exhausted = true;
    } else {
      const size_t second = enumerable[static_cast<size_t>(31 - std::countl_zero(s->mask))];
      plan.exhausted_pairs.emplace_back(first, second);
    }
  }
  return false;
}

bool PatientIndex::Impl::EnumerateTiered(Plan& plan, Collector& c) const {
  std::vector<const PlannedToken*> open;
  for (const PlannedToken& t : plan.tokens) {
    if (t.enumerable && !t.exhausted) open.push_back(&t);
  }
  const std::vector<StreamGroup> groups = GroupStreams(open);
  for (size_t g = 0; g < groups.size(); ++g) {
    // Every patient matching two or more tokens is already scored, so an unseen patient here
    // matches exactly this one token, with exactly these points.
    const int64_t key = plan.Key(1, groups[g].points);
    const size_t above = c.CountAbove(key);
    if (above >= c.wanted()) return true;
    const size_t needed = c.wanted() - above;
    if (TakeSmallestIds(groups[g], needed, key, c) >= needed) return true;
  }
  return false;
}

// Adds the `needed` unseen slots of `group` with the smallest ids (or all, when fewer) with
// rank `key`; returns how many were added.
size_t PatientIndex::Impl::TakeSmallestIds(const StreamGroup& group, size_t needed, int64_t key,
                                           Collector& c) const {
  size_t taken = 0;
  if (slots_follow_ids_) {
    // Slot order is id order: merge the sorted lists and stop after `needed`.
    std::vector<size_t> cursor(group.lists.size(), 0);
    while (taken < needed) {
      uint32_t next = kNoSlot;
      for (size_t i = 0; i < group.lists.size(); ++i) {
        if (cursor[i] < group.lists[i].size()) next = std::min(next, group.lists[i][cursor[i]]);
      }
      if (next == kNoSlot) break;
      for (size_t i = 0; i < group.lists.size(); ++i) {
        if (cursor[i] < group.lists[i].size() && group.lists[i][cursor[i]] == next) ++cursor[i];
      }
      if (c.Add(next, key)) ++taken;
    }
    return taken;
  }
  std::vector<uint32_t> slots;
  for (std::span<const uint32_t> list : group.lists) {
    slots.insert(slots.end(), list.begin(), list.end());
  }
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  std::erase_if(slots, [&](uint32_t slot) { return c.Seen(slot); });
  if (slots.size() > needed) {
    std::nth_element(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(needed),
                     slots.end(),
                     [&](uint32_t x, uint32_t y) { return records_[x].id < records_[y].id; });
    slots.resize(needed);
  }
  for (uint32_t slot : slots) {
    if (c.Add(slot, key)) ++taken;
  }
  return taken;
}

std::vector<SearchHit> PatientIndex::Impl::Rank(const Plan& plan, Collector& c, size_t offset,
                                                size_t limit) const {
  std::vector<Found>& found = c.found();
  const auto better = [&](const Found& x, const Found& y) {
    if (x.key != y.key) return x.key > y.key;
    return records_[x.slot].id < records_[y.slot].id;
  };
  const size_t wanted = std::min(found.size(), offset + limit);
  std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(wanted), found.end(),
                    better);
  std::vector<SearchHit> hits;
  for (size_t i = offset; i < wanted; ++i) {
    hits.push_back({records_[found[i].slot].id, plan.Score(found[i].key)});
  }
  return hits;
}

std::vector<SearchHit> PatientIndex::Impl::Search(std::string_view query, size_t limit,
                                                  size_t offset) const {
  if (limit == 0) return {};
  Plan plan = MakePlan(ParseSearchQuery(query));
  if (plan.tokens.empty()) return {};
  Collector collector(offset + limit);
  Run(plan, collector);
  return Rank(plan, collector, offset, limit);
}

}  // namespace caredesk
