#include "domain/feedback/sentiment.h"

namespace caredesk::feedback {

std::string_view SentimentName(Sentiment sentiment) {
  switch (sentiment) {
    case Sentiment::kPositive:
      return "positive";
    case Sentiment::kNeutral:
      return "neutral";
    case Sentiment::kNegative:
      return "negative";
  }
  return "neutral";
}

std::optional<Sentiment> ParseSentiment(std::string_view name) {
  for (Sentiment s : kAllSentiments) {
    if (SentimentName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<Sentiment> SentimentFromScore(int score) {
  if (score == 1 || score == 2) return Sentiment::kPositive;
  if (score == 3) return Sentiment::kNeutral;
  if (score == 4 || score == 5) return Sentiment::kNegative;
  return std::nullopt;
}

}  // namespace caredesk::feedback
