// A modelled resource served with what its writer sent that CareDesk does not model (extensions, primitive
// extensions such as `_birthDate`, contained resources, narrative, codes CareDesk has no field for), and with
// what it does model as sent while CareDesk's record of it has not changed since.
//
// Beside each write through FHIR (or an import) CareDesk keeps two bodies (fhir_sources, migration 0022):
// the resource as sent (without id and meta) and its projection, the resource CareDesk made of its own record
// right after the write. An element CareDesk models counts as unchanged when the resource it serves now still
// has what the projection had. Patient, Practitioner, Encounter and Coverage are kept so. No I/O: ServeAsSent
// (resource_store.h) reads the kept bodies.
#pragma once

#include <boost/json/object.hpp>

#include <span>
#include <string_view>


namespace caredesk::fhir {

// The top-level elements CareDesk models in a Practitioner, an Encounter and a Coverage.
std::span<const std::string_view> PractitionerModelled();
std::span<const std::string_view> EncounterModelled();
std::span<const std::string_view> CoverageModelled();

// `current` (CareDesk's record now) with every element of `original` CareDesk does not model, and every one
// it models still as `projection` had it, as the writer sent it. id and meta are `current`'s. An element
// CareDesk models that the writer did not send is left out, or with `keep_unsent` CareDesk's (the location an
// imported encounter was placed at is CareDesk's to say).
boost::json::object KeepAsSent(const boost::json::object& original, const boost::json::object& projection,
                               boost::json::object current, std::span<const std::string_view> modelled,
                               bool keep_unsent = false);

// The resource as sent without what CareDesk gives it (id, meta): what fhir_sources keeps.
boost::json::object AsSent(boost::json::object resource);

}  // namespace caredesk::fhir
