// The search parameters of the types kept as sent (resource_store.h): _id, _lastUpdated (prefixes eq ne lt
// le gt ge sa eb ap), patient and subject (Patient/id: the resource's `patient`, else its `subject`),
// _count, _sort=_id (the order stored), _summary=count, _total and the server's _cursor; _include of
// <Type>:patient and <Type>:subject brings in the Patient. Other parameters are ignored and reported.
#pragma once

#include "core/civil_time.h"
#include "fhir/keyed_search.h"
#include "storage/fhir_resource_repository.h"

namespace caredesk::fhir {

using StoredSearch = KeyedSearch<db::FhirResourceCriteria>;

Result<StoredSearch> ReadStoredSearch(std::string_view type, const QueryParams& query, CivilDate today);

}  // namespace caredesk::fhir
