// PatientIndex::FindDuplicateCandidates: blocking for duplicate detection.
#include <algorithm>
#include <unordered_map>

#include "domain/patients/name_match.h"
#include "domain/patients/patient_index_internal.h"

namespace caredesk {

using index_internal::DateKey;
using index_internal::DigitsOf;
using index_internal::kFullPoints;
using index_internal::kMaxPairProbes;
using index_internal::kPhoneKeyDigits;
using index_internal::NameMatcher;
using index_internal::PairKey;
using index_internal::PhoneKeyOf;
using index_internal::PhoneOf;
using index_internal::PhonePoints;
using index_internal::PointsFor;
using index_internal::StringKey;

namespace {

constexpr ExpandOptions kDuplicateExpansion{.prefixes = false, .max_phonetic_terms = 12};

// Blocking keys of FindDuplicateCandidates and their weights in its ordering.
constexpr int kBlockPhone = 300;
constexpr int kBlockEmail = 300;
constexpr int kBlockBirthDate = 200;
constexpr int kBlockNearBirthDate = 100;
constexpr int kBlockNamePair = 100;
constexpr int kBlockMaxName = 2 * kFullPoints;
constexpr int kBlockMax = kBlockPhone + kBlockEmail + kBlockBirthDate + kBlockNearBirthDate +
                          kBlockNamePair + kBlockMaxName;
// A birth date shared by more patients than this only blocks together with one of the probe's names.
constexpr size_t kMaxBirthDateBlock = 2000;
// So does a phone number or an e-mail shared by more: a care home's, a clinic's own number typed in for
// patients without one. Reading the whole group made every registration with such a number cost as much as
// the group is large (an HL7 feed where 100,000 patients share a phone registered 1,221 a second).
constexpr size_t kMaxContactBlock = 2000;
// Name-side postings used alone (when the probe has only a given or only a family name).
constexpr size_t kMaxSingleNameBlock = 2000;
constexpr size_t kMaxProbeTokensPerSide = 3;

// The slots of `sorted` that also appear in the ascending list `other` (galloping through the
// longer one), appended to `out`.
void IntersectSorted(std::span<const uint32_t> sorted, std::span<const uint32_t> other,
                     std::vector<uint32_t>& out) {
  if (sorted.size() > other.size()) std::swap(sorted, other);
  auto from = other.begin();
  for (uint32_t slot : sorted) {
    from = std::lower_bound(from, other.end(), slot);
    if (from == other.end()) break;
    if (*from == slot) out.push_back(slot);
  }
}

}  // namespace

std::vector<SearchHit> PatientIndex::Impl::FindDuplicateCandidates(const IndexedPatient& probe,
                                                                   size_t limit) const {
  if (limit == 0) return {};
  // The probe's name tokens on one side (given and middle, or family) as matchers; a name split
  // in two ("cla rke") also blocks as written together.
  struct Side {
    std::vector<NameMatcher> matchers;
    std::vector<uint32_t> exact_terms;  // the probe's own tokens found in the dictionary
  };
  const auto side = [&](std::initializer_list<const std::string*> names) {
    std::vector<std::string> tokens;
    for (const std::string* name : names) {
      std::vector<std::string> field = NameTokens(*name);
      if (field.size() == 2) field.push_back(field[0] + field[1]);
      for (std::string& token : field) tokens.push_back(std::move(token));
    }
    if (tokens.size() > kMaxProbeTokensPerSide) tokens.resize(kMaxProbeTokensPerSide);
    Side out;
    for (const std::string& token : tokens) {
      NameMatcher& m = out.matchers.emplace_back();
      m.expansions = dictionary_.Expand(token, kDuplicateExpansion);
      for (const TermExpansion& e : m.expansions) {
        m.points.push_back(static_cast<uint8_t>(PointsFor(e.match)));
        if (e.match == TermMatch::kExact) out.exact_terms.push_back(e.term);
      }
    }
    return out;
  };
  const Side given = side({&probe.given_name, &probe.middle_name});
  const Side family = side({&probe.family_name});

  // What each candidate agrees on: the weights of its blocking keys (each counted once) and the
  // best name-pair quality seen.
  enum Key : uint8_t {
    kPhoneKey = 1,
    kEmailKey = 2,
    kBirthKey = 4,
    kNearBirthKey = 8,
    kNameKey = 16
  };
  struct Agreement {
    int weight = 0;
    int name_points = 0;
    uint8_t keys = 0;
  };
  std::unordered_map<uint32_t, Agreement> candidates;
  const uint32_t own_slot = FindSlot(probe.id);
  const auto agree = [&](uint32_t slot, Key key, int weight, int name_points) {
    if (slot == own_slot) return;
    Agreement& a = candidates[slot];
    if ((a.keys & key) == 0) {
      a.keys |= key;
      a.weight += weight;
    }
    a.name_points = std::max(a.name_points, name_points);
  };

  // Patients sharing one of the probe's names exactly: a near birth date, or a birth date, phone or e-mail
  // shared by very many, blocks only together with one of those. (A slot may come twice; agree counts a key
  // once.)
  const auto with_a_name = [&](std::span<const uint32_t> slots) {
    std::vector<uint32_t> out;
    for (const Side* s : {&given, &family}) {
      for (uint32_t term : s->exact_terms) IntersectSorted(slots, term_postings_[term], out);
    }
    return out;
  };
  const auto capped = [&](std::span<const uint32_t> slots, size_t cap, std::vector<uint32_t>& named) {
    if (slots.size() <= cap) return slots;
    named = with_a_name(slots);
    return std::span<const uint32_t>(named);
  };
  std::vector<uint32_t> named;
  if (const std::string phone = DigitsOf(probe.phone); phone.size() >= kPhoneKeyDigits) {
    for (uint32_t slot : capped(phones_.Find(PhoneKeyOf(phone)), kMaxContactBlock, named)) {
      if (PhonePoints(PhoneOf(records_[slot]), phone) > 0) agree(slot, kPhoneKey, kBlockPhone, 0);
    }
  }
  if (const std::string email = FoldToAscii(probe.email); !email.empty()) {
    for (uint32_t slot : capped(emails_.Find(StringKey(email)), kMaxContactBlock, named)) {
      if (Email(records_[slot]) == email) agree(slot, kEmailKey, kBlockEmail, 0);
    }
  }
  if (probe.birth_date && IsRealDate(*probe.birth_date)) {
    const CivilDate& dob = *probe.birth_date;
    const std::span<const uint32_t> same_day =
        birth_dates_.Find(DateKey(static_cast<int32_t>(dob.DaysSinceEpoch())));
    for (uint32_t slot : capped(same_day, kMaxBirthDateBlock, named)) agree(slot, kBirthKey, kBlockBirthDate, 0);
    // Day and month swapped, the commonest birth-date error, blocks together with a name.
    // (Dates a digit away are left to the name-pair block: a digit typo together with a wholly
    // different name seldom scores as a duplicate, and checking them costs a quarter of a lookup.)
    const CivilDate swapped{dob.year, dob.day, dob.month};
    if (swapped != dob && IsRealDate(swapped)) {
      const std::span<const uint32_t> slots =
          birth_dates_.Find(DateKey(static_cast<int32_t>(swapped.DaysSinceEpoch())));
      for (uint32_t slot : with_a_name(slots)) agree(slot, kNearBirthKey, kBlockNearBirthDate, 0);
    }
  }
  if (!given.matchers.empty() && !family.matchers.empty()) {
    size_t probes = 0;
    for (const NameMatcher& g : given.matchers) {
      for (const NameMatcher& f : family.matchers) {
        for (size_t i = 0; i < g.expansions.size(); ++i) {
          for (size_t j = 0; j < f.expansions.size() && probes < kMaxPairProbes; ++j, ++probes) {
            const int points = g.points[i] + f.points[j];
            for (uint32_t slot : pairs_.Find(PairKey(g.expansions[i].term, f.expansions[j].term))) {
              agree(slot, kNameKey, kBlockNamePair, points);
            }
          }
        }
      }
    }
  } else {
    // Only one side known: its exact terms, when not too common.
    for (uint32_t term : (given.matchers.empty() ? family : given).exact_terms) {
      const std::vector<uint32_t>& postings = term_postings_[term];
      if (postings.size() > kMaxSingleNameBlock) continue;
      for (uint32_t slot : postings) agree(slot, kNameKey, kBlockNamePair, kFullPoints);
    }
  }

  std::vector<std::pair<int, uint32_t>> ranked;  // (score, slot)
  ranked.reserve(candidates.size());
  for (const auto& [slot, a] : candidates) ranked.emplace_back(a.weight + a.name_points, slot);
  const auto better = [&](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    return records_[x.second].id < records_[y.second].id;
  };
  const size_t wanted = std::min(limit, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(wanted),
                    ranked.end(), better);
  std::vector<SearchHit> hits;
  for (size_t i = 0; i < wanted; ++i) {
    hits.push_back(
        {records_[ranked[i].second].id, static_cast<double>(ranked[i].first) / kBlockMax});
  }
  return hits;
}

}  // namespace caredesk
