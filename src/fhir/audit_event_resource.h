// The audit trail as FHIR R4 AuditEvent resources, read-only (for the roles that may read the trail).
//
// An entry is an AuditEvent with the entry's sequence number as id: type "rest" (a RESTful operation; a
// security entry is DICOM's "User Authentication"), subtype CareDesk's action (kAuditActionSystem), action
// C, R, U, D or E, recorded, outcome 0 (success), 4 (denied) or 8 (failure) with the detail as outcomeDesc,
// the user as the requesting agent (identifier kUserSystem, role, network address), CareDesk as the source
// and the patient, when there is one, as the entity (description: the data category).
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/audit/audit_record.h"
#include "fhir/search_params.h"
#include "storage/audit_repository.h"

namespace caredesk::fhir {

inline constexpr char kAuditActionSystem[] = "urn:caredesk:audit-action";
inline constexpr char kUserSystem[] = "urn:caredesk:user";

boost::json::object AuditEventResource(const AuditRecord& r);

// AuditEvent search: _id, date (prefixes narrow the period), patient and entity (Patient/id), agent-name
// (the username), subtype (CareDesk's action, or kAuditActionSystem|action), _count (1-1000, default 20)
// and the server's _cursor; newest first.
struct AuditEventSearch {
  db::AuditFilter filter;
  bool none = false;  // a criterion no entry can meet (a reference to another type)
  QueryParams used;
  std::vector<std::string> ignored;
};
Result<AuditEventSearch> ReadAuditEventSearch(const QueryParams& query);

}  // namespace caredesk::fhir
