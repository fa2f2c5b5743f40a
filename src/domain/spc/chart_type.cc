#include "domain/spc/chart_type.h"

#include <array>
#include <utility>

namespace caredesk::spc {
namespace {

constexpr std::array<std::pair<ChartType, std::string_view>, 10> kNames = {{
    {ChartType::kRun, "run"},
    {ChartType::kI, "i"},
    {ChartType::kMr, "mr"},
    {ChartType::kXbar, "xbar"},
    {ChartType::kS, "s"},
    {ChartType::kT, "t"},
    {ChartType::kP, "p"},
    {ChartType::kU, "u"},
    {ChartType::kC, "c"},
    {ChartType::kXmr, "xmr"},
}};

}  // namespace

std::string_view ChartTypeName(ChartType chart) {
  for (const auto& [type, name] : kNames) {
    if (type == chart) return name;
  }
  return "run";
}

std::optional<ChartType> ParseChartType(std::string_view name) {
  for (const auto& [type, type_name] : kNames) {
    if (type_name == name) return type;
  }
  return std::nullopt;
}

}  // namespace caredesk::spc
