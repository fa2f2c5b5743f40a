// What the searches paged by key share (Appointment, Encounter, Coverage): the result parameters, _id,
// reference parameters, _include, and a hook for each type's own parameters. Their criteria are a
// struct with `ids` (AnyOf<int64_t> per _id parameter, or AnyOf<std::string> for ids CareDesk does not
// issue) and `page` (KeyedPage).
#pragma once

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/match.h"
#include "core/status.h"
#include "fhir/search_params.h"

namespace caredesk::fhir {

// A search's criteria with what the result parameters asked for, the parameters applied (for the self
// and next links), those ignored (reported back) and the types _include brings in.
template <typename Criteria>
struct KeyedSearch {
  Criteria criteria;
  ResultParams result;
  QueryParams used;
  std::vector<std::string> ignored;
  std::vector<std::string> include;
};

// A 400 for a search parameter, naming it.
Error BadParameter(std::string_view field, std::string message);
// A reference parameter's alternatives as ids (ReferenceId: -1 for another type's).
AnyOf<int64_t> ReadReferences(std::string_view value, std::string_view type);
// _id's alternatives as FHIR ids ("abc", "Observation/abc"): for the types whose ids CareDesk does not issue.
AnyOf<std::string> ReadIdAlternatives(std::string_view value, std::string_view type);
// A reference parameter's type modifier ("patient:Patient"): none, or `type` itself.
Status CheckTypeModifier(std::string_view key, std::string_view modifier, std::string_view type);
// "name:modifier" as {name, modifier}.
std::pair<std::string_view, std::string_view> SplitKey(std::string_view key);
// A 400 when a parameter that takes no modifier has one.
Status NoModifier(std::string_view key, std::string_view name, std::string_view modifier);

// A reference parameter and the criterion it fills.
template <typename Criteria>
struct ReferenceParam {
  std::string_view name;
  std::string_view type;
  std::vector<AnyOf<int64_t>> Criteria::*criterion;
};

// Reads a search of `type`: the result parameters, _id, the reference parameters (`references`),
// _include (`includes`), and `own(key, name, modifier, value, criteria)` for the rest of the type's
// parameters (false for one it does not know, which is then reported as ignored). In the order of
// `time_name` (say "date") unless _sort says _id; with no `time_name`, in id order only.
template <typename Criteria, size_t R, size_t I, typename Own>
Result<KeyedSearch<Criteria>> ReadKeyedSearch(const QueryParams& query, std::string_view type,
                                              std::string_view time_name,
                                              const ReferenceParam<Criteria> (&references)[R],
                                              const IncludeRule (&includes)[I], Own own) {
  KeyedSearch<Criteria> out;
  Criteria& q = out.criteria;
  q.page.by_time = !time_name.empty();
  for (const auto& [key, value] : query) {
    if (value.empty()) continue;
    // Not a structured binding: the lambda below captures the name (clang 15 cannot capture bindings).
    const auto split = SplitKey(key);
    const std::string_view name = split.first, modifier = split.second;
    bool used = true;
    CD_ASSIGN_OR_RETURN(bool paging, ReadPageParam(key, value, time_name, q.page, out.result, used));
    if (paging) {
      if (used) out.used.emplace_back(key, value);
      continue;
    }
    used = true;
    const auto reference = std::find_if(std::begin(references), std::end(references),
                                        [&](const ReferenceParam<Criteria>& r) { return r.name == name; });
    if (reference != std::end(references)) {
      CD_RETURN_IF_ERROR(CheckTypeModifier(key, modifier, reference->type));
      (q.*(reference->criterion)).push_back(ReadReferences(value, reference->type));
    } else if (name == "_id") {
      CD_RETURN_IF_ERROR(NoModifier(key, name, modifier));
      if constexpr (std::is_same_v<decltype(q.ids), std::vector<AnyOf<std::string>>>) {
        q.ids.push_back(ReadIdAlternatives(value, type));
      } else {
        q.ids.push_back(ReadReferences(value, type));
      }
    } else if (key == "_include") {
      used = ReadInclude(value, includes, out.include);
      if (!used) out.ignored.push_back(key + "=" + value);
    } else {
      CD_ASSIGN_OR_RETURN(used, own(key, name, modifier, value, q));
      if (!used) out.ignored.push_back(key);
    }
    if (used) out.used.emplace_back(key, value);
  }
  CD_RETURN_IF_ERROR(CheckPage(q.page, out.result));
  return out;
}

}  // namespace caredesk::fhir
