#include "demo/demo_visits.h"

#include <algorithm>
#include <span>

#include "domain/flow/encounter_flow.h"
#include "domain/scheduling/appointment_status.h"
#include "domain/scheduling/slot_engine.h"
#include "domain/scheduling/zone_day.h"

namespace caredesk::demo {
namespace {

constexpr int64_t kSecond = 1'000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kDay = 24 * 60 * kMinute;

// The packer takes, at each point of a provider's day, one of the visit types
// whose next slot starts within this much idle time.
constexpr int64_t kMaxIdleBeforeSlot = 15 * kMinute;
constexpr double kPastFill = 0.88;
constexpr double kTodayFill = 0.92;
constexpr double kNextDayFill = 0.9;
constexpr double kLastDayFill = 0.25;
constexpr double kPastCancelShare = 0.10;
constexpr double kFutureCancelShare = 0.05;
constexpr double kRebookedShare = 0.55;
constexpr double kNoShowShare = 0.07;
constexpr double kOverbookShare = 0.04;
constexpr double kNoteShare = 0.05;
// Each day draws from its own stream: Fork(kDayStreams + offset).
constexpr int64_t kDayStreams = 1'000'000;

constexpr std::string_view kCancelReasons[] = {
    "Patient request",        "Feeling better",
    "Scheduling conflict",    "Work conflict",
    "Transportation problem", "Patient ill",
    "Childcare issue",        "Weather",
    "Insurance not verified", "Rescheduled by patient",
    "Provider unavailable",   "Booked in error",
    "Patient request",        "Scheduling conflict",
    "Feeling better",         "Rescheduled by patient",
};
constexpr std::string_view kNotes[] = {
    "Bring medication list",   "Fasting labs before visit",  "Wheelchair access needed", "Interpreter requested",
    "Parent will accompany",   "Bring imaging CD",           "Follow-up on lab results", "Referred by urgent care",
    "Prefers a call, not SMS", "New insurance card to scan",
};
constexpr std::string_view kOverbookedNote = "overbooked";
constexpr std::string_view kLeftUnseenStatus = "left_without_being_seen";

std::string StaffName(std::string_view role, size_t site, int per_site, Rng& rng) {
  return std::string(role) + std::to_string(site * static_cast<size_t>(per_site) + 1 + rng.Below(per_site));
}
std::string FrontDesk(size_t site, Rng& rng) { return StaffName("frontdesk", site, 3, rng); }
std::string MedicalAssistant(size_t site, Rng& rng) { return StaffName("ma", site, 4, rng); }
std::string CallCenter(Rng& rng) { return StaffName("callcenter", 0, 4, rng); }

// Who booked: the patient online, the call centre or the front desk.
std::string Booker(size_t site, bool telehealth, Rng& rng) {
  const double draw = rng.Unit();
  if (draw < (telehealth ? 0.35 : 0.2)) return "portal";
  if (draw < 0.55) return CallCenter(rng);
  return FrontDesk(site, rng);
}

std::string Canceller(size_t site, Rng& rng) {
  const double draw = rng.Unit();
  if (draw < 0.35) return "portal";
  if (draw < 0.7) return CallCenter(rng);
  return FrontDesk(site, rng);
}

// 16 random bytes, URL-safe base64 without padding, as the app issues them.
std::string JoinToken(Rng& rng) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token;
  for (int i = 0; i < 22; ++i) token += rng.Pick(kAlphabet);
  return token;
}

// When a visit starting at `start_ms` was booked: mostly days or weeks
// ahead, some the same day; never after now.
int64_t BookedAt(int64_t start_ms, int64_t now_ms, Rng& rng) {
  static constexpr double kLeadWeights[] = {0.15, 0.45, 0.30, 0.10};
  static constexpr std::pair<int64_t, int64_t> kLeadDays[] = {{0, 1}, {2, 21}, {22, 60}, {61, 120}};
  const auto [fewest, most] = kLeadDays[rng.Weighted(kLeadWeights)];
  const int64_t booked = start_ms - rng.Between(fewest, most) * kDay - rng.Between(30, 8 * 60) * kMinute;
  return std::min(booked, now_ms - rng.Between(1, 180) * kMinute);
}

// Cancellations cluster in the last days before the visit.
int64_t CancelledAt(int64_t booked_ms, int64_t start_ms, int64_t now_ms, Rng& rng) {
  const int64_t until = std::min(start_ms - 30 * kMinute, now_ms - kMinute);
  if (until <= booked_ms) return booked_ms + kMinute;
  const double u = rng.Unit();
  return until - static_cast<int64_t>(static_cast<double>(until - booked_ms) * u * u);
}

// When a walk-in arrives (local minute of day): office hours, or around the
// clock at urgent care, mostly in the day and evening.
int WalkInMinute(bool urgent_care, Rng& rng) {
  if (!urgent_care) return static_cast<int>(rng.Between(8 * 60 + 30, 16 * 60 + 30));
  if (rng.Chance(0.75)) return static_cast<int>(rng.Between(8 * 60, 22 * 60 - 1));
  return static_cast<int>(rng.Between(22 * 60, 32 * 60 - 1)) % (24 * 60);
}

// Packs a provider's day: at each point it takes one of the visit types
// whose next slot starts within kMaxIdleBeforeSlot (jumping over longer
// gaps such as lunch), drawn by how often each type is booked; the slots it
// hands out never overlap.
class DayPacker {
 public:
  // `type_duration[k]` is the index in `slots` of type k's slots (each list
  // sorted by start); `weights[k]` its booking weight.
  DayPacker(std::span<const size_t> type_duration, std::span<const double> weights,
            std::vector<std::vector<CandidateSlot>> slots)
      : type_duration_(type_duration),
        base_weights_(weights),
        weights_(weights.size()),
        slots_(std::move(slots)),
        next_(slots_.size(), 0) {}

  // The next (type index, slot), or nullopt when the day is full.
  std::optional<std::pair<size_t, CandidateSlot>> Next(Rng& rng) {
    std::optional<TimePoint> earliest;
    for (size_t d = 0; d < slots_.size(); ++d) {
      while (next_[d] < slots_[d].size() && slots_[d][next_[d]].start < cursor_) ++next_[d];
      if (next_[d] < slots_[d].size() && (!earliest || slots_[d][next_[d]].start < *earliest)) {
        earliest = slots_[d][next_[d]].start;
      }
    }
    if (!earliest) return std::nullopt;
    if (!started_ || *earliest - cursor_ > kMaxIdle) cursor_ = *earliest;
    started_ = true;
    for (size_t k = 0; k < weights_.size(); ++k) {
      const size_t d = type_duration_[k];
      const bool near = next_[d] < slots_[d].size() && slots_[d][next_[d]].start - cursor_ <= kMaxIdle;
      weights_[k] = near ? base_weights_[k] : 0.0;
    }
    const size_t k = rng.Weighted(weights_);
    const CandidateSlot& slot = slots_[type_duration_[k]][next_[type_duration_[k]]];
    cursor_ = slot.end;
    return std::pair(k, slot);
  }

 private:
  static constexpr std::chrono::milliseconds kMaxIdle{kMaxIdleBeforeSlot};

  std::span<const size_t> type_duration_;
  std::span<const double> base_weights_;
  std::vector<double> weights_;
  std::vector<std::vector<CandidateSlot>> slots_;
  std::vector<size_t> next_;
  TimePoint cursor_{};
  bool started_ = false;
};

void AppendHistory(db::RowBuffer& rows, int64_t appointment_id, std::string_view status, int64_t at, std::string_view by,
                   std::string_view note) {
  rows.Int(appointment_id).Text(status).Int(at).Text(by).Text(note);
}

}  // namespace

struct VisitPlanner::ProviderPlan {
  const DemoProvider* provider;
  std::vector<int> durations;         // distinct durations of the provider's types
  std::vector<size_t> type_duration;  // by position in provider->types: index into durations
  std::vector<double> weights;        // by position in provider->types
};

struct VisitPlanner::DayContext {
  int offset;
  ZoneDayCache zones;
  Rng rng;
  VisitRows& out;
  int64_t provider_free_ms = 0;  // when the provider's current patient is done
  int64_t overbook_free_ms = 0;  // seat 1 is free from here on
  double wait_factor = 1;
};

struct VisitPlanner::Booking {
  const DemoProvider* provider;
  size_t site;
  const VisitType* type;
  int64_t start_ms;
  int64_t end_ms;
  std::optional<int64_t> room_id;
  int seat;
  int64_t patient_id;
  int64_t booked_ms;
  std::string booked_by;
};

struct VisitPlanner::EncounterSubject {
  int64_t patient_id;
  std::optional<int64_t> appointment_id;
  size_t site;
  const DemoProvider* provider;    // nullptr: nobody assigned
  std::optional<int64_t> room_id;  // empty: a room is found at rooming
};

VisitPlanner::VisitPlanner(const Clinic& clinic, const AvailabilityIndex& index, const PatientRoster& roster,
                           TimePoint now, int future_days, int64_t first_appointment_id, int64_t first_encounter_id,
                           Rng rng)
    : clinic_(clinic),
      index_(index),
      roster_(roster),
      now_ms_(ToMillis(now)),
      future_days_(future_days),
      working_(clinic.locations.size()),
      closed_days_(clinic.locations.size()),
      rng_(rng),
      first_appointment_id_(first_appointment_id),
      next_appointment_id_(first_appointment_id),
      first_encounter_id_(first_encounter_id),
      next_encounter_id_(first_encounter_id) {
  for (size_t l = 0; l < clinic.locations.size(); ++l) {
    today_.push_back(InstantToLocal(now, clinic.locations[l].time_zone).date);
    site_of_location_.emplace(clinic.locations[l].id, l);
  }
  std::unordered_map<int64_t, size_t> provider_index;
  for (const DemoProvider& p : clinic.providers) {
    provider_index.emplace(p.provider.id, plans_.size());
    ProviderPlan& plan = plans_.emplace_back(ProviderPlan{&p, {}, {}, {}});
    for (size_t t : p.types) {
      const VisitType& type = clinic.types[t];
      auto at = std::find(plan.durations.begin(), plan.durations.end(), type.type.duration_minutes);
      plan.type_duration.push_back(static_cast<size_t>(at - plan.durations.begin()));
      if (at == plan.durations.end()) plan.durations.push_back(type.type.duration_minutes);
      plan.weights.push_back(type.weight);
    }
  }
  for (const AvailabilityTemplate& t : clinic.templates) {
    std::vector<size_t>& list = working_[site_of_location_.at(t.location_id)][static_cast<size_t>(t.weekday)];
    const size_t p = provider_index.at(t.provider_id);
    if (std::find(list.begin(), list.end(), p) == list.end()) list.push_back(p);
  }
  for (const ScheduleException& e : clinic.exceptions) {
    if (e.provider_id || !e.location_id || e.start_minute) continue;
    for (int64_t d = e.start_date.DaysSinceEpoch(); d <= e.end_date.DaysSinceEpoch(); ++d) {
      closed_days_[site_of_location_.at(*e.location_id)].push_back(d);
    }
  }
}

VisitPlanner::~VisitPlanner() = default;

double VisitPlanner::FillRate(int offset) const {
  if (offset < 0) return kPastFill;
  if (offset == 0) return kTodayFill;
  const double ahead = static_cast<double>(offset - 1) / std::max(1, future_days_ - 1);
  return kNextDayFill + (kLastDayFill - kNextDayFill) * std::min(1.0, ahead);
}

void VisitPlanner::PlanDay(int offset, VisitRows& out) {
  DayContext day{offset, ZoneDayCache(index_.zone_names()), rng_.Fork(static_cast<uint64_t>(kDayStreams + offset)),
                 out};
  for (const ProviderPlan& plan : plans_) {
    for (int64_t location_id : plan.provider->provider.location_ids) {
      const size_t site = site_of_location_.at(location_id);
      PlanProviderDay(plan, site, today_[site].AddDays(offset), day);
    }
  }
  for (size_t site = 0; site < clinic_.locations.size(); ++site) PlanWalkIns(site, today_[site].AddDays(offset), day);
}

void VisitPlanner::PlanProviderDay(const ProviderPlan& plan, size_t site, const CivilDate& date, DayContext& day) {
  const Location& location = clinic_.locations[site];
  const int zone = index_.ZoneOf(location.id);
  const std::optional<TimePoint> from = day.zones.Day(zone, date).At(0);
  const std::optional<TimePoint> to = day.zones.Day(zone, date.AddDays(1)).At(0);
  if (!from || !to) return;
  std::vector<std::vector<CandidateSlot>> slots(plan.durations.size());
  bool any = false;
  for (size_t d = 0; d < plan.durations.size(); ++d) {
    index_.AppendSlots(plan.provider->provider.id, plan.durations[d], location.id, *from, *to, day.zones, slots[d]);
    any = any || !slots[d].empty();
  }
  if (!any) return;
  day.provider_free_ms = 0;
  day.overbook_free_ms = 0;
  day.wait_factor = plan.provider->wait_factor * clinic_.sites[site]->wait_factor * WeekdayWaitFactor(date.Weekday());
  const double fill = FillRate(day.offset);
  DayPacker packer(plan.type_duration, plan.weights, std::move(slots));
  while (const auto next = packer.Next(day.rng)) {
    const auto& [k, slot] = *next;
    if (!day.rng.Chance(fill)) continue;  // left open
    const VisitType& type = clinic_.types[plan.provider->types[k]];
    BookSlot(plan, site, type, slot, 0, day);
    if (plan.provider->provider.max_overbook > 0 && ToMillis(slot.start) >= day.overbook_free_ms &&
        day.rng.Chance(kOverbookShare)) {
      BookSlot(plan, site, type, slot, 1, day);
      day.overbook_free_ms = ToMillis(slot.end);
    }
  }
}

void VisitPlanner::BookSlot(const ProviderPlan& plan, size_t site, const VisitType& type, const CandidateSlot& slot,
                            int seat, DayContext& day) {
  Rng& rng = day.rng;
  const bool telehealth = type.type.modality == kModalityTelehealth;
  Booking b{.provider = plan.provider,
            .site = site,
            .type = &type,
            .start_ms = ToMillis(slot.start),
            .end_ms = ToMillis(slot.end),
            .room_id = slot.room_id,
            .seat = seat,
            .patient_id = 0,
            .booked_ms = 0,
            .booked_by = {}};
  b.booked_ms = BookedAt(b.start_ms, now_ms_, rng);
  const uint8_t audience = plan.provider->audience & type.audience;
  std::optional<int64_t> patient = roster_.Pick(site, audience, b.booked_ms, rng);
  if (!patient) return;
  b.patient_id = *patient;
  b.booked_by = Booker(site, telehealth, rng);
  const bool past = b.start_ms < now_ms_;
  if (seat == 0 && rng.Chance(past ? kPastCancelShare : kFutureCancelShare)) {
    const int64_t cancelled_at = CancelledAt(b.booked_ms, b.start_ms, now_ms_, rng);
    EmitCancelled(b, cancelled_at, day);
    // Often someone else takes the freed slot.
    const int64_t rebook_until = std::min(b.start_ms - 30 * kMinute, now_ms_ - kMinute);
    if (!rng.Chance(kRebookedShare) || rebook_until <= cancelled_at + kMinute) return;
    b.booked_ms = rng.Between(cancelled_at + kMinute, rebook_until);
    patient = roster_.Pick(site, audience, b.booked_ms, rng);
    if (!patient) return;
    b.patient_id = *patient;
    b.booked_by = Booker(site, telehealth, rng);
  }
  EmitHolding(b, day);
}

namespace {

std::string_view PickNote(Rng& rng) { return rng.Chance(kNoteShare) ? rng.Pick(kNotes) : std::string_view(); }

}  // namespace

void VisitPlanner::EmitCancelled(const Booking& b, int64_t cancelled_at, DayContext& day) {
  const int64_t id = next_appointment_id_++;
  const std::string_view reason = day.rng.Pick(kCancelReasons);
  const std::string by = Canceller(b.site, day.rng);
  const std::string token = b.type->type.modality == kModalityTelehealth ? JoinToken(day.rng) : std::string();
  day.out.appointments.Int(id)
      .Int(b.patient_id)
      .Int(b.type->type.id)
      .Int(b.provider->provider.id)
      .Int(clinic_.locations[b.site].id)
      .OptInt(b.room_id)
      .Int(b.start_ms)
      .Int(b.end_ms)
      .Text(kStatusCancelled)
      .Text(reason)
      .Text(PickNote(day.rng))
      .Int(0)
      .Text(token)
      .Int(b.booked_ms)
      .Int(cancelled_at);
  AppendHistory(day.out.history, id, kStatusBooked, b.booked_ms, b.booked_by, "");
  AppendHistory(day.out.history, id, kStatusCancelled, cancelled_at, by, reason);
}

void VisitPlanner::EmitHolding(const Booking& b, DayContext& day) {
  Rng& rng = day.rng;
  const int64_t id = next_appointment_id_++;
  const bool telehealth = b.type->type.modality == kModalityTelehealth;
  std::string_view status = kStatusBooked;
  int64_t updated = b.booked_ms;
  AppendHistory(day.out.history, id, kStatusBooked, b.booked_ms, b.booked_by, b.seat > 0 ? kOverbookedNote : "");
  if (b.start_ms < now_ms_) {
    if (rng.Chance(kNoShowShare)) {
      const int64_t marked = b.start_ms + rng.Between(15, 45) * kMinute;
      if (marked <= now_ms_) {
        status = kStatusNoShow;
        updated = marked;
        AppendHistory(day.out.history, id, kStatusNoShow, marked, FrontDesk(b.site, rng), "");
      }
    } else {
      const VisitShape shape{b.start_ms, b.type->type.duration_minutes, day.wait_factor, telehealth, false};
      const FlowTimes flow = SimulateVisit(shape, day.provider_free_ms, rng);
      const EncounterSubject subject{b.patient_id, id, b.site, b.provider, b.room_id};
      if (EmitEncounter(subject, flow, day)) {
        status = kStatusCheckedIn;
        updated = flow.arrived;
        AppendHistory(day.out.history, id, kStatusCheckedIn, flow.arrived, FrontDesk(b.site, rng), "");
        if (flow.completed != 0 && flow.completed <= now_ms_) {
          status = kStatusCompleted;
          updated = flow.completed;
          AppendHistory(day.out.history, id, kStatusCompleted, flow.completed, FrontDesk(b.site, rng), "");
        } else if (flow.left != 0 && flow.left <= now_ms_) {
          updated = flow.left;  // the appointment stays checked in, as the flow service leaves it
          AppendHistory(day.out.history, id, kLeftUnseenStatus, flow.left, FrontDesk(b.site, rng), "");
        }
      }
    }
  }
  day.out.appointments.Int(id)
      .Int(b.patient_id)
      .Int(b.type->type.id)
      .Int(b.provider->provider.id)
      .Int(clinic_.locations[b.site].id)
      .OptInt(b.room_id)
      .Int(b.start_ms)
      .Int(b.end_ms)
      .Text(status)
      .Text("")
      .Text(PickNote(rng))
      .Int(b.seat > 0 ? 1 : 0)
      .Text(telehealth ? JoinToken(rng) : std::string())
      .Int(b.booked_ms)
      .Int(updated);
  for (TimePoint unit : ClaimUnits(FromMillis(b.start_ms), FromMillis(b.end_ms))) {
    day.out.claims.Int(b.provider->provider.id).Int(ToMillis(unit)).Int(b.seat).Int(id);
  }
}

bool VisitPlanner::EmitEncounter(const EncounterSubject& s, const FlowTimes& flow, DayContext& day) {
  struct Step {
    std::string_view state;
    int64_t at;
  };
  std::vector<Step> steps;
  const auto take = [&](std::string_view state, int64_t at) {
    if (at != 0 && at <= now_ms_) steps.push_back({state, at});
  };
  take(kArrived, flow.arrived);
  if (steps.empty()) return false;
  take(kRoomed, flow.roomed);
  take(kWithProvider, flow.with_provider);
  take(kCheckout, flow.checkout);
  take(kCompleted, flow.completed);
  take(kLeftWithoutBeingSeen, flow.left);
  Rng& rng = day.rng;
  const int64_t id = next_encounter_id_++;
  const Step& last = steps.back();
  const bool ended = IsTerminalState(last.state);
  const bool roomed = flow.roomed != 0 && flow.roomed <= now_ms_;
  std::optional<int64_t> room = s.room_id;
  if (!room && roomed) room = clinic_.rooms[rng.Pick(clinic_.location_rooms[s.site])].id;
  db::RowBuffer& e = day.out.encounters;
  e.Int(id).Int(s.patient_id).OptInt(s.appointment_id).Int(clinic_.locations[s.site].id);
  e.OptInt(s.provider ? std::optional<int64_t>(s.provider->provider.id) : std::nullopt);
  e.OptInt(room).Text(last.state).Int(last.at).Int(flow.arrived);
  e.OptInt(ended ? std::optional<int64_t>(last.at) : std::nullopt);
  e.Int(s.appointment_id ? 0 : 1).Int(static_cast<int64_t>(steps.size()));
  // The first time with a provider, as the transition triggers would set it (migration 0011).
  std::optional<int64_t> seen;
  for (const Step& step : steps) {
    if (step.state == kWithProvider) seen = step.at;
  }
  e.OptInt(seen);
  std::string_view from;
  for (const Step& step : steps) {
    std::string by;
    if (step.state == kRoomed) {
      by = MedicalAssistant(s.site, rng);
    } else if ((step.state == kWithProvider || step.state == kCheckout) && s.provider != nullptr) {
      by = s.provider->username;
    } else {
      by = FrontDesk(s.site, rng);
    }
    day.out.transitions.Int(id).Text(from).Text(step.state).Int(step.at).Text(by);
    from = step.state;
  }
  return true;
}

void VisitPlanner::PlanWalkIns(size_t site, const CivilDate& date, DayContext& day) {
  if (day.offset > 0) return;  // nobody has walked in on a day still to come
  const std::vector<size_t>& working = working_[site][static_cast<size_t>(date.Weekday())];
  const std::vector<int64_t>& closed = closed_days_[site];
  if (working.empty() || std::find(closed.begin(), closed.end(), date.DaysSinceEpoch()) != closed.end()) return;
  Rng& rng = day.rng;
  const Site& where = *clinic_.sites[site];
  const int64_t count = where.urgent_care ? rng.Between(14, 26) : (rng.Chance(0.45) ? rng.Between(1, 3) : 0);
  std::vector<int> minutes;
  for (int64_t i = 0; i < count; ++i) minutes.push_back(WalkInMinute(where.urgent_care, rng));
  std::sort(minutes.begin(), minutes.end());
  for (int minute : minutes) {
    const std::optional<TimePoint> at = LocalToInstant(date, minute, clinic_.locations[site].time_zone);
    if (!at) continue;
    const int64_t arrival = ToMillis(*at) + static_cast<int64_t>(rng.Below(60)) * kSecond;
    if (arrival > now_ms_) break;
    const std::optional<int64_t> patient = roster_.Pick(site, kEveryone, arrival, rng);
    if (!patient) continue;
    const DemoProvider& provider = *plans_[rng.Pick(working)].provider;
    int64_t squeezed_in = 0;  // walk-ins are fitted between booked patients
    const VisitShape shape{arrival, 20, clinic_.sites[site]->wait_factor * WeekdayWaitFactor(date.Weekday()) * 1.2,
                           false, true};
    const FlowTimes flow = SimulateVisit(shape, squeezed_in, rng);
    EmitEncounter(EncounterSubject{*patient, std::nullopt, site, &provider, std::nullopt}, flow, day);
  }
}

}  // namespace caredesk::demo
