#include "domain/surveys/survey_definition.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "domain/surveys/csv_records.h"

namespace caredesk::surveys {
namespace {

bool IsIdChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.'; }

// Empty when `id` is acceptable, else the reason.
std::string IdProblem(std::string_view id) {
  if (id.empty()) return "is required";
  if (id.size() > kMaxIdLength) return "is longer than " + std::to_string(kMaxIdLength) + " characters";
  if (!std::all_of(id.begin(), id.end(), IsIdChar)) return "may hold only letters, digits, '_', '-' and '.'";
  return {};
}

std::string Indexed(std::string_view name, size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

void CheckItems(const SurveyDraft& draft, std::vector<Error>& errors) {
  if (draft.items.empty()) errors.push_back(Error::Invalid("items", "a survey needs at least one item", "no_items"));
  std::set<std::string, std::less<>> seen;
  for (size_t i = 0; i < draft.items.size(); ++i) {
    const SurveyItem& item = draft.items[i];
    const std::string at = Indexed("items", i);
    if (const std::string problem = IdProblem(item.id); !problem.empty()) {
      errors.push_back(Error::Invalid(at + ".id", "item id " + problem, "invalid_id"));
    } else if (!seen.insert(item.id).second) {
      errors.push_back(Error::Invalid(at + ".id", "item id \"" + item.id + "\" is used twice", "duplicate_id"));
    }
    if (TrimSpaces(item.text).empty()) {
      errors.push_back(Error::Invalid(at + ".text", "item \"" + item.id + "\" has no text", "empty_text"));
    }
    if (!IsKnownItemKind(item.kind)) {
      errors.push_back(Error::Invalid(at + ".kind", "item \"" + item.id + "\" has an unknown kind", "unknown_kind"));
      continue;
    }
    if (Status boxes = ValidateBoxes(item.kind, item.boxes, at + ".boxes"); !boxes.ok()) {
      errors.push_back(std::move(boxes).error());
    }
    if (item.kind == ItemKind::kNps) {
      const BoxDefinition nps = DefaultBoxes(ItemKind::kNps);
      auto sorted = [](std::vector<int> v) {
        std::sort(v.begin(), v.end());
        return v;
      };
      if (sorted(item.boxes.top) != nps.top || sorted(item.boxes.middle) != nps.middle ||
          sorted(item.boxes.bottom) != nps.bottom) {
        errors.push_back(Error::Invalid(at + ".boxes",
                                        "an NPS item's boxes are fixed: promoters 9–10, passives 7–8, detractors 0–6",
                                        "nps_boxes_fixed"));
      }
    }
    if (!item.measure_id.empty() && !IsScoredKind(item.kind)) {
      errors.push_back(
          Error::Invalid(at + ".measure_id", "a free-text item cannot report to a measure", "unscored_in_measure"));
    }
  }
}

void CheckMeasures(const SurveyDraft& draft, std::vector<Error>& errors) {
  std::set<std::string, std::less<>> measure_ids;
  for (size_t m = 0; m < draft.measures.size(); ++m) {
    const Measure& measure = draft.measures[m];
    const std::string at = Indexed("measures", m);
    if (const std::string problem = IdProblem(measure.id); !problem.empty()) {
      errors.push_back(Error::Invalid(at + ".id", "measure id " + problem, "invalid_id"));
    } else if (!measure_ids.insert(measure.id).second) {
      errors.push_back(Error::Invalid(at + ".id", "measure id \"" + measure.id + "\" is used twice", "duplicate_id"));
    }
    if (measure.item_ids.empty()) {
      errors.push_back(Error::Invalid(at + ".item_ids", "measure \"" + measure.id + "\" has no items", "no_items"));
    }
    std::set<std::string, std::less<>> listed;
    for (size_t k = 0; k < measure.item_ids.size(); ++k) {
      const std::string& item_id = measure.item_ids[k];
      const std::string item_at = at + Indexed(".item_ids", k);
      const auto item =
          std::find_if(draft.items.begin(), draft.items.end(), [&](const SurveyItem& it) { return it.id == item_id; });
      if (item == draft.items.end()) {
        errors.push_back(Error::Invalid(
            item_at, "measure \"" + measure.id + "\" names unknown item \"" + item_id + "\"", "unknown_item"));
      } else if (!listed.insert(item_id).second) {
        errors.push_back(Error::Invalid(item_at, "item \"" + item_id + "\" is listed twice", "duplicate_item"));
      } else if (item->measure_id != measure.id) {
        errors.push_back(Error::Invalid(
            item_at,
            "item \"" + item_id + "\" reports to measure \"" + item->measure_id + "\", not \"" + measure.id + "\"",
            "measure_mismatch"));
      }
    }
  }
  // Every item that names a measure must be listed by it.
  for (size_t i = 0; i < draft.items.size(); ++i) {
    const SurveyItem& item = draft.items[i];
    if (item.measure_id.empty()) continue;
    const auto measure = std::find_if(draft.measures.begin(), draft.measures.end(),
                                      [&](const Measure& m) { return m.id == item.measure_id; });
    const bool listed = measure != draft.measures.end() && std::find(measure->item_ids.begin(), measure->item_ids.end(),
                                                                     item.id) != measure->item_ids.end();
    if (!listed) {
      errors.push_back(
          Error::Invalid(Indexed("items", i) + ".measure_id",
                         "item \"" + item.id + "\" names measure \"" + item.measure_id + "\", which does not list it",
                         "unknown_measure"));
    }
  }
}

}  // namespace

std::vector<Error> ValidateDraft(const SurveyDraft& draft) {
  std::vector<Error> errors;
  if (const std::string problem = IdProblem(draft.id); !problem.empty()) {
    errors.push_back(Error::Invalid("id", "survey id " + problem, "invalid_id"));
  }
  if (draft.version < 1) errors.push_back(Error::Invalid("version", "version must be 1 or more", "invalid_version"));
  CheckItems(draft, errors);
  CheckMeasures(draft, errors);
  return errors;
}

std::vector<Measure> MeasuresFromItems(const std::vector<SurveyItem>& items) {
  std::vector<Measure> measures;
  for (const SurveyItem& item : items) {
    if (item.measure_id.empty()) continue;
    auto it = std::find_if(measures.begin(), measures.end(), [&](const Measure& m) { return m.id == item.measure_id; });
    if (it == measures.end()) it = measures.insert(measures.end(), Measure{item.measure_id, {}, {}});
    it->item_ids.push_back(item.id);
  }
  return measures;
}

SurveyItem MakeItem(std::string id, std::string text, ItemKind kind, std::string measure_id) {
  SurveyItem item;
  item.id = std::move(id);
  item.text = std::move(text);
  item.kind = kind;
  item.measure_id = std::move(measure_id);
  item.boxes = DefaultBoxes(kind);
  return item;
}

SurveyDefinition::SurveyDefinition(SurveyDraft draft) : draft_(std::move(draft)) {
  for (size_t i = 0; i < draft_.items.size(); ++i) item_index_.emplace(draft_.items[i].id, i);
}

Result<SurveyDefinition> SurveyDefinition::Create(SurveyDraft draft) {
  std::vector<Error> errors = ValidateDraft(draft);
  if (!errors.empty()) return std::move(errors.front());
  return SurveyDefinition(std::move(draft));
}

Result<SurveyDefinition> SurveyDefinition::NextVersion(SurveyDraft changes) const {
  changes.id = draft_.id;
  changes.version = draft_.version + 1;
  return Create(std::move(changes));
}

const SurveyItem* SurveyDefinition::FindItem(std::string_view item_id) const {
  const size_t i = ItemIndex(item_id);
  return i < draft_.items.size() ? &draft_.items[i] : nullptr;
}

size_t SurveyDefinition::ItemIndex(std::string_view item_id) const {
  const auto it = item_index_.find(std::string(item_id));
  return it == item_index_.end() ? draft_.items.size() : it->second;
}

}  // namespace caredesk::surveys
