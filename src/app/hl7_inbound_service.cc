#include "app/hl7_inbound_service.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <set>

#include "domain/flow/encounter_flow.h"
#include "storage/encounter_repository.h"
#include "storage/patient_identifier_repository.h"
#include "storage/patient_repository.h"

namespace caredesk {

using hl7v2::AckCode;
using hl7v2::AckError;
using hl7v2::AdtEvent;
using hl7v2::ErrorCondition;

struct Hl7InboundService::Decision {
  hl7v2::MessageHeader header;  // of the inbound message (salvaged when it did not parse)
  AckCode ack = AckCode::kAccept;
  std::vector<AckError> errors;
  db::Hl7Outcome outcome{hl7_status::kApplied, "", "", "", "", "", std::nullopt};
  std::vector<std::string> notes;
  bool recorded = false;  // the outcome was written with the data
};

struct Hl7InboundService::Match {
  std::optional<int64_t> patient_id;
  bool by_detector = false;
  std::string how;                                // "identifier 123 of GH", "duplicate detector (weight 31.0)"
  std::vector<DuplicateCandidate> look_alikes;    // probable duplicates short of a confident match
  std::optional<AckError> error;                  // the identifiers name two patients
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

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

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
  std::string code = Lower(sent);
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

// An application-level refusal inside a transaction: rolls it back; the outcome is recorded after.
constexpr char kRefused[] = "hl7_refused";

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
  Submitted out;
  hl7v2::MessageHeader salvaged = hl7v2::SalvageHeader(raw);
  db::Hl7MessageRow row;
  row.received_at = ToMillis(clock_.Now());
  row.peer = std::string(peer);
  row.control_id = salvaged.control_id;
  row.sending_application = HdText(salvaged.sending_application);
  row.sending_facility = HdText(salvaged.sending_facility);
  row.message_type = salvaged.type.code;
  row.trigger_event = salvaged.type.trigger;
  row.version = salvaged.version;
  row.raw = std::string(raw);
  row.status = hl7_status::kReceived;
  Result<int64_t> id = [&]() -> Result<int64_t> {
    auto conn = pool_.Acquire();
    return db::Hl7MessageRepository::Insert(*conn, row);
  }();
  auto internal = [&](const std::string& text) {
    Decision d;
    d.header = salvaged;
    SetError(d, hl7_status::kReceived, AckCode::kError,
             AckError{ErrorCondition::kApplicationInternalError, {}, text, hl7v2::Severity::kError});
    return d;
  };
  if (!id.ok()) {
    out.ack = Ack(salvaged, internal("CareDesk could not store the message; send it again"), 0);
    return out;
  }
  out.id = *id;
  auto decision = Process(actor, *id, raw);
  if (decision.ok() && !decision->recorded) {
    if (Status st = Record(*id, *decision); !st.ok()) decision = st.error();
  }
  if (!decision.ok()) {
    out.ack = Ack(salvaged, internal("CareDesk could not process the message (" + decision.error().message +
                                     "); it is kept as received, send it again"),
                  *id);
    return out;
  }
  out.ack = Ack(decision->header, *decision, *id);
  return out;
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
  if (h.type.code == "SIU") {
    SetError(d, hl7_status::kRejected, AckCode::kReject,
             AckError{ErrorCondition::kUnsupportedMessageType, hl7v2::ParseErrorLocation("MSH-9"),
                      "SIU scheduling messages are not supported yet", hl7v2::Severity::kError});
    return d;
  }
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
      SetError(d, hl7_status::kRejected, AckCode::kReject,
               AckError{ErrorCondition::kUnsupportedEventCode, hl7v2::ParseErrorLocation("MSH-9"),
                        "ADT^A40 (merge) is not supported yet", hl7v2::Severity::kError});
      return d;
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
  std::vector<db::IdentifierKey> keys;
  for (const auto& i : adt.patient.identifiers) keys.push_back({i.system, i.value});
  std::vector<db::PatientIdentifierRow> found;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(found, db::PatientIdentifierRepository::FindAny(*conn, keys));
  }
  std::set<int64_t> ids;
  for (const auto& f : found) ids.insert(f.patient_id);
  if (ids.size() > 1) {
    std::string listed;
    for (int64_t pid : ids) listed += (listed.empty() ? "" : ", ") + std::to_string(pid);
    m.error = AckError{ErrorCondition::kDuplicateKeyIdentifier, hl7v2::ParseErrorLocation("PID-3"),
                       "PID-3 names more than one CareDesk patient (" + listed + ")", hl7v2::Severity::kError};
    return m;
  }
  if (ids.size() == 1) {
    m.patient_id = *ids.begin();
    m.how = "identifier " + found.front().value + " of " + found.front().system;
    return m;
  }
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

Result<Hl7InboundService::Decision> Hl7InboundService::ApplyDemographics(const Actor& by, int64_t id,
                                                                         const hl7v2::AdtMessage& adt, Decision d) {
  const std::string event(hl7v2::AdtEventCode(adt.event));
  const CivilDate today = InstantToLocal(clock_.Now(), "UTC").date;
  Patient incoming = FromAdt(adt.patient, d.notes);
  if (incoming.sex.empty() && adt.event != AdtEvent::kA08) {
    incoming.sex = "unknown";
  }
  // The probe for the duplicate detector: only a patient complete enough to register.
  std::optional<Patient> probe;
  if (adt.patient.birth_date && !incoming.given_name.empty() && !incoming.family_name.empty()) {
    Patient p = incoming;
    if (p.sex.empty()) p.sex = "unknown";
    std::vector<std::string> ignored_notes;
    if (!ValidateForHl7(p, today, ignored_notes)) probe = std::move(p);
  }
  CD_ASSIGN_OR_RETURN(Match m, FindPatient(adt, probe ? &*probe : nullptr));
  if (m.error) {
    SetError(d, hl7_status::kFailed, AckCode::kError, *m.error);
    return d;
  }
  if (!m.patient_id && adt.event == AdtEvent::kA08) {
    SetError(d, hl7_status::kFailed, AckCode::kError,
             AckError{ErrorCondition::kUnknownKeyIdentifier, hl7v2::ParseErrorLocation("PID-3"),
                      "no CareDesk patient has identifier " + Describe(adt.patient.identifiers.front()) +
                          (m.look_alikes.empty() ? "" : ", and the look-alikes are not a confident match"),
                      hl7v2::Severity::kError});
    return d;
  }
  if (!m.patient_id && !adt.patient.birth_date) {
    SetError(d, hl7_status::kFailed, AckCode::kError,
             AckError{ErrorCondition::kRequiredFieldMissing, hl7v2::ParseErrorLocation("PID-7"),
                      "PID-7: a birth date is required to register a patient", hl7v2::Severity::kError});
    return d;
  }
  const std::string source = "HL7 message " + std::to_string(id) + " (ADT^" + event + ")";
  const int64_t now = ToMillis(clock_.Now());
  std::optional<AckError> refused;
  Patient written;
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    std::vector<AuditRecord> records;
    auto refuse = [&](AckError e) -> Status {
      refused = std::move(e);
      return Error::Conflict(kRefused, "refused");
    };
    if (m.patient_id) {
      CD_ASSIGN_OR_RETURN(auto current, db::PatientRepository::Find(c, *m.patient_id));
      if (!current) {
        return refuse(AckError{ErrorCondition::kUnknownKeyIdentifier, hl7v2::ParseErrorLocation("PID-3"),
                               "the patient matched by " + m.how + " no longer exists", hl7v2::Severity::kError});
      }
      Patient merged = Merge(*current, incoming, adt.patient);
      if (auto wrong = ValidateForHl7(merged, today, d.notes)) return refuse(std::move(*wrong));
      merged.id = current->id;
      merged.mrn = current->mrn;
      merged.created_at_ms = current->created_at_ms;
      merged.version = current->version;
      merged.updated_at_ms = now;
      CD_ASSIGN_OR_RETURN(bool updated, db::PatientRepository::Update(c, merged));
      if (!updated) {
        return refuse(AckError{ErrorCondition::kApplicationRecordLocked, hl7v2::ParseErrorLocation("PID"),
                               "someone changed the patient at the same moment; send the message again",
                               hl7v2::Severity::kError});
      }
      records.push_back(audit_.Make(by, "update", audit_category::kDemographics, merged.id, "success",
                                    "updated from " + source + ", matched by " + m.how));
      d.notes.push_back("patient " + merged.mrn + " matched by " + m.how + " and updated");
      written = std::move(merged);
    } else {
      Patient p = incoming;
      if (auto wrong = ValidateForHl7(p, today, d.notes)) return refuse(std::move(*wrong));
      p.created_at_ms = now;
      p.updated_at_ms = now;
      CD_RETURN_IF_ERROR(db::PatientRepository::Insert(c, p));
      std::string detail = "registered from " + source;
      if (!m.look_alikes.empty()) {
        std::string listed;
        for (const auto& cand : m.look_alikes) listed += (listed.empty() ? "" : ", ") + std::to_string(cand.id);
        detail += " despite probable duplicates " + listed;
        d.notes.push_back("probable duplicates to review: patients " + listed);
      }
      records.push_back(audit_.Make(by, "create", audit_category::kDemographics, p.id, "success", detail));
      d.notes.push_back("patient " + p.mrn + " registered");
      written = std::move(p);
    }
    int added = 0;
    for (const auto& ident : adt.patient.identifiers) {
      auto linked = db::PatientIdentifierRepository::Add(c, {written.id, ident.system, ident.value, ident.type}, now);
      if (!linked.ok()) {
        if (linked.error().reason != "identifier_taken") return linked.error();
        return refuse(AckError{ErrorCondition::kDuplicateKeyIdentifier, hl7v2::ParseErrorLocation("PID-3"),
                               "PID-3 identifier " + Describe(ident) + " belongs to another CareDesk patient",
                               hl7v2::Severity::kError});
      }
      if (*linked) ++added;
    }
    if (added > 0) {
      records.push_back(audit_.Make(by, "link_identifiers", audit_category::kDemographics, written.id, "success",
                                    std::to_string(added) + " identifier(s) from " + source));
    }
    if (adt.visit && adt.event != AdtEvent::kA08) {
      d.notes.push_back("the visit (PV1) is not recorded: CareDesk's encounters begin at check-in");
    }
    d.outcome.status = hl7_status::kApplied;
    d.outcome.patient_id = written.id;
    db::Hl7Outcome outcome = d.outcome;
    outcome.ack_code = std::string(hl7v2::AckCodeText(d.ack));
    outcome.note = Joined(d.notes);
    CD_RETURN_IF_ERROR(db::Hl7MessageRepository::RecordOutcome(c, id, outcome, now));
    return audit_.AppendInTx(c, std::move(records));
  });
  if (!st.ok()) {
    if (!refused) return st.error();
    d.outcome.patient_id = m.patient_id;
    SetError(d, hl7_status::kFailed, AckCode::kError, std::move(*refused));
    return d;
  }
  d.recorded = true;
  patients_.Indexed(written);
  return d;
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
