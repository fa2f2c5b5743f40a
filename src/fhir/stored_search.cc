#include "fhir/stored_search.h"

namespace caredesk::fhir {

Result<StoredSearch> ReadStoredSearch(std::string_view type, const QueryParams& query, CivilDate today) {
  using C = db::FhirResourceCriteria;
  static constexpr ReferenceParam<C> kReferences[] = {{"patient", "Patient", &C::patients},
                                                      {"subject", "Patient", &C::patients}};
  // The rules name the type searched, so they are made per search.
  const std::string patient_rule = std::string(type) + ":patient", subject_rule = std::string(type) + ":subject",
                    subject_typed = std::string(type) + ":subject:Patient";
  const IncludeRule includes[] = {{patient_rule, "Patient"}, {subject_rule, "Patient"}, {subject_typed, "Patient"}};
  CD_ASSIGN_OR_RETURN(StoredSearch out,
                      ReadKeyedSearch<C>(query, type, "", kReferences, includes,
                                         [&](const std::string& key, std::string_view name, std::string_view modifier,
                                             const std::string& value, C& q) -> Result<bool> {
                                           if (name != "_lastUpdated") return false;
                                           CD_RETURN_IF_ERROR(NoModifier(key, name, modifier));
                                           CD_ASSIGN_OR_RETURN(auto any, ReadInstantAlternatives(key, value, today));
                                           q.updated.push_back(std::move(any));
                                           return true;
                                         }));
  out.criteria.resource_type = std::string(type);
  return out;
}

}  // namespace caredesk::fhir
