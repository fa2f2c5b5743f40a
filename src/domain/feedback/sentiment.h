// The sentiment of a patient comment, in three classes. The pxtextmining labellers score comments
// from 1 (very positive) to 5 (very negative), mixed comments as 3; CareDesk folds the scale to
// positive (1–2), neutral (3) and negative (4–5). Pure; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace caredesk::feedback {

enum class Sentiment : uint8_t { kPositive = 0, kNeutral = 1, kNegative = 2 };

inline constexpr size_t kSentimentCount = 3;
inline constexpr std::array<Sentiment, kSentimentCount> kAllSentiments = {Sentiment::kPositive, Sentiment::kNeutral,
                                                                          Sentiment::kNegative};

// "positive", "neutral", "negative".
std::string_view SentimentName(Sentiment sentiment);
// The inverse of SentimentName; nullopt for any other text.
std::optional<Sentiment> ParseSentiment(std::string_view name);
// The class of a 1–5 labeller score; nullopt outside 1–5.
std::optional<Sentiment> SentimentFromScore(int score);

}  // namespace caredesk::feedback
