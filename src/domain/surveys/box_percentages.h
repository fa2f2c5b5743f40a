// Top-, middle- and bottom-box shares and the arithmetic HCAHPS reporting does with them.
//
// - An item's box percentages are its answer counts over the number of answers.
// - A composite's box percentages are the plain mean of its items' percentages (CMS: each item
//   weighs the same, whatever its number of answers).
// - A roll-up over units (departments → hospital, hospitals → state, states → nation) is a
//   weighted mean of the units' percentages; the caller chooses the weights (1 per unit, the
//   number of completed surveys, …).
// - Published figures are whole percentages: top and bottom box rounded half up, the middle box
//   the remainder, so the three add up to 100 (the form of the CMS national and state tables).
//
// Percentages are 0–100. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "core/status.h"

namespace caredesk::surveys {

struct BoxCounts {
  int64_t top = 0;
  int64_t middle = 0;
  int64_t bottom = 0;

  int64_t Total() const { return top + middle + bottom; }
  auto operator<=>(const BoxCounts&) const = default;
};

struct BoxPercentages {
  double top = 0;
  double middle = 0;
  double bottom = 0;
};

// Each box's share of the answers in percent; nullopt when there are none.
std::optional<BoxPercentages> PercentagesOf(const BoxCounts& counts);

// One unit of a roll-up: its box percentages and its weight.
struct WeightedBoxes {
  BoxPercentages boxes;
  double weight = 1;
};

// Σ weight·boxes / Σ weight. Invalid ("weight") when a weight is negative or not finite, or the
// weights add up to zero (including no units).
Result<BoxPercentages> WeightedMeanOfBoxes(std::span<const WeightedBoxes> units);

// The plain mean — the HCAHPS composite rule. nullopt for no items.
std::optional<BoxPercentages> MeanOfBoxes(std::span<const BoxPercentages> items);

struct WholeBoxes {
  int top = 0;
  int middle = 0;
  int bottom = 0;

  auto operator<=>(const WholeBoxes&) const = default;
};

// x rounded to the nearest integer, halves up. Values within 1e-9 below a half count as the half,
// so a mean that is exactly n + ½ in exact arithmetic is not rounded down by floating-point error.
int RoundHalfUp(double x);

// Published form: top and bottom rounded half up, middle = 100 − top − bottom.
WholeBoxes RoundToPublishedBoxes(const BoxPercentages& boxes);

}  // namespace caredesk::surveys
