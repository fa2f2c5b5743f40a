// What patients write, judged by the comment classifier: every free-text
// comment (a complaint's description, a survey comment, a compliment) is
// stored with the themes and sentiment the loaded model gives it, and the
// manager's views count them by theme and period, by sentiment and unit, and
// list them with filters.
//
// The model is read from a file at start (`caredesk feedback train` writes
// one; `make build` ships build/feedback.model) and may be reloaded after the
// customer retrains it on their own labelled comments. Without a model,
// comments are stored unjudged and the views say so. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "core/clock.h"
#include "domain/feedback/feedback_model.h"
#include "domain/feedback/question_kind.h"
#include "storage/comment_repository.h"
#include "storage/pool.h"

namespace caredesk {

namespace audit_category {
inline constexpr char kComments[] = "comments";
}

struct CommentInput {
  std::string source;  // case | survey
  int64_t source_id = 0;
  std::optional<int64_t> location_id;
  std::string time_zone;  // of the location, for the local date
  std::string department;
  std::optional<int64_t> provider_id;
  TimePoint at{};
  std::string text;
  // The kind of question the text answers, which the classifier reads with it: a survey answer's
  // from its item's prompt (feedback::QuestionKindOfPrompt); complaints and compliments answer
  // no question (nonspecific).
  feedback::QuestionKind question = feedback::QuestionKind::kNonspecific;
};

struct ModelInfo {
  bool loaded = false;
  std::string path;
  std::string id;  // a digest of the model file
  std::vector<std::string> themes;
  std::string error;  // why none is loaded
};

struct ThemeTrends {
  std::vector<std::string> periods;  // ascending
  std::vector<db::GroupCount> themes;     // group = period, key = theme
  std::vector<db::GroupCount> sentiment;  // group = period, key = sentiment
  std::vector<db::GroupCount> units;      // group = unit, key = sentiment
};

class CommentService {
 public:
  CommentService(db::Pool& pool, const Clock& clock, AuditLog& audit, std::string model_path);

  // Loads (or loads again) the model file; on failure keeps the previous one.
  Result<ModelInfo> Reload();
  ModelInfo model_info() const;
  // The judgement of `text`, an answer to a question of kind `question`, by the loaded model;
  // nullopt without one.
  std::optional<feedback::Classification> Classify(
      std::string_view text, feedback::QuestionKind question = feedback::QuestionKind::kNonspecific) const;

  // Judges and stores a comment inside the caller's write transaction.
  Result<int64_t> RecordInTx(db::Connection& c, const CommentInput& in);

  // Managers and admins (analytics.read) read every unit's comments; other staff with comments.read only their
  // own unit's: the location (and department, when set) of their account — whatever the filter asks. Staff
  // without a unit get Error::Forbidden.
  Result<std::pair<std::vector<db::CommentRow>, int64_t>> List(const Actor& by, db::CommentFilter filter);
  // `interval`: "day" or "month".
  Result<ThemeTrends> Trends(const Actor& by, db::CommentFilter filter, std::string_view interval,
                             bool units_by_department);

 private:
  // Narrows `filter` to the actor's unit unless the actor may read every unit's.
  Status ScopeToUnit(db::Connection& c, const Actor& by, db::CommentFilter& filter);

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  std::string path_;
  mutable std::mutex mu_;
  std::shared_ptr<const feedback::FeedbackModel> model_;  // guarded by mu_ (the pointer; the model is immutable)
  ModelInfo info_;                                        // guarded by mu_
};

}  // namespace caredesk
