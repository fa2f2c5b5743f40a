// The caredesk subcommands. Each returns the process exit code.
#pragma once

#include <filesystem>

#include <cstdint>
#include <string>
#include <vector>

#include "cli/config.h"

namespace caredesk {

int RunServe(const Config& config);
int RunMigrate(const std::string& db);
// Prints a bearer token for another system acting as `username` with SMART `scope` on /fhir/R4.
int RunTokenIssue(const std::string& db, const std::string& username, const std::string& scope, int days);
int RunUserAdd(const std::string& db, const std::string& username, const std::string& role,
               const std::string& display_name, bool password_stdin);
int RunAuditVerify(const std::string& db);
// Imports FHIR ndjson files and Bundles (fhir/importer.h), printing what was written, skipped and refused.
// Exit 0 when every resource read was written or skipped, 1 when some were refused, 2 on bad input.
int RunImportFhir(const std::string& db, const std::vector<std::string>& inputs);
int RunBackup(const std::string& db, const std::string& to);
// Rebuilds the third-next-available readings of past local days [from, to] from the bookings' history.
int RunAccessBackfill(const std::string& db, const std::string& from, const std::string& to,
                      std::optional<int64_t> location_id, bool replace);

struct DemoCommandOptions {
  std::string db;
  int64_t patients = 5000;
  int providers = 48;
  uint64_t seed = 42;
  std::string credentials_file;  // where the demo users' passwords are written (mode 600)
};
int RunDemo(const DemoCommandOptions& options);

// The shipped comment-classifier model: $CAREDESK_FEEDBACK_MODEL, else
// feedback.model in the directory of the running program (make build trains
// it there from the training rows of the pxtextmining data set).
std::string DefaultFeedbackModelPath();
// The shared data sets: $CAREDESK_DATA_DIR, else ../shared/data beside the clone of this binary.
std::filesystem::path DefaultDataDir();
// Trains on `data` and writes the model to `out` (atomically), printing the
// held-out evaluation unless `all_rows`. With `word_vectors` (a compact word
// vector file, domain/feedback/word_vectors.h) the model gets the embedding block.
// The kind of question each comment answers comes from the CSV's "FFT question"
// column; without it every comment is taken as nonspecific (and it says so).
int RunFeedbackTrain(const std::string& data, const std::string& out, bool all_rows,
                     const std::string& word_vectors = {});
// Reads comments from stdin, each an answer to a question of kind `question` (a
// feedback::QuestionKind name; another value is a usage error, exit code 2), and writes
// {"themes":[…],"sentiment":"…"} lines.
int RunFeedbackClassify(const std::string& model_path, const std::string& question = "nonspecific");

// Prints "[#####     ] 42% phase" on a terminal, plain lines otherwise.
class ProgressBar {
 public:
  void Update(std::string_view phase, int64_t done, int64_t total);
  void Finish();

 private:
  std::string phase_;
  int last_percent_ = -1;
  bool tty_ = false;
  bool checked_ = false;
};

}  // namespace caredesk
