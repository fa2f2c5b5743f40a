#include "domain/surveys/survey_scoring.h"

#include <map>
#include <utility>

namespace caredesk::surveys {
namespace {

// Running sums of one item.
struct ItemTally {
  int64_t answered = 0;
  BoxCounts counts;
  double linear_sum = 0;
};

ItemScore FinishItem(const SurveyItem& item, const ItemTally& tally) {
  ItemScore score;
  score.item_id = item.id;
  score.measure_id = item.measure_id;
  score.kind = item.kind;
  score.answered = tally.answered;
  if (!IsScoredKind(item.kind)) return score;
  score.counts = tally.counts;
  score.boxes = PercentagesOf(tally.counts);
  if (tally.answered > 0) score.linear_mean = tally.linear_sum / static_cast<double>(tally.answered);
  return score;
}

MeasureScore FinishMeasure(const SurveyDefinition& definition, const Measure& measure,
                           const std::vector<ItemScore>& items) {
  MeasureScore score;
  score.measure_id = measure.id;
  score.name = measure.name;
  std::vector<BoxPercentages> boxes;
  double linear_sum = 0;
  for (const std::string& item_id : measure.item_ids) {
    const ItemScore& item = items[definition.ItemIndex(item_id)];
    if (!item.boxes) continue;
    boxes.push_back(*item.boxes);
    linear_sum += item.linear_mean.value_or(0);
  }
  score.items_answered = static_cast<int64_t>(boxes.size());
  score.boxes = MeanOfBoxes(boxes);
  if (!boxes.empty()) score.linear_mean = linear_sum / static_cast<double>(boxes.size());
  return score;
}

// ValidateResponse on each, the first error's field prefixed "responses[<i>].".
Status ValidateAll(const SurveyDefinition& definition, std::span<const SurveyResponse> responses) {
  for (size_t r = 0; r < responses.size(); ++r) {
    if (Status valid = ValidateResponse(definition, responses[r]); !valid.ok()) {
      Error error = std::move(valid).error();
      error.field = "responses[" + std::to_string(r) + "]." + error.field;
      error.message = "response " + std::to_string(r) + " (\"" + responses[r].id + "\"): " + error.message;
      return error;
    }
  }
  return Ok();
}

// Scores of the responses at `members`, which ValidateAll has accepted.
SurveyScores ScoreValidated(const SurveyDefinition& definition, std::span<const SurveyResponse> responses,
                            std::span<const size_t> members) {
  const auto& items = definition.items();
  std::vector<ItemTally> tallies(items.size());
  for (size_t r : members) {
    for (const Answer& answer : responses[r].answers) {
      const size_t index = definition.ItemIndex(answer.item_id);
      const SurveyItem& item = items[index];
      ItemTally& tally = tallies[index];
      ++tally.answered;
      if (!IsScoredKind(item.kind)) continue;
      switch (*BoxOf(item.boxes, *answer.value)) {
        case Box::kTop:
          ++tally.counts.top;
          break;
        case Box::kMiddle:
          ++tally.counts.middle;
          break;
        case Box::kBottom:
          ++tally.counts.bottom;
          break;
      }
      tally.linear_sum += *LinearScore(item.kind, *answer.value);
    }
  }

  SurveyScores scores;
  scores.survey = definition.key();
  scores.responses = static_cast<int64_t>(members.size());
  for (size_t i = 0; i < items.size(); ++i) {
    scores.items.push_back(FinishItem(items[i], tallies[i]));
    if (items[i].kind == ItemKind::kNps) {
      const BoxCounts& c = tallies[i].counts;
      scores.nps.push_back(
          NpsScore{items[i].id, c.top, c.middle, c.bottom, NetPromoterScore(c.top, c.middle, c.bottom)});
    }
  }
  for (const Measure& measure : definition.measures()) {
    scores.measures.push_back(FinishMeasure(definition, measure, scores.items));
  }
  return scores;
}

}  // namespace

const ItemScore* SurveyScores::FindItem(std::string_view item_id) const {
  for (const ItemScore& item : items) {
    if (item.item_id == item_id) return &item;
  }
  return nullptr;
}

const MeasureScore* SurveyScores::FindMeasure(std::string_view measure_id) const {
  for (const MeasureScore& measure : measures) {
    if (measure.measure_id == measure_id) return &measure;
  }
  return nullptr;
}

std::optional<double> NetPromoterScore(int64_t promoters, int64_t passives, int64_t detractors) {
  const int64_t total = promoters + passives + detractors;
  if (total <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(promoters - detractors) / static_cast<double>(total);
}

Result<SurveyScores> ScoreResponses(const SurveyDefinition& definition, std::span<const SurveyResponse> responses) {
  CD_RETURN_IF_ERROR(ValidateAll(definition, responses));
  std::vector<size_t> all(responses.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return ScoreValidated(definition, responses, all);
}

Result<double> ResponseRate(int64_t responses, int64_t invitations) {
  if (invitations <= 0) {
    return Error::Invalid("invitations", "a response rate needs at least one invitation", "no_invitations");
  }
  if (responses < 0 || responses > invitations) {
    return Error::Invalid(
        "responses",
        std::to_string(responses) + " responses do not fit " + std::to_string(invitations) + " invitations",
        "responses_out_of_range");
  }
  return static_cast<double>(responses) / static_cast<double>(invitations);
}

Result<std::vector<GroupScores>> ScoreByGroup(const SurveyDefinition& definition,
                                              std::span<const SurveyResponse> responses,
                                              std::span<const GroupKey> keys) {
  CD_RETURN_IF_ERROR(ValidateAll(definition, responses));
  std::vector<GroupScores> out;
  for (const Group& group : GroupRecords(responses, keys)) {
    out.push_back(GroupScores{group.key, ScoreValidated(definition, responses, group.members)});
  }
  return out;
}

std::vector<GroupResponseRate> ResponseRatesByGroup(std::span<const Invitation> invitations,
                                                    std::span<const SurveyResponse> responses,
                                                    std::span<const GroupKey> keys) {
  std::map<std::vector<std::string>, GroupResponseRate> rates;
  for (const Group& group : GroupRecords(invitations, keys)) {
    rates[group.key].invitations = static_cast<int64_t>(group.members.size());
  }
  for (const Group& group : GroupRecords(responses, keys)) {
    rates[group.key].responses = static_cast<int64_t>(group.members.size());
  }
  std::vector<GroupResponseRate> out;
  out.reserve(rates.size());
  for (auto& [key, rate] : rates) {
    rate.key = key;
    if (Result<double> r = ResponseRate(rate.responses, rate.invitations); r.ok()) rate.rate = *r;
    out.push_back(std::move(rate));
  }
  return out;
}

}  // namespace caredesk::surveys
