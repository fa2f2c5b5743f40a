#include "domain/spc/subgroups.h"

#include <cassert>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "domain/spc/sample_statistics.h"

namespace caredesk::spc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ValueOrNaN(const std::optional<double>& v) { return v.has_value() ? *v : kNaN; }

// The observations of one subgroup, with missing entries as NaN.
struct Members {
  std::string label;
  std::vector<double> values;
  std::vector<double> n;
};

Subgroup Summarise(const Members& members, bool with_n) {
  Subgroup g;
  g.label = members.label;
  g.y_length = 0;
  for (double v : members.values) g.y_length += std::isnan(v) ? 0 : 1;
  g.y_sum = g.y_length > 0 ? SumPresent(members.values) : kNaN;
  g.y_mean = MeanPresent(members.values);
  g.y_sd = SdPresent(members.values);
  if (with_n) {
    bool any_n = false;
    for (double v : members.n) any_n = any_n || !std::isnan(v);
    g.n = any_n ? SumPresent(members.n) : kNaN;
    g.y = g.y_length > 0 && g.n > 0 ? g.y_sum / g.n : kNaN;
  } else {
    g.n = kNaN;
    g.y = g.y_mean;
  }
  return g;
}

}  // namespace

std::vector<Subgroup> AggregateSubgroups(std::span<const std::optional<double>> values,
                                         std::span<const std::optional<double>> n,
                                         std::span<const std::string> labels) {
  const bool with_n = !n.empty();
  const bool grouped = !labels.empty();
  assert(!with_n || n.size() == values.size());
  assert(!grouped || labels.size() == values.size());

  std::vector<Members> groups;
  std::unordered_map<std::string_view, size_t> index_of;
  for (size_t i = 0; i < values.size(); ++i) {
    size_t g = groups.size();
    if (grouped) {
      if (labels[i].empty()) continue;
      const auto [it, inserted] = index_of.try_emplace(labels[i], groups.size());
      g = it->second;
      if (inserted) groups.push_back({labels[i], {}, {}});
    } else {
      groups.push_back({});
    }
    double value = ValueOrNaN(values[i]);
    double denominator = with_n ? ValueOrNaN(n[i]) : kNaN;
    if (with_n && (std::isnan(value) || std::isnan(denominator))) {
      value = kNaN;
      denominator = kNaN;
    }
    groups[g].values.push_back(value);
    if (with_n) groups[g].n.push_back(denominator);
  }

  std::vector<Subgroup> out;
  out.reserve(groups.size());
  for (const Members& members : groups) out.push_back(Summarise(members, with_n));
  return out;
}

}  // namespace caredesk::spc
