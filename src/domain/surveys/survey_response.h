// A completed survey: which survey version it answers, who answered about which visit, and the
// answers. Metadata carries whatever the response can be grouped by — "department",
// "provider", "location", "encounter_id", "date" (ISO 8601, "2025-03-09") — as plain strings.
//
// ValidateResponse checks a response against the definition it names: the answer type per item
// (a scored item answers with a value on its scale, a free-text item with text), values out of
// range, unknown or repeated item ids. Errors name the item: field "answers.q5.value".
// Value types; thread-compatible. Functions are pure and thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/surveys/survey_definition.h"

namespace caredesk::surveys {

using Metadata = std::map<std::string, std::string, std::less<>>;

// The longest free-text answer accepted, in bytes.
inline constexpr size_t kMaxFreeTextLength = 10000;

// One item's answer: `value` for a scored item, `text` for a free-text one. An item left
// unanswered has no Answer.
struct Answer {
  std::string item_id;
  std::optional<int> value;
  std::optional<std::string> text;
};

struct SurveyResponse {
  std::string id;  // respondent or response id
  SurveyKey survey;
  Metadata metadata;
  std::vector<Answer> answers;

  // The answer to `item_id`, or nullptr.
  const Answer* Find(std::string_view item_id) const;
};

// OK when `response` answers `definition`: same survey id ("survey_id") and version
// ("survey_version"), every answer to a known item ("answers.<id>", reason unknown_item) given
// once (duplicate_answer), with a value on the item's scale ("answers.<id>.value", reasons
// answer_out_of_range, value_required, text_not_allowed) or non-empty text within
// kMaxFreeTextLength for free text ("answers.<id>.text"). An answer without an item id is
// "answers[<i>].item_id". Invalid errors; the first problem found.
Status ValidateResponse(const SurveyDefinition& definition, const SurveyResponse& response);

}  // namespace caredesk::surveys
