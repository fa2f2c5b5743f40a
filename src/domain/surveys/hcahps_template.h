// The HCAHPS-style survey template, built from the published question table
// (<data>/hcahps/questions.csv: Question Num, Measure ID, Question, Bottom-box Answer,
// Middle-box Answer, Top-box Answer).
//
// One item per row, id "q" + question number, the question text without surrounding spaces, the
// measure id as given, and the boxes exactly as the table words them: the item kind is the one
// whose answer scale all three box labels belong to (frequency for "Always", yes/no for "Yes",
// 0–10 rating for "9 or 10", recommend for "Definitely yes", agreement for "Strongly Agree"),
// and the labels are kept verbatim. One measure per measure id, in order of first appearance,
// named from measures.csv when that table is given. Pure; thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"
#include "domain/surveys/survey_definition.h"

namespace caredesk::surveys {

inline constexpr std::string_view kHcahpsSurveyId = "hcahps";

// The template as version 1 of survey "hcahps". `measures_csv` (Measure ID, Measure, Type) is
// optional. Invalid errors name the row and column ("rows[5].Top-box Answer", rows counted as a
// spreadsheet does, the header being row 1) when a row is short, a number is malformed or no
// answer scale fits its box labels.
Result<SurveyDefinition> HcahpsTemplateFromCsv(std::string_view questions_csv, std::string_view measures_csv = {});

}  // namespace caredesk::surveys
