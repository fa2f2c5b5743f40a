// caredesk feedback train | classify: the comment classifier on the command
// line. The file handling and timing live here; training and classification
// are caredesk_feedback's.
#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "domain/feedback/feedback_model_io.h"
#include "domain/feedback/feedback_pipeline.h"
#include "domain/feedback/question_kind.h"
#include "domain/feedback/word_vectors.h"

namespace caredesk {

std::string DefaultFeedbackModelPath() {
  if (const char* env = std::getenv("CAREDESK_FEEDBACK_MODEL"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "feedback.model";
  return (exe.parent_path() / "feedback.model").string();
}

std::filesystem::path DefaultDataDir() {
  if (const char* env = std::getenv("CAREDESK_DATA_DIR"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    // build/caredesk in a clone that has ../shared beside it.
    auto beside = exe.parent_path().parent_path().parent_path() / "shared" / "data";
    if (std::filesystem::is_directory(beside, ec)) return beside;
  }
  return std::filesystem::path("..") / "shared" / "data";
}

int RunFeedbackTrain(const std::string& data, const std::string& out, bool all_rows,
                     const std::string& word_vectors) {
  std::ifstream in(data, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << data
              << " (the pxtextmining v6framework CSV; see ../shared/data/feedback_pxtextmining)\n";
    return 2;
  }
  feedback::FeedbackTrainingOptions options;
  options.train_on_all_rows = all_rows;
  if (!word_vectors.empty()) {
    std::ifstream vectors_in(word_vectors, std::ios::binary);
    if (!vectors_in) {
      std::cerr << "error: cannot read the word vectors " << word_vectors << " (made by the build, see "
                << "src/domain/feedback/README.md)\n";
      return 2;
    }
    auto vectors = feedback::LoadWordVectors(vectors_in);
    if (!vectors.ok()) {
      std::cerr << "error: " << word_vectors << ": " << vectors.error().message << "\n";
      return 2;
    }
    options.train.word_vectors = std::make_shared<const feedback::WordVectors>(std::move(vectors).value());
  }
  // Written to a temporary file and renamed, so a failed run never leaves a
  // truncated model where the server looks for one.
  std::filesystem::path target(out);
  if (target.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
  }
  std::filesystem::path tmp = target;
  tmp += ".tmp";
  auto started = std::chrono::steady_clock::now();
  Result<feedback::FeedbackTrainingReport> report = [&]() -> Result<feedback::FeedbackTrainingReport> {
    std::ofstream model(tmp, std::ios::binary | std::ios::trunc);
    if (!model) return Error::Invalid("out", "cannot write " + tmp.string());
    auto r = feedback::TrainFeedbackModelFromCsv(in, model, options);
    model.close();
    if (r.ok() && !model) return Error::Invalid("out", "cannot write " + tmp.string());
    return r;
  }();
  if (!report.ok()) {
    std::filesystem::remove(tmp);
    std::cerr << "error: " << report.error().message << "\n";
    return 1;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    std::cerr << "error: cannot write " << out << ": " << ec.message() << "\n";
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& r = report.value();
  std::printf(
      "trained on %zu comments (%zu held out) in %.1f s: %zu themes, %zu features, %zu word vectors, model %zu bytes "
      "-> %s\n",
      r.training_comments, r.test_comments, seconds, r.themes.size(), r.vocabulary_size, r.embedding_words,
      r.model_bytes, out.c_str());
  const std::string question_column(feedback::kPxtextminingQuestionColumn);
  if (r.question_column) {
    std::printf("question kinds: from the \"%s\" column\n", question_column.c_str());
  } else {
    std::printf("question kinds: no \"%s\" column, every comment taken as nonspecific\n", question_column.c_str());
  }
  if (r.test) {
    std::printf("test set: theme macro-F1 %.3f over %zu comments; sentiment accuracy %.3f over %zu\n",
                r.test->macro_f1, r.test->comments, r.test->sentiment_accuracy, r.test->sentiment_comments);
    for (const auto& t : r.test->themes) std::printf("  %-58s F1 %.3f\n", t.theme.c_str(), t.f1);
  }
  return 0;
}

int RunFeedbackClassify(const std::string& model_path, const std::string& question) {
  const std::optional<feedback::QuestionKind> kind = feedback::ParseQuestionKind(question);
  if (!kind) {
    std::cerr << "error: --question: \"" << question << "\" is not what_good, could_improve or nonspecific\n";
    return 2;
  }
  std::ifstream in(model_path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read the model " << model_path << " (build it with `make build` or `caredesk feedback train`)\n";
    return 2;
  }
  auto model = feedback::LoadModel(in);
  if (!model.ok()) {
    std::cerr << "error: " << model_path << ": " << model.error().message << "\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto c = model.value().Classify(line, *kind);
    boost::json::array themes;
    for (const auto& t : c.themes) themes.emplace_back(t);
    boost::json::object o{{"themes", std::move(themes)}, {"sentiment", feedback::SentimentName(c.sentiment)}};
    std::cout << boost::json::serialize(o) << '\n';
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace caredesk
