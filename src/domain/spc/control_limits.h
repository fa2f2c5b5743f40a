// Centre lines and control limits of one chart part, chart by chart as qicharts2 v0.8.1
// (helper.functions.R) computes them, and the Making Data Count XmR chart as NHSRplotthedots
// v0.2.2 does. Pure functions; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "domain/spc/chart_type.h"
#include "domain/spc/subgroups.h"

namespace caredesk::spc {

// Per point of the part; NaN where a number is undefined (a missing point, a subgroup too small for
// a standard deviation, fewer than two baseline points for a moving range, ...).
struct PartLimits {
  std::vector<double> y;    // the plotted value (moving range on MR charts, standard deviation on S charts)
  std::vector<double> cl;   // centre line
  std::vector<double> lcl;  // lower control (process) limit, 3 sigma
  std::vector<double> ucl;  // upper control (process) limit, 3 sigma
  std::vector<double> lwl;  // lower 2-sigma line (qicharts2's lcl.95), used by the "2 in 3" rule
  std::vector<double> uwl;  // upper 2-sigma line
};

// Computes one part. `base[i]` says whether point i is in the baseline and not excluded, i.e.
// used to estimate the centre line and the limits. `screen_outliers` drops moving ranges of at
// least 3.267 times their mean before the mean is recomputed (I, T and XmR charts; qicharts2's
// option qic.screenedmr, on when the package is attached, and NHSRplotthedots' screen_outliers).
PartLimits ComputePartLimits(ChartType chart, std::span<const Subgroup> points, const std::vector<bool>& base,
                             bool screen_outliers);

}  // namespace caredesk::spc
