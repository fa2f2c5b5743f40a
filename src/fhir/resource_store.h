// FHIR resources of the types CareDesk has no model of (Observation, Condition, Organization, ...; see
// resource_types.h), kept as sent and served back unchanged but for id and meta.versionId/lastUpdated:
// create, update (also creating with the client's id), delete, read, vread, history and search by _id,
// _lastUpdated and patient. References are stored as given, whether or not their target is there.
//
// A resource whose `patient` or `subject` is Patient/<n> is that patient's data: every read and write of it
// is audited under the patient (category "clinical"). Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/audit_log.h"
#include "app/search_page.h"
#include "storage/fhir_resource_repository.h"
#include "storage/pool.h"

namespace caredesk {
namespace audit_category {
inline constexpr char kClinical[] = "clinical";
}  // namespace audit_category
}  // namespace caredesk

namespace caredesk::fhir {

struct StoredResource {
  std::string type;
  std::string id;
  int64_t version = 0;
  int64_t updated_at_ms = 0;
  bool deleted = false;
  int64_t patient_id = 0;  // 0: about no patient
  std::string body;        // the resource as served; empty when deleted
};
StoredResource FromRow(db::FhirResourceRow row);

// The CareDesk patient a resource is about: its `patient` reference, else its `subject`, when that is
// "Patient/<id>" (relative, or an absolute URL ending so) with an id CareDesk could have issued; 0 otherwise.
int64_t PatientOf(const boost::json::object& resource);

// What a writer sent, checked: a JSON object whose resourceType is `type` and whose id, when it has one,
// is `id` (an update) or anything (a create, whose id the server replaces). Errors are 400s naming the
// element ("resourceType", "id").
Status CheckResource(const boost::json::value& body, std::string_view type, std::optional<std::string_view> id);
Status CheckResource(const boost::json::object& body, std::string_view type, std::optional<std::string_view> id);

// `resources` (of a modelled `type` an import may write: Practitioner, Encounter; CareDesk's ids) served with
// what was sent for each (KeepAsSent, keeping what CareDesk models and the writer did not send), in one query.
// A resource is served with what was sent for its meta.versionId or an earlier one (a version written after it
// was read is left out); one without a versionId with the latest.
Status ServeAsSent(db::Connection& c, std::string_view type, std::span<const std::string_view> modelled,
                   std::vector<boost::json::object>& resources);

// A new resource's id: a random (version 4) UUID.
std::string NewResourceId();

// `body` as stored: resourceType, id and meta (the writer's meta with versionId and lastUpdated set) first,
// then the rest as sent.
std::string Stamp(const boost::json::object& body, std::string_view id, int64_t version, int64_t updated_at_ms);

class ResourceStore {
 public:
  ResourceStore(db::Pool& pool, AuditLog& audit, const Clock& clock) : pool_(pool), audit_(audit), clock_(clock) {}

  struct Written {
    StoredResource resource;
    bool created = false;
  };

  // A new resource with an id the server makes up (a random UUID).
  Result<StoredResource> Create(const Actor& by, std::string_view type, const boost::json::value& body);
  // Type/id's next version, or its first (created) when there is none. With `expected_version`, Conflict
  // "stale_version" unless that is the current version (a resource never stored has none).
  Result<Written> Update(const Actor& by, std::string_view type, std::string_view id, const boost::json::value& body,
                         std::optional<int64_t> expected_version);
  // Marks Type/id deleted (a version without a body). NotFound if it was never stored; deleting a deleted
  // resource changes nothing.
  Result<StoredResource> Delete(const Actor& by, std::string_view type, std::string_view id,
                                std::optional<int64_t> expected_version);
  // The current version; NotFound, or NotFound with reason "deleted" (FHIR's 410) when it was deleted.
  Result<StoredResource> Read(const Actor& by, std::string_view type, std::string_view id);
  Result<StoredResource> ReadVersion(const Actor& by, std::string_view type, std::string_view id, int64_t version);
  // Every version, newest first (deleted ones without a body).
  Result<std::vector<StoredResource>> History(const Actor& by, std::string_view type, std::string_view id);
  // A page of the resources matching `q` (rows unless `rows` is false, the total when `count`); each
  // patient shown or named is audited.
  Result<::caredesk::SearchPage<db::FhirResourceRow>> Search(const Actor& by, const db::FhirResourceCriteria& q, bool count,
                                                 bool rows);

  // Inside the caller's write transaction (an import's, a transaction Bundle's): `resource` (checked, with
  // resourceType `type`) written as Type/id, created or as the next version, at `now_ms`. The audit entries,
  // if the resource is about a patient, are added to `audit` for the caller to append; with no `audit` the
  // caller audits the write its own way (an import: one entry per patient and batch).
  Result<Written> PutInTx(db::Connection& c, const Actor& by, std::string_view type, std::string_view id,
                          const boost::json::object& resource, std::optional<int64_t> expected_version, int64_t now_ms,
                          std::vector<AuditRecord>* audit);

  // The types that have resources (only those about a patient, with `about_a_patient`), in name order.
  Result<std::vector<std::string>> Types(bool about_a_patient);

  // Delete inside the caller's write transaction, its audit entry added to `audit`.
  Result<StoredResource> DeleteInTx(db::Connection& c, const Actor& by, std::string_view type, std::string_view id,
                                    std::optional<int64_t> expected_version, int64_t now_ms,
                                    std::vector<AuditRecord>& audit);

  // Modelled resources an import may have written (Practitioner, Encounter) with what was sent for them:
  // fhir::ServeAsSent (above) over a connection of its own.
  Status ServeAsSent(std::string_view type, std::span<const std::string_view> modelled,
                     std::vector<boost::json::object>& resources);

  AuditLog& audit() { return audit_; }
  const Clock& clock() const { return clock_; }

 private:
  Result<StoredResource> ReadAudited(const Actor& by, std::optional<db::FhirResourceRow> row, std::string_view type,
                                     std::string_view id, const std::string& what);

  db::Pool& pool_;
  AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace caredesk::fhir
