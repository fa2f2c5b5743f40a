#include "domain/surveys/group_by.h"

#include <map>
#include <utility>

#include "core/civil_time.h"

namespace caredesk::surveys {
namespace {

constexpr size_t kIsoDateLength = 10;  // "YYYY-MM-DD"

std::string TwoDigits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string_view UnitName(PeriodUnit unit) {
  switch (unit) {
    case PeriodUnit::kDay:
      return "day";
    case PeriodUnit::kWeek:
      return "week";
    case PeriodUnit::kMonth:
      return "month";
    case PeriodUnit::kQuarter:
      return "quarter";
    case PeriodUnit::kYear:
      return "year";
  }
  return "period";
}

// ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday.
std::string IsoWeekLabel(const CivilDate& date) {
  const int iso_weekday = (date.Weekday() + 6) % 7 + 1;  // Monday 1 … Sunday 7
  const CivilDate thursday = date.AddDays(4 - iso_weekday);
  const CivilDate new_year{thursday.year, 1, 1};
  const int64_t week = (thursday.DaysSinceEpoch() - new_year.DaysSinceEpoch()) / 7 + 1;
  return std::to_string(thursday.year) + "-W" + TwoDigits(static_cast<int>(week));
}

}  // namespace

GroupKey GroupKey::Field(std::string field) { return GroupKey(std::move(field), std::nullopt); }

GroupKey GroupKey::Period(std::string date_field, PeriodUnit unit) { return GroupKey(std::move(date_field), unit); }

std::string GroupKey::Name() const {
  if (!unit_) return field_;
  return std::string(UnitName(*unit_)) + "(" + field_ + ")";
}

std::string GroupKey::ValueOf(const Metadata& metadata) const {
  const auto it = metadata.find(field_);
  if (it == metadata.end()) return {};
  if (!unit_) return it->second;
  const std::string_view text = std::string_view(it->second).substr(0, kIsoDateLength);
  Result<CivilDate> date = ParseCivilDate(text, field_);
  if (!date.ok()) return {};
  return PeriodLabel(*date, *unit_);
}

std::string PeriodLabel(const CivilDate& date, PeriodUnit unit) {
  switch (unit) {
    case PeriodUnit::kDay:
      return date.ToString();
    case PeriodUnit::kWeek:
      return IsoWeekLabel(date);
    case PeriodUnit::kMonth:
      return std::to_string(date.year) + "-" + TwoDigits(date.month);
    case PeriodUnit::kQuarter:
      return std::to_string(date.year) + "-Q" + std::to_string((date.month - 1) / 3 + 1);
    case PeriodUnit::kYear:
      return std::to_string(date.year);
  }
  return {};
}

std::vector<Group> GroupBy(size_t count, const std::function<const Metadata&(size_t)>& metadata_of,
                           std::span<const GroupKey> keys) {
  std::map<std::vector<std::string>, std::vector<size_t>> groups;
  for (size_t i = 0; i < count; ++i) {
    const Metadata& metadata = metadata_of(i);
    std::vector<std::string> key;
    key.reserve(keys.size());
    for (const GroupKey& k : keys) key.push_back(k.ValueOf(metadata));
    groups[std::move(key)].push_back(i);
  }
  std::vector<Group> out;
  out.reserve(groups.size());
  for (auto& [key, members] : groups) out.push_back(Group{key, std::move(members)});
  return out;
}

}  // namespace caredesk::surveys
