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
  std::string status;          // the FHIR code as sent
  std::string cancel_reason;   // cancelationReason.text
  std::string id;              // as sent (an update's must be the one in the URL)
};

// `update`: the resource replaces an appointment, so status may be any code of the value set (what CareDesk
// does with it is UpdateAppointment's); otherwise it is a new booking.
Result<AppointmentInput> ReadAppointmentResource(const boost::json::value& body, bool update = false);

// PUT /Appointment/{id}: the changes CareDesk can make, found by comparing the resource with the appointment as
// it is, and made in order (the status or the time first, the notes last): status cancelled (with
// cancelationReason.text) cancels, noshow marks a no-show, a new start or practitioner of a booked
// appointment reschedules, a new comment replaces the notes. The patient, location and type do not change
// (422: cancel and book anew), nor does a status by any other path (check-in is the flow's). Each change is
// the REST API's, audited as such. NotFound for no such appointment.
Result<AppointmentView> UpdateAppointment(AppointmentService& appointments, const Actor& by, int64_t id,
                                          const boost::json::value& body);

// A booking's error (AppointmentService::Book names its own fields: patient_id, provider, location,
// appointment_type, start) named by the element of the Appointment it came from; a reference to something
// that does not exist is a 422 there, not a 404.
Error AppointmentBookingError(Error e, bool from_slot);

}  // namespace caredesk::fhir
