// FHIR search parameters come straight from the query string: reading them
// must accept or refuse with a 400 naming a parameter, never crash; what it
// accepts must be usable (ranges not inverted by the reader itself, a limit
// within bounds, a cursor that reads back).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fhir/search_params.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  caredesk::fhir::QueryParams query;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = text.find('&', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(at, end - at);
    const size_t eq = pair.find('=');
    query.emplace_back(std::string(pair.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    at = end + 1;
  }
  auto search = caredesk::fhir::ReadPatientSearch(query, {2026, 11, 24});
  if (!search.ok()) {
    if (search.error().field.empty()) __builtin_trap();  // every refusal names its parameter
  } else {
    const auto& q = search->criteria;
    if (q.limit < 0 || q.limit > caredesk::fhir::kMaxCount) __builtin_trap();
    for (const auto& any : q.birth_date) {
      for (const auto& m : any) {
        if (m.hi < m.lo) __builtin_trap();
      }
    }
    const std::string cursor = caredesk::fhir::NextCursor(q, 42, q.after_key.value_or("1980-01-01"));
    caredesk::fhir::QueryParams again = {{"_cursor", cursor}};
    if (q.order != caredesk::PatientOrder::kId) again.emplace_back("_sort", "birthdate");
    (void)caredesk::fhir::ReadPatientSearch(again, {2026, 11, 24});
  }
  if (auto r = caredesk::fhir::ReadFhirDateTime(text, "date"); r.ok() && r->hi_ms <= r->lo_ms) __builtin_trap();
  return 0;
}
