// A survey as the builder publishes it: an id, a version, items and measures.
//
// A SurveyDefinition exists only in valid form and never changes: it is created from a draft by
// SurveyDefinition::Create, and a change is a new version made by NextVersion. Responses refer to
// the exact (survey id, version) they answered, so scores never mix wordings.
//
// A measure groups items that are reported together: a composite when it has more than one item
// (HCAHPS "Communication with Nurses" = Q1–Q3), an individual or global item otherwise. An item
// names its measure in `measure_id`; the measure lists the same items.
//
// Value types; thread-compatible (a const definition may be shared between threads).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "domain/surveys/item_kind.h"

namespace caredesk::surveys {

// The longest item or survey id accepted, in bytes.
inline constexpr size_t kMaxIdLength = 64;

// What a response names: one survey version.
struct SurveyKey {
  std::string survey_id;
  int version = 0;

  auto operator<=>(const SurveyKey&) const = default;
};

struct SurveyItem {
  std::string id;    // unique within the survey: letters, digits, '_', '-', '.'
  std::string text;  // the question as shown
  ItemKind kind = ItemKind::kFrequency;
  std::string measure_id;  // optional: the measure it reports to ("H_COMP_1")
  BoxDefinition boxes;     // scored kinds only; see ValidateBoxes
};

struct Measure {
  std::string id;
  std::string name;                   // optional display name
  std::vector<std::string> item_ids;  // one or more scored items
};

// The editable form. Validation errors name its fields: "id", "version", "items",
// "items[3].kind", "items[3].boxes.top", "measures[1].item_ids[0]".
struct SurveyDraft {
  std::string id;
  int version = 1;
  std::string title;
  std::vector<SurveyItem> items;
  std::vector<Measure> measures;
};

// Every problem of the draft, in field order; empty when it is valid. All are Invalid errors.
std::vector<Error> ValidateDraft(const SurveyDraft& draft);

// One measure per distinct item measure_id, in order of first appearance, listing its items.
std::vector<Measure> MeasuresFromItems(const std::vector<SurveyItem>& items);

// A scored item with the default boxes of its kind, or a free-text item.
SurveyItem MakeItem(std::string id, std::string text, ItemKind kind, std::string measure_id = {});

class SurveyDefinition {
 public:
  // The definition of a valid draft, or its first validation error.
  static Result<SurveyDefinition> Create(SurveyDraft draft);

  // The next version: this survey's id, version + 1, the draft's title, items and measures
  // (the draft's id and version are ignored). Validated like Create.
  Result<SurveyDefinition> NextVersion(SurveyDraft changes) const;

  const std::string& id() const { return draft_.id; }
  int version() const { return draft_.version; }
  SurveyKey key() const { return {draft_.id, draft_.version}; }
  const std::string& title() const { return draft_.title; }
  const std::vector<SurveyItem>& items() const { return draft_.items; }
  const std::vector<Measure>& measures() const { return draft_.measures; }

  // The item with id `item_id`, or nullptr.
  const SurveyItem* FindItem(std::string_view item_id) const;
  // Its position in items(); items().size() when absent.
  size_t ItemIndex(std::string_view item_id) const;

 private:
  explicit SurveyDefinition(SurveyDraft draft);

  SurveyDraft draft_;
  std::unordered_map<std::string, size_t> item_index_;
};

}  // namespace caredesk::surveys
