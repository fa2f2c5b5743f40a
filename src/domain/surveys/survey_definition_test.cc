#include "domain/surveys/survey_definition.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace caredesk::surveys {
namespace {

SurveyDraft ClinicDraft() {
  SurveyDraft draft;
  draft.id = "clinic-visit";
  draft.title = "After your visit";
  draft.items = {MakeItem("courtesy", "How often were staff courteous?", ItemKind::kFrequency, "staff"),
                 MakeItem("listened", "How often did staff listen to you?", ItemKind::kFrequency, "staff"),
                 MakeItem("nps", "How likely are you to recommend us?", ItemKind::kNps),
                 MakeItem("comment", "Anything else?", ItemKind::kFreeText)};
  draft.measures = MeasuresFromItems(draft.items);
  return draft;
}

bool HasErrorOn(const std::vector<Error>& errors, std::string_view field) {
  return std::any_of(errors.begin(), errors.end(), [&](const Error& e) { return e.field == field; });
}

TEST(SurveyDefinition, CreatesAValidDraft) {
  auto survey = SurveyDefinition::Create(ClinicDraft());
  ASSERT_TRUE(survey.ok()) << survey.error().field << ": " << survey.error().message;
  EXPECT_EQ(survey->key(), (SurveyKey{"clinic-visit", 1}));
  ASSERT_EQ(survey->measures().size(), 1u);
  EXPECT_EQ(survey->measures()[0].item_ids, (std::vector<std::string>{"courtesy", "listened"}));
  EXPECT_EQ(survey->FindItem("nps")->kind, ItemKind::kNps);
  EXPECT_EQ(survey->FindItem("missing"), nullptr);
  EXPECT_EQ(survey->ItemIndex("comment"), 3u);
}

TEST(SurveyDefinition, ErrorsNameTheField) {
  SurveyDraft draft = ClinicDraft();
  draft.id = "";
  draft.version = 0;
  draft.items[1].id = "courtesy";                   // duplicate
  draft.items[2].text = "   ";                      // empty
  draft.items[3].kind = static_cast<ItemKind>(99);  // unknown kind
  const std::vector<Error> errors = ValidateDraft(draft);
  EXPECT_TRUE(HasErrorOn(errors, "id"));
  EXPECT_TRUE(HasErrorOn(errors, "version"));
  EXPECT_TRUE(HasErrorOn(errors, "items[1].id"));
  EXPECT_TRUE(HasErrorOn(errors, "items[2].text"));
  EXPECT_TRUE(HasErrorOn(errors, "items[3].kind"));
  for (const Error& e : errors) EXPECT_EQ(e.code, ErrorCode::kInvalidArgument) << e.field;

  auto created = SurveyDefinition::Create(draft);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().field, "id");
}

TEST(SurveyDefinition, NeedsItemsWithWellFormedIds) {
  SurveyDraft draft = ClinicDraft();
  draft.items.clear();
  draft.measures.clear();
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "items"));

  draft = ClinicDraft();
  draft.items[3].id = "what is this?";
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "items[3].id"));
}

TEST(SurveyDefinition, MeasuresMustReferenceTheirItems) {
  SurveyDraft draft = ClinicDraft();
  draft.measures[0].item_ids.push_back("ghost");
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "measures[0].item_ids[2]"));

  draft = ClinicDraft();
  draft.measures[0].item_ids = {"courtesy"};  // "listened" names the measure but is not listed
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "items[1].measure_id"));

  draft = ClinicDraft();
  draft.measures[0].item_ids.push_back("nps");  // lists an item that reports elsewhere
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "measures[0].item_ids[2]"));

  draft = ClinicDraft();
  draft.measures.push_back(Measure{"staff", "again", {"courtesy"}});
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "measures[1].id"));

  draft = ClinicDraft();
  draft.measures.push_back(Measure{"empty", "", {}});
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "measures[1].item_ids"));
}

TEST(SurveyDefinition, FreeTextHasNoBoxesOrMeasure) {
  SurveyDraft draft = ClinicDraft();
  draft.items[3].measure_id = "staff";
  draft.measures[0].item_ids.push_back("comment");
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "items[3].measure_id"));

  draft = ClinicDraft();
  draft.items[3].boxes.top = {1};
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "items[3].boxes.top"));
}

TEST(SurveyDefinition, BoxErrorsNameTheItem) {
  SurveyDraft draft = ClinicDraft();
  draft.items[0].boxes.top = {4, 3};
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "items[0].boxes.middle"));
}

TEST(SurveyDefinition, NpsBoxesAreFixed) {
  SurveyDraft draft = ClinicDraft();
  draft.items[2].boxes.top = {8, 9, 10};
  draft.items[2].boxes.middle = {7};
  EXPECT_TRUE(HasErrorOn(ValidateDraft(draft), "items[2].boxes"));
}

TEST(SurveyDefinition, NextVersionIsANewDefinition) {
  auto v1 = SurveyDefinition::Create(ClinicDraft());
  ASSERT_TRUE(v1.ok());
  SurveyDraft changes = ClinicDraft();
  changes.id = "ignored";
  changes.version = 40;
  changes.items[0].text = "How often were staff friendly?";
  auto v2 = v1->NextVersion(changes);
  ASSERT_TRUE(v2.ok()) << v2.error().message;
  EXPECT_EQ(v2->key(), (SurveyKey{"clinic-visit", 2}));
  EXPECT_EQ(v2->items()[0].text, "How often were staff friendly?");
  // The first version is untouched.
  EXPECT_EQ(v1->version(), 1);
  EXPECT_EQ(v1->items()[0].text, "How often were staff courteous?");

  changes.items[1].text = "";
  auto invalid = v1->NextVersion(changes);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().field, "items[1].text");
}

}  // namespace
}  // namespace caredesk::surveys
