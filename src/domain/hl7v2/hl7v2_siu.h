// SIU (scheduling information unsolicited) messages read into plain values: the event, the outside
// appointment ids (SCH-1 placer, SCH-2 filler), the reason, type and services, the start and
// duration, the filler status, the patient (PID, read by the ADT reader's ReadPid) and the
// resources of every resource group (AIS, AIG, AIL, AIP). What CareDesk does with them is the
// application's business (app/hl7_inbound_siu.cc); this only reads and checks what the message says.
//
// Errors are values whose `field` is the HL7 location ("SCH-11", "TQ1-7", "AIS-4") and whose
// `reason` is one of adt_reason or siu_reason::kNotSiu (SiuConditionOf gives the table 0357
// condition). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/hl7v2/hl7v2_adt.h"
#include "domain/hl7v2/hl7v2_message.h"

namespace caredesk::hl7v2 {

// The SIU events CareDesk reads.
enum class SiuEvent {
  kS12,  // notification of new appointment booking
  kS13,  // notification of appointment rescheduling
  kS14,  // notification of appointment modification
  kS15,  // notification of appointment cancellation
  kS17,  // notification of appointment deletion
  kS26,  // notification that patient did not show up
};
std::string_view SiuEventCode(SiuEvent event);  // "S12"
std::optional<SiuEvent> ParseSiuEvent(std::string_view trigger);

namespace siu_reason {
inline constexpr std::string_view kNotSiu = "not_siu";  // 200: MSH-9.1 is not SIU
}  // namespace siu_reason

// The condition of an SIU reading error (adt_reason, siu_reason or a parse error).
ErrorCondition SiuConditionOf(const Error& error);

// An EI appointment id (SCH-1, SCH-2). `system` is EI-2 (namespace id), else EI-3 (universal id),
// else the sending facility (MSH-4), whose own number it then is.
struct SiuAppointmentId {
  std::string system;
  std::string value;     // EI-1
  std::string location;  // "SCH-1" or "SCH-2"

  bool operator==(const SiuAppointmentId&) const = default;
};

// A coded value (CWE/CE) as sent, with its location ("AIS[2]-3", "SCH-8").
struct SiuCode {
  std::string code;      // .1
  std::string text;      // .2
  std::string alt_code;  // .4
  std::string alt_text;  // .5
  std::string location;

  bool empty() const { return code.empty() && text.empty() && alt_code.empty() && alt_text.empty(); }
};

// AIP-3 (XCN): one person the appointment needs.
struct SiuPersonnel {
  std::string id;           // XCN-1
  std::string family_name;  // XCN-2.1
  std::string given_name;   // XCN-3
  std::string middle_name;  // XCN-4
  std::string role;         // AIP-4.2, else .1 (Gastroenterologist)
  std::string location;     // "AIP[1]-3"
};

// AIL-3 (PL): one place the appointment needs; the parts as sent.
struct SiuPlace {
  std::string point_of_care;  // PL-1 (its first subcomponent; a second one, when sent, in `name`)
  std::string room;           // PL-2
  std::string bed;            // PL-3
  std::string facility;       // PL-4.1 (else .2)
  std::string name;           // PL-9 (location description), else PL-1.2
  std::string location;       // "AIL[1]-3"
};

// AIG-3 (CWE): any other resource (equipment).
struct SiuResource {
  std::string id;
  std::string name;
  std::string location;  // "AIG[1]-3"
};

struct SiuMessage {
  SiuEvent event = SiuEvent::kS12;
  std::optional<SiuAppointmentId> placer_id;  // SCH-1
  std::optional<SiuAppointmentId> filler_id;  // SCH-2
  std::string event_reason;                   // SCH-6: text, else identifier
  SiuCode reason;                             // SCH-7
  SiuCode appointment_type;                   // SCH-8
  std::vector<SiuCode> services;              // AIS-3 of every AIS, in message order
  // The start: SCH-11.4 (TQ) for v2.3–2.5, TQ1-7 from v2.6 (either when only one is sent), else
  // AIS-4, AIL-6, AIP-6. `start_location` names the field read; empty when there is no start.
  std::optional<TimePoint> start;
  std::string start_location;
  // The duration in minutes (rounded up): the end of the same TQ/TQ1 less the start, else AIS-7
  // with AIS-8's units, else SCH-9 with SCH-10's (minutes when no unit is given). A value that
  // cannot be read is left out with a warning, since CareDesk books its own type's duration.
  std::optional<int> duration_minutes;
  std::string duration_location;
  std::string filler_status;                  // SCH-25.1 as sent (Booked, Cancelled, Noshow, ...)
  std::vector<std::string> notes;             // NTE-3 of the NTEs right after SCH/TQ1
  std::optional<AdtPatient> patient;          // the first PID, when there is one
  std::vector<SiuPersonnel> personnel;        // every AIP with an AIP-3 value
  std::vector<SiuPlace> places;               // every AIL with an AIL-3 value
  std::vector<SiuResource> resources;         // every AIG with an AIG-3 value
  std::vector<std::string> warnings;          // values read but not usable, with their location
};

// Reads an SIU message. Fails on: a message type other than SIU (MSH-9.1) or an event not in
// SiuEvent (MSH-9.2); a start that is not an HL7 date/time (naming the field read); a PID-7 or
// PID-8 that is malformed. Nothing else is required here: which values an event needs (a start
// to book, an appointment id to cancel) is the application's decision.
Result<SiuMessage> ReadSiu(const Message& message);

}  // namespace caredesk::hl7v2
