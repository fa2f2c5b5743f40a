// CareDesk's patient groups as FHIR Group resources, for a Group-level $export: the patients of a location
// ("location-3") and of a provider ("provider-7"), that is those with an appointment or an encounter there or
// with them (storage/patient_group_repository.h). A Group states how many patients it has (`quantity`) and
// what they share (`characteristic`); its members are not listed (a location may have a million), its
// $export (bulk_export.h) brings their data. Thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/schedule_service.h"
#include "core/status.h"
#include "fhir/search_params.h"
#include "storage/patient_group_repository.h"
#include "storage/pool.h"

namespace caredesk::fhir {

struct GroupKey {
  db::PatientGroupKind kind = db::PatientGroupKind::kLocation;
  int64_t id = 0;
};

// "location-3" and "provider-7"; nullopt for anything else.
std::optional<GroupKey> ReadGroupId(std::string_view id);
std::string FormatGroupId(const GroupKey& key);

// `name` is the location's or provider's.
boost::json::object GroupResource(const GroupKey& key, const std::string& name, int64_t quantity);

// A Group search: _id (alternatives) and _summary=count; other parameters are ignored and reported. Errors
// are 400s naming the parameter.
struct GroupSearch {
  std::vector<std::string> ids;  // any of them; empty: every group
  bool count_only = false;
  QueryParams used;
  std::vector<std::string> ignored;
};
Result<GroupSearch> ReadGroupSearch(const QueryParams& query);

class GroupStore {
 public:
  GroupStore(db::Pool& pool, ScheduleService& schedule) : pool_(pool), schedule_(schedule) {}

  // NotFound for an id that names no location or provider.
  Result<boost::json::object> Read(std::string_view id);
  // Every location's group, then every provider's, in id order.
  Result<std::vector<boost::json::object>> All();
  // The patients of the group, ascending; NotFound as Read.
  Result<std::vector<int64_t>> Members(std::string_view id);

 private:
  // The location's or provider's name; NotFound for an unknown one.
  Result<std::string> NameOf(const GroupKey& key);
  // The group `id` names; NotFound when it names no location or provider.
  Result<GroupKey> Known(std::string_view id);

  db::Pool& pool_;
  ScheduleService& schedule_;
};

}  // namespace caredesk::fhir
