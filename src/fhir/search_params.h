// FHIR search parameters read into CareDesk's criteria.
//
// Patient: _id, _lastUpdated, identifier, name, family, given, birthdate,
// gender, phone, email; string parameters take :exact and :contains, phone
// and email :missing; dates take the prefixes eq, ne, lt, le, gt, ge, sa, eb
// and ap with a year, month, day or date-time. A comma separates
// alternatives (OR); a repeated parameter must hold as well (AND).
// Result parameters: _count (0-1000, default 20), _sort (one of _id,
// _lastUpdated, family, given, birthdate, '-' for descending; without it a
// search with family is in family-name order, any other in id order), _summary=count,
// _total (none, estimate, accurate) and the server's own _cursor in next
// links. Parameters it does not know are ignored, as the specification says,
// and reported back (`ignored`) so the answer can say so.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/civil_time.h"
#include "core/status.h"
#include "domain/patients/patient_criteria.h"

namespace caredesk::fhir {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

inline constexpr int kDefaultCount = 20;
inline constexpr int kMaxCount = 1000;

struct PatientSearch {
  PatientCriteria criteria;
  bool summary_count = false;  // _summary=count: the total only
  bool with_total = true;      // _total=none turns it off
  QueryParams used;            // the parameters applied, for the self and next links (not _cursor)
  std::vector<std::string> ignored;  // names of parameters not understood
};

// Errors are 400s naming the parameter (field) as sent, e.g. "birthdate".
// `today` anchors the `ap` prefix.
Result<PatientSearch> ReadPatientSearch(const QueryParams& query, CivilDate today);

// A parameter value's alternatives: split at commas; a backslash escapes a comma, bar, dollar or backslash.
std::vector<std::string> SplitAlternatives(std::string_view value);

// _count: a whole number from 0 to kMaxCount; otherwise a 400 naming _count. Every searched type reads it so.
Result<int> ReadCount(std::string_view value);

// The value of _cursor that continues after the last row of a page.
std::string NextCursor(const PatientCriteria& criteria, int64_t last_id, const std::string& last_sort_key);

// A FHIR date, dateTime or instant ("2024", "2024-05", "2024-05-17",
// "2024-05-17T10:30:00+02:00") as the half-open range of milliseconds it
// covers; a date-time without a zone is read as UTC.
struct InstantRange {
  int64_t lo_ms = 0;
  int64_t hi_ms = 0;
};
Result<InstantRange> ReadFhirDateTime(std::string_view text, std::string_view field);

}  // namespace caredesk::fhir
