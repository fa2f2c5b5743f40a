// Outbound HL7 v2: CareDesk's own bookings, their changes and check-ins written as SIU and ADT
// messages (v2.5.1, default delimiters, segments ended by CR) for the systems that listen — an
// EHR's scheduling feed, a lab, a bed board. Pure functions over plain values; thread-safe.
//
// Identifiers: the patient's MRN is PID-3 with CareDesk's facility as assigning authority (type
// MR), followed by the identifiers other systems gave the patient; an appointment is SCH-2 (filler
// appointment id) <id>^<facility>; an encounter is PV1-19 (visit number) <id>^^^<facility>^VN.
// Times are wall time at the appointment's location with its offset (20261123093000-0500).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.h"
#include "core/clock.h"
#include "domain/hl7v2/hl7v2_adt.h"
#include "domain/hl7v2/hl7v2_message.h"
#include "domain/hl7v2/hl7v2_siu.h"

namespace caredesk::hl7v2 {

// MSH of an outbound message.
struct OutboundEnvelope {
  HierarchicDesignator application;            // MSH-3: CareDesk
  HierarchicDesignator facility;               // MSH-4: the clinic; also the assigning authority of ids
  HierarchicDesignator receiving_application;  // MSH-5
  HierarchicDesignator receiving_facility;     // MSH-6
  std::string control_id;                      // MSH-10: not empty, at most 20 characters
  TimePoint created_at;                        // MSH-7 (UTC) and EVN-2
  std::string processing_id = "P";             // MSH-11
};

struct OutboundIdentifier {
  std::string system;  // assigning authority (CX-4)
  std::string value;   // CX-1
  std::string type;    // CX-5 (MR, SS, ...); may be empty
};

struct OutboundPatient {
  std::string mrn;
  std::vector<OutboundIdentifier> other_identifiers;
  std::string family_name;
  std::string given_name;
  std::string middle_name;
  std::optional<CivilDate> birth_date;
  std::string sex;  // CareDesk's: female|male|other|unknown (PID-8 F|M|O|U)
  std::string phone;
  std::string email;
  std::string address_line1;
  std::string address_line2;
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country;             // ISO 3166 alpha-2
  std::string preferred_language;  // BCP 47
};

// Someone or something an appointment uses, as <id>^<name>.
struct OutboundResource {
  int64_t id = 0;
  std::string name;
};

struct OutboundAppointment {
  int64_t id = 0;
  std::string status;  // CareDesk's: booked|checked_in|completed|cancelled|no_show
  TimePoint start;
  TimePoint end;
  std::string time_zone;     // the location's IANA zone: times are written in it
  OutboundResource type;     // SCH-8 and AIS-3
  std::string modality;      // in_person|telehealth
  std::string event_reason;  // SCH-6: why it changed (a cancellation's reason)
  std::string notes;         // NTE
  OutboundResource provider;  // AIP-3 (role AIP-4 "ATT")
  OutboundResource location;  // AIL-3 (point of care: the location's id)
  std::string room;           // AIL-3 room
};

// SIU^<trigger>^SIU_S12: MSH, SCH, NTE (notes), PID, RGS, AIS, AIL, AIP. The events are the ones
// CareDesk also reads (hl7v2_siu.h): S12 booked, S13 rescheduled, S14 modified (checked in,
// completed), S15 cancelled, S17 deleted, S26 no-show.
std::string WriteSiu(SiuEvent event, const OutboundEnvelope& envelope, const OutboundPatient& patient,
                     const OutboundAppointment& appointment);

// An encounter (a visit from check-in on) for ADT.
struct OutboundVisit {
  int64_t encounter_id = 0;
  std::optional<int64_t> appointment_id;
  std::string time_zone;  // the location's
  TimePoint arrived_at;   // PV1-44
  std::optional<TimePoint> discharged_at;  // PV1-45 (completed, or left without being seen)
  OutboundResource location;               // PV1-3 point of care
  std::string room;                        // PV1-3 room
  OutboundResource provider;               // PV1-7 attending
};

// ADT^<trigger>^<structure> (A03: ADT_A03, A11: ADT_A09, the others ADT_A01): MSH, EVN, PID, PV1
// (patient class O; PV1 with only its class when there is no visit). The events are the ones
// CareDesk also reads (hl7v2_adt.h): A04 a check-in, A03 the visit's end, A08 new demographics,
// A11/A13 a check-in or an end undone; A01 is written like A04. Not A40 (precondition): see WriteMerge.
std::string WriteAdt(AdtEvent event, const OutboundEnvelope& envelope, const OutboundPatient& patient,
                     const std::optional<OutboundVisit>& visit);

// ADT^A40^ADT_A39: `merged` was merged into `survivor`. MSH, EVN, PID (the survivor, with the identifiers
// it took over), MRG-1 (the merged record's MRN, as PID-3 writes an MRN) and MRG-7 (its name).
std::string WriteMerge(const OutboundEnvelope& envelope, const OutboundPatient& survivor,
                       const OutboundPatient& merged);

}  // namespace caredesk::hl7v2
