// Inbound HL7 v2: every message is stored exactly as received with its outcome, applied to
// CareDesk's patients, appointments and encounters, and acknowledged (original mode: MSA echoing
// MSH-10, ERR naming the HL7 location of what was wrong). How, below under "Flow".
//
// Outcomes (hl7_messages.status, migration 0018):
//   applied    AA: the message was applied to CareDesk's records; `note` says what was done and
//              what part of the message CareDesk does not keep (a patient whose demographics are
//              already as sent is not rewritten: the note says so, the audit trail has a read);
//   ignored    AA: understood, nothing in CareDesk to change (`note` says why);
//   duplicate  AA: a retransmission — same sender (MSH-3, MSH-4), MSH-10 and text as a message
//              applied or ignored before — not applied again;
//   failed     AE: an application error (a required field missing or malformed, an unknown
//              patient, identifiers naming two patients); Reprocess runs it again after a fix;
//   rejected   AR: the header cannot be read, or the message type, event or version is not one
//              CareDesk takes (SIU without scheduling wired in, A40 without merges wired in).
// A message whose processing was cut short (A03, A13, SIU: the database failed after it was
// stored) stays `received` and is answered AE; Reprocess picks it up too.
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
//   A40       merge (app/hl7_inbound_merge.cc; needs UseMerges), every PID/MRG patient group in one
//             transaction: the record named by MRG-1 into the one named by PID-3, both matched by
//             identifier only (no duplicate detector for a merge) through PatientMergeService.
//             MRG-1 unknown → AE 204 at MRG-1; PID-3 unknown → the PID-3 identifiers are added to
//             the MRG-1 record (a change of identifier); both the same record, or already merged
//             into this survivor → nothing to do (noted); the MRG-1 record merged into another, or
//             the PID-3 record merged itself → AE 207 naming the field. Any AE writes nothing.
//
// SIU mapping (app/hl7_inbound_siu.cc; needs UseScheduling). Outside appointment ids: SCH-2
// filler and SCH-1 placer (EI), each with its system (EI-2, else EI-3, else MSH-4), mapped to the
// CareDesk appointment in hl7_appointment_ids (migration 0019; unique per system, kind, value).
// Provider: the first AIP-3 naming an active provider — by name, since CareDesk keeps no outside
// provider ids (given + family [+ middle] against the provider's name, word by word, any order,
// case, titles and punctuation ignored; or XCN-1 holding the name); none → AE 204 at AIP-3.
// Location: the first AIL-3 whose facility, description, point of care or room is a location's
// (or an active room's) name; no AIL → the provider's only location; else AE at AIL-3. Type: the
// first AIS-3, then SCH-8, then SCH-7 code or text that is an active type's name; else AE at that
// field. Start: SCH-11.4 (v2.3–2.5) / TQ1-7 (v2.6+), else AIS-4, AIL-6, AIP-6; errors name the
// field read. CareDesk books its type's duration; a different SIU duration is noted, not kept.
//   S12       book through AppointmentService (slot rules, no double booking, history, audit):
//             the start must be a free slot of the provider's templates — otherwise AE at the
//             start field with not_a_slot ("outside availability"), slot_taken or in_the_past.
//             Patient: PID-3 identifier, else a confident duplicate-detector match (demographics
//             not changed by SIU), else registered through the A04 path. Resolution and the slot
//             check run before a patient is registered; a slot taken in between still leaves the
//             new patient registered (the message fails and can be reprocessed). An id already
//             mapped → AE 205. The ids are mapped (audited) after the booking; ids taken meanwhile
//             cancel the booking again and the message fails.
//   S13, S14  the mapped appointment (else AE 204 at SCH-2 / SCH-1): reschedule when the start or
//             the provider changed, replace the notes with the SCH NTEs when they differ; a
//             different type, location or duration is named in the note as not applied; nothing
//             changed → ignored. S13 needs a start.
//   S15       cancel ("cancelled by sender: SCH-6"); S17 cancel ("deleted by sender"); already
//             cancelled → ignored. S26 mark no-show (refused before the start). PID-3 naming
//             another patient than the appointment's → AE 205.
// SIU runs outside the write batcher: AppointmentService's calls run their own transactions, and
// the outcome is recorded after them, as for A03/A13. The interface actor is the ADT path's.
//
// Flow. The calling thread (in parallel with other senders') parses and reads the message and,
// for A01/A04/A08, plans the write: the patient as the message describes it (validated), the match
// a reader sees (identifier, else the duplicate detector on the in-memory index) and that record
// merged with the message. Everything that touches the database is then ONE job on a
// db::WriteBatcher (group commit on its writer thread; each job in its own savepoint, one after
// another, each seeing the writes of those before it): the retransmission check; the match again by
// identifier, so that concurrent messages about one new patient register it once (the later ones
// find the identifier the first linked); the registration or update (the plan, when the patient's
// version is still the one read, else merged again; demographics already as sent are not
// rewritten, the access is audited as a read); the identifiers; the audit entries; and the message
// row with its outcome, in one INSERT. Applying has a savepoint of its own: when it fails, the
// message is still stored, as failed (AE, reprocessable); when the transaction fails nothing of the
// message exists and the answer is AE "not stored, send it again". Patients written by jobs are
// kept for the detector of later jobs (Recent, 10 s) until the search index surely has them, so a
// message read before its patient was written still matches it. ReceiveAll (the MLLP listener's
// batch handler) queues one sender's jobs at once, in order. A03, A13, SIU and refused types are
// stored as received first (one job), then processed through services with transactions of their
// own (FlowService, AppointmentService: audit, live-board events), their outcome recorded after;
// messages after such a message in a ReceiveAll wait for it. Reprocess goes through Process, whose
// A01/A04/A08 run the same write job for the stored message. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "app/appointment_service.h"
#include "app/audit_log.h"
#include "app/flow_service.h"
#include "app/patient_merge_service.h"
#include "app/patient_service.h"
#include "app/schedule_service.h"
#include "domain/hl7v2/hl7v2_ack.h"
#include "domain/hl7v2/hl7v2_adt.h"
#include "domain/hl7v2/hl7v2_siu.h"
#include "storage/hl7_message_repository.h"
#include "storage/patient_identifier_repository.h"
#include "storage/write_batcher.h"

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
      : pool_(pool),
        clock_(clock),
        audit_(audit),
        patients_(patients),
        flow_(flow),
        options_(std::move(options)),
        recent_(NewRecent()),
        writes_(pool) {}

  // The MLLP listener's handler: stores, applies and acknowledges one message (the frame's
  // content); returns the ACK text. Never fails: when the message cannot even be stored the
  // answer is AE (application internal error), so the sender sends it again.
  std::string Receive(std::string_view raw, std::string_view peer);
  // Receive for several messages of one sender, in order (the MLLP listener's batch handler): they
  // are applied in that order, and the run of them that needs nothing but its write job is queued
  // for the group commit at once, so one sender's messages share transactions. One ACK each.
  std::vector<std::string> ReceiveAll(const std::vector<std::string>& raws, std::string_view peer);

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
  struct Prepared;
  struct Written;
  struct Job;
  struct Recent;

  Submitted SubmitAs(const Actor& by, std::string_view raw, std::string_view peer);
  std::vector<Submitted> SubmitMany(const Actor& by, const std::vector<std::string_view>& raws,
                                    std::string_view peer);
  // A message that needs transactions of its own (A03, A13, types other than ADT): stored as received,
  // then Process, then its outcome recorded.
  Submitted SubmitProcessed(const Actor& by, std::string_view raw, db::Hl7MessageRow& row);
  Status RunJob(db::Connection& c, Job& job);
  // After a job's batch: the search index and Recent brought up to date.
  void Finish(const Job& job, const Status& st);
  // The calling thread's part of a message: parse, read, plan (see the file comment).
  Prepared Prepare(std::string_view raw);
  void PrepareDemographics(const hl7v2::AdtMessage& adt, Prepared& prep);
  // The message's one write job on writes_: applied and stored with its outcome (`fresh`, a new
  // message) or its outcome recorded (`existing`, one being reprocessed). `id` is set to the message.
  Result<Decision> ApplyAndStore(const Actor& by, std::string_view raw, Prepared& prep,
                                 db::Hl7MessageRow* fresh, std::optional<int64_t> existing, int64_t& id);
  Status ApplyInTx(db::Connection& c, const Actor& by, int64_t id, const Prepared& prep, Decision& d,
                   Written& written, std::optional<hl7v2::AckError>& refused, bool& savepoint);
  Match MatchInTx(const std::vector<db::PatientIdentifierRow>& found, const Prepared& prep);
  // Sets `m` from the stored identifiers among PID-3's (`found`): true when they name one patient
  // (m.patient_id) or several (m.error, AE at PID-3); false when none is known.
  // The one patient `found` names; an error at `location` (PID-3, MRG-1) when it names several.
  static bool MatchByIdentifiers(const std::vector<db::PatientIdentifierRow>& found, Match& m,
                                 std::string_view location = "PID-3");
  // The identifiers of a PID-3 or MRG-1, as PatientIdentifierRepository::FindAny looks them up.
  static std::vector<db::IdentifierKey> KeysOf(const std::vector<hl7v2::AdtIdentifier>& identifiers);
  // Recent: patients registered or updated by write jobs of the last seconds, which a message
  // prepared before they reached the search index compares against on the writer thread.
  void MatchRecent(const Prepared& prep, Match& m);
  void Remember(const Patient& p);
  void Forget(int64_t patient_id);
  static std::shared_ptr<Recent> NewRecent();
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
  std::shared_ptr<Recent> recent_;
  db::WriteBatcher writes_;  // every message's write job, group-committed, one after another

  // --- SIU (app/hl7_inbound_siu.cc). Outside the write batcher: AppointmentService's calls run
  // their own transactions. Scheduling is wired in once, before the first message (Runtime);
  // without it SIU is rejected AR "not configured".
 public:
  void UseScheduling(AppointmentService& appointments, ScheduleService& schedule);

 private:
  Result<Decision> ProcessSiu(const Actor& by, int64_t id, const hl7v2::Message& message, Decision d);
  Result<Decision> BookSiu(const Actor& by, int64_t id, const hl7v2::SiuMessage& siu, Decision d);
  Result<Decision> ChangeSiu(const Actor& by, const hl7v2::SiuMessage& siu, const db::AppointmentRow& row,
                             Decision d);
  AppointmentService* appointments_ = nullptr;
  ScheduleService* schedule_ = nullptr;

  // --- A40 (app/hl7_inbound_merge.cc): every patient group's merge in one transaction of its own.
  // Wired in once, before the first message (Runtime); without it A40 is rejected AR.
 public:
  void UseMerges(PatientMergeService& merges) { merges_ = &merges; }

 private:
  Result<Decision> ApplyMerge(const Actor& by, int64_t id, const hl7v2::AdtMessage& adt, Decision d);
  PatientMergeService* merges_ = nullptr;
};

// What becomes of one message (shared by hl7_inbound_service.cc and hl7_inbound_siu.cc).
struct Hl7InboundService::Decision {
  hl7v2::MessageHeader header;  // of the inbound message (salvaged when it did not parse)
  hl7v2::AckCode ack = hl7v2::AckCode::kAccept;
  std::vector<hl7v2::AckError> errors;
  db::Hl7Outcome outcome{hl7_status::kApplied, "", "", "", "", "", std::nullopt};
  std::vector<std::string> notes;
  bool recorded = false;  // the outcome was written with the data
};

// Which patient a message names (shared by hl7_inbound_service.cc and hl7_inbound_merge.cc).
struct Hl7InboundService::Match {
  std::optional<int64_t> patient_id;
  bool by_detector = false;
  std::string how;                                // "identifier 123 of GH", "duplicate detector (weight 31.0)"
  std::vector<DuplicateCandidate> look_alikes;    // probable duplicates short of a confident match
  std::optional<hl7v2::AckError> error;           // the identifiers name two patients
};

}  // namespace caredesk
