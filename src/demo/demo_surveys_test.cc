#include "demo/demo_surveys.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "app/app_test_fixture.h"
#include "app/audit_log.h"
#include "app/auth_service.h"
#include "app/comment_service.h"
#include "app/survey_service.h"
#include "core/civil_time.h"
#include "core/text.h"
#include "demo/demo_generator.h"
#include "domain/feedback/csv.h"
#include "domain/feedback/pxtextmining_split.h"
#include "domain/security/credentials.h"
#include "domain/surveys/survey_response.h"
#include "storage/survey_repository.h"
#include "storage/testing/test_database.h"

namespace caredesk {
namespace {

using testing::Backend;

// Monday 2025-03-10 17:00 UTC.
constexpr int64_t kNowMs = 1741626000000;
constexpr int64_t kDayMs = 86'400'000;

std::filesystem::path DataDir() {
  if (const char* dir = std::getenv("CAREDESK_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  return std::filesystem::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data";
}

struct Made {
  std::unique_ptr<testing::TestDatabase> db;
  SurveysDemoReport report;
};

// A clinic with two months of visits and its manager, then the surveys demo.
Result<Made> Make(Backend backend, const std::string& data_dir, int64_t patients) {
  Made m;
  CD_ASSIGN_OR_RETURN(m.db, testing::TestDatabase::Create(backend, 4));
  DemoOptions o;
  o.patients = patients;
  o.providers = 40;
  o.seed = 11;
  o.history_days = 60;
  o.future_days = 2;
  o.now = FromMillis(kNowMs);
  CD_RETURN_IF_ERROR(GenerateDemo(m.db->pool(), o));
  FakeClock clock(o.now);
  AuditLog audit(m.db->pool(), clock);
  AuthService auth(m.db->pool(), clock, audit, SessionPolicy{});
  Actor cli{0, "test", Role::kAdmin, "local", 0};
  CD_RETURN_IF_ERROR(auth.CreateUser(cli, NewUser{"manager", "manager", "manager", "a-long-test-password-1", std::nullopt, ""}));
  SurveysDemoOptions s;
  s.seed = o.seed;
  s.now = o.now;
  s.window_days = 60;
  s.data_dir = data_dir;
  s.feedback_csv = (DataDir() / "feedback_pxtextmining" / "v6framework_230831.csv").string();
  s.model_path = "/nonexistent/feedback.model";
  CD_ASSIGN_OR_RETURN(m.report, GenerateSurveysDemo(m.db->pool(), s));
  return m;
}

// The trimmed answers of the pxtextmining data set to questions of kind `question`.
std::set<std::string> DataSetAnswers(feedback::QuestionKind question) {
  std::set<std::string> answers;
  std::ifstream in(DataDir() / "feedback_pxtextmining" / "v6framework_230831.csv", std::ios::binary);
  auto table = feedback::ReadCsvTable(in);
  if (!table.ok()) return answers;
  auto data = feedback::SplitPxtextmining(*table);
  if (!data.ok()) return answers;
  for (const auto* part : {&data->train, &data->test}) {
    for (const auto& c : *part) {
      if (c.question == question) answers.emplace(TrimSpace(c.text));
    }
  }
  return answers;
}

int64_t Count(db::Pool& pool, const std::string& sql) {
  auto conn = pool.Acquire();
  auto rs = conn->Query(sql);
  EXPECT_TRUE(rs.ok()) << sql << ": " << (rs.ok() ? "" : rs.error().message);
  return rs.ok() ? rs->Int(0, 0) : -1;
}

// The clinics are slow to make (PostgreSQL especially): each is made once per backend and shared
// by the tests that only read it.
std::map<std::pair<Backend, int>, Made>& Cache() {
  static auto* cache = new std::map<std::pair<Backend, int>, Made>();
  return *cache;
}

class SurveysDemoTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { ASSERT_TRUE(InitCrypto().ok()); }
  static void TearDownTestSuite() { Cache().clear(); }

  // Clinic `which` (0 and 1: the same seed twice, with the HCAHPS tables; 2: without them).
  Made* Get(int which) {
    auto key = std::make_pair(GetParam(), which);
    auto it = Cache().find(key);
    if (it == Cache().end()) {
      // The built-in survey only needs some responses to check: a smaller clinic.
      auto made = which == 2 ? Make(GetParam(), "/nonexistent/data", 400) : Make(GetParam(), DataDir().string(), 1500);
      EXPECT_TRUE(made.ok()) << made.error().message;
      if (!made.ok()) return nullptr;
      it = Cache().emplace(key, std::move(made).value()).first;
    }
    return &it->second;
  }
};

TEST_P(SurveysDemoTest, ResponsesFollowTheNationalResultsAndValidate) {
  Made* made = Get(0);
  ASSERT_NE(made, nullptr);
  auto& pool = made->db->pool();
  const auto& r = made->report;
  EXPECT_TRUE(r.hcahps) << r.note;
  EXPECT_EQ(r.survey_id, "hcahps");
  EXPECT_EQ(r.release, "07_2023");
  EXPECT_TRUE(r.texts_from_data_set) << "the pxtextmining data set under " << DataDir();
  EXPECT_FALSE(r.comments_judged);
  EXPECT_GT(r.visits, 1000);
  EXPECT_GT(r.invitations, 0);
  EXPECT_LE(r.invitations, kMaxDemoInvitations);
  EXPECT_LE(r.responses, kMaxDemoResponses);
  // About 40% of the visits are invited.
  EXPECT_NEAR(static_cast<double>(r.invitations) / static_cast<double>(r.visits), 0.4, 0.03);
  const double rate = static_cast<double>(r.responses) / static_cast<double>(r.invitations);
  EXPECT_GE(rate, 0.2);
  EXPECT_LE(rate, 0.35);
  EXPECT_GT(r.emailed, 0);
  EXPECT_GT(r.invitations - r.emailed, 0) << "some print slips";
  EXPECT_GT(r.reminded, 0);
  EXPECT_GT(r.opted_out, 0);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_invitations"), r.invitations);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_responses"), r.responses);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_opt_outs"), r.opted_out);

  // Nothing for the dispatcher to send; email invitations are sent, the rest are print slips.
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_invitations WHERE next_send_at IS NOT NULL"), 0);
  EXPECT_EQ(Count(pool,
                  "SELECT COUNT(*) FROM survey_invitations WHERE channel = 'email' AND "
                  "(sent_at IS NULL OR email = '')"),
            0);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_invitations WHERE channel = 'print' AND sent_at IS NOT NULL"), 0);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_invitations WHERE channel NOT IN ('email', 'print')"), 0);
  // Issued after the visit; answered once, within the link's life, before now, through a link.
  EXPECT_EQ(Count(pool,
                  "SELECT COUNT(*) FROM survey_invitations i JOIN encounters e ON e.id = i.encounter_id "
                  "WHERE e.state <> 'completed' OR i.issued_at <= e.ended_at OR i.expires_at <= i.issued_at"),
            0);
  EXPECT_EQ(Count(pool,
                  "SELECT COUNT(*) FROM survey_invitations i WHERE (i.used_at IS NULL) <> "
                  "(NOT EXISTS (SELECT 1 FROM survey_responses x WHERE x.invitation_id = i.id))"),
            0);
  EXPECT_EQ(Count(pool,
                  "SELECT COUNT(*) FROM survey_responses x JOIN survey_invitations i ON i.id = x.invitation_id "
                  "WHERE x.received_at <> i.used_at OR x.received_at < i.issued_at OR "
                  "x.received_at >= i.expires_at OR x.received_at >= " +
                      std::to_string(kNowMs)),
            0);
  EXPECT_EQ(Count(pool,
                  "SELECT COUNT(*) FROM survey_invitations i WHERE NOT EXISTS (SELECT 1 FROM survey_tokens t "
                  "WHERE t.invitation_id = i.id) AND (i.sent_at IS NOT NULL OR i.printed_at IS NOT NULL)"),
            0);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_tokens"), r.emailed + r.printed + r.reminded);
  // Nothing is sent after an opt-out, and an opted-out patient is not invited again.
  EXPECT_EQ(Count(pool,
                  "SELECT COUNT(*) FROM survey_invitations i JOIN survey_opt_outs o ON o.patient_id = "
                  "i.patient_id WHERE i.last_reminder_at >= o.at OR i.sent_at >= o.at OR i.issued_at >= o.at"),
            0);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_tokens WHERE LENGTH(token_hash) <> 64"), 0);

  // Free-text answers are the survey comments, on about 35% of the responses.
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM comments WHERE source = 'survey'"), r.comments);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_answers WHERE text IS NOT NULL"), r.comments);
  EXPECT_NEAR(static_cast<double>(r.comments) / static_cast<double>(r.responses), 0.35, 0.06);
  EXPECT_EQ(Count(pool,
                  "SELECT COUNT(*) FROM comments c JOIN survey_responses x ON x.id = c.source_id "
                  "WHERE c.source = 'survey' AND (c.location_id <> x.location_id OR c.at <> x.received_at)"),
            0);

  // The comment box asks "Is there anything else you would like to tell us about your care?", a
  // nonspecific question: the comments are the data set's answers to nonspecific questions, not
  // "Nothing." answering "What could we do better?".
  auto conn = pool.Acquire();
  {
    const std::set<std::string> nonspecific = DataSetAnswers(feedback::QuestionKind::kNonspecific);
    ASSERT_FALSE(nonspecific.empty());
    auto texts = conn->Query("SELECT text FROM comments WHERE source = 'survey'");
    ASSERT_TRUE(texts.ok());
    ASSERT_GT(texts->size(), 0u);
    size_t misfits = 0;
    std::string example;
    for (size_t i = 0; i < texts->size(); ++i) {
      if (nonspecific.contains(texts->Text(i, 0))) continue;
      ++misfits;
      example = texts->Text(i, 0);
    }
    EXPECT_EQ(misfits, 0u) << "e.g. " << example;
  }

  // Every response answers every scored item and validates against its version.
  auto stored = db::SurveyRepository::LoadVersion(*conn, "hcahps", 1);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  const auto& def = (*stored)->definition;
  size_t scored_items = 0;
  for (const auto& item : def.items()) scored_items += surveys::IsScoredKind(item.kind) ? 1 : 0;
  EXPECT_EQ(scored_items, 19u);
  auto rows = db::SurveyRepository::LoadResponses(*conn, {"hcahps", 1, "", "", std::nullopt});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(static_cast<int64_t>(rows->size()), r.responses);
  for (const auto& row : *rows) {
    surveys::SurveyResponse response{std::to_string(row.id), def.key(), {}, row.answers};
    auto valid = surveys::ValidateResponse(def, response);
    ASSERT_TRUE(valid.ok()) << "response " << row.id << ": " << valid.error().message;
    size_t values = 0;
    for (const auto& a : row.answers) values += a.value ? 1 : 0;
    ASSERT_EQ(values, scored_items) << "response " << row.id;
  }

  // The settings: switched on, nothing to email.
  FakeClock clock(FromMillis(kNowMs));
  AuditLog audit(pool, clock);
  CommentService comments(pool, clock, audit, "/nonexistent/feedback.model");
  SurveyService service(pool, clock, audit, comments, nullptr, DataDir().string());
  auto settings = service.Settings();
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->active_survey_id, "hcahps");
  EXPECT_EQ(settings->send_after_hours, 2);
  EXPECT_EQ(settings->expires_days, 30);
  EXPECT_EQ(settings->reminder_after_days, 7);
  EXPECT_EQ(settings->max_reminders, 1);
  EXPECT_EQ(settings->public_base_url, "http://127.0.0.1:8080");

  // Over the window, each measure's top box is near the national figure.
  Actor manager{0, "manager", Role::kManager, "local", 0};
  ScoreQuery q;
  q.from = InstantToLocal(FromMillis(kNowMs - 60 * kDayMs), "UTC").date.ToString();
  q.to = InstantToLocal(FromMillis(kNowMs), "UTC").date.ToString();
  auto overall = service.Scores(manager, "hcahps", q);
  ASSERT_TRUE(overall.ok()) << overall.error().message;
  EXPECT_EQ(overall->overall.responses, r.responses);
  const std::map<std::string, double> national = {
      {"H_CLEAN_HSP", 72}, {"H_COMP_1", 79}, {"H_COMP_2", 79},     {"H_COMP_3", 65},    {"H_COMP_5", 61},
      {"H_COMP_6", 86},    {"H_COMP_7", 51}, {"H_HSP_RATING", 70}, {"H_QUIET_HSP", 62}, {"H_RECMND", 69}};
  for (const auto& [id, top] : national) {
    const auto* m = overall->overall.FindMeasure(id);
    ASSERT_NE(m, nullptr) << id;
    ASSERT_TRUE(m->boxes.has_value()) << id;
    EXPECT_NEAR(m->boxes->top, top, 5.0) << id;
  }

  // By location: the planted dip scores lower on nurse communication and the overall rating than
  // every other location, and response rates differ.
  ASSERT_GT(r.dip_location_id, 0);
  q.group_by = "location";
  auto by = service.Scores(manager, "hcahps", q);
  ASSERT_TRUE(by.ok()) << by.error().message;
  ASSERT_GE(by->groups.size(), 2u);
  std::map<std::string, std::pair<double, double>> tops;  // location → (nurses, rating)
  double min_rate = 1, max_rate = 0;
  for (const auto& g : by->groups) {
    tops[g.key] = {g.scores.FindMeasure("H_COMP_1")->boxes->top, g.scores.FindMeasure("H_HSP_RATING")->boxes->top};
    ASSERT_TRUE(g.response_rate.has_value());
    min_rate = std::min(min_rate, *g.response_rate);
    max_rate = std::max(max_rate, *g.response_rate);
  }
  ASSERT_TRUE(tops.count(r.dip_location_name)) << r.dip_location_name;
  const auto dip = tops[r.dip_location_name];
  for (const auto& [name, t] : tops) {
    if (name == r.dip_location_name) continue;
    EXPECT_LT(dip.first, t.first) << "nurse communication at " << r.dip_location_name << " vs " << name;
    EXPECT_LT(dip.second, t.second) << "overall rating at " << r.dip_location_name << " vs " << name;
  }
  EXPECT_GT(max_rate - min_rate, 0.06);
}

TEST_P(SurveysDemoTest, TheSameSeedGivesTheSameSurveys) {
  Made* a = Get(0);
  Made* b = Get(1);
  ASSERT_TRUE(a != nullptr && b != nullptr);
  auto fingerprint = [](Made* m) {
    auto& pool = m->db->pool();
    return std::make_tuple(m->report.invitations, m->report.responses, m->report.comments, m->report.emailed,
                           m->report.reminded, Count(pool, "SELECT COUNT(*) FROM survey_answers"),
                           Count(pool, "SELECT COALESCE(SUM(value), 0) FROM survey_answers"),
                           Count(pool,
                                 "SELECT COALESCE(SUM(a.value * (x.id % 7)), 0) FROM survey_answers a "
                                 "JOIN survey_responses x ON x.id = a.response_id"),
                           Count(pool, "SELECT COALESCE(SUM(used_at % 1000003), 0) FROM survey_invitations"),
                           Count(pool, "SELECT COALESCE(SUM(LENGTH(text)), 0) FROM comments WHERE source = 'survey'"));
  };
  EXPECT_EQ(fingerprint(a), fingerprint(b));
  EXPECT_EQ(a->report.dip_location_id, b->report.dip_location_id);
}

TEST_P(SurveysDemoTest, WithoutTheHcahpsTablesABuiltInSurvey) {
  Made* made = Get(2);
  ASSERT_NE(made, nullptr);
  auto& pool = made->db->pool();
  const auto& r = made->report;
  EXPECT_FALSE(r.hcahps);
  EXPECT_NE(r.note, "");
  EXPECT_EQ(r.release, "07_2023");
  EXPECT_GT(r.responses, 0);
  auto conn = pool.Acquire();
  auto stored = db::SurveyRepository::LoadVersion(*conn, r.survey_id, 1);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  const auto& def = (*stored)->definition;
  ASSERT_EQ(def.items().size(), 6u);
  std::set<std::string> kinds;
  for (const auto& item : def.items()) kinds.insert(std::string(surveys::ItemKindName(item.kind)));
  EXPECT_EQ(kinds, (std::set<std::string>{"frequency", "yes_no", "rating_0_10", "recommend", "nps", "free_text"}));
  auto rows = db::SurveyRepository::LoadResponses(*conn, {r.survey_id, 1, "", "", std::nullopt});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(static_cast<int64_t>(rows->size()), r.responses);
  for (const auto& row : *rows) {
    surveys::SurveyResponse response{std::to_string(row.id), def.key(), {}, row.answers};
    auto valid = surveys::ValidateResponse(def, response);
    ASSERT_TRUE(valid.ok()) << "response " << row.id << ": " << valid.error().message;
  }
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM settings WHERE key = 'surveys.active_survey_id' AND value = '" +
                            r.survey_id + "'"),
            1);

  // The server's dispatcher, run now without SMTP, emails and reminds nobody; it only invites the
  // visits of the last day that the sample left out, as print slips.
  FakeClock clock(FromMillis(kNowMs));
  AuditLog audit(pool, clock);
  CommentService comments(pool, clock, audit, "/nonexistent/feedback.model");
  SurveyService service(pool, clock, audit, comments, nullptr, "/nonexistent/data");
  const int64_t before = Count(pool, "SELECT COUNT(*) FROM survey_invitations");
  auto dispatched = service.Dispatch();
  ASSERT_TRUE(dispatched.ok()) << dispatched.error().message;
  EXPECT_EQ(dispatched->emailed, 0);
  EXPECT_EQ(dispatched->reminded, 0);
  EXPECT_EQ(dispatched->invited, dispatched->to_print);
  EXPECT_LE(dispatched->invited, Count(pool,
                                       "SELECT COUNT(*) FROM encounters WHERE state = 'completed' AND "
                                       "ended_at >= " +
                                           std::to_string(kNowMs - kDayMs)));
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM survey_invitations"), before + dispatched->invited);
  EXPECT_EQ(Count(pool,
                  "SELECT COUNT(*) FROM survey_invitations i JOIN encounters e ON e.id = i.encounter_id "
                  "WHERE i.issued_at = " +
                      std::to_string(kNowMs) + " AND e.ended_at < " + std::to_string(kNowMs - kDayMs)),
            0);
}

CAREDESK_INSTANTIATE_BACKENDS(SurveysDemoTest);

}  // namespace
}  // namespace caredesk
