// Appointments and encounters as FHIR R4 resources, and the search parameters of both.
//
// Appointment.status from CareDesk's status: booked → booked, checked_in → checked-in, completed → fulfilled,
// no_show → noshow, cancelled → cancelled. Its participants are the patient, the practitioner and the
// location; serviceType is the appointment type (system kAppointmentTypeSystem, code its id); start and end
// are instants with the location's offset.
//
// Encounter.status from the flow state: arrived → arrived, roomed → triaged, with_provider and checkout →
// in-progress, completed → finished, left_without_being_seen → cancelled; statusHistory is the transitions
// that were not undone. class is AMB, or VR for a telehealth visit.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/flow/encounter_criteria.h"
#include "domain/scheduling/appointment_criteria.h"
#include "fhir/keyed_search.h"
#include "fhir/schedule_resources.h"
#include "fhir/search_params.h"
#include "storage/appointment_repository.h"
#include "storage/encounter_repository.h"

namespace caredesk::fhir {

boost::json::object AppointmentResource(const db::AppointmentRow& a);
// `transitions`, when given, become statusHistory.
boost::json::object EncounterResource(const db::EncounterRow& e, const std::vector<db::TransitionRow>* transitions);

// FHIR's status code for CareDesk's, and the CareDesk statuses a FHIR code stands for (none for a code of
// the value set CareDesk never uses; an error naming `field` for a code outside it).
std::string AppointmentStatusCode(std::string_view status);
std::string EncounterStatusCode(std::string_view state);

using AppointmentSearch = KeyedSearch<AppointmentCriteria>;
using EncounterSearch = KeyedSearch<EncounterCriteria>;

// Appointment: _id, date (the start; prefixes), status, patient, actor (Patient/, Practitioner/ or
// Location/), practitioner, location, service-type (the appointment type: code or system|code),
// _lastUpdated; in date order unless _sort says _id. _include: Appointment:patient, :practitioner, :location
// and :actor (all three, or one with :actor:Type).
Result<AppointmentSearch> ReadAppointmentSearch(const QueryParams& query, CivilDate today);

// Encounter: _id, patient (or subject), date (the arrival; prefixes), status, location, practitioner
// (or participant), appointment; in date order unless _sort says _id. _include: Encounter:patient (or
// :subject), :practitioner (or :participant), :location, :appointment.
Result<EncounterSearch> ReadEncounterSearch(const QueryParams& query, CivilDate today);

}  // namespace caredesk::fhir
