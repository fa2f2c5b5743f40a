// The kinds of survey item and their answer scales.
//
// Every scored kind answers with a small integer, higher meaning more positive:
//   frequency   1 Never, 2 Sometimes, 3 Usually, 4 Always          (HCAHPS frequency items)
//   yes_no      0 No, 1 Yes
//   rating_0_10 0 … 10                                              (HCAHPS overall rating)
//   recommend   1 Definitely no, 2 Probably no, 3 Probably yes, 4 Definitely yes
//   agreement   1 Strongly disagree, 2 Disagree, 3 Agree, 4 Strongly agree   (care transition)
//   nps         0 … 10                                              ("how likely to recommend")
// and free_text answers with text and is never scored.
//
// A box definition splits a scale into top, middle and bottom boxes (HCAHPS "top-box" scoring);
// DefaultBoxes gives the HCAHPS split for each kind (BRIEF §3) and the promoter / passive /
// detractor split for NPS. Pure; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::surveys {

enum class ItemKind { kFrequency, kYesNo, kRating0To10, kRecommend, kAgreement, kNps, kFreeText };

// Every kind, in declaration order.
std::span<const ItemKind> AllItemKinds();
// "frequency", "yes_no", "rating_0_10", "recommend", "agreement", "nps", "free_text"; "" for a
// value outside the enumeration.
std::string_view ItemKindName(ItemKind kind);
std::optional<ItemKind> ParseItemKind(std::string_view name);
bool IsKnownItemKind(ItemKind kind);
// All kinds but free text.
bool IsScoredKind(ItemKind kind);

struct AnswerOption {
  int value = 0;
  std::string_view label;
};

// The answers of a scored kind, lowest first; empty for free text.
std::span<const AnswerOption> AnswerOptions(ItemKind kind);
// Whether `value` is one of the kind's answers (always false for free text).
bool IsValidAnswer(ItemKind kind, int value);
// The answer whose label matches `label` ignoring case and surrounding spaces ("always" → 4,
// "9" → 9 on a 0–10 scale).
std::optional<int> AnswerForLabel(ItemKind kind, std::string_view label);
// The label of an answer value, or "" when the value is not on the scale.
std::string_view AnswerLabel(ItemKind kind, int value);

// Top, middle and bottom boxes of a scored item: which answer values fall in each, and the
// wording the definition uses for them ("Sometimes or never"). The middle box may be empty
// (yes/no). A valid definition puts every answer of the scale in exactly one box and has a
// non-empty top and bottom box.
struct BoxDefinition {
  std::vector<int> top;
  std::vector<int> middle;
  std::vector<int> bottom;
  std::string top_label;
  std::string middle_label;
  std::string bottom_label;
};

// HCAHPS boxes: frequency Always / Usually / Sometimes or never; yes/no Yes / – / No; 0–10
// rating 9–10 / 7–8 / 0–6; recommend Definitely yes / Probably yes / Probably or definitely no;
// agreement Strongly agree / Agree / Disagree or strongly disagree; NPS promoters 9–10 /
// passives 7–8 / detractors 0–6. Empty for free text.
BoxDefinition DefaultBoxes(ItemKind kind);

// OK when `boxes` partitions the kind's scale as described above; otherwise Invalid naming
// `field` + ".top" / ".middle" / ".bottom".
Status ValidateBoxes(ItemKind kind, const BoxDefinition& boxes, const std::string& field);

// The answer values a published box label denotes on the kind's scale: a single label
// ("Always", "Strongly Agree"), a list joined by "or" ("Sometimes or never", "Probably no or
// definitely no", "7 or 8"), or a numeric range ("0 to 6"). An empty label denotes no answers.
// Matching ignores case. nullopt when some part is not an answer of the kind.
std::optional<std::vector<int>> ParseBoxLabel(ItemKind kind, std::string_view label);

// The box an answer falls in.
enum class Box { kTop, kMiddle, kBottom };
std::optional<Box> BoxOf(const BoxDefinition& boxes, int value);

// CMS-style linear score of an answer: its position on the scale from 0 (lowest answer) to 100
// (highest) — Never 0, Sometimes 33⅓, Usually 66⅔, Always 100; No 0, Yes 100; a 0–10 rating
// times ten. nullopt for free text or a value off the scale.
std::optional<double> LinearScore(ItemKind kind, int value);

}  // namespace caredesk::surveys
