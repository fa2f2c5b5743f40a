// An Appointment another system sends to book, read into CareDesk's booking request.
//
// Read: status (booked, or proposed/pending: a request CareDesk books at once), the participants' actors
// (Patient/id, required; Practitioner/id; Location/id), serviceType (the appointment type:
// urn:caredesk:appointment-type|id, or a code without a system), start (an instant with its offset),
// comment (the notes), and slot (Slot/id: one free slot, which names the practitioner, location, type and
// start; what the resource also says must agree with it). Errors are 422 naming the FHIR path
// ("Appointment.participant"); a body that is not an Appointment is a 400.
#pragma once

#include <boost/json/value.hpp>

#include "app/appointment_service.h"
#include "core/status.h"

namespace caredesk::fhir {

struct AppointmentInput {
  BookingRequest booking;
  bool from_slot = false;  // the practitioner, location, type and start came from slot
};

Result<AppointmentInput> ReadAppointmentResource(const boost::json::value& body);

// A booking's error (AppointmentService::Book names its own fields: patient_id, provider, location,
// appointment_type, start) named by the element of the Appointment it came from; a reference to something
// that does not exist is a 422 there, not a 404.
Error AppointmentBookingError(Error e, bool from_slot);

}  // namespace caredesk::fhir
