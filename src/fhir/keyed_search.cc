#include "fhir/keyed_search.h"

namespace caredesk::fhir {

Error BadParameter(std::string_view field, std::string message) {
  return Error::Invalid(std::string(field), std::move(message), "invalid_search_parameter");
}

AnyOf<int64_t> ReadReferences(std::string_view value, std::string_view type) {
  AnyOf<int64_t> out;
  for (const auto& v : SplitAlternatives(value)) out.push_back(ReferenceId(v, type));
  return out;
}

AnyOf<std::string> ReadIdAlternatives(std::string_view value, std::string_view type) {
  AnyOf<std::string> out;
  const std::string prefix = std::string(type) + "/";
  for (auto& v : SplitAlternatives(value)) out.push_back(v.starts_with(prefix) ? v.substr(prefix.size()) : std::move(v));
  return out;
}

Status CheckTypeModifier(std::string_view key, std::string_view modifier, std::string_view type) {
  if (modifier.empty() || modifier == type) return Ok();
  return BadParameter(key, std::string(key) + ": the modifier :" + std::string(modifier) +
                               " is not supported here (a reference to " + std::string(type) + ")");
}

std::pair<std::string_view, std::string_view> SplitKey(std::string_view key) {
  const size_t colon = key.find(':');
  if (colon == std::string_view::npos) return {key, {}};
  return {key.substr(0, colon), key.substr(colon + 1)};
}

Status NoModifier(std::string_view key, std::string_view name, std::string_view modifier) {
  if (modifier.empty()) return Ok();
  return BadParameter(key, "the modifier :" + std::string(modifier) + " is not supported for " + std::string(name));
}

}  // namespace caredesk::fhir
