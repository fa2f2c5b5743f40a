#include "app/hl7_inbound_service.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <chrono>
#include <deque>
#include <mutex>
#include <set>
#include <unordered_map>

#include "core/text.h"
#include "domain/flow/encounter_flow.h"
#include "domain/patients/name_match.h"
#include "storage/encounter_repository.h"
#include "storage/patient_identifier_repository.h"
#include "storage/patient_repository.h"

namespace caredesk {

using hl7v2::AckCode;
using hl7v2::AckError;
using hl7v2::AdtEvent;
using hl7v2::ErrorCondition;

namespace {

// What writing a message's patient would be: the registration, or the stored record with what the
// message fills (validated either way), or why it cannot be written.
struct PatientPlan {
  std::optional<Patient> patient;
  bool unchanged = false;  // an update that would write the record as it is
  std::optional<AckError> refusal;
  std::vector<std::string> notes;  // values left out
};

}  // namespace

// Hl7InboundService::Decision and Match are defined in the header (hl7_inbound_siu.cc and
// hl7_inbound_merge.cc use them too).

std::vector<db::IdentifierKey> Hl7InboundService::KeysOf(const std::vector<hl7v2::AdtIdentifier>& identifiers) {
  std::vector<db::IdentifierKey> keys;
  keys.reserve(identifiers.size());
  for (const auto& i : identifiers) keys.push_back({i.system, i.value});
  return keys;
}

bool Hl7InboundService::MatchByIdentifiers(const std::vector<db::PatientIdentifierRow>& found, Match& m,
                                           std::string_view location) {
  std::set<int64_t> ids;
  for (const auto& f : found) ids.insert(f.patient_id);
  if (ids.size() > 1) {
    std::string listed;
    for (int64_t pid : ids) listed += (listed.empty() ? "" : ", ") + std::to_string(pid);
    m.error = AckError{ErrorCondition::kDuplicateKeyIdentifier, hl7v2::ParseErrorLocation(location),
                       std::string(location) + " names more than one CareDesk patient (" + listed + ")",
                       hl7v2::Severity::kError};
    return true;
  }
  if (ids.size() == 1) {
    m.patient_id = *ids.begin();
    m.how = "identifier " + found.front().value + " of " + found.front().system;
    return true;
  }
  return false;
}

// The calling thread's part of a message, worked out in parallel before its write job: the parse,
// the ADT values and, for A01/A04/A08, the patient as the message describes it, the match as a
// reader saw it (identifiers, else the duplicate detector) and the Plan for it.
struct Hl7InboundService::Prepared {
  Decision d;
  bool fast = true;      // one write job; false: A03, A13 and message types other than ADT (Process)
  bool parsed = false;   // the retransmission check applies
  bool decided = false;  // nothing to apply: the outcome is d's (unreadable, unsupported)
  std::optional<hl7v2::AdtMessage> adt;
  CivilDate today;
  Patient incoming;
  std::optional<Patient> probe;  // for the duplicate detector
  Match pre;
  std::optional<Patient> current;  // pre.patient_id's record as the reader saw it
  PatientPlan plan;                // for `current`, or the registration when `registers`
  bool registers = false;          // the reader found no patient: `plan` registers one
};

// What the write job wrote, for the search index once it has committed.
struct Hl7InboundService::Written {
  std::optional<Patient> patient;
};

namespace {

constexpr size_t kLookAlikes = 5;
constexpr int kEncountersLooked = 5;

// ISO 3166 alpha-3 codes senders commonly use, as CareDesk's alpha-2.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kCountries = {{
    {"USA", "US"}, {"CAN", "CA"}, {"MEX", "MX"}, {"GBR", "GB"}, {"IRL", "IE"}, {"DEU", "DE"},
    {"FRA", "FR"}, {"ESP", "ES"}, {"ITA", "IT"}, {"NLD", "NL"}, {"BEL", "BE"}, {"CHE", "CH"},
    {"AUS", "AU"}, {"NZL", "NZ"}, {"IND", "IN"}, {"BRA", "BR"},
}};

// ISO 639-2 codes with a two-letter ISO 639-1 equivalent, which BCP 47 prefers.
constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kLanguages = {{
    {"eng", "en"}, {"spa", "es"}, {"fra", "fr"}, {"fre", "fr"}, {"deu", "de"}, {"ger", "de"},
    {"ara", "ar"}, {"zho", "zh"}, {"chi", "zh"}, {"por", "pt"}, {"rus", "ru"}, {"ita", "it"},
    {"vie", "vi"}, {"kor", "ko"}, {"jpn", "ja"}, {"hin", "hi"}, {"pol", "pl"}, {"nld", "nl"},
}};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Country(std::string_view sent, std::vector<std::string>& notes) {
  if (sent.empty()) return {};
  std::string code = Upper(sent);
  if (code.size() == 2) return code;
  for (const auto& [alpha3, alpha2] : kCountries) {
    if (alpha3 == code) return std::string(alpha2);
  }
  notes.push_back("PID-11: country '" + std::string(sent) + "' is not an ISO 3166 code CareDesk knows; left out");
  return {};
}

std::string Language(std::string_view sent) {
  std::string code = AsciiLower(sent);
  for (const auto& [alpha3, alpha2] : kLanguages) {
    if (alpha3 == code) return std::string(alpha2);
  }
  return code;
}

std::string HdText(const hl7v2::HierarchicDesignator& hd) {
  return hd.namespace_id.empty() ? hd.universal_id : hd.namespace_id;
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += "; ";
    out += p;
  }
  return out;
}

std::string Describe(const hl7v2::AdtIdentifier& id) { return id.value + " of " + id.system; }

// The HL7 location of a Patient field named by ValidateAndNormalize.
std::string LocationOfField(std::string_view field) {
  if (field == "given_name" || field == "family_name" || field == "middle_name") return "PID-5";
  if (field == "birth_date") return "PID-7";
  if (field == "sex") return "PID-8";
  if (field.starts_with("address")) return "PID-11";
  if (field == "phone" || field == "email") return "PID-13";
  if (field == "preferred_language") return "PID-15";
  return "PID";
}

// Validates `p` as registration does (nullopt when it passes). Optional values the message got wrong (a middle name, the
// address, phone, e-mail, language) are left out with a note rather than refusing the message; a
// required one (names, birth date, sex) fails with its HL7 location.
std::optional<AckError> ValidateForHl7(Patient& p, CivilDate today, std::vector<std::string>& notes) {
  for (int round = 0; round < 16; ++round) {
    Patient attempt = p;
    Status st = ValidateAndNormalize(attempt, today.AddDays(1));
    if (st.ok()) {
      p = std::move(attempt);
      return std::nullopt;
    }
    const Error& e = st.error();
    std::string location = LocationOfField(e.field);
    auto drop = [&](std::string& value) {
      notes.push_back(location + ": '" + value + "' left out: " + e.message);
      value.clear();
    };
    if (e.field == "middle_name") {
      drop(p.middle_name);
    } else if (e.field == "phone" && p.phone.empty()) {
      // No number for the contact method "phone": a stored record carries the default that registration
      // gave it; back to the default, which asks for no number.
      p.preferred_contact_method.clear();
    } else if (e.field == "phone") {
      drop(p.phone);
    } else if (e.field == "email") {
      drop(p.email);
    } else if (e.field == "preferred_language") {
      drop(p.preferred_language);
    } else if (e.field.starts_with("address")) {
      notes.push_back("PID-11: the address left out: " + e.message);
      p.address = Address{};
    } else {
      bool missing = e.message.find("required") != std::string::npos;
      return AckError{missing ? ErrorCondition::kRequiredFieldMissing : ErrorCondition::kDataTypeError,
                      hl7v2::ParseErrorLocation(location), location + ": " + e.message, hl7v2::Severity::kError};
    }
  }
  return AckError{ErrorCondition::kApplicationInternalError, {}, "the patient's values could not be validated",
                  hl7v2::Severity::kError};
}

// The patient as the message describes it, not yet validated.
Patient FromAdt(const hl7v2::AdtPatient& a, std::vector<std::string>& notes) {
  Patient p;
  p.given_name = a.given_name;
  p.middle_name = a.middle_name;
  p.family_name = a.family_name;
  if (a.birth_date) p.birth_date = *a.birth_date;
  p.sex = a.sex;
  p.phone = a.phone;
  p.email = a.email;
  p.address = Address{a.address.line1, a.address.line2, a.address.city, a.address.state, a.address.postal_code,
                      Country(a.address.country, notes)};
  p.preferred_language = Language(a.language);
  return p;
}

// `current` with what the message fills replacing what CareDesk has; empty fields keep their value.
Patient Merge(Patient current, const Patient& incoming, const hl7v2::AdtPatient& a) {
  auto take = [](std::string& into, const std::string& from) {
    if (!from.empty()) into = from;
  };
  take(current.given_name, incoming.given_name);
  take(current.middle_name, incoming.middle_name);
  take(current.family_name, incoming.family_name);
  if (a.birth_date) current.birth_date = incoming.birth_date;
  take(current.sex, incoming.sex);
  take(current.phone, incoming.phone);
  take(current.email, incoming.email);
  take(current.preferred_language, incoming.preferred_language);
  const Address& in = incoming.address;
  if (!in.line1.empty() || !in.city.empty() || !in.postal_code.empty()) current.address = in;
  return current;
}

// True when writing `b` over `a` would change nothing Update writes.
bool SameRecord(const Patient& a, const Patient& b) {
  const Address& x = a.address;
  const Address& y = b.address;
  const EmergencyContact& e = a.emergency_contact;
  const EmergencyContact& f = b.emergency_contact;
  return a.given_name == b.given_name && a.middle_name == b.middle_name && a.family_name == b.family_name &&
         a.birth_date == b.birth_date && a.sex == b.sex && a.phone == b.phone && a.email == b.email &&
         x.line1 == y.line1 && x.line2 == y.line2 && x.city == y.city && x.state == y.state &&
         x.postal_code == y.postal_code && x.country == y.country && a.preferred_language == b.preferred_language &&
         a.preferred_contact_method == b.preferred_contact_method && e.name == f.name &&
         e.relationship == f.relationship && e.phone == f.phone;
}

// The registration of the patient `incoming` describes.
PatientPlan PlanRegistration(const Patient& incoming, CivilDate today) {
  PatientPlan plan;
  Patient p = incoming;
  if (auto wrong = ValidateForHl7(p, today, plan.notes)) {
    plan.refusal = std::move(wrong);
  } else {
    plan.patient = std::move(p);
  }
  return plan;
}

// `current` updated with what the message fills.
PatientPlan PlanUpdate(const Patient& current, const Patient& incoming, const hl7v2::AdtPatient& a, CivilDate today) {
  PatientPlan plan;
  Patient merged = Merge(current, incoming, a);
  if (auto wrong = ValidateForHl7(merged, today, plan.notes)) {
    plan.refusal = std::move(wrong);
    return plan;
  }
  merged.id = current.id;
  merged.mrn = current.mrn;
  merged.created_at_ms = current.created_at_ms;
  merged.updated_at_ms = current.updated_at_ms;
  merged.version = current.version;
  plan.unchanged = SameRecord(merged, current);
  plan.patient = std::move(merged);
  return plan;
}

// An application-level refusal inside a transaction: rolls it back; the outcome is recorded after.
constexpr char kRefused[] = "hl7_refused";

// Inside a message's write job, the patient's writes and their audit entries are undone alone (back
// to here) when applying fails, and the message is still stored, as failed.
constexpr char kApplySavepoint[] = "SAVEPOINT hl7_apply";
constexpr char kApplyRelease[] = "RELEASE SAVEPOINT hl7_apply";
constexpr char kApplyRollback[] = "ROLLBACK TO SAVEPOINT hl7_apply";


// Parses one message; a complete batch or file envelope (strictly checked: a frame with a broken
// envelope may be cut short) around exactly one message is accepted.
Result<hl7v2::Message> ParseOne(std::string_view raw) {
  auto message = hl7v2::ParseMessage(raw);
  if (message.ok() || (message.error().reason != hl7v2::reason::kEnvelopeInMessage &&
                       message.error().reason != hl7v2::reason::kSegmentBeforeMsh)) {
    return message;
  }
  auto batch = hl7v2::ParseBatchOrMessage(raw, hl7v2::BatchOptions{.strict_envelope = true});
  if (!batch.ok()) return batch.error();
  if (batch->messages.size() != 1) {
    return Error::Invalid("BHS", "a batch of " + std::to_string(batch->messages.size()) +
                                     " messages: send one message per MLLP frame",
                          std::string(hl7v2::reason::kEnvelopeInMessage));
  }
  return std::move(batch->messages.front());
}

}  // namespace

void Hl7InboundService::SetError(Decision& d, const char* status, AckCode ack, AckError error) {
  d.outcome.status = status;
  d.ack = ack;
  d.outcome.error_code = std::to_string(static_cast<int>(error.condition));
  d.outcome.error_text = error.text;
  d.outcome.error_location = error.location.segment_id.empty()
                                 ? std::string()
                                 : error.location.segment_id +
                                       (error.location.field > 0 ? "-" + std::to_string(error.location.field) : "");
  d.errors.push_back(std::move(error));
}

Actor Hl7InboundService::InterfaceActor(std::string_view peer) {
  return Actor{0, kHl7InboundUser, Role::kCoordinator, std::string(peer), 0};
}

std::string Hl7InboundService::Receive(std::string_view raw, std::string_view peer) { return Submit(raw, peer).ack; }

Hl7InboundService::Submitted Hl7InboundService::Submit(std::string_view raw, std::string_view peer) {
  return SubmitAs(InterfaceActor(peer), raw, peer);
}

Hl7InboundService::Submitted Hl7InboundService::Submit(const Actor& by, std::string_view raw) {
  return SubmitAs(by, raw, by.client_address);
}

Hl7InboundService::Submitted Hl7InboundService::SubmitAs(const Actor& actor, std::string_view raw,
                                                         std::string_view peer) {
  return std::move(SubmitMany(actor, {raw}, peer).front());
}

std::vector<std::string> Hl7InboundService::ReceiveAll(const std::vector<std::string>& raws, std::string_view peer) {
  std::vector<std::string_view> views(raws.begin(), raws.end());
  std::vector<Submitted> submitted = SubmitMany(InterfaceActor(peer), views, peer);
  std::vector<std::string> acks;
  acks.reserve(submitted.size());
  for (Submitted& s : submitted) acks.push_back(std::move(s.ack));
  return acks;
}

namespace {

db::Hl7MessageRow FreshRow(std::string_view peer, const hl7v2::MessageHeader& salvaged, int64_t now) {
  db::Hl7MessageRow row;
  row.received_at = now;
  row.peer = std::string(peer);
  row.control_id = salvaged.control_id;
  row.sending_application = HdText(salvaged.sending_application);
  row.sending_facility = HdText(salvaged.sending_facility);
  row.message_type = salvaged.type.code;
  row.trigger_event = salvaged.type.trigger;
  row.version = salvaged.version;
  row.status = hl7_status::kReceived;
  return row;
}

}  // namespace

// One message's write job (RunJob, on the writer thread) and what it produced.
struct Hl7InboundService::Job {
  const Actor* by = nullptr;
  std::string_view raw;
  Prepared* prep = nullptr;
  db::Hl7MessageRow* fresh = nullptr;  // a new message, stored by the job; else `existing`
  std::optional<int64_t> existing;
  int64_t id = 0;
  Decision d;
  Written written;
};

std::vector<Hl7InboundService::Submitted> Hl7InboundService::SubmitMany(const Actor& actor,
                                                                        const std::vector<std::string_view>& raws,
                                                                        std::string_view peer) {
  struct Item {
    hl7v2::MessageHeader salvaged;
    db::Hl7MessageRow row;
    Prepared prep;
    Job job;
  };
  const size_t n = raws.size();
  std::vector<Item> items(n);
  std::vector<Submitted> out(n);
  // Parsed, read and planned here, in parallel with other senders' messages; the writes follow in order.
  for (size_t i = 0; i < n; ++i) {
    Item& it = items[i];
    it.salvaged = hl7v2::SalvageHeader(raws[i]);
    it.row = FreshRow(peer, it.salvaged, ToMillis(clock_.Now()));
    it.prep = Prepare(raws[i]);
  }
  auto internal = [&](const hl7v2::MessageHeader& salvaged, const std::string& text) {
    Decision d;
    d.header = salvaged;
    SetError(d, hl7_status::kReceived, AckCode::kError,
             AckError{ErrorCondition::kApplicationInternalError, {}, text, hl7v2::Severity::kError});
    return Ack(salvaged, d, 0);
  };
  size_t i = 0;
  while (i < n) {
    if (!items[i].prep.fast) {
      out[i] = SubmitProcessed(actor, raws[i], items[i].row);
      ++i;
      continue;
    }
    // The run of messages that need only their write job, queued at once and in order: each stores
    // the message with its outcome, so nothing of one exists when its job fails.
    std::vector<db::WriteBatcher::Work> works;
    size_t end = i;
    for (; end < n && items[end].prep.fast; ++end) {
      Job& job = items[end].job;
      job.by = &actor;
      job.raw = raws[end];
      job.prep = &items[end].prep;
      job.fresh = &items[end].row;
      works.push_back([this, &job](db::Connection& c) { return RunJob(c, job); });
    }
    std::vector<Status> statuses = works.size() == 1 ? std::vector<Status>{writes_.Run(works.front())}
                                                     : writes_.RunAll(works);
    for (size_t k = i; k < end; ++k) {
      const Job& job = items[k].job;
      const Status& st = statuses[k - i];
      Finish(job, st);
      if (!st.ok()) {
        out[k].ack = internal(items[k].salvaged, "CareDesk could not store the message (" + st.error().message +
                                                     "); it is not stored, send it again");
        continue;
      }
      out[k].id = job.id;
      out[k].ack = Ack(job.d.header, job.d, job.id);
    }
    i = end;
  }
  return out;
}

Hl7InboundService::Submitted Hl7InboundService::SubmitProcessed(const Actor& actor, std::string_view raw,
                                                                db::Hl7MessageRow& row) {
  Submitted out;
  const hl7v2::MessageHeader salvaged = hl7v2::SalvageHeader(raw);
  auto internal = [&](const std::string& text) {
    Decision d;
    d.header = salvaged;
    SetError(d, hl7_status::kReceived, AckCode::kError,
             AckError{ErrorCondition::kApplicationInternalError, {}, text, hl7v2::Severity::kError});
    return d;
  };
  int64_t stored = 0;
  row.raw = std::string(raw);
  Status inserted = writes_.Run([&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(stored, db::Hl7MessageRepository::Insert(c, row));
    return Ok();
  });
  if (!inserted.ok()) {
    out.ack = Ack(salvaged, internal("CareDesk could not store the message; send it again"), 0);
    return out;
  }
  out.id = stored;
  auto decision = Process(actor, stored, raw);
  if (decision.ok() && !decision->recorded) {
    if (Status st = Record(stored, *decision); !st.ok()) decision = st.error();
  }
  if (!decision.ok()) {
    out.ack = Ack(salvaged, internal("CareDesk could not process the message (" + decision.error().message +
                                     "); it is kept as received, send it again"),
                  stored);
    return out;
  }
  out.ack = Ack(decision->header, *decision, stored);
  return out;
}

Hl7InboundService::Prepared Hl7InboundService::Prepare(std::string_view raw) {
  Prepared prep;
  Decision& d = prep.d;
  auto parsed = ParseOne(raw);
  if (!parsed.ok()) {
    d.header = hl7v2::SalvageHeader(raw);
    bool unreadable = d.header.control_id.empty() || d.header.type.code.empty();
    bool reject = unreadable || hl7v2::ConditionOf(parsed.error()) == ErrorCondition::kUnsupportedVersionId;
    SetError(d, reject ? hl7_status::kRejected : hl7_status::kFailed, reject ? AckCode::kReject : AckCode::kError,
             hl7v2::AckErrorFrom(parsed.error()));
    prep.decided = true;
    return prep;
  }
  prep.parsed = true;
  d.header = parsed->header();
  if (d.header.type.code != "ADT") {
    prep.fast = false;  // Process
    return prep;
  }
  auto adt = hl7v2::ReadAdt(*parsed);
  if (!adt.ok()) {
    ErrorCondition condition = hl7v2::AdtConditionOf(adt.error());
    bool reject = condition == ErrorCondition::kUnsupportedMessageType ||
                  condition == ErrorCondition::kUnsupportedEventCode;
    SetError(d, reject ? hl7_status::kRejected : hl7_status::kFailed, reject ? AckCode::kReject : AckCode::kError,
             AckError{condition, hl7v2::ParseErrorLocation(adt.error().field), adt.error().message,
                      hl7v2::Severity::kError});
    prep.decided = true;
    return prep;
  }
  for (const auto& w : adt->warnings) d.notes.push_back(w);
  switch (adt->event) {
    case AdtEvent::kA40:
    case AdtEvent::kA03:
    case AdtEvent::kA13:
      prep.fast = false;  // PatientMergeService, FlowService: in Process
      return prep;
    case AdtEvent::kA11:
      break;
    case AdtEvent::kA01:
    case AdtEvent::kA04:
    case AdtEvent::kA08:
      PrepareDemographics(*adt, prep);
      break;
  }
  prep.adt = std::move(*adt);
  return prep;
}

void Hl7InboundService::PrepareDemographics(const hl7v2::AdtMessage& adt, Prepared& prep) {
  prep.today = InstantToLocal(clock_.Now(), "UTC").date;
  prep.incoming = FromAdt(adt.patient, prep.d.notes);
  if (prep.incoming.sex.empty() && adt.event != AdtEvent::kA08) {
    prep.incoming.sex = "unknown";
  }
  // The probe for the duplicate detector: only a patient complete enough to register.
  std::optional<Patient>& probe = prep.probe;
  if (adt.patient.birth_date && !prep.incoming.given_name.empty() && !prep.incoming.family_name.empty()) {
    Patient p = prep.incoming;
    if (p.sex.empty()) p.sex = "unknown";
    std::vector<std::string> ignored_notes;
    if (!ValidateForHl7(p, prep.today, ignored_notes)) probe = std::move(p);
  }
  // What a reader sees now (the identifiers and the patient they name in one read transaction: a
  // reader's page cache does not outlive the writer's commits); the write job checks the identifiers
  // again and keeps this plan when the patient is still the one read (same version).
  const std::vector<db::IdentifierKey> keys = KeysOf(adt.patient.identifiers);
  std::vector<db::PatientIdentifierRow> found;
  std::optional<Patient> current;
  Status read = [&] {
    auto conn = pool_.Acquire();
    return db::InTransaction(*conn, false, [&](db::Connection& c) -> Status {
      CD_ASSIGN_OR_RETURN(found, db::PatientIdentifierRepository::FindAny(c, keys));
      std::set<int64_t> ids;
      for (const auto& f : found) ids.insert(f.patient_id);
      if (ids.size() == 1) {
        CD_ASSIGN_OR_RETURN(current, db::PatientRepository::Find(c, *ids.begin()));
      }
      return Ok();
    });
  }();
  if (read.ok() && !found.empty()) {
    static const Prepared kNothingPrepared;
    prep.pre = MatchInTx(found, kNothingPrepared);  // by identifier (or identifiers naming two patients)
  } else if (read.ok()) {
    // No identifier known: the duplicate detector, when it is confident.
    if (probe) {
      auto candidates = patients_.ProbableDuplicates(*probe, kLookAlikes);
      if (candidates.ok() && candidates->size() == 1 &&
          candidates->front().score.weight >= kConfidentMatchWeight) {
        prep.pre.patient_id = candidates->front().id;
        prep.pre.by_detector = true;
        char weight[32];
        std::snprintf(weight, sizeof weight, "%.1f", candidates->front().score.weight);
        prep.pre.how = std::string("the duplicate detector (weight ") + weight + ")";
      } else if (candidates.ok()) {
        prep.pre.look_alikes = std::move(*candidates);
      }
    }
  } else {
    auto m = FindPatient(adt, probe ? &*probe : nullptr);
    if (m.ok()) prep.pre = std::move(*m);
  }
  if (prep.pre.patient_id) {
    if (!current || current->id != *prep.pre.patient_id) {
      current.reset();
      auto conn = pool_.Acquire();
      auto again = db::InTransaction(*conn, false, [&](db::Connection& c) {
        return db::PatientRepository::Find(c, *prep.pre.patient_id);
      });
      if (again.ok()) current = std::move(*again);
    }
    if (current) {
      prep.plan = PlanUpdate(*current, prep.incoming, adt.patient, prep.today);
      prep.current = std::move(*current);
    }
  } else if (!prep.pre.error) {
    prep.plan = PlanRegistration(prep.incoming, prep.today);
    prep.registers = true;
  }
}

Result<Hl7InboundService::Decision> Hl7InboundService::ApplyAndStore(const Actor& by, std::string_view raw,
                                                                     Prepared& prep, db::Hl7MessageRow* fresh,
                                                                     std::optional<int64_t> existing, int64_t& id) {
  Job job;
  job.by = &by;
  job.raw = raw;
  job.prep = &prep;
  job.fresh = fresh;
  job.existing = existing;
  Status st = writes_.Run([&](db::Connection& c) { return RunJob(c, job); });
  Finish(job, st);
  if (!st.ok()) return st.error();
  id = job.id;
  return std::move(job.d);
}

void Hl7InboundService::Finish(const Job& job, const Status& st) {
  if (!job.written.patient) return;
  if (st.ok()) {
    patients_.Indexed(*job.written.patient);
  } else {
    Forget(job.written.patient->id);  // its batch was not committed
  }
}

Status Hl7InboundService::RunJob(db::Connection& c, Job& job) {
  const Prepared& prep = *job.prep;
  Decision& d = job.d;
  d = prep.d;
  job.written = {};
  const int64_t now = ToMillis(clock_.Now());
  if (job.existing) {
    job.id = *job.existing;
  } else {
    CD_ASSIGN_OR_RETURN(job.id, db::Hl7MessageRepository::NextId(c));
  }
  const int64_t id = job.id;
  bool duplicate = false;
  if (prep.parsed) {
    const hl7v2::MessageHeader& h = d.header;
    CD_ASSIGN_OR_RETURN(auto earlier,
                        db::Hl7MessageRepository::Processed(c, HdText(h.sending_application),
                                                            HdText(h.sending_facility), h.control_id, id));
    for (const auto& e : earlier) {
      if (e.raw != job.raw) continue;
      duplicate = true;
      d.outcome.status = hl7_status::kDuplicate;
      d.outcome.patient_id = e.patient_id;
      d.notes.assign(1, "a retransmission of message " + std::to_string(e.id) + " (" + e.status +
                            "); not applied again");
      d.ack = AckCode::kAccept;
      d.errors.clear();
      d.outcome.error_code.clear();
      d.outcome.error_text.clear();
      d.outcome.error_location.clear();
      break;
    }
    if (!duplicate && !earlier.empty()) {
      d.notes.insert(d.notes.begin(), "MSH-10 " + h.control_id +
                                          " was used before by this sender for a different message (" +
                                          std::to_string(earlier.front().id) + ")");
    }
  }
  if (!duplicate && !prep.decided) {
    std::optional<AckError> refused;
    bool savepoint = false;  // ApplyInTx opens it before its first write of patient data
    Status applied = ApplyInTx(c, *job.by, id, prep, d, job.written, refused, savepoint);
    if (applied.ok()) {
      if (savepoint) CD_RETURN_IF_ERROR(c.Exec(kApplyRelease));
    } else {
      if (savepoint) {
        CD_RETURN_IF_ERROR(c.Exec(kApplyRollback));
        CD_RETURN_IF_ERROR(c.Exec(kApplyRelease));
      } else if (!refused) {
        return applied;  // a write outside the savepoint failed (the audit entry of a read): the job fails
      }
      job.written = {};
      SetError(d, hl7_status::kFailed, AckCode::kError,
               refused ? std::move(*refused)
                       : AckError{ErrorCondition::kApplicationInternalError, {},
                                  "CareDesk could not apply the message (" + applied.error().message +
                                      "); it can be reprocessed",
                                  hl7v2::Severity::kError});
    }
  }
  db::Hl7Outcome outcome = d.outcome;
  outcome.ack_code = std::string(hl7v2::AckCodeText(d.ack));
  outcome.note = Joined(d.notes);
  d.recorded = true;
  if (job.existing) {
    CD_ASSIGN_OR_RETURN(bool found, db::Hl7MessageRepository::RecordOutcome(c, id, outcome, now));
    if (!found) return Error::NotFound("no HL7 message with id " + std::to_string(id));
    return Ok();
  }
  db::Hl7MessageRow& row = *job.fresh;
  row.id = id;
  row.status = outcome.status;
  row.ack_code = outcome.ack_code;
  row.error_code = outcome.error_code;
  row.error_text = outcome.error_text;
  row.error_location = outcome.error_location;
  row.note = outcome.note;
  row.patient_id = outcome.patient_id;
  row.attempts = 1;
  row.processed_at = now;
  return db::Hl7MessageRepository::InsertProcessed(c, row, job.raw);
}

Hl7InboundService::Match Hl7InboundService::MatchInTx(const std::vector<db::PatientIdentifierRow>& found,
                                                      const Prepared& prep) {
  Match m;
  if (MatchByIdentifiers(found, m)) return m;
  if (prep.pre.patient_id && prep.pre.by_detector) return prep.pre;
  m.look_alikes = prep.pre.look_alikes;
  if (prep.probe) MatchRecent(prep, m);
  return m;
}

struct Hl7InboundService::Recent {
  struct Entry {
    TimePoint at;
    IndexedPatient patient;
  };
  std::mutex mu;
  std::deque<std::pair<TimePoint, int64_t>> order;        // oldest first; an id again for each change
  std::unordered_map<int64_t, Entry> by_id;                // the latest of each patient
  std::unordered_multimap<std::string, int64_t> by_name;  // birth date | a normalised given or family name
};

namespace {

// How long a written patient is compared against on the writer thread: far longer than a message
// takes from being prepared to its job, by when the patient is in the search index.
constexpr auto kRecentFor = std::chrono::seconds(10);

std::vector<std::string> RecentKeys(const IndexedPatient& p) {
  std::vector<std::string> keys;
  if (!p.birth_date) return keys;
  const std::string date = p.birth_date->ToString() + "|";
  for (const std::string* name : {&p.given_name, &p.family_name}) {
    std::string n = NormalizeName(*name);
    if (!n.empty()) keys.push_back(date + n);
  }
  return keys;
}

}  // namespace

std::shared_ptr<Hl7InboundService::Recent> Hl7InboundService::NewRecent() { return std::make_shared<Recent>(); }

void Hl7InboundService::MatchRecent(const Prepared& prep, Match& m) {
  // The detector ran on the calling thread, against the search index as it was; patients written
  // since (by the jobs before this one, perhaps in the same transaction) may not have been in it.
  // Those with the probe's birth date and one of its names are scored now; the rule is the same:
  // exactly one candidate at or above kConfidentMatchWeight is a match.
  const IndexedPatient probe = ToIndexedPatient(*prep.probe);
  std::vector<DuplicateCandidate> scored;
  {
    std::lock_guard lock(recent_->mu);
    std::set<int64_t> seen;
    const PatientIndex& index = patients_.index();
    const NameCounts counts{index.size(), [&index](std::string_view token) { return index.CountWithName(token); }};
    for (const std::string& key : RecentKeys(probe)) {
      auto [from, to] = recent_->by_name.equal_range(key);
      for (auto it = from; it != to; ++it) {
        if (!seen.insert(it->second).second) continue;
        auto entry = recent_->by_id.find(it->second);
        if (entry == recent_->by_id.end()) continue;
        MatchScore score = DuplicateDetector::Score(probe, entry->second.patient, &counts);
        if (score.weight >= kProbableDuplicateWeight) scored.push_back({it->second, std::move(score)});
      }
    }
  }
  if (scored.empty()) return;
  std::vector<DuplicateCandidate> all = m.look_alikes;
  for (auto& cand : scored) {
    auto same = std::find_if(all.begin(), all.end(), [&](const DuplicateCandidate& c) { return c.id == cand.id; });
    if (same != all.end()) {
      *same = std::move(cand);
    } else {
      all.push_back(std::move(cand));
    }
  }
  std::sort(all.begin(), all.end(), [](const DuplicateCandidate& a, const DuplicateCandidate& b) {
    return a.score.weight != b.score.weight ? a.score.weight > b.score.weight : a.id < b.id;
  });
  if (all.size() > kLookAlikes) all.resize(kLookAlikes);
  if (all.size() == 1 && all.front().score.weight >= kConfidentMatchWeight) {
    m.patient_id = all.front().id;
    m.by_detector = true;
    char weight[32];
    std::snprintf(weight, sizeof weight, "%.1f", all.front().score.weight);
    m.how = std::string("the duplicate detector (weight ") + weight + ")";
    m.look_alikes.clear();
    return;
  }
  m.look_alikes = std::move(all);
}

void Hl7InboundService::Remember(const Patient& p) {
  IndexedPatient indexed = ToIndexedPatient(p);
  const TimePoint now = clock_.Now();
  std::lock_guard lock(recent_->mu);
  Recent& r = *recent_;
  auto forget_keys = [&r](int64_t id, const IndexedPatient& old) {
    for (const std::string& key : RecentKeys(old)) {
      auto [from, to] = r.by_name.equal_range(key);
      for (auto it = from; it != to; ++it) {
        if (it->second == id) {
          r.by_name.erase(it);
          break;
        }
      }
    }
  };
  while (!r.order.empty() && now - r.order.front().first > kRecentFor) {
    auto [at, id] = r.order.front();
    r.order.pop_front();
    auto it = r.by_id.find(id);
    if (it != r.by_id.end() && it->second.at == at) {
      forget_keys(id, it->second.patient);
      r.by_id.erase(it);
    }
  }
  auto it = r.by_id.find(p.id);
  if (it != r.by_id.end()) forget_keys(p.id, it->second.patient);
  for (const std::string& key : RecentKeys(indexed)) r.by_name.emplace(key, p.id);
  r.order.emplace_back(now, p.id);
  r.by_id[p.id] = Recent::Entry{now, std::move(indexed)};
}

void Hl7InboundService::Forget(int64_t patient_id) {
  std::lock_guard lock(recent_->mu);
  Recent& r = *recent_;
  auto it = r.by_id.find(patient_id);
  if (it == r.by_id.end()) return;
  for (const std::string& key : RecentKeys(it->second.patient)) {
    auto [from, to] = r.by_name.equal_range(key);
    for (auto k = from; k != to; ++k) {
      if (k->second == patient_id) {
        r.by_name.erase(k);
        break;
      }
    }
  }
  r.by_id.erase(it);
}

// Runs inside the message's write job and its savepoint: matches the patient again against what is
// committed and what the jobs before it wrote, then registers, updates or (unchanged) only reads
// the patient, links the identifiers and appends the audit entries. A refusal sets `refused` and
// fails, so that the savepoint is rolled back.
Status Hl7InboundService::ApplyInTx(db::Connection& c, const Actor& by, int64_t id, const Prepared& prep,
                                    Decision& d, Written& written, std::optional<AckError>& refused,
                                    bool& savepoint) {
  const hl7v2::AdtMessage& adt = *prep.adt;
  auto open_savepoint = [&]() -> Status {
    CD_RETURN_IF_ERROR(c.Exec(kApplySavepoint));
    savepoint = true;
    return Ok();
  };
  auto refuse = [&](AckError e) -> Status {
    refused = std::move(e);
    return Error::Conflict(kRefused, "refused");
  };
  const std::vector<db::IdentifierKey> keys = KeysOf(adt.patient.identifiers);
  CD_ASSIGN_OR_RETURN(auto found, db::PatientIdentifierRepository::FindAny(c, keys));
  Match m = MatchInTx(found, prep);
  if (adt.event == AdtEvent::kA11) {
    d.outcome.patient_id = m.patient_id;
    d.outcome.status = hl7_status::kIgnored;
    d.notes.push_back("A11 (cancel admit): CareDesk records no admission from A01 (its encounters begin at "
                      "check-in), so there is nothing to cancel");
    return Ok();
  }
  if (m.error) return refuse(*m.error);
  if (!m.patient_id && adt.event == AdtEvent::kA08) {
    return refuse(AckError{ErrorCondition::kUnknownKeyIdentifier, hl7v2::ParseErrorLocation("PID-3"),
                           "no CareDesk patient has identifier " + Describe(adt.patient.identifiers.front()) +
                               (m.look_alikes.empty() ? "" : ", and the look-alikes are not a confident match"),
                           hl7v2::Severity::kError});
  }
  if (!m.patient_id && !adt.patient.birth_date) {
    return refuse(AckError{ErrorCondition::kRequiredFieldMissing, hl7v2::ParseErrorLocation("PID-7"),
                           "PID-7: a birth date is required to register a patient", hl7v2::Severity::kError});
  }
  const std::string source =
      "HL7 message " + std::to_string(id) + " (ADT^" + std::string(hl7v2::AdtEventCode(adt.event)) + ")";
  const int64_t now = ToMillis(clock_.Now());
  std::vector<AuditRecord> records;
  std::vector<std::string> done;  // notes once it is all written
  Patient p;
  PatientPlan fallback;
  const PatientPlan* plan = nullptr;
  if (m.patient_id) {
    d.outcome.patient_id = m.patient_id;
    if (prep.current && prep.current->id == *m.patient_id) {
      CD_ASSIGN_OR_RETURN(auto version, db::PatientRepository::Version(c, *m.patient_id));
      if (version && *version == prep.current->version) plan = &prep.plan;
    }
    if (plan == nullptr) {
      CD_ASSIGN_OR_RETURN(auto current, db::PatientRepository::Find(c, *m.patient_id));
      if (!current) {
        return refuse(AckError{ErrorCondition::kUnknownKeyIdentifier, hl7v2::ParseErrorLocation("PID-3"),
                               "the patient matched by " + m.how + " no longer exists", hl7v2::Severity::kError});
      }
      fallback = PlanUpdate(*current, prep.incoming, adt.patient, prep.today);
      plan = &fallback;
    }
    d.notes.insert(d.notes.end(), plan->notes.begin(), plan->notes.end());
    if (plan->refusal) return refuse(*plan->refusal);
    p = *plan->patient;
    if (plan->unchanged) {
      // Nothing to write; the interface still looked at the record.
      records.push_back(audit_.Make(by, "read", audit_category::kDemographics, p.id, "success",
                                    "matched by " + m.how + " for " + source + "; nothing to change"));
      done.push_back("patient " + p.mrn + " matched by " + m.how + "; its demographics were already as sent");
    } else {
      p.updated_at_ms = now;
      CD_RETURN_IF_ERROR(open_savepoint());
      CD_ASSIGN_OR_RETURN(bool updated, db::PatientRepository::Update(c, p));
      if (!updated) {
        return refuse(AckError{ErrorCondition::kApplicationRecordLocked, hl7v2::ParseErrorLocation("PID"),
                               "someone changed the patient at the same moment; send the message again",
                               hl7v2::Severity::kError});
      }
      records.push_back(audit_.Make(by, "update", audit_category::kDemographics, p.id, "success",
                                    "updated from " + source + ", matched by " + m.how));
      done.push_back("patient " + p.mrn + " matched by " + m.how + " and updated");
      written.patient = p;
    }
  } else {
    if (prep.registers) {
      plan = &prep.plan;
    } else {
      fallback = PlanRegistration(prep.incoming, prep.today);
      plan = &fallback;
    }
    d.notes.insert(d.notes.end(), plan->notes.begin(), plan->notes.end());
    if (plan->refusal) return refuse(*plan->refusal);
    p = *plan->patient;
    p.created_at_ms = now;
    p.updated_at_ms = now;
    CD_RETURN_IF_ERROR(open_savepoint());
    CD_RETURN_IF_ERROR(db::PatientRepository::Insert(c, p));
    std::string detail = "registered from " + source;
    if (!m.look_alikes.empty()) {
      std::string listed;
      for (const auto& cand : m.look_alikes) listed += (listed.empty() ? "" : ", ") + std::to_string(cand.id);
      detail += " despite probable duplicates " + listed;
      done.push_back("probable duplicates to review: patients " + listed);
    }
    records.push_back(audit_.Make(by, "create", audit_category::kDemographics, p.id, "success", detail));
    done.push_back("patient " + p.mrn + " registered");
    written.patient = p;
  }
  int added = 0;
  for (const auto& ident : adt.patient.identifiers) {
    bool linked_before = std::any_of(found.begin(), found.end(), [&](const db::PatientIdentifierRow& f) {
      return f.patient_id == p.id && f.system == ident.system && f.value == ident.value;
    });
    if (linked_before) continue;
    if (!savepoint) CD_RETURN_IF_ERROR(open_savepoint());
    auto linked = db::PatientIdentifierRepository::Add(c, {p.id, ident.system, ident.value, ident.type}, now);
    if (!linked.ok()) {
      if (linked.error().reason != "identifier_taken") return linked.error();
      return refuse(AckError{ErrorCondition::kDuplicateKeyIdentifier, hl7v2::ParseErrorLocation("PID-3"),
                             "PID-3 identifier " + Describe(ident) + " belongs to another CareDesk patient",
                             hl7v2::Severity::kError});
    }
    if (*linked) ++added;
  }
  if (added > 0) {
    records.push_back(audit_.Make(by, "link_identifiers", audit_category::kDemographics, p.id, "success",
                                  std::to_string(added) + " identifier(s) from " + source));
  }
  d.notes.insert(d.notes.end(), done.begin(), done.end());
  if (adt.visit && adt.event != AdtEvent::kA08) {
    d.notes.push_back("the visit (PV1) is not recorded: CareDesk's encounters begin at check-in");
  }
  d.outcome.status = hl7_status::kApplied;
  d.outcome.patient_id = p.id;
  CD_RETURN_IF_ERROR(audit_.AppendInTx(c, std::move(records)));
  if (written.patient) Remember(*written.patient);
  return Ok();
}

std::string Hl7InboundService::Ack(const hl7v2::MessageHeader& inbound, const Decision& d, int64_t id) {
  hl7v2::AckRequest request;
  request.inbound = inbound;
  request.code = d.ack;
  request.errors = d.errors;
  request.application = hl7v2::HierarchicDesignator{options_.application, "", ""};
  request.facility = hl7v2::HierarchicDesignator{options_.facility, "", ""};
  request.created_at = clock_.Now();
  request.control_id = "CD" + std::to_string(id > 0 ? id : ToMillis(request.created_at));
  return hl7v2::WriteAck(request);
}

Status Hl7InboundService::Record(int64_t id, const Decision& d) {
  db::Hl7Outcome outcome = d.outcome;
  outcome.ack_code = std::string(hl7v2::AckCodeText(d.ack));
  outcome.note = Joined(d.notes);
  auto conn = pool_.Acquire();
  return db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(db::Hl7MessageRepository::RecordOutcome(c, id, outcome, ToMillis(clock_.Now())));
    return Ok();
  });
}

Result<Hl7InboundService::Decision> Hl7InboundService::Process(const Actor& by, int64_t id, std::string_view raw) {
  Decision d;
  auto parsed = ParseOne(raw);
  if (!parsed.ok()) {
    d.header = hl7v2::SalvageHeader(raw);
    bool unreadable = d.header.control_id.empty() || d.header.type.code.empty();
    bool reject = unreadable || hl7v2::ConditionOf(parsed.error()) == ErrorCondition::kUnsupportedVersionId;
    SetError(d, reject ? hl7_status::kRejected : hl7_status::kFailed, reject ? AckCode::kReject : AckCode::kError,
             hl7v2::AckErrorFrom(parsed.error()));
    return d;
  }
  d.header = parsed->header();
  const hl7v2::MessageHeader& h = d.header;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(auto earlier, db::Hl7MessageRepository::Processed(*conn, HdText(h.sending_application),
                                                                          HdText(h.sending_facility), h.control_id,
                                                                          id));
    for (const auto& e : earlier) {
      if (e.raw != raw) continue;
      d.outcome.status = hl7_status::kDuplicate;
      d.outcome.patient_id = e.patient_id;
      d.notes.push_back("a retransmission of message " + std::to_string(e.id) + " (" + e.status +
                        "); not applied again");
      return d;
    }
    if (!earlier.empty()) {
      d.notes.push_back("MSH-10 " + h.control_id + " was used before by this sender for a different message (" +
                        std::to_string(earlier.front().id) + ")");
    }
  }
  if (h.type.code == "SIU") return ProcessSiu(by, id, *parsed, std::move(d));
  if (h.type.code != "ADT") {
    SetError(d, hl7_status::kRejected, AckCode::kReject,
             AckError{ErrorCondition::kUnsupportedMessageType, hl7v2::ParseErrorLocation("MSH-9"),
                      "CareDesk takes ADT messages; " + h.type.code + " is not supported",
                      hl7v2::Severity::kError});
    return d;
  }
  return ProcessAdt(by, id, *parsed, std::move(d));
}

Result<Hl7InboundService::Decision> Hl7InboundService::ProcessAdt(const Actor& by, int64_t id,
                                                                  const hl7v2::Message& message, Decision d) {
  auto adt = hl7v2::ReadAdt(message);
  if (!adt.ok()) {
    ErrorCondition condition = hl7v2::AdtConditionOf(adt.error());
    bool reject = condition == ErrorCondition::kUnsupportedMessageType ||
                  condition == ErrorCondition::kUnsupportedEventCode;
    SetError(d, reject ? hl7_status::kRejected : hl7_status::kFailed, reject ? AckCode::kReject : AckCode::kError,
             AckError{condition, hl7v2::ParseErrorLocation(adt.error().field), adt.error().message,
                      hl7v2::Severity::kError});
    return d;
  }
  for (const auto& w : adt->warnings) d.notes.push_back(w);
  switch (adt->event) {
    case AdtEvent::kA40:
      return ApplyMerge(by, id, *adt, std::move(d));
    case AdtEvent::kA11: {
      CD_ASSIGN_OR_RETURN(Match m, FindPatient(*adt, nullptr));
      d.outcome.patient_id = m.patient_id;
      d.outcome.status = hl7_status::kIgnored;
      d.notes.push_back("A11 (cancel admit): CareDesk records no admission from A01 (its encounters begin at "
                        "check-in), so there is nothing to cancel");
      return d;
    }
    case AdtEvent::kA01:
    case AdtEvent::kA04:
    case AdtEvent::kA08:
      return ApplyDemographics(by, id, *adt, std::move(d));
    case AdtEvent::kA03:
    case AdtEvent::kA13:
      return ApplyEncounter(by, id, *adt, std::move(d));
  }
  return Error::Internal("unhandled ADT event");
}

Result<Hl7InboundService::Match> Hl7InboundService::FindPatient(const hl7v2::AdtMessage& adt, const Patient* probe) {
  Match m;
  const std::vector<db::IdentifierKey> keys = KeysOf(adt.patient.identifiers);
  std::vector<db::PatientIdentifierRow> found;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(found, db::PatientIdentifierRepository::FindAny(*conn, keys));
  }
  if (MatchByIdentifiers(found, m)) return m;
  if (probe == nullptr) return m;
  CD_ASSIGN_OR_RETURN(auto candidates, patients_.ProbableDuplicates(*probe, kLookAlikes));
  if (candidates.size() == 1 && candidates.front().score.weight >= kConfidentMatchWeight) {
    m.patient_id = candidates.front().id;
    m.by_detector = true;
    char weight[32];
    std::snprintf(weight, sizeof weight, "%.1f", candidates.front().score.weight);
    m.how = std::string("the duplicate detector (weight ") + weight + ")";
    return m;
  }
  m.look_alikes = std::move(candidates);
  return m;
}

// Reprocessing (through Process): the same write job as a new message's, recording the outcome of
// the stored message `id`.
Result<Hl7InboundService::Decision> Hl7InboundService::ApplyDemographics(const Actor& by, int64_t id,
                                                                         const hl7v2::AdtMessage& adt, Decision d) {
  Prepared prep;
  prep.d = std::move(d);
  prep.parsed = false;  // Process looked for a retransmission
  PrepareDemographics(adt, prep);
  prep.adt = adt;
  int64_t stored = id;
  return ApplyAndStore(by, {}, prep, nullptr, id, stored);
}

Result<Hl7InboundService::Decision> Hl7InboundService::ApplyEncounter(const Actor& by, int64_t id,
                                                                      const hl7v2::AdtMessage& adt, Decision d) {
  const CivilDate today = InstantToLocal(clock_.Now(), "UTC").date;
  std::optional<Patient> probe;
  if (adt.patient.birth_date) {
    Patient p = FromAdt(adt.patient, d.notes);
    if (p.sex.empty()) p.sex = "unknown";
    std::vector<std::string> ignored_notes;
    if (!ValidateForHl7(p, today, ignored_notes)) probe = std::move(p);
  }
  d.notes.clear();  // FromAdt's notes are about demographics, which A03 and A13 do not change
  CD_ASSIGN_OR_RETURN(Match m, FindPatient(adt, probe ? &*probe : nullptr));
  if (m.error) {
    SetError(d, hl7_status::kFailed, AckCode::kError, *m.error);
    return d;
  }
  if (!m.patient_id) {
    SetError(d, hl7_status::kFailed, AckCode::kError,
             AckError{ErrorCondition::kUnknownKeyIdentifier, hl7v2::ParseErrorLocation("PID-3"),
                      "no CareDesk patient has identifier " + Describe(adt.patient.identifiers.front()),
                      hl7v2::Severity::kError});
    return d;
  }
  d.outcome.patient_id = m.patient_id;
  std::vector<db::EncounterRow> encounters;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(encounters, db::EncounterRepository::ForPatient(*conn, *m.patient_id, kEncountersLooked));
  }
  const std::string source = "HL7 message " + std::to_string(id);
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kEncounter, *m.patient_id, "success",
                                               "encounters looked up for " + source)));
  auto flow_failed = [&](const Error& e) {
    SetError(d, hl7_status::kFailed, AckCode::kError,
             AckError{ErrorCondition::kApplicationInternalError, {}, e.message, hl7v2::Severity::kError});
    return d;
  };
  if (adt.event == AdtEvent::kA03) {
    const db::EncounterRow* open = nullptr;
    for (const auto& e : encounters) {
      if (!e.ended_at) {
        open = &e;
        break;
      }
    }
    if (open == nullptr) {
      d.outcome.status = hl7_status::kIgnored;
      d.notes.push_back("A03 (discharge): the patient has no open encounter in CareDesk");
      return d;
    }
    auto moved = flow_.Transition(by, open->id, std::string(kCompleted), std::nullopt);
    if (!moved.ok()) return flow_failed(moved.error());
    d.notes.push_back("encounter " + std::to_string(open->id) + " completed (was " + open->state + ")");
    return d;
  }
  // A13: cancel discharge.
  if (encounters.empty() || encounters.front().state != kCompleted) {
    d.outcome.status = hl7_status::kIgnored;
    d.notes.push_back(encounters.empty() ? "A13 (cancel discharge): the patient has no encounter in CareDesk"
                                         : "A13 (cancel discharge): the patient's latest encounter " +
                                               std::to_string(encounters.front().id) + " is " +
                                               encounters.front().state + ", not completed");
    return d;
  }
  auto undone = flow_.Undo(by, encounters.front().id);
  if (!undone.ok()) return flow_failed(undone.error());
  d.notes.push_back("encounter " + std::to_string(encounters.front().id) + " reopened (" + undone->row.state + ")");
  return d;
}

Result<db::Hl7MessageRow> Hl7InboundService::Reprocess(const Actor& by, int64_t id) {
  std::optional<db::Hl7MessageRow> row;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(row, db::Hl7MessageRepository::Find(*conn, id));
  }
  if (!row) return Error::NotFound("no HL7 message with id " + std::to_string(id));
  if (row->status != hl7_status::kFailed && row->status != hl7_status::kReceived) {
    return Error::Conflict("not_reprocessable", "message " + std::to_string(id) + " is " + row->status +
                                                    "; only failed or interrupted messages are reprocessed");
  }
  CD_ASSIGN_OR_RETURN(Decision d, Process(by, id, row->raw));
  if (!d.recorded) CD_RETURN_IF_ERROR(Record(id, d));
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(row, db::Hl7MessageRepository::Find(*conn, id));
  if (!row) return Error::NotFound("no HL7 message with id " + std::to_string(id));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "hl7_reprocess", audit_category::kDemographics, row->patient_id,
                                               "success", "HL7 message " + std::to_string(id) + ": " + row->status)));
  return *row;
}

Result<Hl7MessageList> Hl7InboundService::List(const Actor& by, const db::Hl7MessageFilter& f) {
  Hl7MessageList out;
  {
    auto conn = pool_.Acquire();
    CD_RETURN_IF_ERROR(db::InTransaction(*conn, false, [&](db::Connection& c) -> Status {
      CD_ASSIGN_OR_RETURN(auto page, db::Hl7MessageRepository::List(c, f));
      out.items = std::move(page.first);
      out.total = page.second;
      CD_ASSIGN_OR_RETURN(out.needing_attention, db::Hl7MessageRepository::CountNeedingAttention(c));
      return Ok();
    }));
  }
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "hl7_list", audit_category::kAudit, f.patient_id, "success",
                                               "HL7 inbound messages" + (f.status ? ": " + *f.status : ""))));
  return out;
}

Result<db::Hl7MessageRow> Hl7InboundService::Get(const Actor& by, int64_t id) {
  std::optional<db::Hl7MessageRow> row;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(row, db::Hl7MessageRepository::Find(*conn, id));
  }
  if (!row) return Error::NotFound("no HL7 message with id " + std::to_string(id));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kDemographics, row->patient_id, "success",
                                               "HL7 message " + std::to_string(id) + " with its raw text")));
  return *row;
}

}  // namespace caredesk
