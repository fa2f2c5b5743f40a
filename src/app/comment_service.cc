#include "app/comment_service.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "core/civil_time.h"
#include "domain/feedback/feedback_model_io.h"
#include "domain/feedback/sentiment.h"
#include "domain/security/permissions.h"
#include "storage/user_repository.h"

namespace caredesk {
namespace {

// FNV-1a 64 of the file: which model judged a comment.
std::string Digest(const std::string& bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

constexpr size_t kMaxCommentBytes = 20'000;

}  // namespace

CommentService::CommentService(db::Pool& pool, const Clock& clock, AuditLog& audit, std::string model_path)
    : pool_(pool), clock_(clock), audit_(audit), path_(std::move(model_path)) {
  info_.path = path_;
  (void)Reload();
}

Result<ModelInfo> CommentService::Reload() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    std::lock_guard lock(mu_);
    if (!model_) info_.error = "no model file at " + path_ + " (caredesk feedback train writes one)";
    return Error::Unavailable("cannot read the comment model " + path_);
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string bytes = buf.str();
  auto model = feedback::DeserializeModel(bytes);
  if (!model.ok()) {
    std::lock_guard lock(mu_);
    if (!model_) info_.error = "the model file " + path_ + " is not usable: " + model.error().message;
    return model.error();
  }
  auto shared = std::make_shared<const feedback::FeedbackModel>(std::move(model).value());
  std::lock_guard lock(mu_);
  model_ = shared;
  info_ = ModelInfo{true, path_, Digest(bytes), shared->themes(), ""};
  return info_;
}

ModelInfo CommentService::model_info() const {
  std::lock_guard lock(mu_);
  return info_;
}

std::optional<feedback::Classification> CommentService::Classify(std::string_view text,
                                                                 feedback::QuestionKind question) const {
  std::shared_ptr<const feedback::FeedbackModel> model;
  {
    std::lock_guard lock(mu_);
    model = model_;
  }
  if (!model) return std::nullopt;
  return model->Classify(text, question);
}

Result<int64_t> CommentService::RecordInTx(db::Connection& c, const CommentInput& in) {
  db::CommentRow row;
  row.source = in.source;
  row.source_id = in.source_id;
  row.location_id = in.location_id;
  row.department = in.department;
  row.provider_id = in.provider_id;
  row.at = ToMillis(in.at);
  row.local_date = InstantToLocal(in.at, in.time_zone.empty() ? "UTC" : in.time_zone).date.ToString();
  row.text = in.text.substr(0, kMaxCommentBytes);
  std::shared_ptr<const feedback::FeedbackModel> model;
  std::string model_id;
  {
    std::lock_guard lock(mu_);
    model = model_;
    model_id = info_.id;
  }
  if (model) {
    auto judged = model->Classify(row.text, in.question);
    row.themes = judged.themes;
    row.sentiment = std::string(feedback::SentimentName(judged.sentiment));
    row.model = model_id;
  }
  return db::CommentRepository::Insert(c, row);
}

Status CommentService::ScopeToUnit(db::Connection& c, const Actor& by, db::CommentFilter& filter) {
  if (RoleHas(by.role, Permission::kAnalyticsRead)) return Ok();
  CD_ASSIGN_OR_RETURN(auto user, db::UserRepository::FindById(c, by.user_id));
  if (!user || !user->location_id) {
    return Error::Forbidden("your account has no unit: ask an administrator to set your location to read comments");
  }
  filter.location_id = user->location_id;
  if (!user->department.empty()) filter.department = user->department;
  return Ok();
}

Result<std::pair<std::vector<db::CommentRow>, int64_t>> CommentService::List(const Actor& by,
                                                                             db::CommentFilter filter) {
  filter.limit = std::clamp(filter.limit, 1, 200);
  filter.offset = std::max(filter.offset, 0);
  auto conn = pool_.Acquire();
  CD_RETURN_IF_ERROR(ScopeToUnit(*conn, by, filter));
  CD_ASSIGN_OR_RETURN(auto page, db::CommentRepository::List(*conn, filter));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "list", audit_category::kComments, std::nullopt, "success",
                                               std::to_string(page.first.size()) + " comments")));
  return page;
}

Result<ThemeTrends> CommentService::Trends(const Actor& by, db::CommentFilter filter, std::string_view interval,
                                           bool units_by_department) {
  int chars = 0;
  if (interval == "day") chars = 10;
  if (interval == "month") chars = 7;
  if (chars == 0) return Error::Invalid("interval", "is day or month", "invalid_interval");
  auto conn = pool_.Acquire();
  CD_RETURN_IF_ERROR(ScopeToUnit(*conn, by, filter));
  ThemeTrends t;
  CD_ASSIGN_OR_RETURN(t.themes, db::CommentRepository::ThemesByPeriod(*conn, filter, chars));
  CD_ASSIGN_OR_RETURN(t.sentiment, db::CommentRepository::SentimentByPeriod(*conn, filter, chars));
  CD_ASSIGN_OR_RETURN(t.units, db::CommentRepository::SentimentByUnit(*conn, filter, units_by_department));
  std::set<std::string> periods;
  for (const auto& g : t.sentiment) periods.insert(g.group);
  t.periods.assign(periods.begin(), periods.end());
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "report", audit_category::kComments, std::nullopt, "success",
                                               "comment themes")));
  return t;
}

}  // namespace caredesk
