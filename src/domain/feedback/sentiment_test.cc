#include "domain/feedback/sentiment.h"

#include <gtest/gtest.h>

namespace caredesk::feedback {
namespace {

TEST(Sentiment, FoldsTheFivePointScale) {
  EXPECT_EQ(SentimentFromScore(1), Sentiment::kPositive);
  EXPECT_EQ(SentimentFromScore(2), Sentiment::kPositive);
  EXPECT_EQ(SentimentFromScore(3), Sentiment::kNeutral);
  EXPECT_EQ(SentimentFromScore(4), Sentiment::kNegative);
  EXPECT_EQ(SentimentFromScore(5), Sentiment::kNegative);
  EXPECT_FALSE(SentimentFromScore(0).has_value());
  EXPECT_FALSE(SentimentFromScore(6).has_value());
}

TEST(Sentiment, NamesRoundTrip) {
  for (Sentiment s : kAllSentiments) EXPECT_EQ(ParseSentiment(SentimentName(s)), s);
  EXPECT_EQ(SentimentName(Sentiment::kNegative), "negative");
  EXPECT_FALSE(ParseSentiment("Positive").has_value());
}

}  // namespace
}  // namespace caredesk::feedback
