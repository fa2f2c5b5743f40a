#include "demo/demo_calendar.h"

#include <array>
#include <string>
#include <vector>

namespace caredesk::demo {
namespace {

constexpr int kSunday = 0;
constexpr int kMonday = 1;
constexpr int kTuesday = 2;
constexpr int kWednesday = 3;
constexpr int kThursday = 4;
constexpr int kFriday = 5;
constexpr int kSaturday = 6;
constexpr int kDaysPerWeek = 7;

constexpr int Hours(int h, int m = 0) { return h * 60 + m; }

constexpr int kOfficeStarts[] = {Hours(7, 30), Hours(8), Hours(8), Hours(8, 30), Hours(9)};
constexpr int kTherapyStarts[] = {Hours(7), Hours(7, 30), Hours(8)};
constexpr int kCounsellingStarts[] = {Hours(9), Hours(9), Hours(10)};
constexpr int kEveningEnd = Hours(19);
constexpr int kSaturdayStart = Hours(9);
constexpr int kSaturdayEnd = Hours(13);
// Urgent care is open around the clock: day, evening and night shifts (the
// night shift runs past midnight into the next weekday).
constexpr std::array<std::pair<int, int>, 3> kUrgentShifts = {
    {{Hours(7), Hours(15)}, {Hours(15), Hours(23)}, {Hours(23), Hours(7)}}};
constexpr int kUrgentDaysPerWeek = 5;

constexpr std::string_view kLeaveReasons[] = {"Vacation",      "Vacation",     "CME conference",
                                              "Medical leave", "Family leave", "Jury duty"};

class TemplatePlanner {
 public:
  TemplatePlanner(Clinic& clinic, Rng& rng) : clinic_(clinic), rng_(rng), next_room_(clinic.locations.size()) {}

  void Plan() {
    int urgent_providers = 0;
    for (const DemoProvider& p : clinic_.providers) urgent_providers += p.specialty == Specialty::kUrgentCare ? 1 : 0;
    int urgent_ordinal = 0;
    for (size_t p = 0; p < clinic_.providers.size(); ++p) {
      if (clinic_.providers[p].specialty == Specialty::kUrgentCare) {
        PlanUrgentCareWeek(p, urgent_ordinal++, urgent_providers);
      } else {
        PlanOfficeWeek(p);
      }
    }
  }

 private:
  // A room at the location for the provider's templates, taken in turn.
  int64_t NextRoom(size_t location) {
    const std::vector<size_t>& rooms = clinic_.location_rooms[location];
    return static_cast<int64_t>(rooms[next_room_[location]++ % rooms.size()]);
  }

  void Add(size_t provider, size_t location, int64_t room, int weekday, int start, int end) {
    AvailabilityTemplate t;
    t.id = static_cast<int64_t>(clinic_.templates.size());
    t.provider_id = clinic_.providers[provider].provider.id;
    t.location_id = static_cast<int64_t>(location);
    t.room_id = room;
    t.weekday = weekday;
    t.start_minute = start;
    t.end_minute = end;
    clinic_.templates.push_back(t);
  }

  // Monday to Friday, less one or two days off for part-timers.
  std::vector<int> OfficeDays() {
    std::vector<int> days = {kMonday, kTuesday, kWednesday, kThursday, kFriday};
    const double draw = rng_.Unit();
    const int days_off = draw < 0.6 ? 0 : draw < 0.9 ? 1 : 2;
    for (int i = 0; i < days_off; ++i) days.erase(days.begin() + static_cast<std::ptrdiff_t>(rng_.Below(days.size())));
    return days;
  }

  int FirstHour(Specialty specialty) {
    if (specialty == Specialty::kPhysicalTherapy) return rng_.Pick(kTherapyStarts);
    if (specialty == Specialty::kBehavioralHealth) return rng_.Pick(kCounsellingStarts);
    return rng_.Pick(kOfficeStarts);
  }

  // Four-hour morning and afternoon sessions around a lunch gap; one evening
  // a week for some; days alternate between a provider's two sites.
  void PlanOfficeWeek(size_t p) {
    const DemoProvider& provider = clinic_.providers[p];
    const int start = FirstHour(provider.specialty);
    const int morning_end = start + Hours(4);
    const int afternoon_start = morning_end + (rng_.Chance(0.8) ? 60 : 30);
    const int afternoon_end = afternoon_start + (rng_.Chance(0.8) ? Hours(4) : Hours(3));
    const int evening_day = rng_.Chance(0.15) ? (rng_.Chance(0.5) ? kTuesday : kThursday) : -1;
    const std::vector<int64_t>& sites = provider.provider.location_ids;
    std::vector<int64_t> rooms;
    for (int64_t site : sites) rooms.push_back(NextRoom(static_cast<size_t>(site)));
    const std::vector<int> days = OfficeDays();
    for (size_t i = 0; i < days.size(); ++i) {
      const size_t which = i % sites.size();
      const auto site = static_cast<size_t>(sites[which]);
      Add(p, site, rooms[which], days[i], start, morning_end);
      Add(p, site, rooms[which], days[i], afternoon_start,
          days[i] == evening_day ? std::max(afternoon_end, kEveningEnd) : afternoon_end);
    }
    const bool saturday_clinic = provider.specialty == Specialty::kFamilyMedicine ||
                                 provider.specialty == Specialty::kPediatrics ||
                                 provider.specialty == Specialty::kNursePractitioner;
    if (saturday_clinic && rng_.Chance(0.25)) {
      Add(p, static_cast<size_t>(sites[0]), rooms[0], kSaturday, kSaturdayStart, kSaturdayEnd);
    }
  }

  // Providers take the shifts in turn, five days a week staggered so that
  // every shift of every day is covered; a shift with a single provider is
  // theirs every day.
  void PlanUrgentCareWeek(size_t p, int ordinal, int urgent_providers) {
    const auto site = static_cast<size_t>(clinic_.providers[p].provider.location_ids[0]);
    const int64_t room = NextRoom(site);
    const auto shifts = static_cast<int>(kUrgentShifts.size());
    const auto [start, end] = kUrgentShifts[static_cast<size_t>(ordinal % shifts)];
    const int first_day = (ordinal / shifts * 3) % kDaysPerWeek;
    const bool alone = urgent_providers / shifts + (ordinal % shifts < urgent_providers % shifts ? 1 : 0) == 1;
    const int days = alone ? kDaysPerWeek : kUrgentDaysPerWeek;
    for (int d = 0; d < days; ++d) {
      const int weekday = (first_day + d) % kDaysPerWeek;
      if (end > start) {
        Add(p, site, room, weekday, start, end);
      } else {
        Add(p, site, room, weekday, start, kMinutesPerDay);
        Add(p, site, room, (weekday + 1) % kDaysPerWeek, 0, end);
      }
    }
  }

  Clinic& clinic_;
  Rng& rng_;
  std::vector<size_t> next_room_;
};

// ---- Holidays --------------------------------------------------------------------------------

// The n-th (1-based) `weekday` of a month; n = -1 for the last.
CivilDate NthWeekday(int year, int month, int weekday, int n) {
  if (n > 0) {
    const CivilDate first{year, month, 1};
    const int shift = (weekday - first.Weekday() + kDaysPerWeek) % kDaysPerWeek;
    return first.AddDays(shift + (n - 1) * kDaysPerWeek);
  }
  const CivilDate last = CivilDate{month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1}.AddDays(-1);
  return last.AddDays(-((last.Weekday() - weekday + kDaysPerWeek) % kDaysPerWeek));
}

// A fixed-date holiday falling on a weekend is observed on the nearest weekday.
CivilDate Observed(CivilDate date) {
  if (date.Weekday() == kSaturday) return date.AddDays(-1);
  if (date.Weekday() == kSunday) return date.AddDays(1);
  return date;
}

struct Closure {
  CivilDate date;
  std::string_view reason;
  std::optional<int> from_minute;  // empty = the whole day
};

std::vector<Closure> ClosuresOf(int year) {
  return {
      {Observed({year, 1, 1}), "New Year's Day", std::nullopt},
      {NthWeekday(year, 5, kMonday, -1), "Memorial Day", std::nullopt},
      {Observed({year, 6, 19}), "Juneteenth", std::nullopt},
      {Observed({year, 7, 4}), "Independence Day", std::nullopt},
      {NthWeekday(year, 9, kMonday, 1), "Labor Day", std::nullopt},
      {NthWeekday(year, 11, kThursday, 4), "Thanksgiving Day", std::nullopt},
      {NthWeekday(year, 11, kThursday, 4).AddDays(1), "Day after Thanksgiving", std::nullopt},
      {{year, 12, 24}, "Christmas Eve: closing at noon", Hours(12)},
      {Observed({year, 12, 25}), "Christmas Day", std::nullopt},
      {{year, 12, 31}, "New Year's Eve: closing at noon", Hours(12)},
  };
}

ScheduleException Exception(std::optional<int64_t> provider, std::optional<int64_t> location, std::string_view kind,
                            CivilDate start, CivilDate end, std::string_view reason) {
  ScheduleException e;
  e.provider_id = provider;
  e.location_id = location;
  e.kind = std::string(kind);
  e.start_date = start;
  e.end_date = end;
  e.reason = std::string(reason);
  return e;
}

void PlanLocationClosures(Clinic& clinic, CivilDate first_day, CivilDate last_day) {
  for (int year = first_day.year; year <= last_day.year; ++year) {
    for (const Closure& c : ClosuresOf(year)) {
      if (c.date < first_day || c.date > last_day) continue;
      for (size_t l = 0; l < clinic.locations.size(); ++l) {
        if (clinic.sites[l]->urgent_care) continue;  // urgent care stays open
        ScheduleException e =
            Exception(std::nullopt, static_cast<int64_t>(l), kExceptionHoliday, c.date, c.date, c.reason);
        if (c.from_minute) {
          e.start_minute = *c.from_minute;
          e.end_minute = kMinutesPerDay;
        }
        clinic.exceptions.push_back(std::move(e));
      }
    }
  }
}

bool IsClosure(const CivilDate& day) {
  for (const Closure& c : ClosuresOf(day.year)) {
    if (c.date == day) return true;
  }
  return false;
}

// An hour-long staff meeting one Wednesday morning at each office.
void PlanStaffMeetings(Clinic& clinic, CivilDate first_day, CivilDate last_day) {
  for (size_t l = 0; l < clinic.locations.size(); ++l) {
    if (clinic.sites[l]->urgent_care) continue;
    CivilDate day = first_day.AddDays(static_cast<int64_t>(20 + 9 * l));
    while (day.Weekday() != kWednesday || IsClosure(day)) day = day.AddDays(1);
    if (day > last_day) continue;
    ScheduleException e =
        Exception(std::nullopt, static_cast<int64_t>(l), kExceptionOther, day, day, "All-staff meeting");
    e.start_minute = Hours(8);
    e.end_minute = Hours(9);
    clinic.exceptions.push_back(std::move(e));
  }
}

void PlanLeave(Clinic& clinic, CivilDate first_day, CivilDate last_day, Rng& rng) {
  const int64_t span = last_day.DaysSinceEpoch() - first_day.DaysSinceEpoch() + 1;
  for (const DemoProvider& p : clinic.providers) {
    if (rng.Chance(0.18)) {
      const std::string_view reason = rng.Pick(kLeaveReasons);
      const int64_t length = reason == "Jury duty" ? rng.Between(1, 2) : rng.Between(3, 10);
      const CivilDate start = first_day.AddDays(static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span))));
      clinic.exceptions.push_back(
          Exception(p.provider.id, std::nullopt, kExceptionLeave, start, start.AddDays(length - 1), reason));
    }
    if (rng.Chance(0.1)) {
      const CivilDate day = first_day.AddDays(static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span))));
      ScheduleException e = Exception(p.provider.id, std::nullopt, kExceptionOther, day, day, "Administrative time");
      e.start_minute = Hours(13);
      e.end_minute = Hours(17);
      clinic.exceptions.push_back(std::move(e));
    }
  }
}

}  // namespace

void PlanTemplates(Clinic& clinic, Rng& rng) { TemplatePlanner(clinic, rng).Plan(); }

void PlanExceptions(Clinic& clinic, CivilDate first_day, CivilDate last_day, Rng& rng) {
  PlanLocationClosures(clinic, first_day, last_day);
  PlanStaffMeetings(clinic, first_day, last_day);
  PlanLeave(clinic, first_day, last_day, rng);
}

}  // namespace caredesk::demo
