#include "domain/surveys/item_kind.h"

#include <gtest/gtest.h>

namespace caredesk::surveys {
namespace {

TEST(ItemKind, NamesRoundTrip) {
  for (ItemKind kind : AllItemKinds()) {
    EXPECT_EQ(ParseItemKind(ItemKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseItemKind("likert").has_value());
  EXPECT_FALSE(IsKnownItemKind(static_cast<ItemKind>(42)));
  EXPECT_FALSE(IsScoredKind(ItemKind::kFreeText));
  EXPECT_TRUE(IsScoredKind(ItemKind::kNps));
}

TEST(ItemKind, ScalesRunFromLeastToMostPositive) {
  EXPECT_EQ(AnswerForLabel(ItemKind::kFrequency, "  always "), 4);
  EXPECT_EQ(AnswerForLabel(ItemKind::kFrequency, "Never"), 1);
  EXPECT_EQ(AnswerForLabel(ItemKind::kYesNo, "YES"), 1);
  EXPECT_EQ(AnswerForLabel(ItemKind::kRecommend, "Definitely yes"), 4);
  EXPECT_EQ(AnswerForLabel(ItemKind::kAgreement, "Strongly Agree"), 4);
  EXPECT_EQ(AnswerForLabel(ItemKind::kRating0To10, "9"), 9);
  EXPECT_FALSE(AnswerForLabel(ItemKind::kFrequency, "Often").has_value());
  EXPECT_TRUE(IsValidAnswer(ItemKind::kNps, 0));
  EXPECT_FALSE(IsValidAnswer(ItemKind::kNps, 11));
  EXPECT_FALSE(IsValidAnswer(ItemKind::kFrequency, 0));
  EXPECT_FALSE(IsValidAnswer(ItemKind::kFreeText, 1));
  EXPECT_EQ(AnswerLabel(ItemKind::kRecommend, 2), "Probably no");
}

TEST(ItemKind, DefaultBoxesFollowHcahps) {
  EXPECT_EQ(DefaultBoxes(ItemKind::kFrequency).top, (std::vector<int>{4}));
  EXPECT_EQ(DefaultBoxes(ItemKind::kYesNo).top, (std::vector<int>{1}));
  EXPECT_TRUE(DefaultBoxes(ItemKind::kYesNo).middle.empty());
  EXPECT_EQ(DefaultBoxes(ItemKind::kRating0To10).top, (std::vector<int>{9, 10}));
  EXPECT_EQ(DefaultBoxes(ItemKind::kRecommend).top, (std::vector<int>{4}));
  EXPECT_EQ(DefaultBoxes(ItemKind::kAgreement).top, (std::vector<int>{4}));
  EXPECT_EQ(DefaultBoxes(ItemKind::kNps).bottom, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
  for (ItemKind kind : AllItemKinds()) {
    EXPECT_TRUE(ValidateBoxes(kind, DefaultBoxes(kind), "boxes").ok()) << ItemKindName(kind);
  }
}

TEST(ItemKind, BoxesMustPartitionTheScale) {
  BoxDefinition boxes = DefaultBoxes(ItemKind::kFrequency);
  boxes.bottom = {1};  // "Sometimes" in no box
  auto missing = ValidateBoxes(ItemKind::kFrequency, boxes, "items[2].boxes");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().reason, "answer_not_boxed");
  EXPECT_EQ(missing.error().field, "items[2].boxes");

  boxes.bottom = {1, 2, 3};  // "Usually" twice
  auto overlap = ValidateBoxes(ItemKind::kFrequency, boxes, "items[2].boxes");
  ASSERT_FALSE(overlap.ok());
  EXPECT_EQ(overlap.error().field, "items[2].boxes.bottom");
  EXPECT_EQ(overlap.error().reason, "overlapping_boxes");

  boxes = DefaultBoxes(ItemKind::kFrequency);
  boxes.top = {5};
  EXPECT_EQ(ValidateBoxes(ItemKind::kFrequency, boxes, "b").error().reason, "answer_out_of_range");
  boxes.top = {};
  EXPECT_EQ(ValidateBoxes(ItemKind::kFrequency, boxes, "b").error().field, "b.top");

  BoxDefinition text_boxes;
  text_boxes.top = {1};
  EXPECT_EQ(ValidateBoxes(ItemKind::kFreeText, text_boxes, "b").error().reason, "boxes_on_free_text");
}

TEST(ItemKind, ParsesPublishedBoxLabels) {
  EXPECT_EQ(ParseBoxLabel(ItemKind::kFrequency, "Sometimes or never"), (std::vector<int>{1, 2}));
  EXPECT_EQ(ParseBoxLabel(ItemKind::kRating0To10, "0 to 6"), (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ParseBoxLabel(ItemKind::kRating0To10, "7 or 8"), (std::vector<int>{7, 8}));
  EXPECT_EQ(ParseBoxLabel(ItemKind::kRecommend, "Probably no or definitely no"), (std::vector<int>{1, 2}));
  EXPECT_EQ(ParseBoxLabel(ItemKind::kAgreement, "Disagree or strongly disagree"), (std::vector<int>{1, 2}));
  EXPECT_EQ(ParseBoxLabel(ItemKind::kYesNo, ""), (std::vector<int>{}));
  EXPECT_FALSE(ParseBoxLabel(ItemKind::kFrequency, "Yes").has_value());
  EXPECT_FALSE(ParseBoxLabel(ItemKind::kRating0To10, "6 to 0").has_value());
}

TEST(ItemKind, LinearScoresSpanZeroToHundred) {
  EXPECT_DOUBLE_EQ(*LinearScore(ItemKind::kFrequency, 1), 0.0);
  EXPECT_DOUBLE_EQ(*LinearScore(ItemKind::kFrequency, 3), 200.0 / 3.0);
  EXPECT_DOUBLE_EQ(*LinearScore(ItemKind::kYesNo, 1), 100.0);
  EXPECT_DOUBLE_EQ(*LinearScore(ItemKind::kRating0To10, 7), 70.0);
  EXPECT_FALSE(LinearScore(ItemKind::kFreeText, 1).has_value());
  EXPECT_FALSE(LinearScore(ItemKind::kAgreement, 0).has_value());
}

TEST(ItemKind, BoxOfAnAnswer) {
  const BoxDefinition boxes = DefaultBoxes(ItemKind::kRating0To10);
  EXPECT_EQ(BoxOf(boxes, 10), Box::kTop);
  EXPECT_EQ(BoxOf(boxes, 7), Box::kMiddle);
  EXPECT_EQ(BoxOf(boxes, 0), Box::kBottom);
  EXPECT_FALSE(BoxOf(boxes, 11).has_value());
}

}  // namespace
}  // namespace caredesk::surveys
