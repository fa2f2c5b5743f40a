// ADT messages read into plain values: the event, the patient (PID), the visit (PV1) and the
// identifiers a merge retires (MRG). What CareDesk does with them is the application's business
// (app/hl7_inbound_service.h); this only reads and checks what the message says.
//
// Errors are values whose `field` is the HL7 location ("PID-7", "MSH-9") and whose `reason` is one
// of adt_reason (AdtConditionOf gives the table 0357 condition for an ACK's ERR segment). Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.h"
#include "core/clock.h"
#include "core/status.h"
#include "domain/hl7v2/hl7v2_message.h"

namespace caredesk::hl7v2 {

// The ADT events CareDesk reads.
enum class AdtEvent {
  kA01,  // admit / visit notification
  kA03,  // discharge / end visit
  kA04,  // register a patient
  kA08,  // update patient information
  kA11,  // cancel admit / visit notification
  kA13,  // cancel discharge / end visit
  kA40,  // merge patient identifier lists
};
std::string_view AdtEventCode(AdtEvent event);  // "A01"
std::optional<AdtEvent> ParseAdtEvent(std::string_view trigger);

// Stable reasons (Error::reason) of ADT reading errors, with the table 0357 condition each maps to.
namespace adt_reason {
inline constexpr std::string_view kNotAdt = "not_adt";                              // 200: MSH-9.1 is not ADT
inline constexpr std::string_view kUnsupportedEvent = "unsupported_event";          // 201: MSH-9.2
inline constexpr std::string_view kRequiredFieldMissing = "required_field_missing"; // 101
inline constexpr std::string_view kInvalidValue = "invalid_value";                  // 102: malformed date, time
inline constexpr std::string_view kUnknownCode = "unknown_code";                    // 103: not in its HL7 table
}  // namespace adt_reason

// The condition of an ADT reading error (or of a parse error, through ConditionOf).
ErrorCondition AdtConditionOf(const Error& error);

// One CX identifier (PID-3, MRG-1). `system` is the assigning authority: CX-4's namespace id, else
// its universal id; without CX-4 the assigning facility (CX-6) likewise; without either the
// sending facility (MSH-4), whose own number it then is.
struct AdtIdentifier {
  std::string system;
  std::string value;  // CX-1
  std::string type;   // CX-5: MR, PI, SS, AN, ...

  bool operator==(const AdtIdentifier&) const = default;
};

struct AdtAddress {
  std::string line1;        // XAD-1: its subcomponents joined by spaces
  std::string line2;        // XAD-2
  std::string city;         // XAD-3
  std::string state;        // XAD-4
  std::string postal_code;  // XAD-5
  std::string country;      // XAD-6 as sent (often ISO 3166 alpha-3: USA)
};

// PID, as far as CareDesk keeps it. Empty strings and nullopt: the message leaves the value out
// (HL7's "" null reads as empty too).
struct AdtPatient {
  std::vector<AdtIdentifier> identifiers;  // every PID-3 repetition with a value
  std::string family_name;                 // PID-5.1.1 of the legal name (XPN-7 "L") when it has a given
                                           // name too, else of the first name with a family name
  std::string given_name;                  // PID-5.2
  std::string middle_name;                 // PID-5.3
  std::optional<CivilDate> birth_date;     // PID-7, its date part
  std::string sex;                         // PID-8 as CareDesk's female|male|other|unknown
  AdtAddress address;                      // PID-11, first repetition
  std::string phone;                       // PID-13, first repetition with a number (XTN-1, else 5-7-8)
  std::string email;                       // PID-13, first repetition that is an e-mail address (XTN-4)
  std::string language;                    // PID-15.1 as sent (en, eng, E, ...)
};

// PV1, as sent.
struct AdtVisit {
  std::string patient_class;     // PV1-2: I, O, E, P, R, B
  std::string location;          // PV1-3: point of care / room / bed / facility, the parts sent
  std::string attending_id;      // PV1-7.1
  std::string attending_name;    // PV1-7: given family
  std::string visit_number;      // PV1-19.1
  std::optional<TimePoint> admit_at;      // PV1-44
  std::optional<TimePoint> discharge_at;  // PV1-45
};

// One patient group of an A40: the record that stays (PID) and the one merged into it (MRG-1).
struct AdtMerge {
  AdtPatient survivor;
  std::vector<AdtIdentifier> prior_identifiers;
};

struct AdtMessage {
  AdtEvent event = AdtEvent::kA08;
  AdtPatient patient;                        // the first PID
  std::optional<AdtVisit> visit;             // when there is a PV1
  std::vector<AdtIdentifier> prior_identifiers;  // MRG-1 of the first MRG (A40)
  std::vector<AdtMerge> merges;              // A40: every PID/MRG pair, in message order
  // Values read but not usable, with their location: "PID-11: country 'XYZ' is not an ISO 3166
  // code; left out". The message is still applied.
  std::vector<std::string> warnings;
};

// Reads an ADT message. Fails on: a message type other than ADT (MSH-9.1) or an event not in
// AdtEvent (MSH-9.2, or EVN-1 when MSH-9.2 is empty); no PID or no PID-3 value; an A40 whose PIDs
// and MRGs do not pair up, or with a pair without PID-3 or MRG-1; a PID-7 or PV1-44/45 that is not an HL7 date/time; a PID-8 outside HL7 table 0001 (and
// X). A missing name or birth date is not an error here: an A08 may leave them out.
Result<AdtMessage> ReadAdt(const Message& message);

// Reads one PID segment (identifiers, name, birth date, sex, address, phone, e-mail, language) as
// ReadAdt does; shared with the SIU reader (hl7v2_siu.h). `header` supplies the sending facility,
// the system of identifiers without an assigning authority. An empty PID-3 is not an error here
// (the caller decides whether it needs one); a malformed PID-7 or PID-8 is.
Result<AdtPatient> ReadPid(const Segment& pid, const MessageHeader& header);

// The date of an HL7 DT/DTM value (YYYY[MM[DD[HHMM[SS[.S...]]]]][+/-ZZZZ]); the date must be
// complete (YYYYMMDD) and real. Errors name `location`.
Result<CivilDate> ParseHl7Date(std::string_view text, std::string_view location);

// The instant of an HL7 DTM value with at least minutes (YYYYMMDDHHMM[SS[.S...]][+/-ZZZZ]). A value
// without an offset is read as UTC. Errors name `location`.
Result<TimePoint> ParseHl7Instant(std::string_view text, std::string_view location);

// CareDesk's sex for an HL7 administrative sex code (table 0001; X from v2.9): F female, M male,
// O A N X other, U unknown; nullopt for anything else. Case-insensitive.
std::optional<std::string> SexFromHl7(std::string_view code);

}  // namespace caredesk::hl7v2
