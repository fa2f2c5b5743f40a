#include "domain/hl7v2/hl7v2_outbound.h"

#include <array>
#include <cassert>
#include <chrono>

#include "domain/hl7v2/hl7v2_writing.h"

namespace caredesk::hl7v2 {
namespace {

using writing::AppendSegment;
using writing::Components;
using writing::Esc;
using writing::Hd;
using writing::Join;
using writing::kDelimiters;

constexpr std::string_view kVersion = "2.5.1";
// Table 0396: a code of the sender's own (appointment types, CareDesk's statuses).
constexpr std::string_view kLocalCodes = "L";

std::string Id(int64_t id) { return id > 0 ? std::to_string(id) : std::string(); }

// <id>^<name> (CE without a coding system, or XCN id and family name).
std::string Resource(const OutboundResource& r) { return Components({Id(r.id), Esc(r.name)}); }

// The facility as the subcomponents of a HD inside a component (CX-4, PL-4).
std::string FacilityInComponent(const OutboundEnvelope& e) {
  return Join({Esc(e.facility.namespace_id), Esc(e.facility.universal_id), Esc(e.facility.universal_id_type)},
              kDelimiters.subcomponent);
}

void AppendMsh(std::string& out, const OutboundEnvelope& e, std::string_view code, std::string_view trigger,
               std::string_view structure) {
  assert(!e.control_id.empty());
  AppendSegment(out, "MSH",
                {kDelimiters.EncodingCharacters(), Hd(e.application), Hd(e.facility), Hd(e.receiving_application),
                 Hd(e.receiving_facility), writing::DtmUtc(e.created_at), "", Components({code, trigger, structure}),
                 Esc(e.control_id), Esc(e.processing_id), kVersion});
}

std::string_view SexCode(std::string_view sex) {
  if (sex == "female") return "F";
  if (sex == "male") return "M";
  if (sex == "other") return "O";
  return "U";
}

// PID-3: the MRN under the facility, then the identifiers other systems gave the patient.
std::string PatientIdentifiers(const OutboundEnvelope& e, const OutboundPatient& p) {
  std::string out = Components({Esc(p.mrn), "", "", FacilityInComponent(e), "MR"});
  for (const OutboundIdentifier& id : p.other_identifiers) {
    out += kDelimiters.repetition;
    out += Components({Esc(id.value), "", "", Esc(id.system), Esc(id.type)});
  }
  return out;
}

// PID-13: the phone (XTN-1 for older readers, use PRN, equipment PH) and the email (NET, Internet).
std::string PatientContacts(const OutboundPatient& p) {
  std::string out;
  if (!p.phone.empty()) out = Components({Esc(p.phone), "PRN", "PH"});
  if (!p.email.empty()) {
    if (!out.empty()) out += kDelimiters.repetition;
    out += Components({"", "NET", "Internet", Esc(p.email)});
  }
  return out;
}

void AppendPid(std::string& out, const OutboundEnvelope& e, const OutboundPatient& p) {
  const std::string address = Components({Esc(p.address_line1), Esc(p.address_line2), Esc(p.city), Esc(p.state),
                                          Esc(p.postal_code), Esc(p.country)});
  AppendSegment(out, "PID",
                {"1", "", PatientIdentifiers(e, p), "",
                 Components({Esc(p.family_name), Esc(p.given_name), Esc(p.middle_name)}), "",
                 p.birth_date ? writing::Dt(*p.birth_date) : std::string(), SexCode(p.sex), "", "", address, "",
                 PatientContacts(p), "", Esc(p.preferred_language)});
}

// PL: <location id>^<room>^^<facility>^^^^^<location name>.
std::string Place(const OutboundEnvelope& e, const OutboundResource& location, std::string_view room) {
  return Components({Id(location.id), Esc(room), "", FacilityInComponent(e), "", "", "", "", Esc(location.name)});
}

// Table 0278, filler status codes.
std::string_view FillerStatus(const OutboundAppointment& a, SiuEvent event) {
  if (event == SiuEvent::kS17) return "Deleted";
  if (a.status == "cancelled") return "Cancelled";
  if (a.status == "no_show") return "Noshow";
  if (a.status == "completed") return "Complete";
  if (a.status == "checked_in") return "Started";
  return "Booked";
}

}  // namespace

std::string WriteSiu(SiuEvent event, const OutboundEnvelope& e, const OutboundPatient& p,
                     const OutboundAppointment& a) {
  const std::string start = writing::DtmIn(a.start, a.time_zone);
  const std::string end = writing::DtmIn(a.end, a.time_zone);
  const std::string minutes =
      std::to_string(std::chrono::duration_cast<std::chrono::minutes>(a.end - a.start).count());
  const std::string status(FillerStatus(a, event));
  const std::string_view action = event == SiuEvent::kS12 ? "A" : "U";
  const std::string type = Components({Id(a.type.id), Esc(a.type.name), kLocalCodes});

  std::string out;
  AppendMsh(out, e, "SIU", SiuEventCode(event), "SIU_S12");
  // SCH-2 the filler (CareDesk's) appointment id, SCH-6 the event reason, SCH-8 the type, SCH-9/10
  // the duration, SCH-11 the timing (TQ: ^^<duration>^<start>^<end>, still what most readers
  // take), SCH-25 the filler status.
  AppendSegment(out, "SCH",
                {"", Components({Id(a.id), FacilityInComponent(e)}), "", "", "",
                 Components({"", Esc(a.event_reason.empty() ? status : a.event_reason)}), "", type, minutes,
                 Components({"min", "minutes", "ANS+"}), Components({"", "", "M" + minutes, start, end}), "", "", "",
                 "", "", "", "", "", "", "", "", "", "", Components({status, status, "HL70278"})});
  if (!a.notes.empty()) AppendSegment(out, "NTE", {"1", "", Esc(a.notes)});
  AppendPid(out, e, p);
  AppendSegment(out, "RGS", {"1", action});
  AppendSegment(out, "AIS", {"1", action, type, start, "", "", minutes, "min", "", status});
  AppendSegment(out, "AIL",
                {"1", action, Place(e, a.location, a.room), a.modality == "telehealth" ? "VIRTUAL" : "", "", start,
                 "", "", minutes, "min", "", status});
  AppendSegment(out, "AIP",
                {"1", action, Resource(a.provider), Components({"ATT", "Attending"}), "", start, "", "", minutes,
                 "min", "", status});
  return out;
}

std::string WriteAdt(AdtEvent event, const OutboundEnvelope& e, const OutboundPatient& p,
                     const std::optional<OutboundVisit>& visit) {
  assert(event != AdtEvent::kA40);
  // The message structures of v2.5.1 (table 0354).
  const std::string_view structure = event == AdtEvent::kA03   ? "ADT_A03"
                                     : event == AdtEvent::kA11 ? "ADT_A09"
                                                               : "ADT_A01";
  const std::string_view code = AdtEventCode(event);
  std::string out;
  AppendMsh(out, e, "ADT", code, structure);
  AppendSegment(out, "EVN", {code, writing::DtmUtc(e.created_at)});
  AppendPid(out, e, p);
  if (!visit) {
    AppendSegment(out, "PV1", {"1", "O"});
    return out;
  }
  const OutboundVisit& v = *visit;
  const std::string visit_number = Components({Id(v.encounter_id), "", "", FacilityInComponent(e), "VN"});
  const std::string admitted = writing::DtmIn(v.arrived_at, v.time_zone);
  const std::string discharged = v.discharged_at ? writing::DtmIn(*v.discharged_at, v.time_zone) : std::string();
  // PV1-2 class O (outpatient), PV1-3 where, PV1-7 the attending provider, PV1-19 the visit number,
  // PV1-44/45 arrival and discharge; PV1-50 the appointment it came from (alternate visit id).
  std::array<std::string, 50> f;
  f[0] = "1";
  f[1] = "O";
  f[2] = Place(e, v.location, v.room);
  f[6] = Resource(v.provider);
  f[18] = visit_number;
  f[43] = admitted;
  f[44] = discharged;
  if (v.appointment_id) f[49] = Components({Id(*v.appointment_id), "", "", FacilityInComponent(e)});
  AppendSegment(out, "PV1", std::span<const std::string>(f));
  return out;
}

std::string WriteMerge(const OutboundEnvelope& e, const OutboundPatient& survivor, const OutboundPatient& merged) {
  std::string out;
  AppendMsh(out, e, "ADT", "A40", "ADT_A39");
  AppendSegment(out, "EVN", {"A40", writing::DtmUtc(e.created_at)});
  AppendPid(out, e, survivor);
  std::array<std::string, 7> mrg;
  mrg[0] = Components({Esc(merged.mrn), "", "", FacilityInComponent(e), "MR"});
  mrg[6] = Components({Esc(merged.family_name), Esc(merged.given_name), Esc(merged.middle_name)});
  AppendSegment(out, "MRG", std::span<const std::string>(mrg));
  return out;
}

}  // namespace caredesk::hl7v2
