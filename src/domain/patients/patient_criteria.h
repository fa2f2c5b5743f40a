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

#include "core/match.h"

namespace caredesk {

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
