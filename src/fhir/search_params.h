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

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/civil_time.h"
#include "core/status.h"
#include "core/match.h"
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
  std::vector<std::string> revinclude;  // _revinclude: "Appointment", "Encounter", "Coverage"
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

// A reference parameter's id: "7", "Practitioner/7" or a URL ending so give 7; a reference to another
// type, or an id CareDesk never issues, gives -1 (which matches nothing).
int64_t ReferenceId(std::string_view text, std::string_view type);

// What the result parameters of a search paged by key asked for.
struct ResultParams {
  bool summary_count = false;  // _summary=count
  bool with_total = true;      // _total=none turns it off
};

// Reads one of the result parameters of a search paged by key (KeyedPage): _count, _sort (`time_name`,
// e.g. "date", or _id, each with '-' for descending), _summary, _total and the server's _cursor (the
// last row's id, then ".time" when sorted by time). Returns false, touching nothing, for any other
// parameter; errors are 400s naming the parameter. `used` is false for _cursor (the next link adds it).
Result<bool> ReadPageParam(std::string_view name, std::string_view value, std::string_view time_name,
                           KeyedPage& page, ResultParams& result, bool& used);
// After every parameter was read: a cursor must fit the order; _summary=count reads no rows.
Status CheckPage(KeyedPage& page, const ResultParams& result);
// The value of _cursor that continues after a page whose last row had `last_id` and `last_time`.
std::string NextCursor(const KeyedPage& page, int64_t last_id, int64_t last_time);

// One _include or _revinclude value ("Appointment:patient", "Appointment:actor:Practitioner") looked up in
// `known` ({"Appointment:patient", "Patient"}, ...: the parameter and the type it brings in); the types it
// brings in are added to `types` (once each). False when the value is not in `known`.
struct IncludeRule {
  std::string_view value;
  std::string_view type;
};
template <size_t N>
bool ReadInclude(std::string_view value, const IncludeRule (&known)[N], std::vector<std::string>& types) {
  bool found = false;
  for (const IncludeRule& rule : known) {
    if (rule.value != value) continue;
    found = true;
    if (std::find(types.begin(), types.end(), rule.type) == types.end()) types.emplace_back(rule.type);
  }
  return found;
}

// A date parameter that bounds a window rather than testing a value (Slot's start, AuditEvent's date): one
// value (no alternatives) with the prefix eq, lt, le, gt, ge, sa or eb narrows [from, to). Errors name `key`.
Status NarrowWindow(std::string_view key, std::string_view value, std::optional<int64_t>& from,
                    std::optional<int64_t>& to);

// A date parameter's alternatives (prefixes eq ne lt le gt ge sa eb ap) as instant ranges.
Result<AnyOf<InstantMatch>> ReadInstantAlternatives(std::string_view key, std::string_view value, CivilDate today);

// A FHIR date, dateTime or instant ("2024", "2024-05", "2024-05-17",
// "2024-05-17T10:30:00+02:00") as the half-open range of milliseconds it
// covers; a date-time without a zone is read as UTC.
struct InstantRange {
  int64_t lo_ms = 0;
  int64_t hi_ms = 0;
};
Result<InstantRange> ReadFhirDateTime(std::string_view text, std::string_view field);

}  // namespace caredesk::fhir
