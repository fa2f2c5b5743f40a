// Scores of a set of responses to one survey version: per item top/middle/bottom-box
// percentages and an unadjusted linear mean, per measure the HCAHPS composite (the mean of its
// items' box percentages and linear means), NPS for NPS items, the response rate — overall or
// per group of any metadata keys (department, provider, location, period).
//
// Linear means are CMS's 0–100 linear scores of the answers (item_kind.h) averaged without
// patient-mix or mode adjustment; star ratings are not computed, because their cut-points and
// adjustment models are not part of the data CareDesk has.
//
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/surveys/box_percentages.h"
#include "domain/surveys/group_by.h"
#include "domain/surveys/survey_definition.h"
#include "domain/surveys/survey_response.h"

namespace caredesk::surveys {

struct ItemScore {
  std::string item_id;
  std::string measure_id;
  ItemKind kind = ItemKind::kFrequency;
  int64_t answered = 0;                 // answers given (free text included)
  BoxCounts counts;                     // scored items only
  std::optional<BoxPercentages> boxes;  // nullopt when unscored or unanswered
  std::optional<double> linear_mean;    // 0–100; nullopt when unscored or unanswered
};

struct MeasureScore {
  std::string measure_id;
  std::string name;
  int64_t items_answered = 0;           // items with at least one answer
  std::optional<BoxPercentages> boxes;  // mean over the answered items; nullopt if none
  std::optional<double> linear_mean;    // mean of the answered items' linear means
};

struct NpsScore {
  std::string item_id;
  int64_t promoters = 0;      // 9–10
  int64_t passives = 0;       // 7–8
  int64_t detractors = 0;     // 0–6
  std::optional<double> nps;  // %promoters − %detractors, −100…100; nullopt with no answers
};

struct SurveyScores {
  SurveyKey survey;
  int64_t responses = 0;
  std::vector<ItemScore> items;        // in definition order
  std::vector<MeasureScore> measures;  // in definition order
  std::vector<NpsScore> nps;           // one per NPS item, in definition order

  const ItemScore* FindItem(std::string_view item_id) const;
  const MeasureScore* FindMeasure(std::string_view measure_id) const;
};

// %promoters − %detractors; nullopt when all three counts are zero.
std::optional<double> NetPromoterScore(int64_t promoters, int64_t passives, int64_t detractors);

// Scores of `responses`, each checked with ValidateResponse first: the first invalid one fails
// the whole call with its error, the field prefixed "responses[<i>]." (so
// "responses[3].answers.q5.value").
Result<SurveyScores> ScoreResponses(const SurveyDefinition& definition, std::span<const SurveyResponse> responses);

// responses ÷ invitations as a fraction 0–1. Invalid on "invitations" when it is not positive,
// on "responses" when negative or more than the invitations.
Result<double> ResponseRate(int64_t responses, int64_t invitations);

// A survey invitation (a link sent after a visit), grouped like responses by its metadata.
struct Invitation {
  std::string id;
  Metadata metadata;
};

struct GroupScores {
  std::vector<std::string> key;  // one value per GroupKey
  SurveyScores scores;
};

// ScoreResponses per group of `keys`, groups sorted by key.
Result<std::vector<GroupScores>> ScoreByGroup(const SurveyDefinition& definition,
                                              std::span<const SurveyResponse> responses,
                                              std::span<const GroupKey> keys);

struct GroupResponseRate {
  std::vector<std::string> key;
  int64_t responses = 0;
  int64_t invitations = 0;
  std::optional<double> rate;  // nullopt when there are no invitations or more responses than them
};

// Responses and invitations counted per group of `keys` (every group either side appears),
// sorted by key.
std::vector<GroupResponseRate> ResponseRatesByGroup(std::span<const Invitation> invitations,
                                                    std::span<const SurveyResponse> responses,
                                                    std::span<const GroupKey> keys);

}  // namespace caredesk::surveys
