#include "domain/feedback/feedback_pipeline.h"

#include <iterator>
#include <utility>

#include "domain/feedback/csv.h"
#include "domain/feedback/feedback_model_io.h"

namespace caredesk::feedback {

Result<FeedbackTrainingReport> TrainFeedbackModelFromCsv(std::istream& pxtextmining_csv, std::ostream& model_out,
                                                         const FeedbackTrainingOptions& options) {
  CD_ASSIGN_OR_RETURN(CsvTable table, ReadCsvTable(pxtextmining_csv));
  CD_ASSIGN_OR_RETURN(FeedbackDataset dataset, SplitPxtextmining(table, options.split));
  if (options.train_on_all_rows) {
    dataset.train.insert(dataset.train.end(), std::make_move_iterator(dataset.test.begin()),
                         std::make_move_iterator(dataset.test.end()));
    dataset.test.clear();
  }
  CD_ASSIGN_OR_RETURN(FeedbackModel model, TrainFeedbackModel(dataset.train, dataset.themes, options.train));

  FeedbackTrainingReport report;
  report.themes = dataset.themes;
  report.training_comments = dataset.train.size();
  report.test_comments = dataset.test.size();
  report.question_column = dataset.has_question_column;
  report.vocabulary_size = model.parts().vectorizer.size();
  report.embedding_words = model.parts().vectorizer.embedding().size();
  if (!options.train_on_all_rows) {
    CD_ASSIGN_OR_RETURN(report.test, EvaluateModel(model, dataset.test));
  }
  const std::string bytes = SerializeModel(model);
  report.model_bytes = bytes.size();
  model_out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  model_out.flush();
  if (!model_out) return Error::Invalid("model", "could not write the model", "model_write_failed");
  return report;
}

Result<size_t> ClassifyCommentLines(const FeedbackModel& model, std::istream& comments, std::ostream& out,
                                    QuestionKind question) {
  out << FormatCsvRow({"comment", "sentiment", "themes"});
  size_t classified = 0;
  std::string line;
  while (std::getline(comments, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const Classification c = model.Classify(line, question);
    std::string themes;
    for (const std::string& theme : c.themes) {
      if (!themes.empty()) themes += "; ";
      themes += theme;
    }
    out << FormatCsvRow({line, std::string(SentimentName(c.sentiment)), themes});
    ++classified;
  }
  if (comments.bad()) return Error::Invalid("comments", "could not read the comments", "read_failed");
  out.flush();
  if (!out) return Error::Invalid("output", "could not write the classifications", "write_failed");
  return classified;
}

}  // namespace caredesk::feedback
