#include "fhir/group_store.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <map>

#include "fhir/patient_resource.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

constexpr std::string_view kLocation = "location-";
constexpr std::string_view kProvider = "provider-";

Error Unknown(std::string_view id) { return Error::NotFound("Group/" + std::string(id) + " is not known"); }

}  // namespace

std::optional<GroupKey> ReadGroupId(std::string_view id) {
  GroupKey key;
  std::string_view number;
  if (id.starts_with(kLocation)) {
    key.kind = db::PatientGroupKind::kLocation;
    number = id.substr(kLocation.size());
  } else if (id.starts_with(kProvider)) {
    key.kind = db::PatientGroupKind::kProvider;
    number = id.substr(kProvider.size());
  } else {
    return std::nullopt;
  }
  const std::optional<int64_t> n = ReadResourceId(number);
  if (!n) return std::nullopt;
  key.id = *n;
  return key;
}

std::string FormatGroupId(const GroupKey& key) {
  return std::string(key.kind == db::PatientGroupKind::kLocation ? kLocation : kProvider) + std::to_string(key.id);
}

json::object GroupResource(const GroupKey& key, const std::string& name, int64_t quantity) {
  const bool location = key.kind == db::PatientGroupKind::kLocation;
  json::object value{{"reference", std::string(location ? "Location/" : "Practitioner/") + std::to_string(key.id)},
                     {"display", name}};
  return {{"resourceType", "Group"},
          {"id", FormatGroupId(key)},
          {"type", "person"},
          {"actual", true},
          {"name", "Patients of " + name},
          {"quantity", quantity},
          {"characteristic",
           json::array{json::object{
               {"code", json::object{{"text", location ? "has an appointment or encounter at"
                                                       : "has an appointment or encounter with"}}},
               {"valueReference", std::move(value)},
               {"exclude", false}}}}};
}

Result<GroupSearch> ReadGroupSearch(const QueryParams& query) {
  GroupSearch out;
  for (const auto& [key, value] : query) {
    if (key == "_id") {
      for (std::string& id : SplitAlternatives(value)) out.ids.push_back(std::move(id));
      out.used.emplace_back(key, value);
    } else if (key == "_summary") {
      if (value != "count") {
        return Error::Invalid(key, "_summary: only count is supported on Group searches", "invalid_search_parameter");
      }
      out.count_only = true;
      out.used.emplace_back(key, value);
    } else if (key != "_format") {
      out.ignored.push_back(key);
    }
  }
  return out;
}

Result<std::string> GroupStore::NameOf(const GroupKey& key) {
  if (key.kind == db::PatientGroupKind::kLocation) {
    CD_ASSIGN_OR_RETURN(Location l, schedule_.GetLocation(key.id));
    return l.name;
  }
  CD_ASSIGN_OR_RETURN(Provider p, schedule_.GetProvider(key.id));
  return p.name;
}

Result<GroupKey> GroupStore::Known(std::string_view id) {
  const std::optional<GroupKey> key = ReadGroupId(id);
  if (!key) return Unknown(id);
  if (Result<std::string> name = NameOf(*key); !name.ok()) {
    return name.error().code == ErrorCode::kNotFound ? Unknown(id) : name.error();
  }
  return *key;
}

Result<json::object> GroupStore::Read(std::string_view id) {
  CD_ASSIGN_OR_RETURN(GroupKey key, Known(id));
  CD_ASSIGN_OR_RETURN(std::string name, NameOf(key));
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(int64_t quantity, db::PatientGroupRepository::Count(*conn, key.kind, key.id));
  return GroupResource(key, name, quantity);
}

Result<std::vector<json::object>> GroupStore::All() {
  CD_ASSIGN_OR_RETURN(std::vector<Location> locations, schedule_.Locations());
  CD_ASSIGN_OR_RETURN(std::vector<Provider> providers, schedule_.Providers());
  std::map<int64_t, int64_t> at_location, with_provider;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(at_location, db::PatientGroupRepository::Counts(*conn, db::PatientGroupKind::kLocation));
    CD_ASSIGN_OR_RETURN(with_provider, db::PatientGroupRepository::Counts(*conn, db::PatientGroupKind::kProvider));
  }
  const auto count = [](const std::map<int64_t, int64_t>& counts, int64_t id) {
    const auto found = counts.find(id);
    return found == counts.end() ? int64_t{0} : found->second;
  };
  std::sort(locations.begin(), locations.end(), [](const Location& a, const Location& b) { return a.id < b.id; });
  std::sort(providers.begin(), providers.end(), [](const Provider& a, const Provider& b) { return a.id < b.id; });
  std::vector<json::object> out;
  out.reserve(locations.size() + providers.size());
  for (const Location& l : locations) {
    out.push_back(GroupResource({db::PatientGroupKind::kLocation, l.id}, l.name, count(at_location, l.id)));
  }
  for (const Provider& p : providers) {
    out.push_back(GroupResource({db::PatientGroupKind::kProvider, p.id}, p.name, count(with_provider, p.id)));
  }
  return out;
}

Result<std::vector<int64_t>> GroupStore::Members(std::string_view id) {
  CD_ASSIGN_OR_RETURN(GroupKey key, Known(id));
  auto conn = pool_.Acquire();
  return db::PatientGroupRepository::Members(*conn, key.kind, key.id);
}

}  // namespace caredesk::fhir
