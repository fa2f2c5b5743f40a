// Grouping of records by their metadata: responses by department, provider, location or
// period; invitations the same way, so that response rates line up with scores.
//
// A GroupKey reads one dimension from a record's Metadata: a field as it is ("department"), or
// the period of a date field ("date" → "2025-03" by month, "2025-Q1" by quarter, "2025-W10" by
// ISO 8601 week). A record lacking the field, or whose date does not parse, falls in the group
// whose value is "" for that key, so no record is silently dropped.
//
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/civil_time.h"
#include "domain/surveys/survey_response.h"

namespace caredesk::surveys {

enum class PeriodUnit { kDay, kWeek, kMonth, kQuarter, kYear };

class GroupKey {
 public:
  // The field's value as it is.
  static GroupKey Field(std::string field);
  // The period containing the ISO date at the start of `date_field` ("2025-03-09" or
  // "2025-03-09T10:00:00Z"): "2025-03-09", "2025-W10", "2025-03", "2025-Q1" or "2025".
  static GroupKey Period(std::string date_field, PeriodUnit unit);

  // "department", or for a period "month(date)".
  std::string Name() const;
  // This key's value for a record; "" when missing or unparseable.
  std::string ValueOf(const Metadata& metadata) const;

 private:
  GroupKey(std::string field, std::optional<PeriodUnit> unit) : field_(std::move(field)), unit_(unit) {}

  std::string field_;
  std::optional<PeriodUnit> unit_;
};

// The period label of a date, as GroupKey::Period writes it.
std::string PeriodLabel(const CivilDate& date, PeriodUnit unit);

struct Group {
  std::vector<std::string> key;  // one value per GroupKey, in the keys' order
  std::vector<size_t> members;   // positions of the records, ascending
};

// Groups `count` records whose metadata `metadata_of(i)` returns. Groups come sorted by key.
// With no keys, every record is in one group (whose key is empty) — unless there are none.
std::vector<Group> GroupBy(size_t count, const std::function<const Metadata&(size_t)>& metadata_of,
                           std::span<const GroupKey> keys);

// GroupBy over any records with a `metadata` member (SurveyResponse, Invitation).
template <class Record>
std::vector<Group> GroupRecords(std::span<const Record> records, std::span<const GroupKey> keys) {
  return GroupBy(
      records.size(), [&records](size_t i) -> const Metadata& { return records[i].metadata; }, keys);
}

}  // namespace caredesk::surveys
