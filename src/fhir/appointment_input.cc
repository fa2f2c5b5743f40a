#include "fhir/appointment_input.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/civil_time.h"
#include "fhir/json_access.h"
#include "fhir/schedule_resources.h"
#include "fhir/search_params.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

Error Bad(std::string path, std::string message) { return Error::Unprocessable(std::move(path), std::move(message)); }

// "Type/123" (or a URL ending so) -> {Type, 123}; {"", -1} when it is not one.
std::pair<std::string, int64_t> SplitReference(std::string_view ref) {
  const size_t slash = ref.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return {"", -1};
  const std::string_view before = ref.substr(0, slash);
  const size_t type_start = before.rfind('/');
  const std::string type(before.substr(type_start == std::string_view::npos ? 0 : type_start + 1));
  return {type, ReferenceId(ref, type)};
}

}  // namespace

Result<AppointmentInput> ReadAppointmentResource(const json::value& body, bool update) {
  if (!body.is_object()) return Error::Invalid("body", "the body must be an Appointment resource");
  const json::object& o = body.get_object();
  if (StringAt(o.if_contains("resourceType")) != "Appointment") {
    return Error::Invalid("resourceType", "the body must be an Appointment resource (resourceType Appointment)");
  }
  AppointmentInput in;
  BookingRequest& b = in.booking;
  in.status = StringAt(o.if_contains("status"));
  in.id = StringAt(o.if_contains("id"));
  if (const json::value* reason = o.if_contains("cancelationReason"); reason && reason->is_object()) {
    in.cancel_reason = StringAt(reason->get_object().if_contains("text"));
  }
  const std::string& status = in.status;
  if (!update && status != "booked" && status != "proposed" && status != "pending") {
    return Bad("Appointment.status", "a new appointment is booked, proposed or pending (CareDesk books it at once)");
  }
  if (update && status.empty()) return Bad("Appointment.status", "an appointment has a status");
  int64_t provider = 0, location = 0, type = 0;
  std::optional<TimePoint> start;
  if (const json::array* participants = ArrayAt(o, "participant")) {
    for (size_t i = 0; i < participants->size(); ++i) {
      const std::string path = "Appointment.participant[" + std::to_string(i) + "].actor";
      const json::object* p = (*participants)[i].if_object();
      const json::value* actor = p ? p->if_contains("actor") : nullptr;
      const std::string ref = actor && actor->is_object() ? StringAt(actor->get_object().if_contains("reference")) : "";
      if (ref.empty()) return Bad(path, "each participant names its actor by reference (Patient/id, ...)");
      const auto [kind, id] = SplitReference(ref);
      int64_t* slot = kind == "Patient" ? &b.patient_id : kind == "Practitioner" ? &provider
                    : kind == "Location" ? &location : nullptr;
      if (!slot) return Bad(path, "a participant is a Patient, Practitioner or Location; \"" + ref + "\" is not");
      if (id <= 0) return Bad(path, "\"" + ref + "\" is not a reference CareDesk can resolve");
      if (*slot != 0 && *slot != id) return Bad(path, "CareDesk books one " + kind + " an appointment");
      *slot = id;
    }
  }
  if (b.patient_id == 0) {
    return Bad("Appointment.participant", "an appointment to book names its patient (a participant whose actor is "
                                          "Patient/id)");
  }
  if (const json::array* services = ArrayAt(o, "serviceType")) {
    for (const json::value& service : *services) {
      const json::object* concept_ = service.if_object();
      const json::array* codings = concept_ ? ArrayAt(*concept_, "coding") : nullptr;
      if (!codings) continue;
      for (const json::value& coding : *codings) {
        const json::object* c = coding.if_object();
        if (!c) continue;
        const std::string system = StringAt(c->if_contains("system"));
        if (!system.empty() && system != kAppointmentTypeSystem) continue;
        type = ReferenceId(StringAt(c->if_contains("code")), "AppointmentType");
        if (type <= 0) return Bad("Appointment.serviceType", "the appointment type's code is its id");
      }
    }
  }
  if (const json::value* text = o.if_contains("start")) {
    if (!text->is_string()) return Bad("Appointment.start", "start is an instant such as 2026-11-25T09:30:00-05:00");
    auto at = ParseInstant(text->get_string(), "", "Appointment.start");
    if (!at.ok()) return Bad("Appointment.start", "start must be an instant with its offset: " + at.error().message);
    start = *at;
  }
  if (const json::array* slots = ArrayAt(o, "slot")) {
    if (slots->size() != 1) return Bad("Appointment.slot", "CareDesk books one slot an appointment");
    const json::object* s = (*slots)[0].if_object();
    const std::string ref = s ? StringAt(s->if_contains("reference")) : "";
    std::optional<SlotKey> key;
    if (ref.starts_with("Slot/") || ref.find("/Slot/") != std::string::npos) key = ReadSlotId(ref.substr(ref.rfind('/') + 1));
    if (!key) return Bad("Appointment.slot[0]", "\"" + ref + "\" is not a Slot this server offered");
    const TimePoint slot_start = FromMillis(key->start_minute * 60'000);
    const auto disagree = [&](const char* what) {
      return Bad("Appointment.slot[0]", std::string("the slot and the appointment name different ") + what);
    };
    if (provider && provider != key->provider_id) return disagree("practitioners");
    if (location && location != key->location_id) return disagree("locations");
    if (type && type != key->type_id) return disagree("appointment types");
    if (start && *start != slot_start) return disagree("start times");
    provider = key->provider_id;
    location = key->location_id;
    type = key->type_id;
    start = slot_start;
    in.from_slot = true;
  }
  if (provider == 0) return Bad("Appointment.participant", "an appointment to book names its practitioner (or a slot)");
  if (location == 0) return Bad("Appointment.participant", "an appointment to book names its location (or a slot)");
  if (type == 0) {
    return Bad("Appointment.serviceType", "an appointment to book names its appointment type (" +
                                              std::string(kAppointmentTypeSystem) + "|id, or a slot)");
  }
  if (!start) return Bad("Appointment.start", "an appointment to book has a start (or a slot)");
  b.provider_id = provider;
  b.location_id = location;
  b.appointment_type_id = type;
  b.start = *start;
  if (const json::value* comment = o.if_contains("comment")) {
    if (!comment->is_string()) return Bad("Appointment.comment", "comment is text");
    b.notes = std::string(comment->get_string());
  }
  return in;
}

Error AppointmentBookingError(Error e, bool from_slot) {
  std::string path;
  if (e.field == "patient_id") {
    path = "Appointment.participant";
  } else if (e.field == "provider" || e.field == "location") {
    path = from_slot ? "Appointment.slot[0]" : "Appointment.participant";
  } else if (e.field == "appointment_type") {
    path = from_slot ? "Appointment.slot[0]" : "Appointment.serviceType";
  } else if (e.field == "start") {
    path = from_slot ? "Appointment.slot[0]" : "Appointment.start";
  } else if (e.field == "notes") {
    path = "Appointment.comment";
  } else {
    return e;
  }
  e.field = path;
  if (e.code == ErrorCode::kNotFound || e.code == ErrorCode::kInvalidArgument) e.code = ErrorCode::kUnprocessable;
  return e;
}

}  // namespace caredesk::fhir
