#include "core/civil_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>

namespace caredesk {
namespace {

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

const date::time_zone* FindZone(std::string_view tz) {
  // A thread asks for the same zone many times in a row (every slot of a
  // search result is formatted in its location's zone); locate_zone is a
  // binary search over some 600 names. Zones are never unloaded, so the
  // pointer stays valid.
  thread_local std::string last_name;
  thread_local const date::time_zone* last_zone = nullptr;
  if (last_zone != nullptr && tz == last_name) return last_zone;
  try {
    const date::time_zone* zone = date::locate_zone(tz);
    last_name.assign(tz);
    last_zone = zone;
    return zone;
  } catch (const std::exception&) {
    return nullptr;
  }
}

// Writes `value` (0..99) as two digits.
char* TwoDigits(char* out, int value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

// Writes "YYYY-MM-DDTHH:MM:SS" (years 0..9999) and returns the end.
char* DateTime(char* out, const CivilDate& date, int64_t seconds_of_day) {
  const int year = std::clamp(date.year, 0, 9999);
  out = TwoDigits(out, year / 100);
  out = TwoDigits(out, year % 100);
  *out++ = '-';
  out = TwoDigits(out, date.month);
  *out++ = '-';
  out = TwoDigits(out, date.day);
  *out++ = 'T';
  out = TwoDigits(out, static_cast<int>(seconds_of_day / 3600));
  *out++ = ':';
  out = TwoDigits(out, static_cast<int>(seconds_of_day / 60 % 60));
  *out++ = ':';
  return TwoDigits(out, static_cast<int>(seconds_of_day % 60));
}

}  // namespace

int64_t CivilDate::DaysSinceEpoch() const {
  return date::sys_days(date::year{year} / month / day).time_since_epoch().count();
}

CivilDate CivilDate::FromDaysSinceEpoch(int64_t days) {
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string CivilDate::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

Result<CivilDate> ParseCivilDate(std::string_view text, std::string_view field) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseInt(text.substr(0, 4), y) ||
      !ParseInt(text.substr(5, 2), m) || !ParseInt(text.substr(8, 2), d)) {
    return Error::Invalid(std::string(field), "expected a date as YYYY-MM-DD", "invalid_date");
  }
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1800) {
    return Error::Invalid(std::string(field), std::string(text) + " is not a real calendar date",
                          "invalid_date");
  }
  return CivilDate{y, m, d};
}

bool IsValidTimeZone(std::string_view tz) { return FindZone(tz) != nullptr; }

std::optional<TimePoint> LocalToInstant(const CivilDate& d, int minutes_of_day, std::string_view tz) {
  const date::time_zone* zone = FindZone(tz);
  if (zone == nullptr) return std::nullopt;
  auto local = date::local_days{date::year{d.year} / d.month / d.day} + std::chrono::minutes(minutes_of_day);
  auto info = zone->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous: {
      // For an ambiguous wall time the first (earlier) offset applies.
      auto sys = date::sys_time<std::chrono::minutes>(local.time_since_epoch()) - info.first.offset;
      return std::chrono::time_point_cast<std::chrono::milliseconds>(sys);
    }
    case date::local_info::nonexistent:
    default:
      return std::nullopt;
  }
}

LocalTime InstantToLocal(TimePoint t, std::string_view tz) {
  const date::time_zone* zone = FindZone(tz);
  if (zone == nullptr) zone = date::locate_zone("UTC");
  auto info = zone->get_info(t);
  auto local = t + info.offset;
  auto day = date::floor<date::days>(local);
  auto mins = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  LocalTime out;
  out.date = CivilDate::FromDaysSinceEpoch(day.time_since_epoch().count());
  out.minutes_of_day = static_cast<int>(mins);
  out.utc_offset_minutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
  return out;
}

Result<TimePoint> ParseInstant(std::string_view text, std::string_view tz, std::string_view field) {
  auto bad = [&](std::string msg) {
    return Error::Invalid(std::string(field), std::move(msg), "invalid_datetime");
  };
  // YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM]
  if (text.size() < 16 || (text[10] != 'T' && text[10] != ' ')) {
    return bad("expected an ISO 8601 date-time such as 2025-03-10T09:30:00-04:00");
  }
  auto date_or = ParseCivilDate(text.substr(0, 10), field);
  if (!date_or.ok()) return std::move(date_or).error();
  int hh = 0, mm = 0, ss = 0;
  if (text[13] != ':' || !ParseInt(text.substr(11, 2), hh) || !ParseInt(text.substr(14, 2), mm) || hh > 23 ||
      mm > 59) {
    return bad("invalid time of day in " + std::string(text));
  }
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (pos + 3 > text.size() || !ParseInt(text.substr(pos + 1, 2), ss) || ss > 59) {
      return bad("invalid seconds in " + std::string(text));
    }
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    }
  }
  std::string_view rest = text.substr(pos);
  int minutes = hh * 60 + mm;
  if (rest.empty()) {
    if (tz.empty()) return bad("a UTC offset is required, for example 2025-03-10T09:30:00-04:00");
    auto t = LocalToInstant(*date_or, minutes, tz);
    if (!t) {
      return Error::Unprocessable(std::string(field),
                                  std::string(text) + " does not exist in " + std::string(tz) +
                                      " (it falls in a daylight-saving gap)",
                                  "nonexistent_local_time");
    }
    return *t + std::chrono::seconds(ss);
  }
  int offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if ((rest[0] == '+' || rest[0] == '-') && rest.size() == 6 && rest[3] == ':') {
    int oh = 0, om = 0;
    if (!ParseInt(rest.substr(1, 2), oh) || !ParseInt(rest.substr(4, 2), om) || oh > 18 || om > 59) {
      return bad("invalid UTC offset in " + std::string(text));
    }
    offset = (oh * 60 + om) * (rest[0] == '-' ? -1 : 1);
  } else {
    return bad("invalid UTC offset in " + std::string(text));
  }
  int64_t ms = (date_or->DaysSinceEpoch() * 86400 + int64_t{minutes - offset} * 60 + ss) * 1000;
  return FromMillis(ms);
}

// Formatted by hand rather than with snprintf: a slot search answers with 40
// of these, and snprintf was a twentieth of the server's time under that load.
std::string FormatInstant(TimePoint t, std::string_view tz) {
  LocalTime lt = InstantToLocal(t, tz);
  int64_t secs = (ToMillis(t) / 1000) % 60;
  if (secs < 0) secs += 60;
  int off = lt.utc_offset_minutes;
  char buf[32];
  char* end = DateTime(buf, lt.date, int64_t{lt.minutes_of_day} * 60 + secs);
  *end++ = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  end = TwoDigits(end, off / 60);
  *end++ = ':';
  end = TwoDigits(end, off % 60);
  return std::string(buf, end);
}

std::string FormatInstantUtc(TimePoint t) {
  int64_t ms = ToMillis(t);
  int64_t days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
  int64_t rem = (ms - days * 86400000) / 1000;
  char buf[32];
  char* end = DateTime(buf, CivilDate::FromDaysSinceEpoch(days), rem);
  *end++ = 'Z';
  return std::string(buf, end);
}

std::string FormatHttpDate(TimePoint t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t ms = ToMillis(t);
  int64_t days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
  int64_t rem = (ms - days * 86400000) / 1000;
  const CivilDate d = CivilDate::FromDaysSinceEpoch(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[d.Weekday()], d.day, kMonths[d.month - 1],
                d.year, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return buf;
}

}  // namespace caredesk
