#include "fhir/resource_store.h"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <random>
#include <unordered_map>

#include "core/civil_time.h"
#include "fhir/json_access.h"
#include "fhir/kept_as_sent.h"
#include "fhir/patient_resource.h"
#include "fhir/resource_types.h"
#include "storage/fhir_source_repository.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

std::string Path(std::string_view type, std::string_view id) { return std::string(type) + "/" + std::string(id); }

// A version 4 UUID from a per-thread generator seeded by the OS.
std::string RandomUuid();

}  // namespace

std::string NewResourceId() { return RandomUuid(); }

namespace {

std::string RandomUuid() {
  thread_local std::mt19937_64 gen{[] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }()};
  const uint64_t hi = (gen() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const uint64_t lo = (gen() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

// The patient id of a reference "Patient/7" or ".../Patient/7" (a version suffix "/_history/2" allowed).
int64_t PatientReference(const json::value* ref) {
  if (!ref || !ref->is_object()) return 0;
  const json::value* text = ref->get_object().if_contains("reference");
  if (!text || !text->is_string()) return 0;
  std::string_view r = text->get_string();
  if (const size_t h = r.find("/_history/"); h != std::string_view::npos) r = r.substr(0, h);
  const size_t slash = r.rfind('/');
  if (slash == std::string_view::npos) return 0;
  const std::string_view type = r.substr(0, slash);
  if (type != "Patient" && !type.ends_with("/Patient")) return 0;
  return ReadResourceId(r.substr(slash + 1)).value_or(0);
}

Error Deleted(std::string_view type, std::string_view id) {
  return Error{ErrorCode::kNotFound, "deleted", Path(type, id) + " was deleted", ""};
}

Error Unknown(std::string_view type, std::string_view id) { return Error::NotFound(Path(type, id) + " is not known"); }

}  // namespace

StoredResource FromRow(db::FhirResourceRow row) {
  return StoredResource{std::move(row.resource_type), std::move(row.id), row.version, row.updated_at,
                        row.deleted,                  row.patient_id,     std::move(row.body)};
}

int64_t PatientOf(const json::object& resource) {
  if (const int64_t id = PatientReference(resource.if_contains("patient")); id > 0) return id;
  return PatientReference(resource.if_contains("subject"));
}

Status CheckResource(const json::value& body, std::string_view type, std::optional<std::string_view> id) {
  if (!body.is_object()) return Error::Invalid("resourceType", "the body must be a " + std::string(type) + " resource");
  return CheckResource(body.get_object(), type, id);
}

Status CheckResource(const json::object& o, std::string_view type, std::optional<std::string_view> id) {
  const json::value* rt = o.if_contains("resourceType");
  if (!rt || !rt->is_string() || rt->get_string() != type) {
    return Error::Invalid("resourceType", "the body must be a " + std::string(type) + " resource (resourceType \"" +
                                              std::string(type) + "\")");
  }
  if (const json::value* rid = o.if_contains("id")) {
    if (!rid->is_string() || !IsValidResourceId(rid->get_string())) {
      return Error::Invalid("id", "id must be 1 to 64 of A-Z, a-z, 0-9, '-' and '.'");
    }
    if (id && rid->get_string() != *id) {
      return Error::Invalid("id", "the resource's id must be the id in the URL, " + std::string(*id));
    }
  } else if (id) {
    return Error::Invalid("id", "an update must carry the resource's id, " + std::string(*id));
  }
  if (const json::value* meta = o.if_contains("meta"); meta && !meta->is_object()) {
    return Error::Invalid("meta", "meta must be an object");
  }
  return Ok();
}

std::string Stamp(const json::object& body, std::string_view id, int64_t version, int64_t updated_at_ms) {
  json::object out;
  out.reserve(body.size() + 2);
  out["resourceType"] = body.at("resourceType");
  out["id"] = id;
  json::object meta;
  if (const json::value* m = body.if_contains("meta"); m && m->is_object()) meta = m->get_object();
  meta["versionId"] = std::to_string(version);
  meta["lastUpdated"] = FormatInstantUtc(FromMillis(updated_at_ms));
  out["meta"] = std::move(meta);
  for (const auto& [key, value] : body) {
    if (key != "resourceType" && key != "id" && key != "meta") out.emplace(key, value);
  }
  return json::serialize(out);
}

Result<ResourceStore::Written> ResourceStore::PutInTx(db::Connection& c, const Actor& by, std::string_view type,
                                                      std::string_view id, const json::object& resource,
                                                      std::optional<int64_t> expected_version, int64_t now_ms,
                                                      std::vector<AuditRecord>* audit) {
  CD_ASSIGN_OR_RETURN(auto current, db::FhirResourceRepository::Find(c, type, id, /*lock=*/true));
  const int64_t have = current ? current->version : 0;
  if (expected_version && *expected_version != have) {
    return Error::Conflict("stale_version", Path(type, id) + " is at version " + std::to_string(have) + ", not " +
                                                std::to_string(*expected_version),
                           "If-Match");
  }
  db::FhirResourceRow row;
  row.resource_type = std::string(type);
  row.id = std::string(id);
  row.version = have + 1;
  row.updated_at = current ? std::max(now_ms, current->updated_at) : now_ms;
  row.patient_id = PatientOf(resource);
  row.body = Stamp(resource, id, row.version, row.updated_at);
  if (current) {
    CD_RETURN_IF_ERROR(db::FhirResourceRepository::Replace(c, row));
  } else {
    CD_RETURN_IF_ERROR(db::FhirResourceRepository::Insert(c, row));
  }
  const char* action = current ? "update" : "create";
  if (audit && row.patient_id > 0) {
    audit->push_back(audit_.Make(by, action, audit_category::kClinical, row.patient_id, "success", Path(type, id)));
  }
  if (audit && current && current->patient_id > 0 && current->patient_id != row.patient_id) {
    audit->push_back(audit_.Make(by, action, audit_category::kClinical, current->patient_id, "success",
                                Path(type, id) + " no longer about this patient"));
  }
  return Written{FromRow(std::move(row)), !current};
}

Result<StoredResource> ResourceStore::Create(const Actor& by, std::string_view type, const json::value& body) {
  CD_RETURN_IF_ERROR(CheckResource(body, type, std::nullopt));
  const std::string id = NewResourceId();
  auto conn = pool_.Acquire();
  return db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<StoredResource> {
    std::vector<AuditRecord> records;
    CD_ASSIGN_OR_RETURN(Written w,
                        PutInTx(c, by, type, id, body.get_object(), std::nullopt, ToMillis(clock_.Now()), &records));
    CD_RETURN_IF_ERROR(audit_.AppendInTx(c, std::move(records)));
    return std::move(w.resource);
  });
}

Result<ResourceStore::Written> ResourceStore::Update(const Actor& by, std::string_view type, std::string_view id,
                                                     const json::value& body,
                                                     std::optional<int64_t> expected_version) {
  CD_RETURN_IF_ERROR(CheckResource(body, type, id));
  auto conn = pool_.Acquire();
  auto written = db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<Written> {
    std::vector<AuditRecord> records;
    CD_ASSIGN_OR_RETURN(Written w,
                        PutInTx(c, by, type, id, body.get_object(), expected_version, ToMillis(clock_.Now()), &records));
    CD_RETURN_IF_ERROR(audit_.AppendInTx(c, std::move(records)));
    return w;
  });
  // Two first writes of one id at once: the second lost the insert and is an update of the first.
  if (!written.ok() && db::IsUniqueViolation(written.error())) return Update(by, type, id, body, expected_version);
  return written;
}

Result<StoredResource> ResourceStore::Delete(const Actor& by, std::string_view type, std::string_view id,
                                             std::optional<int64_t> expected_version) {
  auto conn = pool_.Acquire();
  return db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<StoredResource> {
    std::vector<AuditRecord> records;
    CD_ASSIGN_OR_RETURN(StoredResource deleted,
                        DeleteInTx(c, by, type, id, expected_version, ToMillis(clock_.Now()), records));
    CD_RETURN_IF_ERROR(audit_.AppendInTx(c, std::move(records)));
    return deleted;
  });
}

Result<StoredResource> ResourceStore::DeleteInTx(db::Connection& c, const Actor& by, std::string_view type,
                                                 std::string_view id, std::optional<int64_t> expected_version,
                                                 int64_t now_ms, std::vector<AuditRecord>& audit) {
  CD_ASSIGN_OR_RETURN(auto current, db::FhirResourceRepository::Find(c, type, id, /*lock=*/true));
  if (!current) return Unknown(type, id);
  if (expected_version && *expected_version != current->version) {
    return Error::Conflict("stale_version", Path(type, id) + " is at version " + std::to_string(current->version) +
                                                ", not " + std::to_string(*expected_version),
                           "If-Match");
  }
  if (current->deleted) return FromRow(*std::move(current));
  db::FhirResourceRow row = *current;
  row.version += 1;
  row.updated_at = std::max(now_ms, current->updated_at);
  row.deleted = true;
  row.body.clear();
  CD_RETURN_IF_ERROR(db::FhirResourceRepository::Replace(c, row));
  if (row.patient_id > 0) {
    audit.push_back(audit_.Make(by, "delete", audit_category::kClinical, row.patient_id, "success", Path(type, id)));
  }
  return FromRow(std::move(row));
}

Result<StoredResource> ResourceStore::ReadAudited(const Actor& by, std::optional<db::FhirResourceRow> row,
                                                  std::string_view type, std::string_view id,
                                                  const std::string& what) {
  if (!row) return Unknown(type, id);
  if (row->patient_id > 0) {
    CD_RETURN_IF_ERROR(
        audit_.Record(audit_.Make(by, "read", audit_category::kClinical, row->patient_id, "success", what)));
  }
  if (row->deleted) return Deleted(type, id);
  return FromRow(*std::move(row));
}

Result<StoredResource> ResourceStore::Read(const Actor& by, std::string_view type, std::string_view id) {
  std::optional<db::FhirResourceRow> row;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(row, db::FhirResourceRepository::Find(*conn, type, id));
  }
  return ReadAudited(by, std::move(row), type, id, Path(type, id));
}

Result<StoredResource> ResourceStore::ReadVersion(const Actor& by, std::string_view type, std::string_view id,
                                                  int64_t version) {
  std::optional<db::FhirResourceRow> row;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(row, db::FhirResourceRepository::FindVersion(*conn, type, id, version));
  }
  if (!row) return Error::NotFound(Path(type, id) + " has no version " + std::to_string(version));
  return ReadAudited(by, std::move(row), type, id, Path(type, id) + "/_history/" + std::to_string(version));
}

Result<std::vector<StoredResource>> ResourceStore::History(const Actor& by, std::string_view type,
                                                           std::string_view id) {
  std::vector<db::FhirResourceRow> rows;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(rows, db::FhirResourceRepository::History(*conn, type, id));
  }
  if (rows.empty()) return Unknown(type, id);
  std::vector<int64_t> patients;
  for (const auto& r : rows) {
    if (r.patient_id > 0 && std::find(patients.begin(), patients.end(), r.patient_id) == patients.end()) {
      patients.push_back(r.patient_id);
    }
  }
  std::vector<AuditRecord> records;
  for (int64_t p : patients) {
    records.push_back(audit_.Make(by, "read", audit_category::kClinical, p, "success", Path(type, id) + "/_history"));
  }
  if (!records.empty()) CD_RETURN_IF_ERROR(audit_.Record(std::move(records)));
  std::vector<StoredResource> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(FromRow(std::move(r)));
  return out;
}

Result<std::vector<std::string>> ResourceStore::Types(bool about_a_patient) {
  auto conn = pool_.Acquire();
  return db::FhirResourceRepository::Types(*conn, about_a_patient);
}

Result<::caredesk::SearchPage<db::FhirResourceRow>> ResourceStore::Search(const Actor& by, const db::FhirResourceCriteria& q,
                                                              bool count, bool rows) {
  return ReadSearchPage<db::FhirResourceRow, db::FhirResourceRepository>(
      pool_, audit_, by, q, count, rows, audit_category::kClinical, q.resource_type + " search");
}

namespace {

// A resource's id or version CareDesk issued (a string of digits), or 0.
int64_t Number(const json::value* v) { return ReadResourceId(StringAt(v)).value_or(0); }

int64_t VersionOf(const json::object& resource) {
  const json::value* meta = resource.if_contains("meta");
  return meta && meta->is_object() ? Number(meta->get_object().if_contains("versionId")) : 0;
}

}  // namespace

Status ServeAsSent(db::Connection& c, std::string_view type, std::span<const std::string_view> modelled,
                   std::vector<json::object>& resources) {
  std::vector<int64_t> ids;
  ids.reserve(resources.size());
  for (const json::object& r : resources) {
    if (const int64_t id = Number(r.if_contains("id")); id > 0) ids.push_back(id);
  }
  if (ids.empty()) return Ok();
  CD_ASSIGN_OR_RETURN(std::vector<db::FhirSourceRow> latest, db::FhirSourceRepository::Latest(c, type, ids));
  if (latest.empty()) return Ok();
  std::unordered_map<int64_t, const db::FhirSourceRow*> by_id;
  for (const db::FhirSourceRow& row : latest) by_id[row.resource_id] = &row;
  for (json::object& r : resources) {
    const int64_t id = Number(r.if_contains("id"));
    const auto found = by_id.find(id);
    if (found == by_id.end()) continue;
    const int64_t version = VersionOf(r);
    const db::FhirSourceRow* source = found->second;
    std::optional<db::FhirSourceRow> earlier;
    if (version > 0 && source->version > version) {
      // Written again since this resource was read: what was sent for the version read.
      CD_ASSIGN_OR_RETURN(earlier, db::FhirSourceRepository::AtOrBefore(c, type, id, version));
      if (!earlier) continue;
      source = &*earlier;
    }
    r = KeepAsSent(ObjectOf(source->original), ObjectOf(source->projection), std::move(r), modelled,
                   /*keep_unsent=*/true);
  }
  return Ok();
}

Status ResourceStore::ServeAsSent(std::string_view type, std::span<const std::string_view> modelled,
                                  std::vector<json::object>& resources) {
  if (resources.empty()) return Ok();
  auto conn = pool_.Acquire();
  return fhir::ServeAsSent(*conn, type, modelled, resources);
}

}  // namespace caredesk::fhir
