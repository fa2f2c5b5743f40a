#include "domain/surveys/item_kind.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/surveys/csv_records.h"

namespace caredesk::surveys {
namespace {

constexpr std::array<ItemKind, 7> kAllKinds = {ItemKind::kFrequency, ItemKind::kYesNo,     ItemKind::kRating0To10,
                                               ItemKind::kRecommend, ItemKind::kAgreement, ItemKind::kNps,
                                               ItemKind::kFreeText};

constexpr std::array<AnswerOption, 4> kFrequency = {{{1, "Never"}, {2, "Sometimes"}, {3, "Usually"}, {4, "Always"}}};
constexpr std::array<AnswerOption, 2> kYesNo = {{{0, "No"}, {1, "Yes"}}};
constexpr std::array<AnswerOption, 11> kZeroToTen = {
    {{0, "0"}, {1, "1"}, {2, "2"}, {3, "3"}, {4, "4"}, {5, "5"}, {6, "6"}, {7, "7"}, {8, "8"}, {9, "9"}, {10, "10"}}};
constexpr std::array<AnswerOption, 4> kRecommend = {
    {{1, "Definitely no"}, {2, "Probably no"}, {3, "Probably yes"}, {4, "Definitely yes"}}};
constexpr std::array<AnswerOption, 4> kAgreement = {
    {{1, "Strongly disagree"}, {2, "Disagree"}, {3, "Agree"}, {4, "Strongly agree"}}};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits `text` at every occurrence of the word `word` surrounded by spaces.
std::vector<std::string_view> SplitOnWord(std::string_view text, std::string_view word) {
  std::vector<std::string_view> parts;
  const std::string needle = " " + std::string(word) + " ";
  size_t start = 0;
  while (true) {
    const size_t at = text.find(needle, start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + needle.size();
  }
}

BoxDefinition MakeBoxes(std::vector<int> top, std::vector<int> middle, std::vector<int> bottom, std::string top_label,
                        std::string middle_label, std::string bottom_label) {
  return {std::move(top),       std::move(middle),       std::move(bottom),
          std::move(top_label), std::move(middle_label), std::move(bottom_label)};
}

}  // namespace

std::span<const ItemKind> AllItemKinds() { return kAllKinds; }

std::string_view ItemKindName(ItemKind kind) {
  switch (kind) {
    case ItemKind::kFrequency:
      return "frequency";
    case ItemKind::kYesNo:
      return "yes_no";
    case ItemKind::kRating0To10:
      return "rating_0_10";
    case ItemKind::kRecommend:
      return "recommend";
    case ItemKind::kAgreement:
      return "agreement";
    case ItemKind::kNps:
      return "nps";
    case ItemKind::kFreeText:
      return "free_text";
  }
  return {};
}

std::optional<ItemKind> ParseItemKind(std::string_view name) {
  for (ItemKind kind : kAllKinds) {
    if (ItemKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

bool IsKnownItemKind(ItemKind kind) { return !ItemKindName(kind).empty(); }

bool IsScoredKind(ItemKind kind) { return IsKnownItemKind(kind) && kind != ItemKind::kFreeText; }

std::span<const AnswerOption> AnswerOptions(ItemKind kind) {
  switch (kind) {
    case ItemKind::kFrequency:
      return kFrequency;
    case ItemKind::kYesNo:
      return kYesNo;
    case ItemKind::kRating0To10:
    case ItemKind::kNps:
      return kZeroToTen;
    case ItemKind::kRecommend:
      return kRecommend;
    case ItemKind::kAgreement:
      return kAgreement;
    case ItemKind::kFreeText:
      break;
  }
  return {};
}

bool IsValidAnswer(ItemKind kind, int value) {
  const auto options = AnswerOptions(kind);
  return std::any_of(options.begin(), options.end(), [value](const AnswerOption& o) { return o.value == value; });
}

std::optional<int> AnswerForLabel(ItemKind kind, std::string_view label) {
  const std::string wanted = Lower(TrimSpaces(label));
  for (const AnswerOption& option : AnswerOptions(kind)) {
    if (Lower(option.label) == wanted) return option.value;
  }
  return std::nullopt;
}

std::string_view AnswerLabel(ItemKind kind, int value) {
  for (const AnswerOption& option : AnswerOptions(kind)) {
    if (option.value == value) return option.label;
  }
  return {};
}

BoxDefinition DefaultBoxes(ItemKind kind) {
  switch (kind) {
    case ItemKind::kFrequency:
      return MakeBoxes({4}, {3}, {1, 2}, "Always", "Usually", "Sometimes or never");
    case ItemKind::kYesNo:
      return MakeBoxes({1}, {}, {0}, "Yes", "", "No");
    case ItemKind::kRating0To10:
      return MakeBoxes({9, 10}, {7, 8}, {0, 1, 2, 3, 4, 5, 6}, "9 or 10", "7 or 8", "0 to 6");
    case ItemKind::kRecommend:
      return MakeBoxes({4}, {3}, {1, 2}, "Definitely yes", "Probably yes", "Probably no or definitely no");
    case ItemKind::kAgreement:
      return MakeBoxes({4}, {3}, {1, 2}, "Strongly agree", "Agree", "Disagree or strongly disagree");
    case ItemKind::kNps:
      return MakeBoxes({9, 10}, {7, 8}, {0, 1, 2, 3, 4, 5, 6}, "Promoters (9 or 10)", "Passives (7 or 8)",
                       "Detractors (0 to 6)");
    case ItemKind::kFreeText:
      break;
  }
  return {};
}

Status ValidateBoxes(ItemKind kind, const BoxDefinition& boxes, const std::string& field) {
  const auto options = AnswerOptions(kind);
  const std::array<std::pair<const std::vector<int>*, const char*>, 3> parts = {
      {{&boxes.top, ".top"}, {&boxes.middle, ".middle"}, {&boxes.bottom, ".bottom"}}};
  if (options.empty()) {
    for (const auto& [values, suffix] : parts) {
      if (!values->empty()) {
        return Error::Invalid(field + suffix, "a free-text item has no boxes", "boxes_on_free_text");
      }
    }
    return Ok();
  }
  if (boxes.top.empty())
    return Error::Invalid(field + ".top", "the top box must hold at least one answer", "empty_box");
  if (boxes.bottom.empty()) {
    return Error::Invalid(field + ".bottom", "the bottom box must hold at least one answer", "empty_box");
  }
  std::vector<int> seen;
  for (const auto& [values, suffix] : parts) {
    for (int value : *values) {
      if (!IsValidAnswer(kind, value)) {
        return Error::Invalid(
            field + suffix,
            std::to_string(value) + " is not an answer of a " + std::string(ItemKindName(kind)) + " item",
            "answer_out_of_range");
      }
      if (std::find(seen.begin(), seen.end(), value) != seen.end()) {
        return Error::Invalid(field + suffix, "answer " + std::to_string(value) + " is in more than one box",
                              "overlapping_boxes");
      }
      seen.push_back(value);
    }
  }
  for (const AnswerOption& option : options) {
    if (std::find(seen.begin(), seen.end(), option.value) == seen.end()) {
      return Error::Invalid(field, "answer \"" + std::string(option.label) + "\" is in no box", "answer_not_boxed");
    }
  }
  return Ok();
}

std::optional<std::vector<int>> ParseBoxLabel(ItemKind kind, std::string_view label) {
  std::vector<int> values;
  const std::string lowered = Lower(TrimSpaces(label));
  if (lowered.empty()) return values;
  if (!IsScoredKind(kind)) return std::nullopt;
  for (std::string_view part : SplitOnWord(lowered, "or")) {
    part = TrimSpaces(part);
    const std::vector<std::string_view> range = SplitOnWord(part, "to");
    if (range.size() == 2) {
      const auto low = AnswerForLabel(kind, range[0]);
      const auto high = AnswerForLabel(kind, range[1]);
      if (!low || !high || *low > *high) return std::nullopt;
      for (const AnswerOption& option : AnswerOptions(kind)) {
        if (option.value >= *low && option.value <= *high) values.push_back(option.value);
      }
      continue;
    }
    const auto value = AnswerForLabel(kind, part);
    if (!value) return std::nullopt;
    values.push_back(*value);
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

std::optional<Box> BoxOf(const BoxDefinition& boxes, int value) {
  auto holds = [value](const std::vector<int>& values) {
    return std::find(values.begin(), values.end(), value) != values.end();
  };
  if (holds(boxes.top)) return Box::kTop;
  if (holds(boxes.middle)) return Box::kMiddle;
  if (holds(boxes.bottom)) return Box::kBottom;
  return std::nullopt;
}

std::optional<double> LinearScore(ItemKind kind, int value) {
  const auto options = AnswerOptions(kind);
  if (options.empty() || !IsValidAnswer(kind, value)) return std::nullopt;
  const int low = options.front().value;
  const int high = options.back().value;
  return 100.0 * static_cast<double>(value - low) / static_cast<double>(high - low);
}

}  // namespace caredesk::surveys
