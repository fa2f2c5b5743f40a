#include "domain/surveys/vendor_import.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <set>
#include <utility>

#include "core/civil_time.h"
#include "domain/surveys/csv_records.h"

namespace caredesk::surveys {
namespace {

constexpr size_t kIsoDateLength = 10;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A mapping resolved against the header and the definition.
struct ResolvedItem {
  size_t column = 0;
  const ItemColumn* spec = nullptr;
  const SurveyItem* item = nullptr;
  std::map<std::string, int, std::less<>> values;  // keys lower-cased and trimmed
};

struct ResolvedMapping {
  size_t respondent = 0;
  std::optional<size_t> encounter;
  std::optional<size_t> date;
  std::vector<ResolvedItem> items;
  std::vector<std::pair<size_t, std::string>> metadata;  // column, key
  std::set<std::string, std::less<>> missing;            // lower-cased
};

Result<size_t> FindColumn(const CsvTable& table, const std::string& column, const std::string& field) {
  if (TrimSpaces(column).empty()) return Error::Invalid(field, "no column is named", "missing_column_name");
  const auto index = table.Column(column);
  if (!index) {
    return Error::Invalid(field, "the file has no column \"" + column + "\"", "column_not_in_file");
  }
  return *index;
}

Result<ResolvedMapping> Resolve(const CsvTable& table, const SurveyDefinition& definition,
                                const ImportMapping& mapping) {
  ResolvedMapping resolved;
  std::set<size_t> used_columns;
  auto claim = [&used_columns](size_t column, const std::string& field, const std::string& name) -> Status {
    if (!used_columns.insert(column).second) {
      return Error::Invalid(field, "column \"" + name + "\" is mapped twice", "column_mapped_twice");
    }
    return Ok();
  };
  CD_ASSIGN_OR_RETURN(resolved.respondent,
                      FindColumn(table, mapping.respondent_id_column, "mapping.respondent_id_column"));
  CD_RETURN_IF_ERROR(claim(resolved.respondent, "mapping.respondent_id_column", mapping.respondent_id_column));
  if (!mapping.encounter_id_column.empty()) {
    CD_ASSIGN_OR_RETURN(const size_t c, FindColumn(table, mapping.encounter_id_column, "mapping.encounter_id_column"));
    CD_RETURN_IF_ERROR(claim(c, "mapping.encounter_id_column", mapping.encounter_id_column));
    resolved.encounter = c;
  }
  if (!mapping.date_column.empty()) {
    CD_ASSIGN_OR_RETURN(const size_t c, FindColumn(table, mapping.date_column, "mapping.date_column"));
    CD_RETURN_IF_ERROR(claim(c, "mapping.date_column", mapping.date_column));
    resolved.date = c;
  }
  if (mapping.items.empty()) return Error::Invalid("mapping.items", "no column is mapped to an item", "no_items");
  std::set<std::string, std::less<>> mapped_items;
  for (size_t i = 0; i < mapping.items.size(); ++i) {
    const ItemColumn& spec = mapping.items[i];
    const std::string at = "mapping.items[" + std::to_string(i) + "]";
    ResolvedItem item;
    item.spec = &spec;
    CD_ASSIGN_OR_RETURN(item.column, FindColumn(table, spec.column, at + ".column"));
    CD_RETURN_IF_ERROR(claim(item.column, at + ".column", spec.column));
    item.item = definition.FindItem(spec.item_id);
    if (item.item == nullptr) {
      return Error::Invalid(at + ".item_id",
                            "item \"" + spec.item_id + "\" is not in survey \"" + definition.id() + "\"",
                            "unknown_item");
    }
    if (!mapped_items.insert(spec.item_id).second) {
      return Error::Invalid(at + ".item_id", "item \"" + spec.item_id + "\" is mapped twice", "item_mapped_twice");
    }
    for (const auto& [text, value] : spec.values) {
      if (!IsValidAnswer(item.item->kind, value)) {
        return Error::Invalid(at + ".values",
                              "\"" + text + "\" maps to " + std::to_string(value) + ", which is not an answer to \"" +
                                  spec.item_id + "\"",
                              "answer_out_of_range");
      }
      item.values.emplace(Lower(TrimSpaces(text)), value);
    }
    resolved.items.push_back(std::move(item));
  }
  for (size_t i = 0; i < mapping.metadata.size(); ++i) {
    const MetadataColumn& spec = mapping.metadata[i];
    const std::string at = "mapping.metadata[" + std::to_string(i) + "]";
    CD_ASSIGN_OR_RETURN(const size_t c, FindColumn(table, spec.column, at + ".column"));
    CD_RETURN_IF_ERROR(claim(c, at + ".column", spec.column));
    if (TrimSpaces(spec.key).empty()) return Error::Invalid(at + ".key", "a metadata key is required", "missing_key");
    if (spec.key == "encounter_id" || spec.key == "date") {
      return Error::Invalid(at + ".key", "\"" + spec.key + "\" is set by its own mapping field", "reserved_key");
    }
    resolved.metadata.emplace_back(c, spec.key);
  }
  for (const std::string& missing : mapping.missing_values) resolved.missing.insert(Lower(TrimSpaces(missing)));
  return resolved;
}

std::optional<CivilDate> ParseDate(std::string_view text, DateFormat format) {
  if (format == DateFormat::kIso) {
    if (text.size() > kIsoDateLength && text[kIsoDateLength] != 'T' && text[kIsoDateLength] != ' ') {
      return std::nullopt;
    }
    Result<CivilDate> date = ParseCivilDate(text.substr(0, kIsoDateLength), "date");
    if (!date.ok()) return std::nullopt;
    return *date;
  }
  const size_t first = text.find('/');
  const size_t second = first == std::string_view::npos ? first : text.find('/', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto month = ParseInt(text.substr(0, first));
  const auto day = ParseInt(text.substr(first + 1, second - first - 1));
  const std::string_view year_text = text.substr(second + 1);
  const auto year = ParseInt(year_text);
  if (!month || !day || !year || year_text.size() != 4 || *month < 1 || *month > 12 || *day < 1 || *day > 31) {
    return std::nullopt;
  }
  const CivilDate date{*year, *month, *day};
  // Round-trip through the ISO parser, which refuses impossible dates such as 2/30.
  Result<CivilDate> checked = ParseCivilDate(date.ToString(), "date");
  if (!checked.ok()) return std::nullopt;
  return *checked;
}

// The answer a scored cell denotes, or the issue reason and message.
Result<int> ReadScoredCell(const ResolvedItem& item, std::string_view cell) {
  const ItemKind kind = item.item->kind;
  if (!item.values.empty()) {
    const auto it = item.values.find(Lower(cell));
    if (it == item.values.end()) {
      return Error::Invalid(item.spec->column, "\"" + std::string(cell) + "\" is not in the value mapping",
                            "unmapped_value");
    }
    return it->second;
  }
  if (const auto number = ParseInt(cell)) {
    if (!IsValidAnswer(kind, *number)) {
      return Error::Invalid(item.spec->column,
                            std::string(cell) + " is not an answer of a " + std::string(ItemKindName(kind)) + " item",
                            "answer_out_of_range");
    }
    return *number;
  }
  if (const auto value = AnswerForLabel(kind, cell)) return *value;
  return Error::Invalid(
      item.spec->column,
      "\"" + std::string(cell) + "\" is not an answer of a " + std::string(ItemKindName(kind)) + " item",
      "unmapped_value");
}

}  // namespace

size_t ImportReport::RejectedRows() const {
  std::set<size_t> rows;
  for (const ImportIssue& issue : issues) rows.insert(issue.row);
  return rows.size();
}

Result<ImportReport> ImportVendorCsv(std::string_view csv_text, const SurveyDefinition& definition,
                                     const ImportMapping& mapping) {
  CD_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsvRecords(csv_text));
  if (records.empty()) return Error::Invalid("csv", "the file is empty; a header row is required", "missing_header");
  CsvTable table;
  table.header = std::move(records.front().fields);
  CD_ASSIGN_OR_RETURN(const ResolvedMapping resolved, Resolve(table, definition, mapping));

  ImportReport report;
  std::set<std::string, std::less<>> respondents;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (record.fields.size() == 1 && TrimSpaces(record.fields[0]).empty()) continue;  // blank line
    ++report.rows_read;
    const size_t row = r + 1;
    std::vector<ImportIssue> issues;
    auto add_issue = [&](std::string column, std::string reason, std::string message) {
      issues.push_back(ImportIssue{row, record.line, std::move(column), std::move(reason), std::move(message)});
    };
    if (record.fields.size() != table.header.size()) {
      add_issue("", "wrong_field_count",
                "row has " + std::to_string(record.fields.size()) + " fields, the header " +
                    std::to_string(table.header.size()));
      report.issues.insert(report.issues.end(), issues.begin(), issues.end());
      continue;
    }
    auto cell = [&record](size_t column) { return TrimSpaces(record.fields[column]); };

    SurveyResponse response;
    response.survey = definition.key();
    response.id = std::string(cell(resolved.respondent));
    if (response.id.empty()) {
      add_issue(mapping.respondent_id_column, "missing_respondent_id", "the respondent id is empty");
    } else if (respondents.count(response.id) != 0) {
      add_issue(mapping.respondent_id_column, "duplicate_respondent_id",
                "respondent \"" + response.id + "\" was already imported from an earlier row");
    }
    if (resolved.encounter && !cell(*resolved.encounter).empty()) {
      response.metadata["encounter_id"] = std::string(cell(*resolved.encounter));
    }
    if (resolved.date) {
      const std::string_view text = cell(*resolved.date);
      if (const auto date = ParseDate(text, mapping.date_format)) {
        response.metadata["date"] = date->ToString();
      } else {
        add_issue(mapping.date_column, "invalid_date", "\"" + std::string(text) + "\" is not a date");
      }
    }
    for (const auto& [column, key] : resolved.metadata) {
      if (!cell(column).empty()) response.metadata[key] = std::string(cell(column));
    }
    for (const ResolvedItem& item : resolved.items) {
      const std::string_view text = cell(item.column);
      if (text.empty() || resolved.missing.count(Lower(text)) != 0) continue;
      if (!IsScoredKind(item.item->kind)) {
        if (text.size() > kMaxFreeTextLength) {
          add_issue(item.spec->column, "text_too_long",
                    "the comment is longer than " + std::to_string(kMaxFreeTextLength) + " bytes");
          continue;
        }
        response.answers.push_back(Answer{item.item->id, std::nullopt, std::string(text)});
        continue;
      }
      Result<int> value = ReadScoredCell(item, text);
      if (!value.ok()) {
        add_issue(item.spec->column, value.error().reason, value.error().message);
        continue;
      }
      response.answers.push_back(Answer{item.item->id, *value, std::nullopt});
    }
    if (issues.empty() && response.answers.empty()) add_issue("", "no_answers", "no item is answered");
    if (issues.empty()) {
      if (Status valid = ValidateResponse(definition, response); !valid.ok()) {
        add_issue("", valid.error().reason, valid.error().message);
      }
    }
    if (!issues.empty()) {
      report.issues.insert(report.issues.end(), issues.begin(), issues.end());
      continue;
    }
    respondents.insert(response.id);
    report.accepted.push_back(std::move(response));
    report.accepted_rows.push_back({row, record.line});
  }
  return report;
}

}  // namespace caredesk::surveys
