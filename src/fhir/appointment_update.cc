// PUT /fhir/R4/Appointment/{id}: UpdateAppointment (appointment_input.h), apart from the reading so that the reader
// links without the services (its fuzz target).
#include "core/civil_time.h"
#include "fhir/appointment_input.h"
#include "fhir/visit_resources.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

Error Bad(std::string path, std::string message) { return Error::Unprocessable(std::move(path), std::move(message)); }

}  // namespace

Result<AppointmentView> UpdateAppointment(AppointmentService& appointments, const Actor& by, int64_t id,
                                          const json::value& body) {
  CD_ASSIGN_OR_RETURN(AppointmentInput in, ReadAppointmentResource(body, true));
  if (in.id != std::to_string(id)) {
    return Error::Invalid("Appointment.id", "the resource's id must be the one in the URL (" + std::to_string(id) + ")");
  }
  CD_ASSIGN_OR_RETURN(AppointmentView now, appointments.Get(by, id));
  const db::AppointmentRow& row = now.row;
  const BookingRequest& b = in.booking;
  const auto fixed = [](const char* path, const char* what) {
    return Bad(path, std::string("an appointment's ") + what + " does not change: cancel it and book anew");
  };
  if (b.patient_id != row.patient_id) return fixed("Appointment.participant", "patient");
  if (b.location_id != row.location_id) return fixed(in.from_slot ? "Appointment.slot[0]" : "Appointment.participant",
                                                     "location");
  if (b.appointment_type_id != row.appointment_type_id) {
    return fixed(in.from_slot ? "Appointment.slot[0]" : "Appointment.serviceType", "type");
  }
  const std::string current = AppointmentStatusCode(row.status);
  const bool moved_in_time = ToMillis(b.start) != row.start_at || b.provider_id != row.provider_id;
  if (in.status != current && moved_in_time) {
    return Bad("Appointment.start", "change the status or the time, not both in one update");
  }
  if (in.status != current) {
    if (in.status == "cancelled") {
      if (in.cancel_reason.empty()) {
        return Bad("Appointment.cancelationReason", "a cancellation needs its reason (cancelationReason.text)");
      }
      CD_ASSIGN_OR_RETURN(now, appointments.Cancel(by, id, in.cancel_reason));
    } else if (in.status == "noshow") {
      CD_ASSIGN_OR_RETURN(now, appointments.MarkNoShow(by, id));
    } else {
      return Bad("Appointment.status", "CareDesk does not move an appointment from " + current + " to " + in.status +
                                           " by an update (cancelled and noshow are; check-in is the flow's)");
    }
  } else if (moved_in_time) {
    auto moved = appointments.Reschedule(by, id, b.start,
                                         b.provider_id != row.provider_id ? std::optional(b.provider_id) : std::nullopt);
    if (!moved.ok()) return AppointmentBookingError(moved.error(), in.from_slot);
    now = std::move(*moved);
  }
  if (b.notes != now.row.notes) {
    CD_ASSIGN_OR_RETURN(now, appointments.UpdateNotes(by, id, b.notes));
  }
  return now;
}

}  // namespace caredesk::fhir
