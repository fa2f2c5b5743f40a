#include "domain/hl7v2/hl7v2_writing.h"

#include <chrono>
#include <cstdlib>

namespace caredesk::hl7v2::writing {
namespace {

void AppendPadded(std::string& out, long long value, size_t width) {
  const std::string digits = std::to_string(value);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

void AppendDate(std::string& out, const CivilDate& date) {
  AppendPadded(out, date.year, 4);
  AppendPadded(out, date.month, 2);
  AppendPadded(out, date.day, 2);
}

}  // namespace

std::string Esc(std::string_view text) { return Escape(text, kDelimiters); }

std::string Join(std::initializer_list<std::string_view> parts, char sep) {
  size_t kept = parts.size();
  while (kept > 0 && parts.begin()[kept - 1].empty()) --kept;
  std::string out;
  for (size_t i = 0; i < kept; ++i) {
    if (i > 0) out += sep;
    out += parts.begin()[i];
  }
  return out;
}

std::string Hd(const HierarchicDesignator& hd) {
  return Components({Esc(hd.namespace_id), Esc(hd.universal_id), Esc(hd.universal_id_type)});
}

namespace {
template <typename Fields>
void AppendFields(std::string& out, std::string_view id, const Fields& fields) {
  size_t kept = fields.size();
  while (kept > 0 && fields.begin()[kept - 1].empty()) --kept;
  out += id;
  for (size_t i = 0; i < kept; ++i) {
    out += kDelimiters.field;
    out += fields.begin()[i];
  }
  out += '\r';
}
}  // namespace

void AppendSegment(std::string& out, std::string_view id, std::initializer_list<std::string_view> fields) {
  AppendFields(out, id, fields);
}

void AppendSegment(std::string& out, std::string_view id, std::span<const std::string> fields) {
  AppendFields(out, id, fields);
}

std::string DtmUtc(TimePoint t) {
  using namespace std::chrono;
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss time(floor<seconds>(t - day));
  std::string out;
  AppendDate(out, CivilDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                            static_cast<int>(static_cast<unsigned>(ymd.day()))});
  AppendPadded(out, time.hours().count(), 2);
  AppendPadded(out, time.minutes().count(), 2);
  AppendPadded(out, time.seconds().count(), 2);
  out += "+0000";
  return out;
}

std::string DtmIn(TimePoint t, std::string_view tz) {
  const LocalTime local = InstantToLocal(t, tz);
  const long long seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  const long long second_of_minute = ((seconds % 60) + 60) % 60;
  std::string out;
  AppendDate(out, local.date);
  AppendPadded(out, local.minutes_of_day / 60, 2);
  AppendPadded(out, local.minutes_of_day % 60, 2);
  AppendPadded(out, second_of_minute, 2);
  const int offset = local.utc_offset_minutes;
  out += offset < 0 ? '-' : '+';
  AppendPadded(out, std::abs(offset) / 60, 2);
  AppendPadded(out, std::abs(offset) % 60, 2);
  return out;
}

std::string Dt(const CivilDate& date) {
  std::string out;
  AppendDate(out, date);
  return out;
}

}  // namespace caredesk::hl7v2::writing
