// The kinds of SPC chart. Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace caredesk::spc {

enum class ChartType {
  kRun,   // run chart: median, no limits
  kI,     // individuals (qicharts2): mean ± 3 · mean moving range / 1.128
  kMr,    // moving ranges of the individuals
  kXbar,  // subgroup means
  kS,     // subgroup standard deviations
  kT,     // time between rare events: I chart of y^(1/3.6), back-transformed (Nelson)
  kP,     // proportions: counts over denominators n
  kU,     // rates: counts over exposures n
  kC,     // counts
  kXmr,   // Making Data Count XmR (NHSRplotthedots): mean ± 2.66 · mean moving range
};

// "run", "i", "mr", "xbar", "s", "t", "p", "u", "c", "xmr".
std::string_view ChartTypeName(ChartType chart);
std::optional<ChartType> ParseChartType(std::string_view name);

}  // namespace caredesk::spc
