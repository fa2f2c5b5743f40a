#include "domain/spc/spc_facets.h"

#include <string_view>
#include <unordered_map>

#include "domain/spc/spc_input_validation.h"

namespace caredesk::spc {

Result<std::vector<FacetChart>> ComputeFacetCharts(const SpcInput& input, const std::vector<std::string>& facets) {
  if (facets.size() != input.values.size()) {
    return Error::Invalid("facets", "facets must have one label per value (" + std::to_string(facets.size()) + " for " +
                                        std::to_string(input.values.size()) + " values)");
  }
  // Element errors name the position in the caller's arrays, not in a facet's.
  CD_RETURN_IF_ERROR(ValidateObservations(input));

  std::vector<SpcInput> inputs;
  std::vector<std::string> names;
  std::unordered_map<std::string_view, size_t> index_of;
  for (size_t i = 0; i < facets.size(); ++i) {
    const auto [it, inserted] = index_of.try_emplace(facets[i], inputs.size());
    if (inserted) {
      SpcInput facet_input = input;
      facet_input.values.clear();
      facet_input.n.clear();
      facet_input.subgroup.clear();
      inputs.push_back(std::move(facet_input));
      names.push_back(facets[i]);
    }
    SpcInput& target = inputs[it->second];
    target.values.push_back(input.values[i]);
    if (!input.n.empty()) target.n.push_back(input.n[i]);
    if (!input.subgroup.empty()) target.subgroup.push_back(input.subgroup[i]);
  }

  std::vector<FacetChart> out;
  out.reserve(inputs.size());
  for (size_t f = 0; f < inputs.size(); ++f) {
    Result<SpcChart> chart = ComputeChart(inputs[f]);
    if (!chart.ok()) {
      Error error = std::move(chart).error();
      error.message = "facet '" + names[f] + "': " + error.message;
      return error;
    }
    out.push_back({names[f], std::move(chart).value()});
  }
  return out;
}

}  // namespace caredesk::spc
