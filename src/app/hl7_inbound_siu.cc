// Inbound SIU (scheduling) messages: S12 books, S13/S14 reschedule or modify, S15 cancels, S17
// deletes (a cancellation "deleted by sender"), S26 marks a no-show — all through
// AppointmentService, so CareDesk's slot rules, double-booking protection, history and audit apply
// to an outside system's bookings as to its own. The mapping is in hl7_inbound_service.h.
//
// SIU runs outside the message write batcher: AppointmentService's calls run their own
// transactions (group-committed by its own batcher), so a booking and the outside ids it is
// known by are two transactions; when the second finds the ids taken (two S12 with the same id
// at the same moment), the booking just made is cancelled again and the message answered AE.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "app/hl7_inbound_service.h"
#include "core/text.h"
#include "domain/scheduling/appointment_status.h"
#include "storage/hl7_appointment_id_repository.h"

namespace caredesk {

using hl7v2::AckCode;
using hl7v2::AckError;
using hl7v2::ErrorCondition;
using hl7v2::SiuEvent;

namespace {

bool SameText(std::string_view a, std::string_view b) {
  std::string x = AsciiLower(TrimSpace(a));
  return !x.empty() && x == AsciiLower(TrimSpace(b));
}

AckError Refusal(ErrorCondition condition, std::string_view location, std::string text) {
  return AckError{condition, hl7v2::ParseErrorLocation(location), std::move(text), hl7v2::Severity::kError};
}

// A person's name as lower-case words without titles and punctuation: "Dr. Ada Park" → {ada, park}.
std::multiset<std::string> NameWords(std::string_view name) {
  static const std::set<std::string> kTitles = {"dr", "doctor", "prof", "mr", "mrs", "ms", "miss", "md",
                                                "do", "phd", "rn", "np", "pa", "jr", "sr"};
  std::multiset<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && kTitles.count(word) == 0) words.insert(word);
    word.clear();
  };
  for (char ch : name) {
    if (std::isalnum(static_cast<unsigned char>(ch)) != 0) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

// Whether AIP-3 names `provider`: CareDesk keeps no outside provider ids, so by name — the XCN's
// given and family names (with or without the middle name) against the provider's name, word by
// word in any order, case, titles and punctuation ignored; or XCN-1 when a sender puts the name there.
bool NamesProvider(const hl7v2::SiuPersonnel& p, const Provider& provider) {
  auto wanted = NameWords(provider.name);
  if (wanted.empty()) return false;
  auto name = NameWords(p.given_name + " " + p.family_name);
  if (!name.empty() && name == wanted) return true;
  if (!p.middle_name.empty() && NameWords(p.given_name + " " + p.middle_name + " " + p.family_name) == wanted) {
    return true;
  }
  return NameWords(p.id) == wanted;
}

std::string PersonText(const hl7v2::SiuPersonnel& p) {
  std::string name(TrimSpace(p.given_name + " " + p.family_name));
  if (name.empty()) return p.id;
  return p.id.empty() ? name : name + " (" + p.id + ")";
}

std::string PlaceText(const hl7v2::SiuPlace& p) {
  std::string out;
  for (const std::string* part : {&p.point_of_care, &p.room, &p.facility, &p.name}) {
    if (part->empty()) continue;
    if (!out.empty()) out += " / ";
    out += *part;
  }
  return out;
}

std::string CodeText(const hl7v2::SiuCode& c) {
  if (!c.code.empty() && !c.text.empty()) return c.code + " " + c.text;
  return c.code.empty() ? c.text : c.code;
}

// What an SIU message resolves to in CareDesk's scheduling set-up; `error` when it does not.
struct Resolved {
  std::optional<Provider> provider;
  std::string provider_location;  // the AIP read
  std::optional<Location> location;
  std::optional<int64_t> room_id;
  std::optional<AppointmentType> type;
  std::string type_location;  // AIS-3, SCH-8 or SCH-7
  std::vector<std::string> left_out;  // resources and groups CareDesk does not keep
  std::optional<AckError> error;
};

// AIP-3: the first AIP naming an active CareDesk provider. Others are left out with a note.
void ResolveProvider(const hl7v2::SiuMessage& siu, const ScheduleSnapshot& s, Resolved& r) {
  if (siu.personnel.empty()) {
    r.error = Refusal(ErrorCondition::kRequiredFieldMissing, "AIP-3",
                      "AIP-3: the message names no personnel resource; CareDesk books with a provider");
    return;
  }
  for (const auto& p : siu.personnel) {
    std::vector<const Provider*> found;
    for (const auto& provider : s.providers) {
      if (provider.active && NamesProvider(p, provider)) found.push_back(&provider);
    }
    if (found.size() > 1) {
      r.error = Refusal(ErrorCondition::kDuplicateKeyIdentifier, p.location,
                        p.location + ": '" + PersonText(p) + "' names more than one CareDesk provider");
      return;
    }
    if (found.size() == 1 && !r.provider) {
      r.provider = *found.front();
      r.provider_location = p.location;
    } else {
      r.left_out.push_back(p.location + " " + PersonText(p));
    }
  }
  if (!r.provider) {
    const auto& first = siu.personnel.front();
    r.error = Refusal(ErrorCondition::kUnknownKeyIdentifier, first.location,
                      first.location + ": no CareDesk provider is named '" + PersonText(first) +
                          "' (providers are matched by name)");
  }
}

// AIL-3: the first AIL whose point of care, room, facility or description is a CareDesk location's
// name, or a room's name (that room at its location). Without AIL: the provider's one location.
void ResolveLocation(const hl7v2::SiuMessage& siu, const ScheduleSnapshot& s, Resolved& r) {
  for (const auto& place : siu.places) {
    const std::string* parts[] = {&place.facility, &place.name, &place.point_of_care, &place.room};
    bool found = false;
    for (const std::string* part : parts) {
      for (const auto& l : s.locations) {
        if (SameText(*part, l.name)) {
          r.location = l;
          found = true;
          break;
        }
      }
      if (found) break;
    }
    for (const std::string* part : parts) {
      for (const auto& room : s.rooms) {
        if (!room.active || !SameText(*part, room.name)) continue;
        if (r.location && r.location->id != room.location_id) continue;
        if (!r.location) {
          for (const auto& l : s.locations) {
            if (l.id == room.location_id) r.location = l;
          }
        }
        r.room_id = room.id;
        found = true;
        break;
      }
      if (r.room_id) break;
    }
    if (found) {
      for (const auto& other : siu.places) {
        if (&other != &place) r.left_out.push_back(other.location + " " + PlaceText(other));
      }
      return;
    }
  }
  if (!siu.places.empty()) {
    const auto& first = siu.places.front();
    r.error = Refusal(ErrorCondition::kUnknownKeyIdentifier, first.location,
                      first.location + ": no CareDesk location or room is named '" + PlaceText(first) + "'");
    return;
  }
  if (r.provider && r.provider->location_ids.size() == 1) {
    for (const auto& l : s.locations) {
      if (l.id == r.provider->location_ids.front()) r.location = l;
    }
  }
  if (!r.location) {
    r.error = Refusal(ErrorCondition::kRequiredFieldMissing, "AIL-3",
                      "AIL-3: the message names no location and the provider works at more than one");
  }
}

// AIS-3 of each AIS, then SCH-8, then SCH-7: the first code or text that is an active
// appointment type's name.
void ResolveType(const hl7v2::SiuMessage& siu, const ScheduleSnapshot& s, Resolved& r) {
  std::vector<const hl7v2::SiuCode*> codes;
  for (const auto& c : siu.services) codes.push_back(&c);
  if (!siu.appointment_type.empty()) codes.push_back(&siu.appointment_type);
  if (!siu.reason.empty()) codes.push_back(&siu.reason);
  for (const auto* c : codes) {
    for (const auto& t : s.appointment_types) {
      if (!t.active) continue;
      if (SameText(c->code, t.name) || SameText(c->text, t.name) || SameText(c->alt_code, t.name) ||
          SameText(c->alt_text, t.name)) {
        r.type = t;
        r.type_location = c->location;
        for (const auto& other : siu.services) {
          if (&other != c) r.left_out.push_back(other.location + " " + CodeText(other));
        }
        return;
      }
    }
  }
  if (codes.empty()) {
    r.error = Refusal(ErrorCondition::kRequiredFieldMissing, "SCH-8",
                      "SCH-8: the message names no appointment type (AIS-3, SCH-8 or SCH-7)");
    return;
  }
  r.error = Refusal(ErrorCondition::kUnknownKeyIdentifier, codes.front()->location,
                    codes.front()->location + ": no CareDesk appointment type is named '" + CodeText(*codes.front()) +
                        "'" + (codes.size() > 1 ? " (nor any other AIS-3, SCH-8 or SCH-7 sent)" : ""));
}

// Where the start should have been, for an error when it is missing.
std::string StartField(const hl7v2::SiuMessage& siu, const hl7v2::MessageHeader& h) {
  if (!siu.start_location.empty()) return siu.start_location;
  auto v = hl7v2::ParseVersionId(h.version);
  return v && *v >= hl7v2::VersionId{2, 6, 0} ? "TQ1-7" : "SCH-11";
}

std::string Joined(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// The outside ids an SIU message carries, filler first (the scheduling system's own).
std::vector<std::pair<const char*, const hl7v2::SiuAppointmentId*>> OutsideIds(const hl7v2::SiuMessage& siu) {
  std::vector<std::pair<const char*, const hl7v2::SiuAppointmentId*>> ids;
  if (siu.filler_id) ids.emplace_back(db::kFillerId, &*siu.filler_id);
  if (siu.placer_id) ids.emplace_back(db::kPlacerId, &*siu.placer_id);
  return ids;
}

// An AppointmentService refusal as the message's error, at `location`.
AckError FromService(const Error& e, std::string_view location) {
  std::string text = std::string(location) + ": " + (e.reason.empty() ? "" : e.reason + ": ") + e.message;
  if (e.reason == "not_a_slot") text += " (outside CareDesk's availability for this provider and type)";
  return Refusal(ErrorCondition::kApplicationInternalError, location, std::move(text));
}

}  // namespace

void Hl7InboundService::UseScheduling(AppointmentService& appointments, ScheduleService& schedule) {
  appointments_ = &appointments;
  schedule_ = &schedule;
}

Result<Hl7InboundService::Decision> Hl7InboundService::ProcessSiu(const Actor& by, int64_t id,
                                                                  const hl7v2::Message& message, Decision d) {
  if (appointments_ == nullptr || schedule_ == nullptr) {
    SetError(d, hl7_status::kRejected, AckCode::kReject,
             Refusal(ErrorCondition::kUnsupportedMessageType, "MSH-9",
                     "SIU scheduling messages are not supported: scheduling is not configured in this server"));
    return d;
  }
  auto siu = hl7v2::ReadSiu(message);
  if (!siu.ok()) {
    ErrorCondition condition = hl7v2::SiuConditionOf(siu.error());
    bool reject = condition == ErrorCondition::kUnsupportedMessageType ||
                  condition == ErrorCondition::kUnsupportedEventCode;
    SetError(d, reject ? hl7_status::kRejected : hl7_status::kFailed, reject ? AckCode::kReject : AckCode::kError,
             Refusal(condition, siu.error().field, siu.error().message));
    return d;
  }
  for (const auto& w : siu->warnings) d.notes.push_back(w);
  if (siu->event == SiuEvent::kS12) return BookSiu(by, id, *siu, std::move(d));
  // Every other event names an appointment CareDesk knows by an outside id.
  auto ids = OutsideIds(*siu);
  if (ids.empty()) {
    SetError(d, hl7_status::kFailed, AckCode::kError,
             Refusal(ErrorCondition::kRequiredFieldMissing, "SCH-2",
                     "SCH-2: the message names no appointment (neither SCH-2 nor SCH-1 holds an id)"));
    return d;
  }
  std::optional<int64_t> appointment_id;
  {
    auto conn = pool_.Acquire();
    for (const auto& [kind, ei] : ids) {
      CD_ASSIGN_OR_RETURN(appointment_id, db::Hl7AppointmentIdRepository::Find(*conn, ei->system, kind, ei->value));
      if (appointment_id) break;
    }
  }
  if (!appointment_id) {
    const auto& [kind, ei] = ids.front();
    SetError(d, hl7_status::kFailed, AckCode::kError,
             Refusal(ErrorCondition::kUnknownKeyIdentifier, ei->location,
                     ei->location + ": no CareDesk appointment is known by " + kind + " id " + ei->value + " of " +
                         ei->system + (ids.size() > 1 ? " (nor by SCH-1 " + ids.back().second->value + ")" : "")));
    return d;
  }
  auto view = appointments_->Get(by, *appointment_id);
  if (!view.ok()) return view.error();
  const db::AppointmentRow& row = view->row;
  d.outcome.patient_id = row.patient_id;
  // The patient the message names must be the appointment's (PID-3 identifiers CareDesk knows).
  if (siu->patient && !siu->patient->identifiers.empty()) {
    const std::vector<db::IdentifierKey> keys = KeysOf(siu->patient->identifiers);
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(auto found, db::PatientIdentifierRepository::FindAny(*conn, keys));
    for (const auto& f : found) {
      if (f.patient_id == row.patient_id) continue;
      SetError(d, hl7_status::kFailed, AckCode::kError,
               Refusal(ErrorCondition::kDuplicateKeyIdentifier, "PID-3",
                       "PID-3: identifier " + f.value + " of " + f.system + " names CareDesk patient " +
                           std::to_string(f.patient_id) + ", but appointment " + std::to_string(row.id) +
                           " is patient " + std::to_string(row.patient_id) + "'s"));
      return d;
    }
  }
  const std::string event(hl7v2::SiuEventCode(siu->event));
  const std::string appointment = "appointment " + std::to_string(row.id);
  auto failed = [&](const Error& e, std::string_view location) {
    SetError(d, hl7_status::kFailed, AckCode::kError, FromService(e, location));
    return d;
  };
  switch (siu->event) {
    case SiuEvent::kS15:
    case SiuEvent::kS17: {
      if (row.status == kStatusCancelled) {
        d.outcome.status = hl7_status::kIgnored;
        d.notes.push_back(appointment + " is already cancelled");
        return d;
      }
      std::string reason = siu->event == SiuEvent::kS17 ? "deleted by sender"
                           : !siu->event_reason.empty() ? "cancelled by sender: " + siu->event_reason
                                                        : "cancelled by sender";
      reason += " (SIU^" + event + ", HL7 message " + std::to_string(id) + ")";
      auto cancelled = appointments_->Cancel(by, row.id, reason);
      if (!cancelled.ok()) return failed(cancelled.error(), "SCH-25");
      d.notes.push_back(appointment + " cancelled: " + reason);
      return d;
    }
    case SiuEvent::kS26: {
      if (row.status == kStatusNoShow) {
        d.outcome.status = hl7_status::kIgnored;
        d.notes.push_back(appointment + " is already marked no-show");
        return d;
      }
      auto marked = appointments_->MarkNoShow(by, row.id);
      if (!marked.ok()) return failed(marked.error(), "SCH-25");
      d.notes.push_back(appointment + " marked no-show");
      return d;
    }
    case SiuEvent::kS13:
    case SiuEvent::kS14:
      return ChangeSiu(by, *siu, row, std::move(d));
    case SiuEvent::kS12:
      break;
  }
  return Error::Internal("unhandled SIU event");
}

Result<Hl7InboundService::Decision> Hl7InboundService::ChangeSiu(const Actor& by, const hl7v2::SiuMessage& siu,
                                                                 const db::AppointmentRow& row, Decision d) {
  const std::string appointment = "appointment " + std::to_string(row.id);
  const std::string start_field = StartField(siu, d.header);
  if (siu.event == SiuEvent::kS13 && !siu.start) {
    SetError(d, hl7_status::kFailed, AckCode::kError,
             Refusal(ErrorCondition::kRequiredFieldMissing, start_field,
                     start_field + ": a rescheduling (S13) needs the new start"));
    return d;
  }
  CD_ASSIGN_OR_RETURN(auto snapshot, schedule_->Snapshot());
  Resolved r;
  std::optional<int64_t> new_provider;
  if (!siu.personnel.empty()) {
    ResolveProvider(siu, *snapshot, r);
    if (r.error) {
      SetError(d, hl7_status::kFailed, AckCode::kError, *r.error);
      return d;
    }
    if (r.provider->id != row.provider_id) new_provider = r.provider->id;
  }
  std::vector<std::string> done;
  std::vector<std::string> left;
  bool moved = siu.start && ToMillis(*siu.start) != row.start_at;
  if (moved || new_provider) {
    TimePoint start = siu.start ? *siu.start : FromMillis(row.start_at);
    auto rescheduled = appointments_->Reschedule(by, row.id, start, new_provider);
    if (!rescheduled.ok()) {
      SetError(d, hl7_status::kFailed, AckCode::kError,
               FromService(rescheduled.error(), moved ? start_field : r.provider_location));
      return d;
    }
    done.push_back(appointment + " rescheduled to " +
                   FormatInstant(FromMillis(rescheduled->row.start_at), rescheduled->row.time_zone) + " with " +
                   rescheduled->row.provider_name);
  }
  std::string notes = Joined(siu.notes, "\n");
  if (!notes.empty() && notes != row.notes) {
    auto noted = appointments_->UpdateNotes(by, row.id, notes);
    if (!noted.ok()) return noted.error();
    done.push_back("its notes replaced by the message's NTE");
  }
  // What CareDesk does not change on an existing appointment: say so.
  Resolved other;
  ResolveType(siu, *snapshot, other);
  if (other.type && other.type->id != row.appointment_type_id) {
    left.push_back(other.type_location + ": the type '" + other.type->name +
                   "' (CareDesk keeps an appointment's type: cancel and book again)");
  }
  if (!siu.places.empty()) {
    Resolved where;
    where.provider = r.provider;
    ResolveLocation(siu, *snapshot, where);
    if (where.location && where.location->id != row.location_id) {
      left.push_back(siu.places.front().location + ": the location '" + where.location->name +
                     "' (CareDesk keeps an appointment's location)");
    }
  }
  if (siu.duration_minutes && int64_t{*siu.duration_minutes} * 60'000 != row.end_at - row.start_at) {
    left.push_back(siu.duration_location + ": a duration of " + std::to_string(*siu.duration_minutes) +
                   " minutes (CareDesk books the type's duration)");
  }
  const bool changed = !done.empty();
  for (auto& n : done) d.notes.push_back(std::move(n));
  if (!left.empty()) d.notes.push_back("not applied: " + Joined(left, "; "));
  if (!changed) {
    d.outcome.status = hl7_status::kIgnored;
    d.notes.push_back(appointment + ": nothing CareDesk keeps has changed");
  }
  return d;
}

Result<Hl7InboundService::Decision> Hl7InboundService::BookSiu(const Actor& by, int64_t id,
                                                               const hl7v2::SiuMessage& siu, Decision d) {
  auto refuse = [&](AckError e) {
    SetError(d, hl7_status::kFailed, AckCode::kError, std::move(e));
    return d;
  };
  auto ids = OutsideIds(siu);
  if (ids.empty()) {
    return refuse(Refusal(ErrorCondition::kRequiredFieldMissing, "SCH-2",
                          "SCH-2: a booking needs the sender's appointment id (SCH-2 or SCH-1)"));
  }
  {
    auto conn = pool_.Acquire();
    for (const auto& [kind, ei] : ids) {
      CD_ASSIGN_OR_RETURN(auto known, db::Hl7AppointmentIdRepository::Find(*conn, ei->system, kind, ei->value));
      if (known) {
        return refuse(Refusal(ErrorCondition::kDuplicateKeyIdentifier, ei->location,
                              ei->location + ": " + kind + " id " + ei->value + " of " + ei->system +
                                  " is already CareDesk appointment " + std::to_string(*known) +
                                  "; send S13 or S14 to change it"));
      }
    }
  }
  const std::string start_field = StartField(siu, d.header);
  if (!siu.start) {
    return refuse(Refusal(ErrorCondition::kRequiredFieldMissing, start_field,
                          start_field + ": a booking needs its start"));
  }
  if (!siu.patient) {
    return refuse(Refusal(ErrorCondition::kRequiredFieldMissing, "PID", "PID: a booking needs its patient"));
  }
  if (siu.patient->identifiers.empty()) {
    return refuse(Refusal(ErrorCondition::kRequiredFieldMissing, "PID-3",
                          "PID-3 (patient identifier list) holds no identifier"));
  }
  CD_ASSIGN_OR_RETURN(auto snapshot, schedule_->Snapshot());
  Resolved r;
  ResolveProvider(siu, *snapshot, r);
  if (!r.error) ResolveLocation(siu, *snapshot, r);
  if (!r.error) ResolveType(siu, *snapshot, r);
  if (r.error) return refuse(std::move(*r.error));
  // CareDesk's own rules decide whether the outside booking fits: its start must be a free slot of
  // the provider's templates for the type (checked before a patient is registered for it).
  {
    CD_ASSIGN_OR_RETURN(auto engine, schedule_->Engine());
    auto slot = engine->ResolveBookingSlot(r.type->id, r.provider->id, r.location->id, *siu.start);
    if (!slot.ok()) return refuse(FromService(slot.error(), start_field));
    if (slot->start < clock_.Now()) {
      return refuse(FromService(Error::Unprocessable("start", "that slot has already started", "in_the_past"),
                                start_field));
    }
  }
  // The patient: matched as ADT matches (PID-3 identifier, else a confident duplicate detector);
  // an unknown one is registered through the ADT A04 path. A known patient's demographics are not
  // changed by SIU (that is ADT's business).
  const hl7v2::AdtPatient& pid = *siu.patient;
  std::optional<int64_t> patient_id;
  std::string matched_how;
  {
    const std::vector<db::IdentifierKey> keys = KeysOf(pid.identifiers);
    std::vector<db::PatientIdentifierRow> found;
    {
      auto conn = pool_.Acquire();
      CD_ASSIGN_OR_RETURN(found, db::PatientIdentifierRepository::FindAny(*conn, keys));
    }
    std::set<int64_t> named;
    for (const auto& f : found) named.insert(f.patient_id);
    if (named.size() > 1) {
      return refuse(Refusal(ErrorCondition::kDuplicateKeyIdentifier, "PID-3", "PID-3 names more than one CareDesk patient"));
    }
    if (named.size() == 1) {
      patient_id = *named.begin();
      matched_how = "identifier " + found.front().value + " of " + found.front().system;
    } else if (pid.birth_date && !pid.given_name.empty() && !pid.family_name.empty()) {
      Patient probe;
      probe.given_name = pid.given_name;
      probe.middle_name = pid.middle_name;
      probe.family_name = pid.family_name;
      probe.birth_date = *pid.birth_date;
      probe.sex = pid.sex.empty() ? "unknown" : pid.sex;
      CD_ASSIGN_OR_RETURN(auto candidates, patients_.ProbableDuplicates(probe, 5));
      if (candidates.size() == 1 && candidates.front().score.weight >= kConfidentMatchWeight) {
        patient_id = candidates.front().id;
        char weight[32];
        std::snprintf(weight, sizeof weight, "%.1f", candidates.front().score.weight);
        matched_how = std::string("the duplicate detector (weight ") + weight + ")";
      }
    }
  }
  if (patient_id) {
    d.notes.push_back("patient " + std::to_string(*patient_id) + " matched by " + matched_how +
                      " (SIU does not change demographics)");
  } else {
    hl7v2::AdtMessage adt;
    adt.event = hl7v2::AdtEvent::kA04;
    adt.patient = pid;
    CD_ASSIGN_OR_RETURN(d, ApplyDemographics(by, id, adt, std::move(d)));
    if (d.ack != AckCode::kAccept || !d.outcome.patient_id) return d;
    d.recorded = false;  // the outcome written with the patient is replaced by the booking's
    patient_id = d.outcome.patient_id;
  }
  d.outcome.patient_id = patient_id;
  BookingRequest req;
  req.patient_id = *patient_id;
  req.appointment_type_id = r.type->id;
  req.provider_id = r.provider->id;
  req.location_id = r.location->id;
  req.room_id = r.room_id;
  req.start = *siu.start;
  req.notes = Joined(siu.notes, "\n");
  auto booked = appointments_->Book(by, req);
  if (!booked.ok()) return refuse(FromService(booked.error(), start_field));
  const db::AppointmentRow& row = booked->row;
  // The outside ids, with their audit entry; ids taken meanwhile undo the booking.
  std::optional<AckError> taken;
  {
    const int64_t now = ToMillis(clock_.Now());
    auto conn = pool_.Acquire();
    auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      std::vector<std::string> listed;
      for (const auto& [kind, ei] : ids) {
        auto added = db::Hl7AppointmentIdRepository::Add(c, {ei->system, kind, ei->value, row.id}, now);
        if (!added.ok()) {
          if (added.error().reason != "appointment_id_taken") return added.error();
          taken = Refusal(ErrorCondition::kDuplicateKeyIdentifier, ei->location,
                          ei->location + ": " + added.error().message);
          return Error::Conflict("hl7_refused", "refused");
        }
        listed.push_back(std::string(kind) + " " + ei->value + " of " + ei->system);
      }
      return audit_.AppendInTx(c, audit_.Make(by, "link_appointment_ids", audit_category::kAppointment,
                                              row.patient_id, "success",
                                              "appointment " + std::to_string(row.id) + " known as " +
                                                  Joined(listed, ", ") + " (HL7 message " + std::to_string(id) + ")"));
    });
    if (!st.ok()) {
      auto undone = appointments_->Cancel(by, row.id, "booked twice by the sender's SIU^S12 (HL7 message " +
                                                          std::to_string(id) + "); undone");
      if (!undone.ok()) return undone.error();
      if (!taken) return st.error();
      return refuse(std::move(*taken));
    }
  }
  d.outcome.status = hl7_status::kApplied;
  d.notes.push_back("appointment " + std::to_string(row.id) + " booked: " + row.type_name + " with " +
                    row.provider_name + " at " + row.location_name + ", " +
                    FormatInstant(FromMillis(row.start_at), row.time_zone));
  if (siu.duration_minutes && int64_t{*siu.duration_minutes} * 60'000 != row.end_at - row.start_at) {
    r.left_out.push_back(siu.duration_location + " duration " + std::to_string(*siu.duration_minutes) +
                         " min (CareDesk books the type's " + std::to_string((row.end_at - row.start_at) / 60'000) +
                         ")");
  }
  for (const auto& res : siu.resources) r.left_out.push_back(res.location + " " + (res.name.empty() ? res.id : res.name));
  if (!r.left_out.empty()) d.notes.push_back("not kept: " + Joined(r.left_out, "; "));
  return d;
}

}  // namespace caredesk
