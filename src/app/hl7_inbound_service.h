// Inbound HL7 v2: every message is stored exactly as received before anything else, then applied
// to CareDesk's patients and encounters, its outcome recorded, and an acknowledgement written
// (original mode: MSA echoing MSH-10, ERR naming the HL7 location of what was wrong).
//
// Outcomes (hl7_messages.status, migration 0018):
//   applied    AA: the message changed CareDesk's records; `note` says what was done and what
//              part of the message CareDesk does not keep;
//   ignored    AA: understood, nothing in CareDesk to change (`note` says why);
//   duplicate  AA: a retransmission — same sender (MSH-3, MSH-4), MSH-10 and text as a message
//              applied or ignored before — not applied again;
//   failed     AE: an application error (a required field missing or malformed, an unknown
//              patient, identifiers naming two patients); Reprocess runs it again after a fix;
//   rejected   AR: the header cannot be read, or the message type, event or version is not one
//              CareDesk takes (SIU and ADT A40 are "not supported yet").
// A message whose processing was cut short (the database failed after it was stored) stays
// `received` and is answered AE; Reprocess picks it up too.
//
// ADT mapping (patients are matched by any PID-3 identifier in patient_identifiers, else by the
// duplicate detector when it is confident: exactly one candidate weighing at least
// kConfidentMatchWeight):
//   A01, A04  match or register the patient (register = PatientService's validation, registered
//             despite weaker look-alikes, which the note lists), update a matched patient's
//             demographics with the fields the message fills, store the PID-3 identifiers. The
//             visit (PV1) is not recorded: CareDesk's encounters begin at check-in.
//   A08       the same for a patient that must exist: unknown → AE 204 at PID-3.
//   A03       complete the patient's latest open encounter (FlowService::Transition to
//             completed); none open → ignored.
//   A13       undo that completion (FlowService::Undo) when the patient's latest encounter was
//             completed; otherwise ignored.
//   A11       ignored: A01 creates no encounter, so there is no admission to cancel.
//   A40, SIU  rejected, not supported yet.
// Patient writes, their identifiers, their audit entries and the outcome are one transaction.
// A03 and A13 go through FlowService (its own transaction, audit and live-board events); the
// outcome is recorded after it. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/flow_service.h"
#include "app/patient_service.h"
#include "domain/hl7v2/hl7v2_ack.h"
#include "domain/hl7v2/hl7v2_adt.h"
#include "storage/hl7_message_repository.h"

namespace caredesk {

namespace hl7_status {
inline constexpr char kReceived[] = "received";
inline constexpr char kApplied[] = "applied";
inline constexpr char kIgnored[] = "ignored";
inline constexpr char kDuplicate[] = "duplicate";
inline constexpr char kFailed[] = "failed";
inline constexpr char kRejected[] = "rejected";
}  // namespace hl7_status

// The duplicate detector's weight from which an inbound message's patient is taken to be an
// existing one (about 2^-12 odds of a chance match; same names and birth date score about 31, a
// typo in one name with the same birth date 26–29).
inline constexpr double kConfidentMatchWeight = 25.0;

// The username the interface acts as in the audit trail.
inline constexpr char kHl7InboundUser[] = "hl7-inbound";

struct Hl7InboundOptions {
  std::string application = "CareDesk";  // MSH-3 of our ACKs
  std::string facility = "CareDesk";     // MSH-4
};

// One page of messages, how many match in all, and how many of every message wait for someone
// (failed, rejected, received: the statuses Reprocess takes), whatever the filter.
struct Hl7MessageList {
  std::vector<db::Hl7MessageRow> items;
  int64_t total = 0;
  std::vector<std::pair<std::string, int64_t>> needing_attention;
};

class Hl7InboundService {
 public:
  Hl7InboundService(db::Pool& pool, const Clock& clock, AuditLog& audit, PatientService& patients,
                    FlowService& flow, Hl7InboundOptions options = {})
      : pool_(pool), clock_(clock), audit_(audit), patients_(patients), flow_(flow), options_(std::move(options)) {}

  // The MLLP listener's handler: stores, applies and acknowledges one message (the frame's
  // content); returns the ACK text. Never fails: when the message cannot even be stored the
  // answer is AE (application internal error), so the sender sends it again.
  std::string Receive(std::string_view raw, std::string_view peer);

  struct Submitted {
    std::optional<int64_t> id;  // the stored message; nullopt when it could not be stored
    std::string ack;
  };
  // Receive, also saying which stored message it was.
  Submitted Submit(std::string_view raw, std::string_view peer);
  // The same for a message a signed-in user sends over HTTP (POST /api/v1/hl7/messages): the
  // writes are audited as `by`, and the peer is their address.
  Submitted Submit(const Actor& by, std::string_view raw);

  // Runs a failed (or interrupted) message again, as `by`; attempts + 1. NotFound; Conflict
  // "not_reprocessable" for any other status.
  Result<db::Hl7MessageRow> Reprocess(const Actor& by, int64_t id);
  // Newest first, without the raw text (audited as one listing).
  Result<Hl7MessageList> List(const Actor& by, const db::Hl7MessageFilter& f);
  // One message with its raw text (audited as a read of its patient's demographics).
  Result<db::Hl7MessageRow> Get(const Actor& by, int64_t id);

  // The actor of messages received from `peer`.
  static Actor InterfaceActor(std::string_view peer);

 private:
  struct Decision;
  struct Match;

  Submitted SubmitAs(const Actor& by, std::string_view raw, std::string_view peer);
  Result<Decision> Process(const Actor& by, int64_t id, std::string_view raw);
  Result<Decision> ProcessAdt(const Actor& by, int64_t id, const hl7v2::Message& message, Decision d);
  Result<Decision> ApplyDemographics(const Actor& by, int64_t id, const hl7v2::AdtMessage& adt, Decision d);
  Result<Decision> ApplyEncounter(const Actor& by, int64_t id, const hl7v2::AdtMessage& adt, Decision d);
  Result<Match> FindPatient(const hl7v2::AdtMessage& adt, const Patient* probe);
  Status Record(int64_t id, const Decision& d);
  static void SetError(Decision& d, const char* status, hl7v2::AckCode ack, hl7v2::AckError error);
  std::string Ack(const hl7v2::MessageHeader& inbound, const Decision& d, int64_t id);

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  PatientService& patients_;
  FlowService& flow_;
  Hl7InboundOptions options_;
};

}  // namespace caredesk
