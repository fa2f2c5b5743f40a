#include "domain/spc/spc_chart.h"

#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "domain/spc/control_limits.h"
#include "domain/spc/sample_statistics.h"
#include "domain/spc/spc_input_validation.h"
#include "domain/spc/subgroups.h"

namespace caredesk::spc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int Sign(double v) { return (v > 0) - (v < 0); }

std::optional<double> Finite(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> MeanOf(const std::vector<double>& v) { return Finite(MeanPresent(v)); }

// The half-open point range [begin, end) of each part.
std::vector<std::pair<size_t, size_t>> PartRanges(const std::vector<int>& starts, size_t point_count) {
  std::vector<std::pair<size_t, size_t>> ranges;
  size_t begin = 0;
  for (int start : starts) {
    ranges.emplace_back(begin, static_cast<size_t>(start - 1));
    begin = static_cast<size_t>(start - 1);
  }
  ranges.emplace_back(begin, point_count);
  return ranges;
}

// Applies the Making Data Count rules to one part: `limits` (already scaled) holds the chart points
// from `offset` on. The shift, trend and "2 in 3" rules run over the points that have a value and
// are included, in order, when the points form a time series; every point with a value is checked
// against the limits.
void ClassifyPart(const PartLimits& limits, const SpcInput& input, std::vector<SpcPoint>& points, size_t offset) {
  const size_t n = limits.y.size();
  std::vector<size_t> sequence;
  std::vector<double> y;
  std::vector<int> relative_to_mean, close_to_limits, outside_limits;
  std::vector<int> outside(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(limits.y[i])) continue;
    outside[i] = points[offset + i].sigma_signal ? 1 : 0;
    if (!input.time_ordered || !points[offset + i].included) continue;
    const double value = limits.y[i];
    sequence.push_back(i);
    y.push_back(value);
    relative_to_mean.push_back(std::isnan(limits.cl[i]) ? 0 : Sign(value - limits.cl[i]));
    close_to_limits.push_back(outside[i] == 0 && (value < limits.lwl[i] || value > limits.uwl[i]) ? 1 : 0);
    outside_limits.push_back(outside[i]);
  }
  const std::vector<SpecialCauseType> types =
      ClassifySpecialCauses(y, relative_to_mean, close_to_limits, outside_limits);
  for (size_t i = 0; i < n; ++i) {
    if (outside[i] != 0) {
      points[offset + i].special_cause_type =
          Sign(limits.y[i] - limits.cl[i]) == 1 ? SpecialCauseType::kAboveUcl : SpecialCauseType::kBelowLcl;
    }
  }
  for (size_t k = 0; k < sequence.size(); ++k) points[offset + sequence[k]].special_cause_type = types[k];
  for (size_t i = 0; i < n; ++i) {
    SpcPoint& p = points[offset + i];
    p.special_cause = p.special_cause_type != SpecialCauseType::kCommonCause;
    p.point_type = PointTypeFor(p.special_cause_type, input.improvement);
  }
}

SpcPart ComputePart(const SpcInput& input, const std::vector<Subgroup>& subgroups, size_t begin, size_t end,
                    std::vector<SpcPoint>& points) {
  const size_t n = end - begin;
  const std::span<const Subgroup> part_points(subgroups.data() + begin, n);
  std::vector<bool> base(n);
  for (size_t i = 0; i < n; ++i) base[i] = points[begin + i].baseline && points[begin + i].included;
  PartLimits limits = ComputePartLimits(input.chart, part_points, base, input.screen_outliers);

  SpcPart part;
  part.part = points[begin].part;
  part.first_point = static_cast<int>(begin) + 1;
  part.last_point = static_cast<int>(end);

  // Runs analysis on the unscaled values, as qicharts2.
  std::vector<double> runs_y, runs_cl;
  for (size_t i = 0; i < n; ++i) {
    if (!points[begin + i].included) continue;
    runs_y.push_back(limits.y[i]);
    runs_cl.push_back(limits.cl[i]);
  }
  const bool signal_allowed = input.time_ordered && input.chart != ChartType::kMr;
  part.runs = AnalyseRuns(runs_y, runs_cl, signal_allowed);

  for (std::vector<double>* v : {&limits.y, &limits.cl, &limits.lcl, &limits.ucl, &limits.lwl, &limits.uwl}) {
    for (double& x : *v) x *= input.multiply;
  }
  std::vector<double> lcl_values, cl_values, ucl_values;
  for (size_t i = 0; i < n; ++i) {
    SpcPoint& p = points[begin + i];
    p.y = Finite(limits.y[i]);
    p.cl = Finite(limits.cl[i]);
    p.lcl = Finite(limits.lcl[i]);
    p.ucl = Finite(limits.ucl[i]);
    p.sigma_signal = p.y.has_value() && ((p.ucl.has_value() && *p.y > *p.ucl) || (p.lcl.has_value() && *p.y < *p.lcl));
    part.sigma_signals += p.sigma_signal ? 1 : 0;
    lcl_values.push_back(p.lcl.value_or(kNaN));
    cl_values.push_back(p.cl.value_or(kNaN));
    ucl_values.push_back(p.ucl.value_or(kNaN));
  }
  part.mean_lcl = MeanOf(lcl_values);
  part.mean_cl = MeanOf(cl_values);
  part.mean_ucl = MeanOf(ucl_values);
  ClassifyPart(limits, input, points, begin);
  return part;
}

std::optional<Assurance> AssuranceOf(const SpcInput& input, const std::vector<SpcPoint>& points) {
  if (!input.target.has_value()) return std::nullopt;
  for (auto it = points.rbegin(); it != points.rend(); ++it) {
    if (it->lcl.has_value() && it->ucl.has_value()) {
      return AssuranceFor(*it->lcl, *it->ucl, *input.target, input.improvement);
    }
  }
  return std::nullopt;
}

}  // namespace

Result<SpcChart> ComputeChart(const SpcInput& input) {
  CD_RETURN_IF_ERROR(ValidateObservations(input));
  const std::vector<Subgroup> subgroups = AggregateSubgroups(input.values, input.n, input.subgroup);
  const int point_count = static_cast<int>(subgroups.size());
  CD_RETURN_IF_ERROR(ValidatePositions(input, point_count));

  SpcChart chart;
  chart.chart = input.chart;
  chart.points.resize(subgroups.size());
  const std::set<int> excluded(input.exclude.begin(), input.exclude.end());
  const auto ranges = PartRanges(input.parts, subgroups.size());
  for (size_t part = 0; part < ranges.size(); ++part) {
    const auto [begin, end] = ranges[part];
    for (size_t i = begin; i < end; ++i) {
      SpcPoint& p = chart.points[i];
      p.subgroup = subgroups[i].label;
      p.part = static_cast<int>(part) + 1;
      p.baseline = !input.freeze.has_value() || static_cast<int>(i - begin) < *input.freeze;
      p.included = excluded.count(static_cast<int>(i) + 1) == 0;
    }
  }
  for (const auto& [begin, end] : ranges) {
    chart.parts.push_back(ComputePart(input, subgroups, begin, end, chart.points));
  }
  chart.runs = chart.parts.back().runs;
  chart.assurance = AssuranceOf(input, chart.points);
  return chart;
}

}  // namespace caredesk::spc
