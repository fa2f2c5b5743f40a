#include "app/comment_service.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "app/scheduling_fixture.h"
#include "domain/feedback/feedback_model_io.h"
#include "domain/feedback/feedback_test_data.h"
#include "domain/feedback/feedback_trainer.h"
#include "storage/user_repository.h"

namespace caredesk {
namespace {

class CommentServiceTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    auto comments = feedback::testing::QuestionDependentComments();
    auto model = feedback::TrainFeedbackModel(comments, feedback::testing::SyntheticThemes());
    ASSERT_TRUE(model.ok()) << model.error().message;
    path_ = (std::filesystem::temp_directory_path() / ("cd-comments-" + std::to_string(::getpid()) + ".model")).string();
    std::ofstream(path_, std::ios::binary) << feedback::SerializeModel(*model);
    service_ = std::make_unique<CommentService>(pool(), clock_, *audit_, path_);
  }
  void TearDown() override {
    std::filesystem::remove(path_);
    ClinicTest::TearDown();
  }
  void Record(const std::string& text, const char* iso, const std::string& department = "",
              std::optional<int64_t> location = std::nullopt,
              feedback::QuestionKind question = feedback::QuestionKind::kNonspecific) {
    auto conn = pool().Acquire();
    CommentInput in{"survey",    1, location.value_or(location_.id), "America/New_York", department, std::nullopt,
                    At(iso),     text};
    in.question = question;
    auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      CD_RETURN_IF_ERROR(service_->RecordInTx(c, in));
      return Ok();
    });
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  std::string path_;
  std::unique_ptr<CommentService> service_;
};

TEST_P(CommentServiceTest, JudgesEachCommentAndCountsThemesByLocalMonth) {
  ASSERT_TRUE(service_->model_info().loaded) << service_->model_info().error;
  Record("the staff were kind", "2025-01-31T23:30:00-05:00");  // 04:30 UTC on 1 February: January locally
  Record("the wait was far too long", "2025-02-03T10:00:00-05:00", "Radiology");
  Record("waited hours for the ambulance", "2025-02-04T10:00:00-05:00", "Radiology");
  db::CommentFilter f;
  auto t = service_->Trends(admin_, f, "month", /*units_by_department=*/true);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->periods, (std::vector<std::string>{"2025-01", "2025-02"}));
  std::map<std::pair<std::string, std::string>, int64_t> themes;
  for (const auto& g : t->themes) themes[{g.group, g.key}] = g.count;
  EXPECT_EQ((themes[{"2025-01", "Staff manner"}]), 1);
  EXPECT_EQ((themes[{"2025-02", "Timeliness"}]), 2);
  std::map<std::pair<std::string, std::string>, int64_t> units;
  for (const auto& g : t->units) units[{g.group, g.key}] = g.count;
  EXPECT_EQ((units[{"Main Street Clinic / Radiology", "negative"}]), 2);
  EXPECT_EQ((units[{"Main Street Clinic", "positive"}]), 1);

  f.theme = "Timeliness";
  auto list = service_->List(admin_, f);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->second, 2);
  EXPECT_EQ(list->first.front().text, "waited hours for the ambulance");  // newest first
  EXPECT_EQ(list->first.front().themes, (std::vector<std::string>{"Timeliness"}));
  EXPECT_EQ(list->first.front().sentiment, "negative");
  f = {};
  f.from_date = "2025-02-01";
  f.text = "STAFF";
  EXPECT_EQ(service_->List(admin_, f)->second, 0);  // the staff comment is January's locally
}

TEST_P(CommentServiceTest, JudgesACommentWithTheQuestionItAnswers) {
  using feedback::QuestionKind;
  EXPECT_EQ(service_->Classify("nothing", QuestionKind::kCouldImprove)->sentiment, feedback::Sentiment::kPositive);
  EXPECT_EQ(service_->Classify("nothing", QuestionKind::kWhatGood)->sentiment, feedback::Sentiment::kNegative);
  Record("nothing", "2025-02-03T10:00:00-05:00", "Praise", std::nullopt, QuestionKind::kCouldImprove);
  Record("nothing", "2025-02-03T11:00:00-05:00", "Complaint", std::nullopt, QuestionKind::kWhatGood);
  db::CommentFilter f;
  f.department = "Praise";
  EXPECT_EQ(service_->List(admin_, f)->first.at(0).sentiment, "positive");
  f.department = "Complaint";
  EXPECT_EQ(service_->List(admin_, f)->first.at(0).sentiment, "negative");
}

TEST_P(CommentServiceTest, WithoutAModelCommentsAreStoredUnjudged) {
  CommentService none(pool(), clock_, *audit_, "/nonexistent/feedback.model");
  EXPECT_FALSE(none.model_info().loaded);
  EXPECT_NE(none.model_info().error.find("/nonexistent/feedback.model"), std::string::npos);
  auto conn = pool().Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    return none.RecordInTx(c, {"case", 7, location_.id, "America/New_York", "", std::nullopt, clock_.Now(), "hello"})
        .ok()
        ? Ok()
        : Status(Error::Internal("record failed"));
  });
  ASSERT_TRUE(st.ok());
  auto list = none.List(admin_, {});
  ASSERT_EQ(list->second, 1);
  EXPECT_EQ(list->first.front().sentiment, "");
  EXPECT_TRUE(list->first.front().themes.empty());
  EXPECT_FALSE(none.Reload().ok());  // still no file
}

TEST_P(CommentServiceTest, StaffReadTheirOwnUnitsCommentsOnlyAndManagersEveryUnits) {
  auto other = schedule_->SaveLocation(admin_, Location{0, "Hillside Clinic", "America/New_York"});
  ASSERT_TRUE(other.ok());
  Record("the staff were kind", "2025-02-03T10:00:00-05:00", "Radiology");
  Record("the wait was far too long", "2025-02-03T11:00:00-05:00", "Cardiology");
  Record("parking was impossible", "2025-02-03T12:00:00-05:00", "Radiology", other->id);
  // A coordinator of Radiology at Main Street, asking for every location.
  auto add_user = [&](const std::string& name, const char* role, std::optional<int64_t> location,
                      const std::string& department) {
    db::UserRow u;
    u.username = name;
    u.display_name = name;
    u.role = role;
    u.password_hash = "x";
    u.location_id = location;
    u.department = department;
    auto conn = pool().Acquire();
    auto id = db::UserRepository::Insert(*conn, u);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    return Actor{id.ok() ? *id : 0, name, *ParseRole(role), "127.0.0.1", 0};
  };
  const Actor radiology = add_user("rad", "coordinator", location_.id, "Radiology");
  const Actor main_street = add_user("ms", "clinician", location_.id, "");
  const Actor nowhere = add_user("nowhere", "coordinator", std::nullopt, "");
  auto texts = [&](const Actor& who, db::CommentFilter f) {
    std::vector<std::string> out;
    auto page = service_->List(who, f);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
    if (page.ok()) {
      for (const auto& c : page->first) out.push_back(c.text);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(texts(radiology, {}), std::vector<std::string>{"the staff were kind"});
  db::CommentFilter elsewhere;
  elsewhere.location_id = other->id;  // asking for another unit changes nothing
  elsewhere.department = "Cardiology";
  EXPECT_EQ(texts(radiology, elsewhere), std::vector<std::string>{"the staff were kind"});
  EXPECT_EQ(texts(main_street, {}), (std::vector<std::string>{"the staff were kind", "the wait was far too long"}));
  EXPECT_EQ(texts(admin_, {}).size(), 3u);
  auto trends = service_->Trends(radiology, {}, "month", false);
  ASSERT_TRUE(trends.ok());
  int64_t counted = 0;
  for (const auto& g : trends->sentiment) counted += g.count;
  EXPECT_EQ(counted, 1);
  auto refused = service_->List(nowhere, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
}

CAREDESK_INSTANTIATE_BACKENDS(CommentServiceTest);

}  // namespace
}  // namespace caredesk
