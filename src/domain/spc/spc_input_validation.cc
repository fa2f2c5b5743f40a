#include "domain/spc/spc_input_validation.h"

#include <cmath>
#include <string>

namespace caredesk::spc {
namespace {

std::string Indexed(const char* field, size_t i) { return std::string(field) + "[" + std::to_string(i) + "]"; }

std::string ChartName(ChartType chart) { return std::string(ChartTypeName(chart)); }

bool NeedsN(ChartType chart) { return chart == ChartType::kP || chart == ChartType::kU; }

bool AllowsN(ChartType chart) {
  switch (chart) {
    case ChartType::kRun:
    case ChartType::kI:
    case ChartType::kMr:
    case ChartType::kXmr:
    case ChartType::kP:
    case ChartType::kU:
      return true;
    case ChartType::kXbar:
    case ChartType::kS:
    case ChartType::kT:
    case ChartType::kC:
      return false;
  }
  return false;
}

bool NeedsSubgroups(ChartType chart) { return chart == ChartType::kXbar || chart == ChartType::kS; }

bool Present(const std::optional<double>& v) { return v.has_value() && !std::isnan(*v); }

Status CheckValue(const SpcInput& input, size_t i) {
  const std::optional<double>& v = input.values[i];
  if (!Present(v)) return Ok();
  if (!std::isfinite(*v)) return Error::Invalid(Indexed("values", i), "values must be finite numbers or null");
  switch (input.chart) {
    case ChartType::kP:
    case ChartType::kU:
    case ChartType::kC:
      if (*v < 0) {
        return Error::Invalid(Indexed("values", i),
                              "a " + ChartName(input.chart) + " chart counts events: values must not be negative");
      }
      break;
    case ChartType::kT:
      if (*v <= 0) {
        return Error::Invalid(Indexed("values", i),
                              "a t chart plots times between events: values must be greater than 0");
      }
      break;
    default:
      break;
  }
  return Ok();
}

Status CheckDenominator(const SpcInput& input, size_t i) {
  const std::optional<double>& n = input.n[i];
  if (!Present(n)) return Ok();
  if (!std::isfinite(*n)) return Error::Invalid(Indexed("n", i), "n must hold finite numbers or null");
  if (*n < 0) return Error::Invalid(Indexed("n", i), "n must not be negative");
  const std::optional<double>& v = input.values[i];
  if (!Present(v)) return Ok();
  if (*n == 0 && *v != 0) return Error::Invalid(Indexed("n", i), "n is 0 where the value is not");
  if (input.chart == ChartType::kP && *v > *n) {
    return Error::Invalid(Indexed("values", i), "a p chart's count cannot exceed its n");
  }
  return Ok();
}

Status CheckPosition(const char* field, int position, int point_count) {
  if (position < 1 || position > point_count) {
    return Error::Invalid(field, std::string(field) + " positions must be between 1 and the number of points (" +
                                     std::to_string(point_count) + "); got " + std::to_string(position));
  }
  return Ok();
}

}  // namespace

Status ValidateObservations(const SpcInput& input) {
  const size_t count = input.values.size();
  if (count == 0) return Error::Invalid("values", "values must hold at least one observation", "required");
  if (count > kMaxObservations) {
    return Error{ErrorCode::kTooLarge, "too_large",
                 "a chart takes at most " + std::to_string(kMaxObservations) + " observations", "values"};
  }
  if (!input.n.empty() && input.n.size() != count) {
    return Error::Invalid("n", "n must have one entry per value (" + std::to_string(input.n.size()) + " for " +
                                   std::to_string(count) + " values)");
  }
  if (input.n.empty() && NeedsN(input.chart)) {
    return Error::Invalid("n", "a " + ChartName(input.chart) + " chart needs n, the denominator of each value",
                          "required");
  }
  if (!input.n.empty() && !AllowsN(input.chart)) {
    return Error::Invalid("n", "n is not used by " + ChartName(input.chart) + " charts; leave it empty");
  }
  if (!input.subgroup.empty() && input.subgroup.size() != count) {
    return Error::Invalid("subgroup", "subgroup must have one label per value (" +
                                          std::to_string(input.subgroup.size()) + " for " + std::to_string(count) +
                                          " values)");
  }
  if (input.subgroup.empty() && NeedsSubgroups(input.chart)) {
    return Error::Invalid("subgroup", "a " + ChartName(input.chart) + " chart needs a subgroup label per value",
                          "required");
  }
  if (!std::isfinite(input.multiply) || input.multiply <= 0) {
    return Error::Invalid("multiply", "multiply must be a number greater than 0");
  }
  if (input.target.has_value() && !std::isfinite(*input.target)) {
    return Error::Invalid("target", "target must be a finite number");
  }
  for (size_t i = 0; i < count; ++i) {
    CD_RETURN_IF_ERROR(CheckValue(input, i));
    if (!input.n.empty()) CD_RETURN_IF_ERROR(CheckDenominator(input, i));
  }
  return Ok();
}

Status ValidatePositions(const SpcInput& input, int point_count) {
  if (point_count == 0) return Error::Invalid("subgroup", "no observation has a subgroup label");
  if (input.freeze.has_value() && (*input.freeze < 1 || *input.freeze > point_count)) {
    return Error::Invalid("freeze", "freeze must be between 1 and the number of points (" +
                                        std::to_string(point_count) + "); got " + std::to_string(*input.freeze));
  }
  for (int position : input.exclude) CD_RETURN_IF_ERROR(CheckPosition("exclude", position, point_count));
  int previous = 1;
  for (int position : input.parts) {
    if (position <= previous || position > point_count) {
      return Error::Invalid(
          "parts", "parts must be strictly increasing positions between 2 and the number of points (" +
                       std::to_string(point_count) + ") where a new part starts; got " + std::to_string(position));
    }
    previous = position;
  }
  return Ok();
}

}  // namespace caredesk::spc
