#include "domain/feedback/pxtextmining_split.h"

#include <gtest/gtest.h>

#include <string>

namespace caredesk::feedback {
namespace {

constexpr std::string_view kHeader =
    "Comment ID,Trust,FFT answer,Person identifiable info?,Comment sentiment,Staff,\"Waiting, delays\",Parking\n";

// A table of `rows` comments "c<i>": every comment has Staff; every third has "Waiting,
// delays"; only comment 0 has Parking; sentiment cycles through 1..5 and blank.
std::string SyntheticCsv(int rows) {
  std::string csv(kHeader);
  for (int i = 0; i < rows; ++i) {
    const std::string score = i % 6 == 5 ? "" : std::to_string(i % 6 + 1);
    csv += "id" + std::to_string(i) + ",T,c" + std::to_string(i) + ",," + score + ",1," + (i % 3 == 0 ? "1" : "") +
           "," + (i == 0 ? "1" : "0") + "\n";
  }
  return csv;
}

CsvTable Table(const std::string& csv) {
  auto table = ParseCsvTable(csv);
  EXPECT_TRUE(table.ok()) << table.error().message;
  return std::move(table).value();
}

TEST(SplitPxtextmining, EveryFifthKeptRowIsTest) {
  PxtextminingSplitOptions options;
  options.min_theme_train_positives = 1;
  auto ds = SplitPxtextmining(Table(SyntheticCsv(23)), options);
  ASSERT_TRUE(ds.ok()) << ds.error().message;
  ASSERT_EQ(ds->test.size(), 4u);  // kept indices 4, 9, 14, 19
  ASSERT_EQ(ds->train.size(), 19u);
  EXPECT_EQ(ds->test[0].text, "c4");
  EXPECT_EQ(ds->test[3].text, "c19");
  EXPECT_EQ(ds->train[4].text, "c5");
}

TEST(SplitPxtextmining, SkipsBlankAnswersBeforeCounting) {
  std::string csv(kHeader);
  for (int i = 0; i < 12; ++i) {
    const bool blank = i == 1 || i == 2;
    csv += "id,T," + std::string(blank ? (i == 1 ? "\"   \"" : "") : "c" + std::to_string(i)) + ",,1,1,,\n";
  }
  PxtextminingSplitOptions options;
  options.min_theme_train_positives = 1;
  auto ds = SplitPxtextmining(Table(csv), options);
  ASSERT_TRUE(ds.ok()) << ds.error().message;
  ASSERT_EQ(ds->train.size() + ds->test.size(), 10u);
  ASSERT_EQ(ds->test.size(), 2u);
  EXPECT_EQ(ds->test[0].text, "c6");  // kept index 4 is file row 6
  EXPECT_EQ(ds->test[1].text, "c11");
}

TEST(SplitPxtextmining, ChoosesThemesByTrainingPositives) {
  // 30 rows: 24 training. Staff: 24 training positives; "Waiting, delays": rows 0,3,…,27 of
  // which 8 train (indices 4, 9, 14, 19, 24, 29 are test: 9 and 24 are multiples of 3).
  PxtextminingSplitOptions options;
  options.min_theme_train_positives = 8;
  auto ds = SplitPxtextmining(Table(SyntheticCsv(30)), options);
  ASSERT_TRUE(ds.ok()) << ds.error().message;
  EXPECT_EQ(ds->themes, (std::vector<std::string>{"Staff", "Waiting, delays"}));
  options.min_theme_train_positives = 9;
  ds = SplitPxtextmining(Table(SyntheticCsv(30)), options);
  ASSERT_TRUE(ds.ok());
  EXPECT_EQ(ds->themes, (std::vector<std::string>{"Staff"}));
  ASSERT_EQ(ds->train[0].themes.size(), 1u);
}

TEST(SplitPxtextmining, CarriesLabelsAndFoldsSentiment) {
  PxtextminingSplitOptions options;
  options.min_theme_train_positives = 1;
  auto ds = SplitPxtextmining(Table(SyntheticCsv(7)), options);
  ASSERT_TRUE(ds.ok());
  ASSERT_EQ(ds->themes.size(), 3u);
  EXPECT_EQ(ds->train[0].themes, (std::vector<uint8_t>{1, 1, 1}));
  EXPECT_EQ(ds->train[1].themes, (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_EQ(ds->train[0].sentiment, Sentiment::kPositive);  // score 1
  EXPECT_EQ(ds->train[2].sentiment, Sentiment::kNeutral);   // score 3
  EXPECT_EQ(ds->test[0].sentiment, Sentiment::kNegative);   // c4: score 5
  EXPECT_FALSE(ds->train[4].sentiment.has_value());         // c5: blank
}

TEST(SplitPxtextmining, ReadsTheQuestionKindWhenTheColumnIsThere) {
  const std::string csv =
      "Comment ID,FFT question,FFT answer,Comment sentiment,Staff\n"
      "1,What was good?,Nothing.,4,1\n"
      "2,How could we improve?,Nothing.,1,1\n"
      "3,FFT Why?,Kind staff,1,1\n"
      "4,\"Please describe any things about the 111 service that\nyou were particularly satisfied and/or "
      "dissatisfied with\",Quick,1,1\n"
      "5,What could we do better?,Parking,4,1\n";
  PxtextminingSplitOptions options;
  options.min_theme_train_positives = 1;
  auto ds = SplitPxtextmining(Table(csv), options);
  ASSERT_TRUE(ds.ok()) << ds.error().message;
  EXPECT_TRUE(ds->has_question_column);
  ASSERT_EQ(ds->train.size(), 4u);
  EXPECT_EQ(ds->train[0].question, QuestionKind::kWhatGood);
  EXPECT_EQ(ds->train[1].question, QuestionKind::kCouldImprove);
  EXPECT_EQ(ds->train[2].question, QuestionKind::kNonspecific);
  EXPECT_EQ(ds->train[3].question, QuestionKind::kNonspecific);
  EXPECT_EQ(ds->test[0].question, QuestionKind::kCouldImprove);
  EXPECT_EQ(ds->themes, (std::vector<std::string>{"Staff"}));  // the question is not a category
}

TEST(SplitPxtextmining, WithoutTheQuestionColumnEveryCommentIsNonspecific) {
  PxtextminingSplitOptions options;
  options.min_theme_train_positives = 1;
  auto ds = SplitPxtextmining(Table(SyntheticCsv(10)), options);
  ASSERT_TRUE(ds.ok()) << ds.error().message;
  EXPECT_FALSE(ds->has_question_column);
  for (const auto* part : {&ds->train, &ds->test}) {
    for (const LabelledComment& c : *part) EXPECT_EQ(c.question, QuestionKind::kNonspecific);
  }
}

TEST(SplitPxtextmining, RejectsBadCellsAndMissingColumns) {
  std::string bad_category(kHeader);
  bad_category += "id,T,text,,1,yes,,\n";
  auto ds = SplitPxtextmining(Table(bad_category));
  ASSERT_FALSE(ds.ok());
  EXPECT_EQ(ds.error().reason, "invalid_category");
  EXPECT_NE(ds.error().message.find("\"Staff\""), std::string::npos);

  std::string bad_sentiment(kHeader);
  bad_sentiment += "id,T,text,,9,1,,\n";
  ds = SplitPxtextmining(Table(bad_sentiment));
  ASSERT_FALSE(ds.ok());
  EXPECT_EQ(ds.error().reason, "invalid_sentiment");

  ds = SplitPxtextmining(Table("Comment ID,Text\n1,x\n"));
  ASSERT_FALSE(ds.ok());
  EXPECT_EQ(ds.error().reason, "missing_column");
}

TEST(SplitPxtextmining, NoThemeAboveThresholdIsAnError) {
  auto ds = SplitPxtextmining(Table(SyntheticCsv(10)));  // default threshold 100
  ASSERT_FALSE(ds.ok());
  EXPECT_EQ(ds.error().reason, "no_theme");
}

}  // namespace
}  // namespace caredesk::feedback
