// Internals of PatientIndex shared by its implementation files: patient_index.cc (storage and
// the public class), patient_index_search.cc (ranked search) and patient_index_blocking.cc
// (duplicate candidates). Not part of the subsystem's interface; include from those files only.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/patients/name_dictionary.h"
#include "domain/patients/patient.h"
#include "domain/patients/patient_index.h"
#include "domain/patients/posting_map.h"
#include "domain/patients/search_query.h"

namespace caredesk {
namespace index_internal {

// Names beyond this many tokens per patient are not indexed (given names keep up to
// kMaxGivenTerms, then family names, then middle names).
inline constexpr size_t kMaxNameTerms = 8;
inline constexpr size_t kMaxGivenTerms = 4;
inline constexpr uint32_t kNoSlot = 0xFFFFFFFF;
inline constexpr int32_t kNoBirthDate = std::numeric_limits<int32_t>::min();
// Phones are filed under their last 7 digits, so "123-4567" finds "+1 555 123 4567".
inline constexpr size_t kPhoneKeyDigits = 7;
inline constexpr uint64_t kPhoneKeyModulus = 10'000'000;

// Match quality in points, hundredths of the 0..1 quality PatientIndex::Search documents.
inline constexpr int kFullPoints = 100;
inline constexpr int kPointsPrefix = 85;
inline constexpr int kPointsNickname = 80;
inline constexpr int kPointsEdit1 = 70;
inline constexpr int kPointsEdit2 = 60;
inline constexpr int kPointsPhonetic = 50;
inline constexpr int kPointsInitial = 60;
inline constexpr int kPointsDateSwapped = 70;
inline constexpr int kPointsDateDigit = 60;
inline constexpr int kPointsPhoneTail = 90;

inline int PointsFor(TermMatch match) {
  switch (match) {
    case TermMatch::kExact:
      return kFullPoints;
    case TermMatch::kPrefix:
      return kPointsPrefix;
    case TermMatch::kNickname:
      return kPointsNickname;
    case TermMatch::kEdit1:
      return kPointsEdit1;
    case TermMatch::kEdit2:
      return kPointsEdit2;
    case TermMatch::kPhonetic:
      return kPointsPhonetic;
  }
  return 0;
}

// Name-pair postings probed at most for one pair of name tokens.
inline constexpr size_t kMaxPairProbes = 4096;

// One patient in 64 bytes: a cache line holds everything scoring needs.
struct Record {
  int64_t id = 0;
  uint64_t phone = 0;  // the phone's digits read as a number (see phone_digits)
  std::array<uint32_t, kMaxNameTerms> terms{};  // given, then middle, then family
  uint32_t strings_offset = 0;                  // mrn, email, postal code back to back
  int32_t birth_days = kNoBirthDate;
  uint8_t given_count = 0;
  uint8_t middle_count = 0;
  uint8_t family_count = 0;
  uint8_t phone_digits = 0;  // 0 when there is no phone; leading zeros count
  uint8_t mrn_size = 0;
  uint8_t email_size = 0;
  uint8_t postal_size = 0;
  uint8_t sex : 2 = 0;
  uint8_t live : 1 = 0;

  size_t term_count() const { return given_count + middle_count + family_count; }
  size_t strings_size() const { return size_t{mrn_size} + email_size + postal_size; }
};
static_assert(sizeof(Record) == 64, "a record should fill one cache line");

inline uint64_t PairKey(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return (uint64_t{a} << 32) | b;
}
inline uint64_t StringKey(std::string_view s) { return std::hash<std::string_view>{}(s); }
inline uint64_t DateKey(int32_t days) { return uint64_t{static_cast<uint32_t>(days)}; }
inline uint64_t IdKey(int64_t id) { return static_cast<uint64_t>(id); }

inline std::string DigitsOf(std::string_view s) {
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits;
}

inline uint64_t NumberOf(std::string_view digits) {
  uint64_t n = 0;
  for (char c : digits) n = n * 10 + static_cast<uint64_t>(c - '0');
  return n;
}

inline uint64_t PhoneKeyOf(std::string_view digits) {
  return NumberOf(digits.substr(digits.size() - kPhoneKeyDigits));
}

// The record's phone digits, leading zeros restored.
inline std::string PhoneOf(const Record& r) {
  if (r.phone_digits == 0) return {};
  std::string digits = std::to_string(r.phone);
  if (digits.size() < r.phone_digits) digits.insert(0, r.phone_digits - digits.size(), '0');
  return digits;
}

// How well a stored phone matches typed digits: equal, or the same number with more or less of
// its prefix (PhoneTailsMatch).
inline int PhonePoints(std::string_view stored, std::string_view typed) {
  if (stored.size() < kPhoneKeyDigits || typed.size() < kPhoneKeyDigits) return 0;
  if (stored == typed) return kFullPoints;
  return PhoneTailsMatch(stored, typed) ? kPointsPhoneTail : 0;
}

// The dictionary terms one typed name token matches, with their points.
struct NameMatcher {
  std::vector<TermExpansion> expansions;  // by term id
  std::vector<uint8_t> points;            // parallel to expansions
  char initial = 0;                       // for a one-letter token

  int Points(uint32_t term, const NameDictionary& dictionary) const {
    if (initial != 0) {
      const std::string_view text = dictionary.Term(term);
      if (text.size() == 1 && text[0] == initial) return kFullPoints;
      return text.front() == initial ? kPointsInitial : 0;
    }
    auto it = std::lower_bound(expansions.begin(), expansions.end(), term,
                               [](const TermExpansion& e, uint32_t t) { return e.term < t; });
    if (it == expansions.end() || it->term != term) return 0;
    return points[static_cast<size_t>(it - expansions.begin())];
  }
};

// Search state, defined in patient_index_search.cc.
struct Stream;
struct StreamGroup;
struct PlannedToken;
struct Plan;
class Collector;

}  // namespace index_internal

// The index proper; PatientIndex adds the lock. Thread-compatible.
//
// Each patient occupies a slot: a Record in records_, its strings in strings_. Postings are
// ascending lists of slots: one per dictionary term, and PostingMaps keyed by pairs of a
// patient's name terms, birth date, phone tail, e-mail, MRN and id. Removing a patient frees its
// slot; while ids arrive in ascending order new patients take new slots, so slot order stays id
// order and ties need no id lookups.
class PatientIndex::Impl {
 public:
  void Upsert(const IndexedPatient& p);
  void Remove(int64_t id);
  size_t size() const { return live_; }
  void Reserve(size_t patients);
  std::optional<IndexedPatient> Get(int64_t id) const;
  std::vector<SearchHit> Search(std::string_view query, size_t limit, size_t offset) const;
  std::vector<SearchHit> FindDuplicateCandidates(const IndexedPatient& probe, size_t limit) const;
  size_t CountWithName(std::string_view name_token) const;
  size_t MemoryUsage() const;

 private:
  using Record = index_internal::Record;
  using Stream = index_internal::Stream;
  using StreamGroup = index_internal::StreamGroup;
  using PlannedToken = index_internal::PlannedToken;
  using Plan = index_internal::Plan;
  using Collector = index_internal::Collector;
  enum class DriveResult { kEnough, kExhausted, kAborted };

  // Writing.
  Record MakeRecord(const IndexedPatient& p);
  uint32_t FindSlot(int64_t id) const;
  uint32_t NewSlot(int64_t id);
  void Link(uint32_t slot);
  void Unlink(uint32_t slot);
  void MaybeCompactStrings();
  std::string_view Mrn(const Record& r) const;
  std::string_view Email(const Record& r) const;
  std::string_view PostalCode(const Record& r) const;

  // Searching.
  Plan MakePlan(std::vector<SearchToken> tokens) const;
  void PlanIdentifier(PlannedToken& t) const;
  int64_t KeyOf(const Plan& plan, uint32_t slot) const;
  void ScoreUnseen(const Plan& plan, std::span<const uint32_t> slots, Collector& c) const;
  int NamePoints(const Plan& plan, const Record& r, int& matched) const;
  void Run(Plan& plan, Collector& c) const;
  bool DriveBySingleToken(const Plan& plan, PlannedToken& driver, Collector& c) const;
  DriveResult DriveByNamePair(Plan& plan, size_t a, size_t b, Collector& c) const;
  bool PairPostings(const Plan& plan, size_t a, size_t b, std::vector<Stream>& postings) const;
  bool EnumerateLevels(Plan& plan, Collector& c) const;
  bool EnumerateCover(Plan& plan, const std::vector<size_t>& enumerable, int64_t level,
                      int64_t need, Collector& c) const;
  bool EnumerateTiered(Plan& plan, Collector& c) const;
  size_t TakeSmallestIds(const StreamGroup& group, size_t needed, int64_t key, Collector& c) const;
  std::vector<SearchHit> Rank(const Plan& plan, Collector& c, size_t offset, size_t limit) const;

  NameDictionary dictionary_;
  std::vector<std::vector<uint32_t>> term_postings_;  // by term id: slots, ascending
  PostingMap pairs_;        // PairKey of two name terms of one patient → slots
  PostingMap birth_dates_;  // DateKey → slots
  PostingMap phones_;       // last 7 phone digits → slots
  PostingMap emails_;       // StringKey(email) → slots
  PostingMap mrns_;         // StringKey(mrn) → slots
  PostingMap ids_;          // IdKey(id) → slot

  std::vector<Record> records_;
  std::vector<uint32_t> free_slots_;
  std::string strings_;
  size_t garbage_bytes_ = 0;
  size_t live_ = 0;
  int64_t max_id_ = std::numeric_limits<int64_t>::min();
  // While patients arrive in ascending id order (a bulk load by primary key, then new
  // registrations), slot order is id order, and ties can be broken without reading ids.
  bool slots_follow_ids_ = true;
};

}  // namespace caredesk
