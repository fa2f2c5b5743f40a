#include "domain/surveys/hcahps_template.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <utility>

#include "domain/surveys/csv_records.h"

namespace caredesk::surveys {
namespace {

constexpr std::string_view kQuestionNum = "Question Num";
constexpr std::string_view kMeasureId = "Measure ID";
constexpr std::string_view kQuestion = "Question";
constexpr std::string_view kBottom = "Bottom-box Answer";
constexpr std::string_view kMiddle = "Middle-box Answer";
constexpr std::string_view kTop = "Top-box Answer";
constexpr std::string_view kMeasureName = "Measure";

// The kinds a published HCAHPS box label can belong to, in the order they are tried.
constexpr std::array<ItemKind, 5> kTemplateKinds = {ItemKind::kFrequency, ItemKind::kYesNo, ItemKind::kRating0To10,
                                                    ItemKind::kRecommend, ItemKind::kAgreement};

std::string RowField(size_t row, std::string_view column) {
  return "rows[" + std::to_string(row) + "]." + std::string(column);
}

Result<size_t> RequireColumn(const CsvTable& table, std::string_view column, std::string_view which) {
  const auto index = table.Column(column);
  if (!index) {
    return Error::Invalid(std::string(column), std::string(which) + " has no \"" + std::string(column) + "\" column",
                          "missing_column");
  }
  return *index;
}

// The item's boxes from its three labels, or nullopt when no kind fits them.
std::optional<std::pair<ItemKind, BoxDefinition>> BoxesFromLabels(std::string_view bottom, std::string_view middle,
                                                                  std::string_view top) {
  for (ItemKind kind : kTemplateKinds) {
    auto top_values = ParseBoxLabel(kind, top);
    auto middle_values = ParseBoxLabel(kind, middle);
    auto bottom_values = ParseBoxLabel(kind, bottom);
    if (!top_values || !middle_values || !bottom_values) continue;
    BoxDefinition boxes{std::move(*top_values),       std::move(*middle_values),       std::move(*bottom_values),
                        std::string(TrimSpaces(top)), std::string(TrimSpaces(middle)), std::string(TrimSpaces(bottom))};
    if (ValidateBoxes(kind, boxes, "boxes").ok()) return std::make_pair(kind, std::move(boxes));
  }
  return std::nullopt;
}

}  // namespace

Result<SurveyDefinition> HcahpsTemplateFromCsv(std::string_view questions_csv, std::string_view measures_csv) {
  CD_ASSIGN_OR_RETURN(CsvTable table, ParseCsvTable(questions_csv));
  CD_ASSIGN_OR_RETURN(const size_t num_col, RequireColumn(table, kQuestionNum, "questions.csv"));
  CD_ASSIGN_OR_RETURN(const size_t measure_col, RequireColumn(table, kMeasureId, "questions.csv"));
  CD_ASSIGN_OR_RETURN(const size_t question_col, RequireColumn(table, kQuestion, "questions.csv"));
  CD_ASSIGN_OR_RETURN(const size_t bottom_col, RequireColumn(table, kBottom, "questions.csv"));
  CD_ASSIGN_OR_RETURN(const size_t middle_col, RequireColumn(table, kMiddle, "questions.csv"));
  CD_ASSIGN_OR_RETURN(const size_t top_col, RequireColumn(table, kTop, "questions.csv"));
  const size_t needed = std::max({num_col, measure_col, question_col, bottom_col, middle_col, top_col}) + 1;

  SurveyDraft draft;
  draft.id = std::string(kHcahpsSurveyId);
  draft.version = 1;
  draft.title = "HCAHPS-style inpatient experience survey";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& fields = table.rows[r].fields;
    const size_t row = r + 2;  // the header is row 1
    if (fields.size() < needed) {
      return Error::Invalid(RowField(row, kTop),
                            "row " + std::to_string(row) + " has " + std::to_string(fields.size()) + " fields, " +
                                std::to_string(needed) + " expected",
                            "short_row");
    }
    const std::string_view number = TrimSpaces(fields[num_col]);
    int question_number = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), question_number);
    if (number.empty() || ec != std::errc() || end != number.data() + number.size() || question_number < 1) {
      return Error::Invalid(RowField(row, kQuestionNum), "\"" + std::string(number) + "\" is not a question number",
                            "invalid_number");
    }
    auto boxes = BoxesFromLabels(fields[bottom_col], fields[middle_col], fields[top_col]);
    if (!boxes) {
      return Error::Invalid(RowField(row, kTop),
                            "no answer scale has the boxes \"" + std::string(TrimSpaces(fields[top_col])) + "\" / \"" +
                                std::string(TrimSpaces(fields[middle_col])) + "\" / \"" +
                                std::string(TrimSpaces(fields[bottom_col])) + "\"",
                            "unknown_scale");
    }
    SurveyItem item;
    item.id = "q" + std::to_string(question_number);
    item.text = std::string(TrimSpaces(fields[question_col]));
    item.kind = boxes->first;
    item.measure_id = std::string(TrimSpaces(fields[measure_col]));
    item.boxes = std::move(boxes->second);
    draft.items.push_back(std::move(item));
  }
  draft.measures = MeasuresFromItems(draft.items);

  if (!measures_csv.empty()) {
    CD_ASSIGN_OR_RETURN(CsvTable measures, ParseCsvTable(measures_csv));
    CD_ASSIGN_OR_RETURN(const size_t id_col, RequireColumn(measures, kMeasureId, "measures.csv"));
    CD_ASSIGN_OR_RETURN(const size_t name_col, RequireColumn(measures, kMeasureName, "measures.csv"));
    for (const CsvRecord& record : measures.rows) {
      if (record.fields.size() <= std::max(id_col, name_col)) continue;
      const std::string_view id = TrimSpaces(record.fields[id_col]);
      for (Measure& measure : draft.measures) {
        if (measure.id == id) measure.name = std::string(TrimSpaces(record.fields[name_col]));
      }
    }
  }
  return SurveyDefinition::Create(std::move(draft));
}

}  // namespace caredesk::surveys
