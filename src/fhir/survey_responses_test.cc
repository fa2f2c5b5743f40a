// Survey responses as QuestionnaireResponses (SurveyResponseStore) on both databases: a POST to a CareDesk
// survey is recorded as a survey response and kept as sent under its id; refusals name the element and
// write nothing; another questionnaire's response is left to be kept as sent; responses recorded otherwise
// are written as resources (as they are recorded, or by Backfill); survey responses never change.
#include "fhir/survey_responses.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/scheduling_fixture.h"
#include "fhir/json_access.h"

namespace caredesk::fhir {
namespace {
namespace json = boost::json;

class SurveyResponseStoreTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    comments_ = std::make_unique<CommentService>(pool(), clock_, *audit_, "/nonexistent/feedback.model");
    surveys_ = std::make_unique<SurveyService>(pool(), clock_, *audit_, *comments_, nullptr, "/nonexistent");
    resources_ = std::make_unique<ResourceStore>(pool(), *audit_, clock_);
    store_ = std::make_unique<SurveyResponseStore>(*surveys_, *resources_, pool(), clock_);
    surveys::SurveyDraft d;
    d.id = "visit";
    d.title = "Your visit";
    d.items = {surveys::MakeItem("nurse", "Nurses listened to you", surveys::ItemKind::kFrequency),
               surveys::MakeItem("ok", "Were you seen on time?", surveys::ItemKind::kYesNo),
               surveys::MakeItem("comment", "Anything else?", surveys::ItemKind::kFreeText)};
    ASSERT_TRUE(surveys_->Create(admin_, d).ok());
    auto conn = pool().Acquire();
    const int64_t ended = ToMillis(clock_.Now()) - 3600000;
    auto rs = conn->Query("INSERT INTO encounters (patient_id, location_id, provider_id, state, state_since, "
                          "arrived_at, ended_at) VALUES ($1, $2, $3, 'completed', $4, $5, $4) RETURNING id",
                          {patient_id_, location_.id, provider_.id, ended, ended - 1800000});
    ASSERT_TRUE(rs.ok()) << rs.error().message;
    encounter_ = rs->Int(0, 0);
  }

  std::string Sent(const std::string& items, const std::string& more = "") const {
    return R"({"resourceType":"QuestionnaireResponse","questionnaire":"urn:caredesk:survey:visit|1",)"
           R"("status":"completed","encounter":{"reference":"Encounter/)" +
           std::to_string(encounter_) + R"("},"authored":"2025-03-10T13:00:00Z",)" +
           R"("extension":[{"url":"urn:x:kiosk","valueString":"lobby-2"}],"item":)" + items + more + "}";
  }

  static db::FhirResourceCriteria AllResponses() {
    db::FhirResourceCriteria q;
    q.resource_type = kQuestionnaireResponse;
    return q;
  }

  int64_t Responses() {
    auto conn = pool().Acquire();
    auto rs = conn->Query("SELECT COUNT(*) FROM survey_responses");
    EXPECT_TRUE(rs.ok());
    return rs.ok() ? rs->Int(0, 0) : -1;
  }

  Actor coord_{2, "coord", Role::kCoordinator, "10.0.0.5", 2};
  std::unique_ptr<CommentService> comments_;
  std::unique_ptr<SurveyService> surveys_;
  std::unique_ptr<ResourceStore> resources_;
  std::unique_ptr<SurveyResponseStore> store_;
  int64_t encounter_ = 0;
};

constexpr char kAnswers[] =
    R"([{"linkId":"nurse","answer":[{"valueCoding":{"code":"4"}}]},)"
    R"({"linkId":"ok","answer":[{"valueBoolean":true}]},)"
    R"({"linkId":"comment","answer":[{"valueString":"The nurse was kind."}]}])";

TEST_P(SurveyResponseStoreTest, APostToACareDeskSurveyIsRecordedAndKeptAsSent) {
  auto created = store_->Create(coord_, json::parse(Sent(kAnswers)));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(created->has_value());
  const StoredResource& r = **created;
  const auto id = SurveyResponseIdOf(r.id);
  ASSERT_TRUE(id.has_value()) << r.id;
  EXPECT_EQ(r.patient_id, patient_id_) << "the encounter's patient is the subject";
  const json::object body = ObjectOf(r.body);
  EXPECT_EQ(json::serialize(body.at("extension")), R"([{"url":"urn:x:kiosk","valueString":"lobby-2"}])");
  EXPECT_EQ(StringAt(*ObjectAt(body, "subject"), "reference"), "Patient/" + std::to_string(patient_id_));

  auto conn = pool().Acquire();
  auto found = db::SurveyRepository::FindResponse(*conn, *id);
  ASSERT_TRUE(found.ok() && found->has_value());
  const db::ResponseRow& row = **found;
  EXPECT_EQ(row.source, "fhir");
  EXPECT_EQ(row.encounter_id, encounter_);
  EXPECT_EQ(row.location_id, location_.id);
  surveys::SurveyResponse answered;
  answered.answers = row.answers;
  ASSERT_EQ(row.answers.size(), 3u);
  ASSERT_NE(answered.Find("nurse"), nullptr);
  EXPECT_EQ(answered.Find("nurse")->value, 4);
  ASSERT_NE(answered.Find("ok"), nullptr);
  EXPECT_EQ(answered.Find("ok")->value, 1);
  ASSERT_NE(answered.Find("comment"), nullptr);
  EXPECT_EQ(answered.Find("comment")->text, "The nurse was kind.");
  auto comments = comments_->List(admin_, db::CommentFilter{});
  ASSERT_TRUE(comments.ok());
  EXPECT_EQ(comments->second, 1);
  const auto audited = AuditOf(patient_id_);
  ASSERT_FALSE(audited.empty());
  EXPECT_EQ(audited.front().username, "coord") << "newest first";
  EXPECT_EQ(audited.front().category, audit_category::kSurveys);

  // Read back as any kept resource.
  auto read = resources_->Read(coord_, kQuestionnaireResponse, r.id);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->body, r.body);
}

// Inside the caller's transaction (a transaction Bundle's): recorded and kept with it, or neither; another
// questionnaire's response is left to the caller.
TEST_P(SurveyResponseStoreTest, CreateInTxGoesWithTheCallersTransaction) {
  auto conn = pool().Acquire();
  const int64_t now = ToMillis(clock_.Now());
  auto undone = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    auto r = store_->CreateInTx(c, coord_, json::parse(Sent(kAnswers)).as_object(), now);
    EXPECT_TRUE(r.ok() && r->has_value()) << (r.ok() ? "" : r.error().message);
    return Error::Conflict("stale_version", "a later entry failed");
  });
  ASSERT_FALSE(undone.ok());
  EXPECT_EQ(Responses(), 0);
  auto none = resources_->Search(coord_, AllResponses(), true, false);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);

  Result<std::optional<StoredResource>> kept = Error::Internal("not run");
  ASSERT_TRUE(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
                kept = store_->CreateInTx(c, coord_, json::parse(Sent(kAnswers)).as_object(), now);
                return StatusOf(kept);
              }).ok());
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_TRUE(SurveyResponseIdOf((*kept)->id).has_value());
  EXPECT_EQ(Responses(), 1);
  auto other = db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<std::optional<StoredResource>> {
    return store_->CreateInTx(
        c, coord_, json::parse(R"({"resourceType":"QuestionnaireResponse","status":"completed","questionnaire":"urn:x"})")
                       .as_object(),
        now);
  });
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
}

TEST_P(SurveyResponseStoreTest, RefusalsNameTheElementAndWriteNothing) {
  const auto refusal = [&](const std::string& body) {
    auto r = store_->Create(coord_, json::parse(body));
    EXPECT_FALSE(r.ok()) << body;
    return r.ok() ? Error{} : r.error();
  };
  Error e = refusal(Sent(R"([{"linkId":"nurse","answer":[{"valueInteger":9}]}])"));
  EXPECT_EQ(e.code, ErrorCode::kUnprocessable);
  EXPECT_EQ(e.field, "QuestionnaireResponse.item.where(linkId='nurse').answer");
  e = refusal(Sent(R"([{"linkId":"mood","answer":[{"valueInteger":1}]}])"));
  EXPECT_EQ(e.field, "QuestionnaireResponse.item.where(linkId='mood').answer");
  e = refusal(Sent(R"([{"linkId":"nurse","answer":[{"valueDate":"2025-01-01"}]}])"));
  EXPECT_EQ(e.field, "QuestionnaireResponse.item[0].answer[0]");
  e = refusal(Sent(R"([{"answer":[{"valueInteger":1}]}])"));
  EXPECT_EQ(e.field, "QuestionnaireResponse.item[0].linkId");
  e = refusal(Sent(R"([{"linkId":"nurse","answer":[{"valueInteger":1},{"valueInteger":2}]}])"));
  EXPECT_EQ(e.field, "QuestionnaireResponse.item[0].answer");
  e = refusal(Sent("[]"));
  EXPECT_EQ(e.field, "QuestionnaireResponse.item");
  std::string s = Sent(kAnswers);
  e = refusal(std::string(s).replace(s.find("visit|1"), 7, "visit|9"));
  EXPECT_EQ(e.field, "QuestionnaireResponse.questionnaire");
  e = refusal(std::string(s).replace(s.find("visit|1"), 7, "other"));
  EXPECT_EQ(e.field, "QuestionnaireResponse.questionnaire");
  e = refusal(std::string(s).replace(s.find("\"completed\""), 11, "\"in-progress\""));
  EXPECT_EQ(e.field, "QuestionnaireResponse.status");
  e = refusal(std::string(s).replace(s.find("Encounter/"), 10, "Encounter/9"));
  EXPECT_EQ(e.field, "QuestionnaireResponse.encounter");
  e = refusal(Sent(kAnswers, R"(,"subject":{"reference":"Group/1"})"));
  EXPECT_EQ(e.field, "QuestionnaireResponse.subject");
  EXPECT_EQ(Responses(), 0);
  auto search = resources_->Search(coord_, AllResponses(), true, false);
  ASSERT_TRUE(search.ok());
  EXPECT_EQ(search->total, 0) << "no resource either";

  ASSERT_TRUE(store_->Create(coord_, json::parse(Sent(kAnswers))).ok());
  e = refusal(Sent(kAnswers));
  EXPECT_EQ(e.code, ErrorCode::kConflict);
  EXPECT_EQ(e.reason, "encounter_answered");
  EXPECT_EQ(e.field, "QuestionnaireResponse.encounter");
  EXPECT_EQ(Responses(), 1);
}

TEST_P(SurveyResponseStoreTest, AnotherQuestionnairesResponseIsLeftToBeKeptAsSent) {
  auto r = store_->Create(coord_, json::parse(R"({"resourceType":"QuestionnaireResponse","status":"in-progress",)"
                                              R"("questionnaire":"http://example.org/Questionnaire/phq9"})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->has_value());
  EXPECT_EQ(Responses(), 0);
}

TEST_P(SurveyResponseStoreTest, ResponsesRecordedOtherwiseBecomeResourcesAsTheyAreRecordedOrByBackfill) {
  // Recorded before the store observed the service (an older CareDesk, the demo).
  db::ResponseRow row;
  row.survey_id = "visit";
  row.survey_version = 1;
  row.source = "web";
  row.patient_id = patient_id_;
  row.encounter_id = encounter_;
  row.visit_date = "2025-03-10";
  row.received_at = ToMillis(clock_.Now());
  row.answers = {{"comment", {}, "Fine."}, {"nurse", 3, {}}};
  {
    auto conn = pool().Acquire();
    auto id = db::SurveyRepository::InsertResponse(*conn, row);
    ASSERT_TRUE(id.ok());
    row.id = *id;
  }
  auto n = store_->Backfill();
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 1);
  auto again = store_->Backfill();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0) << "each response once";
  auto read = resources_->Read(coord_, kQuestionnaireResponse, SurveyResponseId(row.id));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->patient_id, patient_id_);
  const json::object body = ObjectOf(read->body);
  EXPECT_EQ(StringAt(body, "questionnaire"), "urn:caredesk:survey:visit|1");
  EXPECT_EQ(StringAt(body, "status"), "completed");
  EXPECT_EQ(StringAt(body, "authored"), "2025-03-10T14:00:00Z");
  EXPECT_EQ(StringAt(*ObjectAt(body, "encounter"), "reference"), "Encounter/" + std::to_string(encounter_));
  // Items in the survey's order, scored answers on the item's scale.
  EXPECT_EQ(json::serialize(body.at("item")),
            R"([{"linkId":"nurse","text":"Nurses listened to you","answer":[{"valueCoding":)"
            R"({"system":"urn:caredesk:survey-scale:frequency","code":"3","display":"Usually"}}]},)"
            R"({"linkId":"comment","text":"Anything else?","answer":[{"valueString":"Fine."}]}])");

  // Once observed, a response becomes a resource in its own transaction: the vendor import's.
  surveys_->Observe(store_.get());
  ImportRequest in;
  in.filename = "vendor.csv";
  in.csv = "RespID,Visit,Q1\nV1,2025-03-01,Always\n";
  in.mapping.respondent_id_column = "RespID";
  in.mapping.date_column = "Visit";
  in.mapping.items = {{"Q1", "nurse", {}}};
  ASSERT_TRUE(surveys_->Import(admin_, "visit", 1, in).ok());
  auto search = resources_->Search(coord_, AllResponses(), true, false);
  ASSERT_TRUE(search.ok());
  EXPECT_EQ(search->total, 2);
  auto none = store_->Backfill();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
}

TEST(SurveyResponsesTest, SurveyResponsesNeverChangeAndAreGivenByPost) {
  EXPECT_EQ(SurveyResponseId(42), "survey-response-42");
  EXPECT_EQ(SurveyResponseIdOf("survey-response-42"), 42);
  EXPECT_FALSE(SurveyResponseIdOf("survey-response-x").has_value());
  EXPECT_FALSE(SurveyResponseIdOf("3141").has_value());
  auto put = SurveyResponseStore::RefusedChange("survey-response-42", nullptr);
  ASSERT_TRUE(put.has_value());
  EXPECT_EQ(put->reason, "survey_response_final");
  const json::value mine = json::parse(R"({"questionnaire":"urn:caredesk:survey:visit"})");
  auto given = SurveyResponseStore::RefusedChange("abc", &mine);
  ASSERT_TRUE(given.has_value());
  EXPECT_EQ(given->field, "QuestionnaireResponse.questionnaire");
  const json::value theirs = json::parse(R"({"questionnaire":"Questionnaire/3141"})");
  EXPECT_FALSE(SurveyResponseStore::RefusedChange("abc", &theirs).has_value());
  EXPECT_EQ(ElementOf("answers[2].item_id"), "QuestionnaireResponse.item[2].linkId");
  EXPECT_EQ(ElementOf("answers.q5.value"), "QuestionnaireResponse.item.where(linkId='q5').answer");
  EXPECT_EQ(ElementOf("encounter_id"), "QuestionnaireResponse.encounter");
}

CAREDESK_INSTANTIATE_BACKENDS(SurveyResponseStoreTest);

}  // namespace
}  // namespace caredesk::fhir
