// Exact criteria for finding patients, as an interface such as FHIR's Patient
// search asks for them: every criterion must hold (AND), and each holds when
// any of its alternatives does (OR). Unlike PatientIndex::Search nothing here
// is ranked or typo-tolerant. The storage layer turns these into SQL; the
// FHIR layer builds them from search parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_time.h"

namespace caredesk {

// A text test on a name part (given, middle or family) or a whole field.
struct TextMatch {
  enum class Kind {
    kStartsWith,  // case-insensitive: "smi" matches "Smith"
    kExact,       // case- and accent-sensitive equality
    kContains,    // case-insensitive, anywhere
  };
  Kind kind = Kind::kStartsWith;
  std::string value;
};

// A test of a date against the half-open day range [lo, hi) that a partial
// date such as "1980" or "1980-05" stands for.
struct DateMatch {
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
  Op op = Op::kEq;
  CivilDate lo;
  CivilDate hi;  // exclusive
};

// The same test on an instant in milliseconds since the epoch, against
// [lo_ms, hi_ms).
struct InstantMatch {
  DateMatch::Op op = DateMatch::Op::kEq;
  int64_t lo_ms = 0;
  int64_t hi_ms = 0;
};

// An identifier: the MRN (system kMrnSystem) or one recorded from another
// system (patient_identifiers). `system` nullopt = any system; `value` empty
// = any value of `system`.
struct IdentifierMatch {
  std::optional<std::string> system;
  std::string value;
};

// The system of CareDesk's own medical record numbers.
inline constexpr char kMrnSystem[] = "urn:caredesk:mrn";

enum class PatientOrder { kId, kFamily, kGiven, kBirthDate, kLastUpdated };

template <typename T>
using AnyOf = std::vector<T>;  // holds when one of its elements holds

struct PatientCriteria {
  std::vector<AnyOf<int64_t>> ids;
  std::vector<AnyOf<TextMatch>> name;    // any name part: given, middle or family
  std::vector<AnyOf<TextMatch>> family;
  std::vector<AnyOf<TextMatch>> given;   // given or middle
  std::vector<AnyOf<DateMatch>> birth_date;
  std::vector<AnyOf<std::string>> sex;   // kSexValues
  std::vector<AnyOf<std::string>> phone;  // NormalizePhone'd
  std::vector<AnyOf<std::string>> email;  // lower case
  std::vector<AnyOf<IdentifierMatch>> identifier;
  std::optional<bool> has_phone;  // :missing=false / :missing=true
  std::optional<bool> has_email;
  std::vector<AnyOf<InstantMatch>> last_updated;

  // Order, then id in the same direction. Paging is by key, not offset, so a
  // page stays right while patients are added: the next page starts after
  // the last row's (sort key, id).
  PatientOrder order = PatientOrder::kId;
  bool descending = false;
  std::optional<std::string> after_key;  // the last row's sort key (not for kId)
  std::optional<int64_t> after_id;
  int limit = 20;
};

}  // namespace caredesk
