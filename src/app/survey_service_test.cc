#include "app/survey_service.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "app/metrics_service.h"
#include "app/scheduling_fixture.h"
#include "domain/feedback/feedback_model_io.h"
#include "domain/feedback/feedback_test_data.h"
#include "domain/feedback/feedback_trainer.h"
#include "mail/testing/mime_decode.h"
#include "mail/testing/smtp_sink.h"

namespace caredesk {
namespace {

using namespace std::chrono_literals;

// The clinic of ClinicTest (New York, Monday 2025-03-10 10:00 EDT) with a survey, a local SMTP sink and
// completed visits made directly in the encounters table.
class SurveyServiceTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    auto sink = mail::testing::SmtpSink::Start();
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    sink_ = std::move(sink).value();
    mailer_ = std::make_unique<mail::SmtpSender>(mail::SmtpConfig{sink_->url(), "", "", false, 10s}, clock_);
    comments_ = std::make_unique<CommentService>(pool(), clock_, *audit_, "/nonexistent/feedback.model");
    surveys_ = MakeService();
    surveys::SurveyDraft d;
    d.id = "visit";
    d.title = "Your visit";
    d.items = {surveys::MakeItem("nurse", "Nurses listened to you", surveys::ItemKind::kFrequency, "NURSE"),
               surveys::MakeItem("explain", "Nurses explained things", surveys::ItemKind::kFrequency, "NURSE"),
               surveys::MakeItem("nps", "How likely are you to recommend us?", surveys::ItemKind::kNps),
               surveys::MakeItem("comment", "Anything else?", surveys::ItemKind::kFreeText)};
    auto created = surveys_->Create(admin_, d);
    ASSERT_TRUE(created.ok()) << created.error().message;
    SurveySettings s;
    s.active_survey_id = "visit";
    s.send_after_hours = 2;
    s.expires_days = 30;
    s.reminder_after_days = 7;
    s.max_reminders = 1;
    s.public_base_url = "https://clinic.example/";
    auto saved = surveys_->SaveSettings(admin_, s);
    ASSERT_TRUE(saved.ok()) << saved.error().message;
  }
  std::unique_ptr<SurveyService> MakeService() {
    return std::make_unique<SurveyService>(pool(), clock_, *audit_, *comments_, mailer_.get(), "/nonexistent");
  }
  int64_t Patient(const std::string& given, const std::string& email, const std::string& method = "email") {
    int64_t id = InsertPatient(given, "Rivera");
    auto conn = pool().Acquire();
    EXPECT_TRUE(conn->Exec("UPDATE patients SET email = $2, preferred_contact_method = $3 WHERE id = $1",
                           {id, email, method})
                    .ok());
    return id;
  }
  // A visit of `patient` that ended `ago` before now.
  int64_t CompletedVisit(int64_t patient, std::chrono::milliseconds ago) {
    const int64_t ended = ToMillis(clock_.Now() - ago);
    auto conn = pool().Acquire();
    auto rs = conn->Query("INSERT INTO encounters (patient_id, location_id, provider_id, state, state_since, "
                          "arrived_at, ended_at) VALUES ($1, $2, $3, 'completed', $4, $5, $4) RETURNING id",
                          {patient, location_.id, provider_.id, ended, ended - 3600000});
    EXPECT_TRUE(rs.ok()) << (rs.ok() ? "" : rs.error().message);
    return rs->Int(0, 0);
  }
  // The survey link in a received message's decoded body.
  static std::string TokenIn(const mail::testing::ReceivedMail& m) {
    auto body = mail::testing::DecodeQuotedPrintable(mail::testing::Body(m.data));
    EXPECT_TRUE(body.has_value());
    std::smatch match;
    std::string text = body.value_or("");
    if (!std::regex_search(text, match, std::regex("https://clinic\\.example/s/([A-Za-z0-9_-]+)"))) return "";
    return match[1];
  }
  std::vector<db::InvitationRow> InvitationsOf(int64_t patient) {
    auto page = surveys_->Invitations(admin_, db::InvitationFilter{});
    EXPECT_TRUE(page.ok());
    std::vector<db::InvitationRow> out;
    for (const auto& r : page->first) {
      if (r.patient_id == patient) out.push_back(r);
    }
    return out;
  }

  std::unique_ptr<mail::testing::SmtpSink> sink_;
  std::unique_ptr<mail::SmtpSender> mailer_;
  std::unique_ptr<CommentService> comments_;
  std::unique_ptr<SurveyService> surveys_;
};

TEST_P(SurveyServiceTest, AVisitGetsOneEmailThenOneReminderWithAFreshLinkThenNothing) {
  int64_t p = Patient("Maria", "maria@example.org");
  CompletedVisit(p, 1h);  // too recent: send_after_hours is 2
  auto r = surveys_->Dispatch();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->invited, 0);
  clock_.Advance(90min);
  r = surveys_->Dispatch();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->invited, 1);
  EXPECT_EQ(r->emailed, 1);
  ASSERT_EQ(sink_->message_count(), 1u);
  auto first = sink_->messages()[0];
  EXPECT_EQ(first.to, std::vector<std::string>{"maria@example.org"});
  EXPECT_EQ(mail::testing::HeaderValue(first.data, "Subject"), "How was your visit?");
  const std::string token1 = TokenIn(first);
  ASSERT_FALSE(token1.empty());

  // Nothing more until the reminder is due; then exactly one reminder, with another link.
  clock_.Advance(24h * 6);
  r = surveys_->Dispatch();
  EXPECT_EQ(r->emailed + r->reminded + r->invited, 0);
  clock_.Advance(24h * 1 + 1min);
  r = surveys_->Dispatch();
  EXPECT_EQ(r->reminded, 1);
  ASSERT_EQ(sink_->message_count(), 2u);
  auto second = sink_->messages()[1];
  EXPECT_EQ(mail::testing::HeaderValue(second.data, "Subject"), "Reminder: How was your visit?");
  const std::string token2 = TokenIn(second);
  EXPECT_NE(token2, token1);
  clock_.Advance(24h * 10);
  r = surveys_->Dispatch();
  EXPECT_EQ(r->reminded, 0);
  EXPECT_EQ(sink_->message_count(), 2u);

  // Both links open the same invitation; it takes one response.
  EXPECT_EQ(surveys_->PublicView(token1)->state, "valid");
  ASSERT_TRUE(surveys_->PublicSubmit(token2, {{"nurse", 4, std::nullopt}}, "10.0.0.1").ok());
  EXPECT_EQ(surveys_->PublicView(token1)->state, "used");
  auto again = surveys_->PublicSubmit(token1, {{"nurse", 3, std::nullopt}}, "10.0.0.1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "token_used");
  auto inv = InvitationsOf(p);
  ASSERT_EQ(inv.size(), 1u);
  EXPECT_EQ(inv[0].reminders, 1);
  EXPECT_TRUE(inv[0].used_at.has_value());
}

TEST_P(SurveyServiceTest, WithoutEmailOrWhenPostIsPreferredTheInvitationWaitsToBePrinted) {
  int64_t no_email = Patient("Ana", "");
  int64_t by_post = Patient("Luis", "luis@example.org", "mail");
  CompletedVisit(no_email, 3h);
  CompletedVisit(by_post, 3h);
  auto r = surveys_->Dispatch();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->invited, 2);
  EXPECT_EQ(r->to_print, 2);
  EXPECT_EQ(sink_->message_count(), 0u);
  auto inv = InvitationsOf(by_post);
  ASSERT_EQ(inv.size(), 1u);
  EXPECT_EQ(inv[0].channel, "print");
  auto slip = surveys_->Print(coord_, inv[0].id);
  ASSERT_TRUE(slip.ok()) << slip.error().message;
  EXPECT_TRUE(slip->url.starts_with("https://clinic.example/s/")) << slip->url;
  EXPECT_TRUE(slip->qr_svg.starts_with("<svg")) << slip->qr_svg.substr(0, 20);
  EXPECT_EQ(slip->visit_date, "2025-03-10");
  const std::string token = slip->url.substr(slip->url.rfind('/') + 1);
  auto view = surveys_->PublicView(token);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->state, "valid");
  ASSERT_TRUE(view->survey.has_value());
  EXPECT_EQ(view->survey->items().size(), 4u);
  db::InvitationFilter printed;
  printed.printed = true;
  auto list = surveys_->Invitations(coord_, printed);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->second, 1);
}

TEST_P(SurveyServiceTest, OptingOutStopsRemindersAndLaterInvitations) {
  int64_t p = Patient("Rosa", "rosa@example.org");
  CompletedVisit(p, 3h);
  ASSERT_TRUE(surveys_->Dispatch().ok());
  ASSERT_EQ(sink_->message_count(), 1u);
  const std::string token = TokenIn(sink_->messages()[0]);
  ASSERT_TRUE(surveys_->PublicOptOut(token, "10.0.0.2").ok());
  EXPECT_EQ(surveys_->PublicView(token)->state, "opted_out");
  auto answer = surveys_->PublicSubmit(token, {{"nurse", 4, std::nullopt}}, "10.0.0.2");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().reason, "opted_out");
  clock_.Advance(24h * 8);
  CompletedVisit(p, 3h);
  auto r = surveys_->Dispatch();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->reminded, 0);
  EXPECT_EQ(r->invited, 0);
  EXPECT_EQ(r->opted_out_skipped, 1);
  EXPECT_EQ(sink_->message_count(), 1u);
  EXPECT_EQ(InvitationsOf(p).size(), 1u);
}

TEST_P(SurveyServiceTest, ALinkExpiresAndBadAnswersWriteNothing) {
  int64_t p = Patient("Eva", "eva@example.org");
  CompletedVisit(p, 3h);
  ASSERT_TRUE(surveys_->Dispatch().ok());
  const std::string token = TokenIn(sink_->messages()[0]);
  auto bad = surveys_->PublicSubmit(token, {{"nurse", 9, std::nullopt}}, "10.0.0.3");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "answers.nurse.value");
  auto empty = surveys_->PublicSubmit(token, {{"comment", std::nullopt, "   "}}, "10.0.0.3");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "answers");
  auto unknown = surveys_->PublicView("no-such-token");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(surveys_->PublicView(token)->state, "valid");  // nothing was recorded
  clock_.Advance(24h * 30);
  EXPECT_EQ(surveys_->PublicView(token)->state, "expired");
  auto late = surveys_->PublicSubmit(token, {{"nurse", 4, std::nullopt}}, "10.0.0.3");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().reason, "token_expired");
}

TEST_P(SurveyServiceTest, AFailedEmailIsRetriedWithBackOffAndItsErrorShown) {
  int64_t p = Patient("Omar", "omar@example.org");
  CompletedVisit(p, 3h);
  sink_->set_rcpt_mode(mail::testing::RcptMode::kTempFail);
  auto r = surveys_->Dispatch();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->invited, 1);
  EXPECT_EQ(r->failed, 1);
  auto inv = InvitationsOf(p);
  ASSERT_EQ(inv.size(), 1u);
  EXPECT_FALSE(inv[0].send_error.empty());
  EXPECT_FALSE(inv[0].sent_at.has_value());
  // Not before the back-off has passed; then it goes out.
  sink_->set_rcpt_mode(mail::testing::RcptMode::kAccept);
  clock_.Advance(4min);
  r = surveys_->Dispatch();
  EXPECT_EQ(r->emailed, 0);
  clock_.Advance(2min);
  r = surveys_->Dispatch();
  EXPECT_EQ(r->emailed, 1);
  EXPECT_EQ(sink_->message_count(), 1u);
  inv = InvitationsOf(p);
  EXPECT_TRUE(inv[0].send_error.empty());
}

TEST_P(SurveyServiceTest, TwoProcessesDispatchingAtOnceInviteAndEmailEachVisitOnce) {
  for (int i = 0; i < 12; ++i) CompletedVisit(Patient("P" + std::to_string(i), "p" + std::to_string(i) + "@x.org"), 3h);
  auto other = MakeService();
  std::thread t([&] { (void)other->Dispatch(); });
  (void)surveys_->Dispatch();
  t.join();
  auto conn = pool().Acquire();
  EXPECT_EQ(conn->Query("SELECT COUNT(*) FROM survey_invitations")->Int(0, 0), 12);
  EXPECT_EQ(sink_->message_count(), 12u);
}

TEST_P(SurveyServiceTest, ScoresFollowTheTopBoxRulesAndTheResponseRate) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 4; ++i) CompletedVisit(Patient("R" + std::to_string(i), "r" + std::to_string(i) + "@x.org"), 3h);
  ASSERT_TRUE(surveys_->Dispatch().ok());
  for (const auto& m : sink_->messages()) tokens.push_back(TokenIn(m));
  ASSERT_EQ(tokens.size(), 4u);
  // Three answer: nurse Always/Usually/Never, explain Always/Always/—, NPS 10, 8, 3; one comment.
  ASSERT_TRUE(surveys_->PublicSubmit(tokens[0], {{"nurse", 4, {}}, {"explain", 4, {}}, {"nps", 10, {}},
                                                 {"comment", {}, "The nurse was kind and explained everything."}},
                                     "a")
                  .ok());
  ASSERT_TRUE(surveys_->PublicSubmit(tokens[1], {{"nurse", 3, {}}, {"explain", 4, {}}, {"nps", 8, {}}}, "a").ok());
  ASSERT_TRUE(surveys_->PublicSubmit(tokens[2], {{"nurse", 1, {}}, {"nps", 3, {}}}, "a").ok());
  ScoreQuery q;
  q.group_by = "department";
  auto s = surveys_->Scores(admin_, "visit", q);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->overall.responses, 3);
  EXPECT_EQ(s->invitations, 4);
  ASSERT_TRUE(s->response_rate.has_value());
  EXPECT_DOUBLE_EQ(*s->response_rate, 0.75);
  const auto* nurse = s->overall.FindItem("nurse");
  ASSERT_NE(nurse, nullptr);
  EXPECT_NEAR(nurse->boxes->top, 100.0 / 3, 1e-9);
  EXPECT_NEAR(nurse->boxes->middle, 100.0 / 3, 1e-9);
  EXPECT_NEAR(nurse->boxes->bottom, 100.0 / 3, 1e-9);
  const auto* composite = s->overall.FindMeasure("NURSE");
  ASSERT_NE(composite, nullptr);
  // The plain mean of the items: (33.3 + 100) / 2.
  EXPECT_NEAR(composite->boxes->top, (100.0 / 3 + 100.0) / 2, 1e-9);
  ASSERT_EQ(s->overall.nps.size(), 1u);
  EXPECT_NEAR(*s->overall.nps[0].nps, 0.0, 1e-9);  // one promoter, one passive, one detractor
  ASSERT_EQ(s->groups.size(), 1u);
  EXPECT_EQ(s->groups[0].key, "Family medicine");
  EXPECT_EQ(s->groups[0].invitations, 4);
  // The service metrics read the same answers: 3 of 4 invitations answered; 3 of the 5 answers to the
  // frequency questions in the top box; NPS one promoter, one passive, one detractor.
  MetricsService metrics(pool(), clock_, *audit_);
  MetricsQuery mq;
  mq.interval = metrics::Interval::kDay;
  mq.from = *ParseCivilDate("2025-03-10", "from");
  mq.to = mq.from;
  mq.location_id = location_.id;
  auto dash = metrics.Dashboard(admin_, mq);
  ASSERT_TRUE(dash.ok()) << dash.error().message;
  std::map<std::string, std::optional<double>> latest;
  for (const auto& m : *dash) latest[std::string(m.metric->key)] = m.series.back().value(m.metric->multiply);
  EXPECT_NEAR(latest["survey_response_rate"].value_or(-1), 75.0, 1e-9);
  EXPECT_NEAR(latest["top_box_rate"].value_or(-1), 60.0, 1e-9);
  EXPECT_NEAR(latest["nps"].value_or(-1), 0.0, 1e-9);
  // The comment became a survey comment.
  db::CommentFilter from_surveys;
  from_surveys.source = "survey";
  auto comments = comments_->List(admin_, from_surveys);
  ASSERT_TRUE(comments.ok());
  EXPECT_EQ(comments->second, 1);
}

// Free-text answers are judged with the kind of question their item asks: with a model that reads
// it, "nothing" answering "What could we do better?" is praise, "nothing really" answering "What
// was good?" a complaint — through the survey link and through a vendor import.
TEST_P(SurveyServiceTest, FreeTextAnswersAreJudgedWithTheQuestionTheirItemAsks) {
  auto model = feedback::TrainFeedbackModel(feedback::testing::QuestionDependentComments(),
                                            feedback::testing::SyntheticThemes());
  ASSERT_TRUE(model.ok()) << model.error().message;
  const std::string path =
      (std::filesystem::temp_directory_path() / ("cd-survey-comments-" + std::to_string(::getpid()) + ".model"))
          .string();
  std::ofstream(path, std::ios::binary) << feedback::SerializeModel(*model);
  CommentService judged(pool(), clock_, *audit_, path);
  std::filesystem::remove(path);
  ASSERT_TRUE(judged.model_info().loaded) << judged.model_info().error;
  SurveyService service(pool(), clock_, *audit_, judged, mailer_.get(), "/nonexistent");
  surveys::SurveyDraft d;
  d.id = "fft";
  d.title = "Friends and family";
  d.items = {surveys::MakeItem("nps", "How likely are you to recommend us?", surveys::ItemKind::kNps),
             surveys::MakeItem("good", "What was good?", surveys::ItemKind::kFreeText),
             surveys::MakeItem("better", "What could we do better?", surveys::ItemKind::kFreeText)};
  ASSERT_TRUE(service.Create(admin_, d).ok());
  SurveySettings settings = *service.Settings();
  settings.active_survey_id = "fft";
  ASSERT_TRUE(service.SaveSettings(admin_, settings).ok());
  CompletedVisit(Patient("Noor", "noor@example.org"), 3h);
  ASSERT_TRUE(service.Dispatch().ok());
  ASSERT_EQ(sink_->message_count(), 1u);
  ASSERT_TRUE(service
                  .PublicSubmit(TokenIn(sink_->messages()[0]),
                                {{"nps", 9, {}}, {"good", {}, "nothing really"}, {"better", {}, "nothing"}}, "a")
                  .ok());
  ImportRequest in;
  in.filename = "fft.csv";
  in.csv = "RespID,Visit,Clinic,Good,Better\nB1,2025-03-01,Main Street Clinic,nothing really,nothing\n";
  in.mapping.respondent_id_column = "RespID";
  in.mapping.date_column = "Visit";
  in.mapping.items = {{"Good", "good", {}}, {"Better", "better", {}}};
  in.mapping.metadata = {{"Clinic", "location"}};
  auto imported = service.Import(admin_, "fft", 1, in);
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  ASSERT_EQ(imported->accepted, 1u);

  db::CommentFilter from_surveys;
  from_surveys.source = "survey";
  auto comments = judged.List(admin_, from_surveys);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->second, 4);
  for (const db::CommentRow& c : comments->first) {
    EXPECT_EQ(c.sentiment, c.text == "nothing" ? "positive" : "negative") << c.text;
  }
}

TEST_P(SurveyServiceTest, ImportRejectsBadRowsAndRespondentsSeenBefore) {
  ImportRequest in;
  in.filename = "vendor.csv";
  in.csv =
      "RespID,Visit,Clinic,Q1,Q2,Comments\n"
      "A1,2025-03-01,Main Street Clinic,Always,Usually,Lovely staff\n"
      "A2,2025-03-02,Elsewhere,Sometimes,Always,\n"
      "A3,2025-03-02,Main Street Clinic,Often,Always,\n"
      ",2025-03-03,Main Street Clinic,Always,Always,\n";
  in.mapping.respondent_id_column = "RespID";
  in.mapping.date_column = "Visit";
  in.mapping.items = {{"Q1", "nurse", {}}, {"Q2", "explain", {}}, {"Comments", "comment", {}}};
  in.mapping.metadata = {{"Clinic", "location"}};
  in.dry_run = true;
  auto dry = surveys_->Import(admin_, "visit", 1, in);
  ASSERT_TRUE(dry.ok()) << dry.error().message;
  EXPECT_FALSE(dry->id.has_value());
  EXPECT_EQ(dry->rows_read, 4u);
  EXPECT_EQ(dry->accepted, 2u);
  EXPECT_EQ(dry->rejected_rows, 2u);
  ASSERT_EQ(dry->issues.size(), 2u);
  EXPECT_EQ(dry->issues[0].row, 4u);
  EXPECT_EQ(dry->issues[1].row, 5u);
  in.dry_run = false;
  auto done = surveys_->Import(admin_, "visit", 1, in);
  ASSERT_TRUE(done.ok()) << done.error().message;
  ASSERT_TRUE(done->id.has_value());
  auto again = surveys_->Import(admin_, "visit", 1, in);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->accepted, 0u);
  ASSERT_EQ(again->issues.size(), 4u);
  EXPECT_EQ(again->issues[0].row, 2u);
  EXPECT_EQ(again->issues[0].reason, "already_imported");
  EXPECT_EQ(again->issues[1].row, 3u);
  // The imported responses score, grouped by the vendor's clinic names where no location matched.
  ScoreQuery q;
  q.from = "2025-03-01";
  q.to = "2025-03-31";
  q.group_by = "location";
  auto s = surveys_->Scores(admin_, "visit", q);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->overall.responses, 2);
  ASSERT_EQ(s->groups.size(), 2u);
  EXPECT_EQ(s->groups[0].key, "Elsewhere");
  EXPECT_EQ(s->groups[1].key, "Main Street Clinic");
  auto bad = in;
  bad.mapping.items.push_back({"Q9", "nps", {}});
  auto refused = surveys_->Import(admin_, "visit", 1, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().field.starts_with("mapping")) << refused.error().field;
}

TEST_P(SurveyServiceTest, ANewVersionKeepsTheOldWordingForItsResponses) {
  surveys::SurveyDraft d;
  d.title = "Your visit (shorter)";
  d.items = {surveys::MakeItem("nurse", "Did nurses listen to you?", surveys::ItemKind::kYesNo)};
  auto v2 = surveys_->AddVersion(admin_, "visit", d);
  ASSERT_TRUE(v2.ok()) << v2.error().message;
  EXPECT_EQ(v2->definition.version(), 2);
  EXPECT_EQ(v2->versions, (std::vector<int>{1, 2}));
  auto v1 = surveys_->Get(admin_, "visit", 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->definition.FindItem("nurse")->text, "Nurses listened to you");
  d.id = "visit";
  auto dup = surveys_->Create(admin_, d);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().reason, "survey_exists");
  SurveySettings bad = *surveys_->Settings();
  bad.expires_days = 0;
  auto refused = surveys_->SaveSettings(admin_, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "expires_days");
}

// What an observer is told: each response the answer page or an import records, with its id.
struct RecordedResponses : SurveyResponseObserver {
  Status Recorded(db::Connection&, const db::ResponseRow& row, const surveys::SurveyDefinition& d,
                  int64_t) override {
    rows.push_back(row);
    versions.push_back(d.key());
    return Status();
  }
  std::vector<db::ResponseRow> rows;
  std::vector<surveys::SurveyKey> versions;
};

TEST_P(SurveyServiceTest, TheObserverIsToldOfEveryResponseTheAnswerPageAndImportsRecord) {
  RecordedResponses seen;
  surveys_->Observe(&seen);
  const int64_t patient = Patient("Obi", "obi@x.org");
  const int64_t visit = CompletedVisit(patient, 3h);
  ASSERT_TRUE(surveys_->Dispatch().ok());
  ASSERT_EQ(sink_->messages().size(), 1u);
  ASSERT_TRUE(surveys_->PublicSubmit(TokenIn(sink_->messages()[0]), {{"nurse", 4, {}}}, "a").ok());
  ASSERT_EQ(seen.rows.size(), 1u);
  EXPECT_GT(seen.rows[0].id, 0);
  EXPECT_EQ(seen.rows[0].patient_id, patient);
  EXPECT_EQ(seen.rows[0].encounter_id, visit);
  EXPECT_EQ(seen.versions[0], (surveys::SurveyKey{"visit", 1}));
  ImportRequest in;
  in.filename = "vendor.csv";
  in.csv = "RespID,Visit,Q1\nB1,2025-03-01,Always\nB2,2025-03-02,Usually\n";
  in.mapping.respondent_id_column = "RespID";
  in.mapping.date_column = "Visit";
  in.mapping.items = {{"Q1", "nurse", {}}};
  ASSERT_TRUE(surveys_->Import(admin_, "visit", 1, in).ok());
  ASSERT_EQ(seen.rows.size(), 3u);
  EXPECT_EQ(seen.rows[2].respondent_id, "B2");
  EXPECT_NE(seen.rows[1].id, seen.rows[2].id);
  // A failing observer fails the write: nothing is recorded without it.
  struct Failing : SurveyResponseObserver {
    Status Recorded(db::Connection&, const db::ResponseRow&, const surveys::SurveyDefinition&, int64_t) override {
      return Error::Internal("cannot write the resource");
    }
  } failing;
  surveys_->Observe(&failing);
  in.csv = "RespID,Visit,Q1\nB3,2025-03-01,Always\n";
  EXPECT_FALSE(surveys_->Import(admin_, "visit", 1, in).ok());
  ScoreQuery q;
  q.from = "2025-03-01";
  q.to = "2025-03-31";
  auto scores = surveys_->Scores(admin_, "visit", q);
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ(scores->overall.responses, 3) << "B3 rolled back";
}

TEST_P(SurveyServiceTest, AGivenResponseTakesItsVisitFromTheEncounterAndIsCheckedAsAnyOther) {
  const int64_t patient = Patient("Ada", "ada@x.org");
  const int64_t visit = CompletedVisit(patient, 26h);  // Sunday 2025-03-09 08:00 New York
  const int64_t other = Patient("Bo", "bo@x.org");
  auto record = [&](GivenResponse g) {
    auto conn = pool().Acquire();
    return db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<db::ResponseRow> {
      return surveys_->RecordInTx(c, admin_, std::move(g), clock_.Now());
    });
  };
  GivenResponse g;
  g.survey_id = "visit";
  g.encounter_id = visit;
  g.answers = {{"nurse", 4, {}}, {"comment", {}, "  Kind and quick.  "}, {"explain", {}, "   "}};
  auto row = record(g);
  ASSERT_TRUE(row.ok()) << row.error().message;
  EXPECT_EQ(row->survey_version, 1) << "the latest version";
  EXPECT_EQ(row->source, "fhir");
  EXPECT_EQ(row->patient_id, patient);
  EXPECT_EQ(row->location_id, location_.id);
  EXPECT_EQ(row->provider_id, provider_.id);
  EXPECT_EQ(row->department, "Family medicine");
  EXPECT_EQ(row->visit_date, "2025-03-09") << "the visit's day where it happened";
  ASSERT_EQ(row->answers.size(), 2u) << "an empty text is no answer";
  EXPECT_EQ(row->answers[1].text, "Kind and quick.");
  auto comments = comments_->List(admin_, db::CommentFilter{});
  ASSERT_TRUE(comments.ok()) << comments.error().message;
  EXPECT_EQ(comments->second, 1) << "free text becomes a comment";
  const auto audited = AuditOf(patient);
  ASSERT_FALSE(audited.empty());
  EXPECT_EQ(audited.front().category, audit_category::kSurveys) << "newest first";
  EXPECT_EQ(audited.front().action, "create");

  auto again = record(g);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "encounter_answered");
  EXPECT_EQ(again.error().field, "encounter_id");

  // Each refusal names its field and writes nothing.
  const auto refused = [&](GivenResponse bad) {
    auto r = record(std::move(bad));
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
  };
  GivenResponse b = g;
  b.encounter_id.reset();
  b.patient_id = other;
  b.answers = {{"nurse", 9, {}}};
  EXPECT_EQ(refused(b).field, "answers.nurse.value");
  b.answers = {{"unknown", 1, {}}};
  EXPECT_EQ(refused(b).field, "answers.unknown");
  b.answers = {};
  EXPECT_EQ(refused(b).field, "answers");
  b = g;
  b.survey_id = "nosuch";
  EXPECT_EQ(refused(b).field, "survey_id");
  b = g;
  b.version = 7;
  EXPECT_EQ(refused(b).field, "version");
  b = g;
  b.encounter_id = 999999;
  EXPECT_EQ(refused(b).field, "encounter_id");
  b = g;
  b.patient_id = other;
  EXPECT_EQ(refused(b).reason, "not_the_patients");
  b = g;
  b.encounter_id.reset();
  b.patient_id = 999999;
  EXPECT_EQ(refused(b).field, "patient_id");
  {
    const int64_t merged = Patient("Mo", "mo@x.org");
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("UPDATE patients SET merged_into = $1 WHERE id = $2", {other, merged}).ok());
    b.patient_id = merged;
    const Error e = refused(b);
    EXPECT_EQ(e.reason, "patient_merged");
    EXPECT_EQ(e.field, "patient_id");
  }
  ScoreQuery q;
  q.from = "2025-03-01";
  q.to = "2025-03-31";
  auto scores = surveys_->Scores(admin_, "visit", q);
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ(scores->overall.responses, 1);

  // Without an encounter: the patient's, on the day given.
  b = g;
  b.encounter_id.reset();
  b.patient_id = other;
  b.visit_date = "2025-03-05";
  auto plain = record(b);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->visit_date, "2025-03-05");
  EXPECT_FALSE(plain->location_id.has_value());
}

CAREDESK_INSTANTIATE_BACKENDS(SurveyServiceTest);

}  // namespace
}  // namespace caredesk
