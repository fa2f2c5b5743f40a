#include "app/hl7_outbound_service.h"

#include <algorithm>
#include <random>
#include <set>

#include "domain/hl7v2/hl7v2_message.h"
#include "domain/hl7v2/hl7v2_outbound.h"
#include "mllp/mllp_client.h"
#include "storage/appointment_repository.h"
#include "storage/encounter_repository.h"
#include "storage/patient_identifier_repository.h"
#include "storage/patient_repository.h"

namespace caredesk {
namespace {

namespace st = db::hl7_outbound_status;

constexpr char kLocation[] = "SELECT name, time_zone FROM locations WHERE id = $1";
constexpr char kRoom[] = "SELECT name FROM rooms WHERE id = $1";
// Claims a message for one attempt: its next attempt moves past the attempt's longest possible duration,
// only if nobody else moved it first.
constexpr char kClaim[] =
    "UPDATE hl7_outbound SET next_attempt_at = $3 WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2";

constexpr int kBatch = 50;

// MSH-10: "CD" and 16 hex digits of randomness (18 characters, under the 20 allowed).
std::string NewControlId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789ABCDEF";
  uint64_t v = rng();
  std::string out = "CD";
  for (int i = 0; i < 16; ++i) out.push_back(kHex[(v >> (60 - 4 * i)) & 0xF]);
  return out;
}

Result<hl7v2::OutboundPatient> LoadPatient(db::Connection& c, int64_t patient_id) {
  CD_ASSIGN_OR_RETURN(auto found, db::PatientRepository::Find(c, patient_id));
  if (!found) return Error::NotFound("no patient with id " + std::to_string(patient_id));
  const Patient& p = *found;
  hl7v2::OutboundPatient out;
  out.mrn = p.mrn;
  out.family_name = p.family_name;
  out.given_name = p.given_name;
  out.middle_name = p.middle_name;
  out.birth_date = p.birth_date;
  out.sex = p.sex;
  out.phone = p.phone;
  out.email = p.email;
  out.address_line1 = p.address.line1;
  out.address_line2 = p.address.line2;
  out.city = p.address.city;
  out.state = p.address.state;
  out.postal_code = p.address.postal_code;
  out.country = p.address.country;
  out.preferred_language = p.preferred_language;
  CD_ASSIGN_OR_RETURN(auto ids, db::PatientIdentifierRepository::ForPatient(c, patient_id));
  for (auto& id : ids) out.other_identifiers.push_back({std::move(id.system), std::move(id.value), std::move(id.type)});
  return out;
}

Result<std::string> RoomName(db::Connection& c, const std::optional<int64_t>& room_id) {
  if (!room_id) return std::string();
  CD_ASSIGN_OR_RETURN(db::ResultSet rs, c.Query(kRoom, {*room_id}));
  return rs.empty() ? std::string() : rs.Text(0, 0);
}

hl7v2::SiuEvent ToSiu(Hl7AppointmentEvent e) {
  switch (e) {
    case Hl7AppointmentEvent::kBooked: return hl7v2::SiuEvent::kS12;
    case Hl7AppointmentEvent::kRescheduled: return hl7v2::SiuEvent::kS13;
    case Hl7AppointmentEvent::kModified: return hl7v2::SiuEvent::kS14;
    case Hl7AppointmentEvent::kCancelled: return hl7v2::SiuEvent::kS15;
    case Hl7AppointmentEvent::kDeleted: return hl7v2::SiuEvent::kS17;
    case Hl7AppointmentEvent::kNoShow: return hl7v2::SiuEvent::kS26;
  }
  return hl7v2::SiuEvent::kS14;
}

hl7v2::AdtEvent ToAdt(Hl7VisitEvent e) {
  switch (e) {
    case Hl7VisitEvent::kCheckedIn: return hl7v2::AdtEvent::kA04;
    case Hl7VisitEvent::kEnded: return hl7v2::AdtEvent::kA03;
    case Hl7VisitEvent::kUpdated: return hl7v2::AdtEvent::kA08;
    case Hl7VisitEvent::kCheckInUndone: return hl7v2::AdtEvent::kA11;
    case Hl7VisitEvent::kEndUndone: return hl7v2::AdtEvent::kA13;
  }
  return hl7v2::AdtEvent::kA08;
}

hl7v2::OutboundEnvelope Envelope(const Hl7OutboundOptions& o, std::string control_id, TimePoint now) {
  hl7v2::OutboundEnvelope e;
  e.application.namespace_id = o.application;
  e.facility.namespace_id = o.facility;
  e.control_id = std::move(control_id);
  e.created_at = now;
  return e;
}

// What a reply says: the MSA-1 code (AA, AE, ...) and, for anything but AA/CA, why.
struct AckOutcome {
  std::string code;
  std::string error;
};

AckOutcome ReadAck(const std::string& reply, const std::string& control_id) {
  auto parsed = hl7v2::ParseMessage(reply);
  if (!parsed.ok()) return {"", "the reply is not an HL7 message: " + parsed.error().message};
  std::string code = parsed->Get("MSA", 1);
  if (code.empty()) return {"", "the reply has no MSA-1 acknowledgment code"};
  std::string acked = parsed->Get("MSA", 2);
  if (acked != control_id) return {"", "the reply acknowledges " + acked + ", not " + control_id};
  AckOutcome out{code, ""};
  if (code != "AA" && code != "CA") {
    std::string text = parsed->Get("MSA", 3);
    std::string err = parsed->Get("ERR", 8);
    if (err.empty()) err = parsed->Get("ERR", 3, 0, 2);
    out.error = code + (text.empty() && err.empty() ? "" : ": " + (err.empty() ? text : err));
  }
  return out;
}

}  // namespace

Hl7OutboundService::Hl7OutboundService(db::Pool& pool, const Clock& clock, AuditLog& audit,
                                       Hl7OutboundOptions options)
    : pool_(pool), clock_(clock), audit_(audit), options_(std::move(options)) {}

Hl7OutboundService::~Hl7OutboundService() { Stop(); }

// --- Peers -------------------------------------------------------------------------------------------

void Hl7OutboundService::Invalidate() {
  std::lock_guard lock(cache_mu_);
  cache_.reset();
  any_enabled_.store(-1);
}

Result<std::shared_ptr<const Hl7OutboundService::PeerCache>> Hl7OutboundService::EnabledPeers(db::Connection& c) {
  {
    std::lock_guard lock(cache_mu_);
    if (cache_) return cache_;
  }
  CD_ASSIGN_OR_RETURN(auto all, db::Hl7PeerRepository::List(c));
  auto fresh = std::make_shared<PeerCache>();
  for (auto& p : all) {
    if (p.enabled) fresh->enabled.push_back(std::move(p));
  }
  std::lock_guard lock(cache_mu_);
  cache_ = fresh;
  any_enabled_.store(fresh->enabled.empty() ? 0 : 1);
  return std::shared_ptr<const PeerCache>(fresh);
}

Result<db::Hl7PeerRow> Hl7OutboundService::Validate(const Hl7PeerInput& in, int64_t id) {
  auto blank = [](const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; };
  if (blank(in.name)) return Error::Invalid("name", "a name is required", "required");
  if (in.name.size() > 100) return Error::Invalid("name", "the name is longer than 100 characters", "too_long");
  if (blank(in.host)) return Error::Invalid("host", "a host name or address is required", "required");
  if (in.host.size() > 253 || in.host.find_first_of(" \t\r\n/") != std::string::npos) {
    return Error::Invalid("host", "the host must be a host name or an IP address", "invalid");
  }
  if (in.port < 1 || in.port > 65535) return Error::Invalid("port", "the port must be between 1 and 65535", "range");
  if (!in.siu && !in.adt) return Error::Invalid("feeds", "choose at least one feed (SIU or ADT)", "required");
  db::Hl7PeerRow row;
  row.id = id;
  row.name = in.name;
  row.host = in.host;
  row.port = static_cast<int>(in.port);
  row.enabled = in.enabled;
  row.siu = in.siu;
  row.adt = in.adt;
  row.created_at = row.updated_at = ToMillis(clock_.Now());
  return row;
}

Result<std::vector<db::Hl7PeerRow>> Hl7OutboundService::Peers(const Actor&) {
  auto conn = pool_.Acquire();
  return db::Hl7PeerRepository::List(*conn);
}

Result<db::Hl7PeerRow> Hl7OutboundService::AddPeer(const Actor& by, const Hl7PeerInput& in) {
  CD_ASSIGN_OR_RETURN(db::Hl7PeerRow row, Validate(in, 0));
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    auto id = db::Hl7PeerRepository::Insert(c, row);
    if (!id.ok()) {
      if (db::IsUniqueViolation(id.error())) {
        return Error::Conflict("name_taken", "there is already a peer named " + row.name, "name");
      }
      return std::move(id).error();
    }
    row.id = *id;
    return audit_.AppendInTx(c, audit_.Make(by, "hl7_peer_create", audit_category::kSecurity, std::nullopt,
                                            "success", "HL7 peer " + row.name + " " + row.host + ":" +
                                                           std::to_string(row.port)));
  });
  Invalidate();
  if (!st.ok()) return std::move(st).error();
  Wake();
  return row;
}

Result<db::Hl7PeerRow> Hl7OutboundService::UpdatePeer(const Actor& by, int64_t id, const Hl7PeerInput& in) {
  CD_ASSIGN_OR_RETURN(db::Hl7PeerRow row, Validate(in, id));
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto before, db::Hl7PeerRepository::Find(c, id));
    if (!before) return Error::NotFound("no HL7 peer with id " + std::to_string(id));
    row.created_at = before->created_at;
    auto updated = db::Hl7PeerRepository::Update(c, row);
    if (!updated.ok()) {
      if (db::IsUniqueViolation(updated.error())) {
        return Error::Conflict("name_taken", "there is already a peer named " + row.name, "name");
      }
      return std::move(updated).error();
    }
    return audit_.AppendInTx(c, audit_.Make(by, "hl7_peer_update", audit_category::kSecurity, std::nullopt,
                                            "success", "HL7 peer " + std::to_string(id) + " " + row.name + " " +
                                                           row.host + ":" + std::to_string(row.port) +
                                                           (row.enabled ? "" : " (disabled)")));
  });
  Invalidate();
  if (!st.ok()) return std::move(st).error();
  Wake();
  return row;
}

Status Hl7OutboundService::DeletePeer(const Actor& by, int64_t id) {
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto before, db::Hl7PeerRepository::Find(c, id));
    if (!before) return Error::NotFound("no HL7 peer with id " + std::to_string(id));
    CD_RETURN_IF_ERROR(db::Hl7PeerRepository::Delete(c, id));
    return audit_.AppendInTx(c, audit_.Make(by, "hl7_peer_delete", audit_category::kSecurity, std::nullopt,
                                            "success", "HL7 peer " + std::to_string(id) + " " + before->name));
  });
  Invalidate();
  return st;
}

// --- The outbox --------------------------------------------------------------------------------------

Status Hl7OutboundService::Enqueue(db::Connection& c, bool siu, int64_t patient_id, const std::string& event,
                                   const std::string& control_id, const std::string& text) {
  CD_ASSIGN_OR_RETURN(auto peers, EnabledPeers(c));
  int64_t now = ToMillis(clock_.Now());
  for (const auto& peer : peers->enabled) {
    if (siu ? !peer.siu : !peer.adt) continue;
    db::Hl7OutboundRow m;
    m.peer_id = peer.id;
    m.patient_id = patient_id;
    m.event = event;
    m.control_id = control_id;
    m.message = text;
    m.created_at = now;
    m.next_attempt_at = now;
    CD_RETURN_IF_ERROR(db::Hl7OutboundRepository::Insert(c, m));
  }
  return Ok();
}

Status Hl7OutboundService::AppointmentChanged(db::Connection& c, Hl7AppointmentEvent change, int64_t appointment_id,
                                              const std::string& reason) {
  if (any_enabled_.load(std::memory_order_relaxed) == 0) return Ok();
  CD_ASSIGN_OR_RETURN(auto peers, EnabledPeers(c));
  if (std::none_of(peers->enabled.begin(), peers->enabled.end(), [](const auto& p) { return p.siu; })) return Ok();
  CD_ASSIGN_OR_RETURN(auto row, db::AppointmentRepository::Find(c, appointment_id));
  if (!row) return Error::NotFound("no appointment with id " + std::to_string(appointment_id));
  CD_ASSIGN_OR_RETURN(hl7v2::OutboundPatient patient, LoadPatient(c, row->patient_id));
  hl7v2::OutboundAppointment a;
  a.id = row->id;
  a.status = row->status;
  a.start = FromMillis(row->start_at);
  a.end = FromMillis(row->end_at);
  a.time_zone = row->time_zone;
  a.type = {row->appointment_type_id, row->type_name};
  a.modality = row->modality;
  a.event_reason = reason;
  a.notes = row->notes;
  a.provider = {row->provider_id, row->provider_name};
  a.location = {row->location_id, row->location_name};
  CD_ASSIGN_OR_RETURN(a.room, RoomName(c, row->room_id));
  std::string control_id = NewControlId();
  hl7v2::SiuEvent event = ToSiu(change);
  std::string text = hl7v2::WriteSiu(event, Envelope(options_, control_id, clock_.Now()), patient, a);
  return Enqueue(c, true, row->patient_id, "SIU^" + std::string(hl7v2::SiuEventCode(event)), control_id, text);
}

Status Hl7OutboundService::VisitChanged(db::Connection& c, Hl7VisitEvent change, int64_t encounter_id) {
  if (any_enabled_.load(std::memory_order_relaxed) == 0) return Ok();
  CD_ASSIGN_OR_RETURN(auto peers, EnabledPeers(c));
  if (std::none_of(peers->enabled.begin(), peers->enabled.end(), [](const auto& p) { return p.adt; })) return Ok();
  CD_ASSIGN_OR_RETURN(auto e, db::EncounterRepository::Find(c, encounter_id));
  if (!e) return Error::NotFound("no encounter with id " + std::to_string(encounter_id));
  CD_ASSIGN_OR_RETURN(hl7v2::OutboundPatient patient, LoadPatient(c, e->patient_id));
  CD_ASSIGN_OR_RETURN(db::ResultSet loc, c.Query(kLocation, {e->location_id}));
  hl7v2::OutboundVisit v;
  v.encounter_id = e->id;
  v.appointment_id = e->appointment_id;
  v.time_zone = loc.empty() ? "UTC" : loc.Text(0, 1);
  v.arrived_at = FromMillis(e->arrived_at);
  if (e->ended_at) v.discharged_at = FromMillis(*e->ended_at);
  v.location = {e->location_id, loc.empty() ? std::string() : loc.Text(0, 0)};
  v.room = e->room_name;
  if (e->provider_id) v.provider = {*e->provider_id, e->provider_name};
  std::string control_id = NewControlId();
  hl7v2::AdtEvent trigger = ToAdt(change);
  std::string text = hl7v2::WriteAdt(trigger, Envelope(options_, control_id, clock_.Now()), patient, v);
  return Enqueue(c, false, e->patient_id, "ADT^" + std::string(hl7v2::AdtEventCode(trigger)), control_id, text);
}

Status Hl7OutboundService::PatientChanged(db::Connection& c, int64_t patient_id) {
  if (any_enabled_.load(std::memory_order_relaxed) == 0) return Ok();
  CD_ASSIGN_OR_RETURN(auto peers, EnabledPeers(c));
  if (std::none_of(peers->enabled.begin(), peers->enabled.end(), [](const auto& p) { return p.adt; })) return Ok();
  CD_ASSIGN_OR_RETURN(hl7v2::OutboundPatient patient, LoadPatient(c, patient_id));
  std::string control_id = NewControlId();
  std::string text =
      hl7v2::WriteAdt(hl7v2::AdtEvent::kA08, Envelope(options_, control_id, clock_.Now()), patient, std::nullopt);
  return Enqueue(c, false, patient_id, "ADT^A08", control_id, text);
}

Status Hl7OutboundService::PatientsMerged(db::Connection& c, int64_t survivor_id, int64_t merged_id) {
  if (any_enabled_.load(std::memory_order_relaxed) == 0) return Ok();
  CD_ASSIGN_OR_RETURN(auto peers, EnabledPeers(c));
  if (std::none_of(peers->enabled.begin(), peers->enabled.end(), [](const auto& p) { return p.adt; })) return Ok();
  CD_ASSIGN_OR_RETURN(hl7v2::OutboundPatient survivor, LoadPatient(c, survivor_id));
  CD_ASSIGN_OR_RETURN(hl7v2::OutboundPatient merged, LoadPatient(c, merged_id));
  std::string control_id = NewControlId();
  std::string text = hl7v2::WriteMerge(Envelope(options_, control_id, clock_.Now()), survivor, merged);
  return Enqueue(c, false, survivor_id, "ADT^A40", control_id, text);
}

// --- The queue ---------------------------------------------------------------------------------------

Result<Hl7OutboundList> Hl7OutboundService::List(const Actor& by, const db::Hl7OutboundFilter& f) {
  Hl7OutboundList out;
  {
    auto conn = pool_.Acquire();
    CD_RETURN_IF_ERROR(db::InTransaction(*conn, false, [&](db::Connection& c) -> Status {
      CD_ASSIGN_OR_RETURN(auto page, db::Hl7OutboundRepository::List(c, f));
      out.items = std::move(page.first);
      out.total = page.second;
      CD_ASSIGN_OR_RETURN(auto counts, db::Hl7OutboundRepository::CountByStatus(c));
      for (const auto& [status, n] : counts) {
        if (status == st::kPending) out.pending = n;
        if (status == st::kDead) out.dead = n;
      }
      return Ok();
    }));
  }
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "hl7_outbound_list", audit_category::kAudit, std::nullopt,
                                               "success",
                                               "HL7 outbound messages" + (f.status ? ": " + *f.status : ""))));
  return out;
}

Result<db::Hl7OutboundRow> Hl7OutboundService::Get(const Actor& by, int64_t id) {
  std::optional<db::Hl7OutboundRow> row;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(row, db::Hl7OutboundRepository::Find(*conn, id));
  }
  if (!row) return Error::NotFound("no outbound HL7 message with id " + std::to_string(id));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kDemographics, row->patient_id, "success",
                                               "HL7 outbound message " + std::to_string(id) + " with its text")));
  return *row;
}

Result<db::Hl7OutboundRow> Hl7OutboundService::Retry(const Actor& by, int64_t id) {
  std::optional<db::Hl7OutboundRow> row;
  auto conn = pool_.Acquire();
  CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(row, db::Hl7OutboundRepository::Find(c, id));
    if (!row) return Error::NotFound("no outbound HL7 message with id " + std::to_string(id));
    CD_ASSIGN_OR_RETURN(bool done, db::Hl7OutboundRepository::Retry(c, id, ToMillis(clock_.Now())));
    if (!done) return Error::Conflict("not_dead", "only a dead message can be retried; this one is " + row->status);
    CD_ASSIGN_OR_RETURN(row, db::Hl7OutboundRepository::Find(c, id));
    return audit_.AppendInTx(c, audit_.Make(by, "hl7_outbound_retry", audit_category::kAudit, row->patient_id,
                                            "success", "HL7 outbound message " + std::to_string(id)));
  }));
  Wake();
  return *row;
}

Result<db::Hl7OutboundRow> Hl7OutboundService::Discard(const Actor& by, int64_t id) {
  std::optional<db::Hl7OutboundRow> row;
  auto conn = pool_.Acquire();
  CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(row, db::Hl7OutboundRepository::Find(c, id));
    if (!row) return Error::NotFound("no outbound HL7 message with id " + std::to_string(id));
    CD_ASSIGN_OR_RETURN(bool done, db::Hl7OutboundRepository::Discard(c, id));
    if (!done) return Error::Conflict("not_dead", "only a dead message can be discarded; this one is " + row->status);
    CD_ASSIGN_OR_RETURN(row, db::Hl7OutboundRepository::Find(c, id));
    return audit_.AppendInTx(c, audit_.Make(by, "hl7_outbound_discard", audit_category::kAudit, row->patient_id,
                                            "success", "HL7 outbound message " + std::to_string(id)));
  }));
  Wake();
  return *row;
}

// --- The dispatcher ----------------------------------------------------------------------------------

std::chrono::milliseconds Hl7OutboundService::Backoff(int attempts) const {
  auto d = options_.first_backoff;
  for (int i = 1; i < attempts && d < options_.max_backoff; ++i) d *= 2;
  return std::min(d, options_.max_backoff);
}

Status Hl7OutboundService::SendPeer(const db::Hl7PeerRow& peer, Hl7DispatchReport& report) {
  auto& client = clients_[peer.id];
  if (!client || client->options().host != peer.host || client->options().port != peer.port) {
    mllp::MllpClientOptions o;
    o.host = peer.host;
    o.port = static_cast<uint16_t>(peer.port);
    o.connect_timeout = options_.connect_timeout;
    o.write_timeout = options_.write_timeout;
    o.read_timeout = options_.read_timeout;
    client = std::make_unique<mllp::MllpClient>(o);
  }
  // The longest an attempt may take: a claim lasts that long and more.
  int64_t lease = (options_.connect_timeout + options_.write_timeout + options_.read_timeout).count() + 60'000;
  std::set<int64_t> held;  // patients whose message failed in this pass: their later ones wait
  for (int round = 0; round < 1000; ++round) {
    std::vector<db::Hl7OutboundRow> batch;
    {
      auto conn = pool_.Acquire();
      CD_ASSIGN_OR_RETURN(batch, db::Hl7OutboundRepository::Eligible(*conn, peer.id, ToMillis(clock_.Now()), kBatch));
    }
    // Another round while messages went out: a patient's next message becomes eligible once the one
    // before it is sent.
    bool progressed = false;
    for (const auto& m : batch) {
      if (held.count(m.patient_id)) continue;
      int64_t now = ToMillis(clock_.Now());
      int64_t claimed = 0;
      {
        auto conn = pool_.Acquire();
        CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
          CD_ASSIGN_OR_RETURN(claimed, c.Exec(kClaim, {m.id, m.next_attempt_at, now + lease}));
          return Ok();
        }));
      }
      if (claimed != 1) continue;  // another process took it
      auto reply = client->Send(m.message);
      now = ToMillis(clock_.Now());
      std::string status;
      std::string error;
      std::string code;
      if (!reply.ok()) {
        error = reply.error().message;
      } else {
        AckOutcome ack = ReadAck(*reply, m.control_id);
        code = ack.code;
        error = ack.error;
      }
      int64_t next = now;
      std::optional<int64_t> sent_at;
      if (code == "AA" || code == "CA") {
        status = st::kSent;
        sent_at = now;
        ++report.sent;
        progressed = true;
      } else if (code == "AR" || code == "CR") {
        status = st::kDead;
        ++report.dead;
      } else if (m.attempts + 1 >= options_.max_attempts) {
        status = st::kDead;
        error += " (gave up after " + std::to_string(m.attempts + 1) + " attempts)";
        ++report.dead;
      } else {
        status = st::kPending;
        next = now + Backoff(m.attempts + 1).count();
        ++report.retried;
      }
      if (status != st::kSent) held.insert(m.patient_id);
      {
        auto conn = pool_.Acquire();
        CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
          return db::Hl7OutboundRepository::RecordAttempt(c, m.id, status, next, error, code, sent_at);
        }));
      }
      if (!reply.ok()) return Ok();  // the peer is unreachable: the rest wait for the next pass
    }
    if (!progressed) break;
  }
  return Ok();
}

Status Hl7OutboundService::RefreshGauges() {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto counts, db::Hl7OutboundRepository::CountByStatus(*conn));
  int64_t pending = 0, dead = 0;
  for (const auto& [status, n] : counts) {
    if (status == st::kPending) pending = n;
    if (status == st::kDead) dead = n;
  }
  pending_gauge_.store(pending);
  dead_gauge_.store(dead);
  return Ok();
}

Result<Hl7DispatchReport> Hl7OutboundService::DispatchOnce() {
  std::lock_guard lock(send_mu_);
  Hl7DispatchReport report;
  Invalidate();  // picks up other processes' peer changes
  std::shared_ptr<const PeerCache> peers;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(peers, EnabledPeers(*conn));
  }
  // Connections to peers no longer enabled are closed.
  for (auto it = clients_.begin(); it != clients_.end();) {
    bool keep = std::any_of(peers->enabled.begin(), peers->enabled.end(),
                            [&](const auto& p) { return p.id == it->first; });
    it = keep ? std::next(it) : clients_.erase(it);
  }
  for (const auto& peer : peers->enabled) CD_RETURN_IF_ERROR(SendPeer(peer, report));
  CD_RETURN_IF_ERROR(RefreshGauges());
  return report;
}

void Hl7OutboundService::Start() {
  std::lock_guard lock(thread_mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "cd-hl7-out");
    std::unique_lock lock(thread_mu_);
    while (!stop_) {
      lock.unlock();
      (void)DispatchOnce();  // a failed pass (the database) is tried again at the next
      lock.lock();
      wake_.wait_for(lock, options_.poll_interval, [this] { return stop_ || woken_; });
      woken_ = false;
    }
  });
}

void Hl7OutboundService::Stop() {
  std::thread t;
  {
    std::lock_guard lock(thread_mu_);
    stop_ = true;
    t = std::move(thread_);
  }
  wake_.notify_all();
  if (t.joinable()) t.join();
}

void Hl7OutboundService::Wake() {
  {
    std::lock_guard lock(thread_mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

}  // namespace caredesk
