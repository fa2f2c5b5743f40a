#include "domain/patients/patient_index.h"

#include <algorithm>
#include <mutex>

#include "domain/patients/name_match.h"
#include "domain/patients/patient_index_internal.h"

namespace caredesk {

using index_internal::DateKey;
using index_internal::DigitsOf;
using index_internal::IdKey;
using index_internal::kMaxGivenTerms;
using index_internal::kMaxNameTerms;
using index_internal::kNoBirthDate;
using index_internal::kNoSlot;
using index_internal::kPhoneKeyDigits;
using index_internal::kPhoneKeyModulus;
using index_internal::NumberOf;
using index_internal::PairKey;
using index_internal::PhoneOf;
using index_internal::Record;
using index_internal::StringKey;

namespace {

constexpr size_t kMaxPhoneDigits = 18;  // fits a uint64
constexpr size_t kMaxStoredString = 255;
// Strings of replaced or removed patients are compacted once they are half the arena.
constexpr size_t kMinArenaToCompact = 1 << 20;

enum class Sex : uint8_t { kUnknown, kFemale, kMale, kOther };

Sex ParseSex(std::string_view s) {
  const std::string lower = FoldToAscii(s);
  if (lower == "female" || lower == "f") return Sex::kFemale;
  if (lower == "male" || lower == "m") return Sex::kMale;
  if (lower == "other") return Sex::kOther;
  return Sex::kUnknown;
}

std::string_view SexName(Sex s) {
  switch (s) {
    case Sex::kFemale:
      return "female";
    case Sex::kMale:
      return "male";
    case Sex::kOther:
      return "other";
    case Sex::kUnknown:
      break;
  }
  return "";
}

// `s` cut to what a record can hold, in upper case when asked.
std::string Stored(std::string_view s, bool upper_case = false) {
  std::string out(s.substr(0, kMaxStoredString));
  if (upper_case) {
    for (char& c : out) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

void InsertSorted(std::vector<uint32_t>& list, uint32_t value) {
  if (list.empty() || list.back() < value) {
    list.push_back(value);
    return;
  }
  auto it = std::lower_bound(list.begin(), list.end(), value);
  if (it == list.end() || *it != value) list.insert(it, value);
}

void EraseSorted(std::vector<uint32_t>& list, uint32_t value) {
  auto it = std::lower_bound(list.begin(), list.end(), value);
  if (it != list.end() && *it == value) list.erase(it);
}

}  // namespace

// ---- Writing -------------------------------------------------------------------------------

Record PatientIndex::Impl::MakeRecord(const IndexedPatient& p) {
  Record r;
  r.id = p.id;
  r.live = 1;
  const std::vector<std::string> given = NameTokens(p.given_name);
  const std::vector<std::string> middle = NameTokens(p.middle_name);
  const std::vector<std::string> family = NameTokens(p.family_name);
  const size_t g = std::min(given.size(), kMaxGivenTerms);
  const size_t f = std::min(family.size(), kMaxNameTerms - g);
  const size_t m = std::min(middle.size(), kMaxNameTerms - g - f);
  size_t k = 0;
  for (size_t i = 0; i < g; ++i) r.terms[k++] = dictionary_.Intern(given[i]);
  for (size_t i = 0; i < m; ++i) r.terms[k++] = dictionary_.Intern(middle[i]);
  for (size_t i = 0; i < f; ++i) r.terms[k++] = dictionary_.Intern(family[i]);
  r.given_count = static_cast<uint8_t>(g);
  r.middle_count = static_cast<uint8_t>(m);
  r.family_count = static_cast<uint8_t>(f);
  if (term_postings_.size() < dictionary_.size()) term_postings_.resize(dictionary_.size());

  if (p.birth_date && IsRealDate(*p.birth_date)) {
    r.birth_days = static_cast<int32_t>(p.birth_date->DaysSinceEpoch());
  }
  r.sex = static_cast<uint8_t>(ParseSex(p.sex));

  std::string phone = DigitsOf(p.phone);
  if (phone.size() > kMaxPhoneDigits) phone.erase(0, phone.size() - kMaxPhoneDigits);
  r.phone = NumberOf(phone);
  r.phone_digits = static_cast<uint8_t>(phone.size());

  const std::string mrn = Stored(p.mrn, /*upper_case=*/true);
  const std::string email = Stored(FoldToAscii(p.email));
  const std::string postal = Stored(p.postal_code, /*upper_case=*/true);
  r.strings_offset = static_cast<uint32_t>(strings_.size());
  r.mrn_size = static_cast<uint8_t>(mrn.size());
  r.email_size = static_cast<uint8_t>(email.size());
  r.postal_size = static_cast<uint8_t>(postal.size());
  strings_ += mrn;
  strings_ += email;
  strings_ += postal;
  return r;
}

std::string_view PatientIndex::Impl::Mrn(const Record& r) const {
  return std::string_view(strings_).substr(r.strings_offset, r.mrn_size);
}
std::string_view PatientIndex::Impl::Email(const Record& r) const {
  return std::string_view(strings_).substr(r.strings_offset + r.mrn_size, r.email_size);
}
std::string_view PatientIndex::Impl::PostalCode(const Record& r) const {
  return std::string_view(strings_).substr(r.strings_offset + r.mrn_size + r.email_size,
                                           r.postal_size);
}

uint32_t PatientIndex::Impl::FindSlot(int64_t id) const {
  const std::span<const uint32_t> slots = ids_.Find(IdKey(id));
  return slots.empty() ? kNoSlot : slots.front();
}

uint32_t PatientIndex::Impl::NewSlot(int64_t id) {
  const bool ascending = records_.empty() || id > max_id_;
  max_id_ = std::max(max_id_, id);
  if (!ascending) slots_follow_ids_ = false;
  // Appending keeps slot order equal to id order; reusing a freed slot would break it.
  if (slots_follow_ids_ || free_slots_.empty()) {
    records_.emplace_back();
    return static_cast<uint32_t>(records_.size() - 1);
  }
  const uint32_t slot = free_slots_.back();
  free_slots_.pop_back();
  return slot;
}

void PatientIndex::Impl::Link(uint32_t slot) {
  const Record& r = records_[slot];
  const size_t count = r.term_count();
  for (size_t i = 0; i < count; ++i) InsertSorted(term_postings_[r.terms[i]], slot);
  for (size_t i = 0; i < count; ++i) {
    for (size_t j = i + 1; j < count; ++j) pairs_.Insert(PairKey(r.terms[i], r.terms[j]), slot);
  }
  if (r.birth_days != kNoBirthDate) birth_dates_.Insert(DateKey(r.birth_days), slot);
  if (r.phone_digits >= kPhoneKeyDigits) phones_.Insert(r.phone % kPhoneKeyModulus, slot);
  if (r.email_size > 0) emails_.Insert(StringKey(Email(r)), slot);
  if (r.mrn_size > 0) mrns_.Insert(StringKey(Mrn(r)), slot);
}

void PatientIndex::Impl::Unlink(uint32_t slot) {
  const Record& r = records_[slot];
  const size_t count = r.term_count();
  for (size_t i = 0; i < count; ++i) EraseSorted(term_postings_[r.terms[i]], slot);
  for (size_t i = 0; i < count; ++i) {
    for (size_t j = i + 1; j < count; ++j) pairs_.Erase(PairKey(r.terms[i], r.terms[j]), slot);
  }
  if (r.birth_days != kNoBirthDate) birth_dates_.Erase(DateKey(r.birth_days), slot);
  if (r.phone_digits >= kPhoneKeyDigits) phones_.Erase(r.phone % kPhoneKeyModulus, slot);
  if (r.email_size > 0) emails_.Erase(StringKey(Email(r)), slot);
  if (r.mrn_size > 0) mrns_.Erase(StringKey(Mrn(r)), slot);
  garbage_bytes_ += r.strings_size();
}

void PatientIndex::Impl::MaybeCompactStrings() {
  if (strings_.size() < kMinArenaToCompact || garbage_bytes_ * 2 < strings_.size()) return;
  std::string compacted;
  compacted.reserve(strings_.size() - garbage_bytes_);
  for (Record& r : records_) {
    if (!r.live) continue;
    const uint32_t offset = static_cast<uint32_t>(compacted.size());
    compacted.append(strings_, r.strings_offset, r.strings_size());
    r.strings_offset = offset;
  }
  strings_ = std::move(compacted);
  garbage_bytes_ = 0;
}

void PatientIndex::Impl::Upsert(const IndexedPatient& p) {
  const Record record = MakeRecord(p);
  uint32_t slot = FindSlot(p.id);
  if (slot != kNoSlot) {
    Unlink(slot);
  } else {
    slot = NewSlot(p.id);
    ids_.Insert(IdKey(p.id), slot);
    ++live_;
  }
  records_[slot] = record;
  Link(slot);
  MaybeCompactStrings();
}

void PatientIndex::Impl::Remove(int64_t id) {
  const uint32_t slot = FindSlot(id);
  if (slot == kNoSlot) return;
  Unlink(slot);
  ids_.Erase(IdKey(id), slot);
  records_[slot].live = 0;
  free_slots_.push_back(slot);
  --live_;
  MaybeCompactStrings();
}

void PatientIndex::Impl::Reserve(size_t patients) {
  records_.reserve(patients);
  ids_.Reserve(patients);
  pairs_.Reserve(patients);
  phones_.Reserve(patients);
  emails_.Reserve(patients);
  mrns_.Reserve(patients);
}

std::optional<IndexedPatient> PatientIndex::Impl::Get(int64_t id) const {
  const uint32_t slot = FindSlot(id);
  if (slot == kNoSlot) return std::nullopt;
  const Record& r = records_[slot];
  IndexedPatient p;
  p.id = r.id;
  const auto join = [&](size_t from, size_t count) {
    std::string out;
    for (size_t i = from; i < from + count; ++i) {
      if (!out.empty()) out.push_back(' ');
      out += dictionary_.Term(r.terms[i]);
    }
    return out;
  };
  p.given_name = join(0, r.given_count);
  p.middle_name = join(r.given_count, r.middle_count);
  p.family_name = join(r.given_count + r.middle_count, r.family_count);
  if (r.birth_days != kNoBirthDate) p.birth_date = CivilDate::FromDaysSinceEpoch(r.birth_days);
  p.sex = std::string(SexName(static_cast<Sex>(r.sex)));
  p.phone = PhoneOf(r);
  p.mrn = std::string(Mrn(r));
  p.email = std::string(Email(r));
  p.postal_code = std::string(PostalCode(r));
  return p;
}

size_t PatientIndex::Impl::CountWithName(std::string_view name_token) const {
  const uint32_t term = dictionary_.Find(name_token);
  return term == NameDictionary::kNotFound ? 0 : term_postings_[term].size();
}

size_t PatientIndex::Impl::MemoryUsage() const {
  size_t bytes = dictionary_.MemoryUsage() + pairs_.MemoryUsage() + birth_dates_.MemoryUsage() +
                 phones_.MemoryUsage() + emails_.MemoryUsage() + mrns_.MemoryUsage() +
                 ids_.MemoryUsage() + records_.capacity() * sizeof(Record) +
                 free_slots_.capacity() * sizeof(uint32_t) + strings_.capacity() +
                 term_postings_.capacity() * sizeof(std::vector<uint32_t>);
  for (const std::vector<uint32_t>& list : term_postings_) {
    bytes += list.capacity() * sizeof(uint32_t);
  }
  return bytes;
}

// ---- PatientIndex --------------------------------------------------------------------------

IndexedPatient ToIndexedPatient(const Patient& patient) {
  IndexedPatient p;
  p.id = patient.id;
  p.given_name = patient.given_name;
  p.middle_name = patient.middle_name;
  p.family_name = patient.family_name;
  p.birth_date = patient.birth_date;
  p.sex = patient.sex;
  p.phone = DigitsOf(patient.phone);
  p.mrn = patient.mrn;
  p.email = patient.email;
  p.postal_code = patient.address.postal_code;
  return p;
}

PatientIndex::PatientIndex() : impl_(std::make_unique<Impl>()) {}
PatientIndex::~PatientIndex() = default;

void PatientIndex::Upsert(const IndexedPatient& patient) {
  std::unique_lock lock(mutex_);
  impl_->Upsert(patient);
}

void PatientIndex::Remove(int64_t id) {
  std::unique_lock lock(mutex_);
  impl_->Remove(id);
}

size_t PatientIndex::size() const {
  std::shared_lock lock(mutex_);
  return impl_->size();
}

void PatientIndex::Reserve(size_t patients) {
  std::unique_lock lock(mutex_);
  impl_->Reserve(patients);
}

std::optional<IndexedPatient> PatientIndex::Get(int64_t id) const {
  std::shared_lock lock(mutex_);
  return impl_->Get(id);
}

std::vector<SearchHit> PatientIndex::Search(std::string_view query, size_t limit,
                                            size_t offset) const {
  std::shared_lock lock(mutex_);
  return impl_->Search(query, limit, offset);
}

std::vector<SearchHit> PatientIndex::FindDuplicateCandidates(const IndexedPatient& probe,
                                                             size_t limit) const {
  std::shared_lock lock(mutex_);
  return impl_->FindDuplicateCandidates(probe, limit);
}

size_t PatientIndex::CountWithName(std::string_view name_token) const {
  std::shared_lock lock(mutex_);
  return impl_->CountWithName(name_token);
}

size_t PatientIndex::MemoryUsage() const {
  std::shared_lock lock(mutex_);
  return impl_->MemoryUsage();
}

}  // namespace caredesk
