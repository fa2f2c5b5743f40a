#include "domain/feedback/pxtextmining_split.h"

#include <cstdint>
#include <utility>

#include "core/text.h"

namespace caredesk::feedback {
namespace {

Error CellError(size_t row, const std::string& column, std::string_view value, std::string reason) {
  return Error::Invalid("csv",
                        "record " + std::to_string(row + 2) + ", column \"" + column + "\": unexpected value \"" +
                            std::string(value) + "\"",
                        std::move(reason));
}

}  // namespace

Result<FeedbackDataset> SplitPxtextmining(const CsvTable& table, const PxtextminingSplitOptions& options) {
  if (options.test_period == 0 || options.test_phase >= options.test_period) {
    return Error::Invalid("test_phase", "the test phase must be below the test period");
  }
  const auto text_column = table.ColumnIndex(kPxtextminingTextColumn);
  const auto sentiment_column = table.ColumnIndex(kPxtextminingSentimentColumn);
  if (!text_column || !sentiment_column) {
    return Error::Invalid("csv", "the CSV lacks the \"FFT answer\" or \"Comment sentiment\" column", "missing_column");
  }
  const auto question_column = table.ColumnIndex(kPxtextminingQuestionColumn);
  const size_t first_category = *sentiment_column + 1;
  const size_t category_count = table.header.size() - first_category;
  if (category_count == 0) {
    return Error::Invalid("csv", "the CSV has no category column after \"Comment sentiment\"", "missing_column");
  }

  // Every kept row, with all categories, before the themes are chosen.
  std::vector<LabelledComment> kept;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const CsvRow& row = table.rows[r];
    if (TrimSpace(row[*text_column]).empty()) continue;
    LabelledComment comment;
    comment.text = row[*text_column];
    if (question_column) comment.question = QuestionKindOfPrompt(row[*question_column]);
    comment.themes.resize(category_count);
    for (size_t c = 0; c < category_count; ++c) {
      const std::string_view cell = TrimSpace(row[first_category + c]);
      if (cell == "1") {
        comment.themes[c] = 1;
      } else if (!cell.empty() && cell != "0") {
        return CellError(r, table.header[first_category + c], cell, "invalid_category");
      }
    }
    const std::string_view score = TrimSpace(row[*sentiment_column]);
    if (!score.empty()) {
      const auto sentiment = score.size() == 1 ? SentimentFromScore(score[0] - '0') : std::nullopt;
      if (!sentiment) return CellError(r, table.header[*sentiment_column], score, "invalid_sentiment");
      comment.sentiment = sentiment;
    }
    kept.push_back(std::move(comment));
  }

  auto is_test = [&](size_t i) { return i % options.test_period == options.test_phase; };
  std::vector<size_t> positives(category_count, 0);
  for (size_t i = 0; i < kept.size(); ++i) {
    if (is_test(i)) continue;
    for (size_t c = 0; c < category_count; ++c) positives[c] += kept[i].themes[c];
  }
  FeedbackDataset dataset;
  dataset.has_question_column = question_column.has_value();
  std::vector<size_t> selected;
  for (size_t c = 0; c < category_count; ++c) {
    if (positives[c] >= options.min_theme_train_positives) {
      selected.push_back(c);
      dataset.themes.push_back(table.header[first_category + c]);
    }
  }
  if (selected.empty()) {
    return Error::Invalid("csv", "no category has enough positive training rows", "no_theme");
  }
  for (size_t i = 0; i < kept.size(); ++i) {
    LabelledComment& comment = kept[i];
    std::vector<uint8_t> labels(selected.size());
    for (size_t s = 0; s < selected.size(); ++s) labels[s] = comment.themes[selected[s]];
    comment.themes = std::move(labels);
    (is_test(i) ? dataset.test : dataset.train).push_back(std::move(comment));
  }
  return dataset;
}

}  // namespace caredesk::feedback
