#include "domain/surveys/survey_response.h"

#include <set>

#include "domain/surveys/csv_records.h"

namespace caredesk::surveys {

const Answer* SurveyResponse::Find(std::string_view item_id) const {
  for (const Answer& answer : answers) {
    if (answer.item_id == item_id) return &answer;
  }
  return nullptr;
}

Status ValidateResponse(const SurveyDefinition& definition, const SurveyResponse& response) {
  if (response.survey.survey_id != definition.id()) {
    return Error::Invalid(
        "survey_id", "response answers survey \"" + response.survey.survey_id + "\", not \"" + definition.id() + "\"",
        "wrong_survey");
  }
  if (response.survey.version != definition.version()) {
    return Error::Invalid("survey_version",
                          "response answers version " + std::to_string(response.survey.version) + " of \"" +
                              definition.id() + "\", not version " + std::to_string(definition.version()),
                          "wrong_version");
  }
  std::set<std::string, std::less<>> answered;
  for (size_t i = 0; i < response.answers.size(); ++i) {
    const Answer& answer = response.answers[i];
    if (answer.item_id.empty()) {
      return Error::Invalid("answers[" + std::to_string(i) + "].item_id", "an answer names no item", "missing_item_id");
    }
    const std::string at = "answers." + answer.item_id;
    const SurveyItem* item = definition.FindItem(answer.item_id);
    if (item == nullptr) {
      return Error::Invalid(at,
                            "item \"" + answer.item_id + "\" is not in survey \"" + definition.id() + "\" version " +
                                std::to_string(definition.version()),
                            "unknown_item");
    }
    if (!answered.insert(answer.item_id).second) {
      return Error::Invalid(at, "item \"" + answer.item_id + "\" is answered twice", "duplicate_answer");
    }
    if (!IsScoredKind(item->kind)) {
      if (answer.value) {
        return Error::Invalid(at + ".value", "item \"" + item->id + "\" takes text, not a value", "value_not_allowed");
      }
      if (!answer.text || TrimSpaces(*answer.text).empty()) {
        return Error::Invalid(at + ".text", "item \"" + item->id + "\" needs text (omit the answer to skip it)",
                              "text_required");
      }
      if (answer.text->size() > kMaxFreeTextLength) {
        return Error::Invalid(
            at + ".text",
            "the answer to \"" + item->id + "\" is longer than " + std::to_string(kMaxFreeTextLength) + " bytes",
            "text_too_long");
      }
      continue;
    }
    if (answer.text) {
      return Error::Invalid(at + ".text", "item \"" + item->id + "\" takes a value, not text", "text_not_allowed");
    }
    if (!answer.value) {
      return Error::Invalid(at + ".value", "item \"" + item->id + "\" needs a value (omit the answer to skip it)",
                            "value_required");
    }
    if (!IsValidAnswer(item->kind, *answer.value)) {
      const auto options = AnswerOptions(item->kind);
      return Error::Invalid(at + ".value",
                            std::to_string(*answer.value) + " is not an answer to \"" + item->id + "\" (" +
                                std::string(ItemKindName(item->kind)) + ": " + std::to_string(options.front().value) +
                                "–" + std::to_string(options.back().value) + ")",
                            "answer_out_of_range");
    }
  }
  return Ok();
}

}  // namespace caredesk::surveys
