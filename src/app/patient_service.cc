#include "app/patient_service.h"

#include <unordered_map>
#include <unordered_set>

#include "app/hl7_outbound_service.h"
#include "storage/audit_repository.h"
#include "storage/patient_repository.h"
#include "storage/patient_search_repository.h"

namespace caredesk {
namespace {

// Re-read this many recent changes on every sync: PostgreSQL may commit a
// lower sequence number after a higher one, and upserts are idempotent.
constexpr int64_t kChangeLookback = 256;
constexpr int kIndexPage = 20000;
constexpr size_t kDuplicateCandidates = 5;

}  // namespace

Error MergedPatient(int64_t patient_id, int64_t merged_into, std::string field) {
  return Error::Conflict("patient_merged",
                         "patient " + std::to_string(patient_id) + " was merged into patient " +
                             std::to_string(merged_into) + "; use that record",
                         std::move(field));
}

Result<std::string> RequireCurrentPatient(db::Connection& c, int64_t patient_id) {
  static constexpr char kSql[] = "SELECT given_name || ' ' || family_name, merged_into FROM patients WHERE id = $1";
  static const std::string kLocked = std::string(kSql) + " FOR KEY SHARE";
  CD_ASSIGN_OR_RETURN(db::ResultSet rs,
                      c.Query(c.dialect() == db::Dialect::kPostgres ? kLocked : std::string(kSql), {patient_id}));
  if (rs.empty()) {
    return Error::Unprocessable("patient_id", "no patient with id " + std::to_string(patient_id), "unknown_patient");
  }
  if (auto into = rs.OptInt(0, 1)) return MergedPatient(patient_id, *into, "patient_id");
  return rs.Text(0, 0);
}

IndexedPatient PatientService::ToIndexed(const Patient& p) const { return ToIndexedPatient(p); }

Status PatientService::LoadIndex(const std::function<void(size_t)>& progress) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(int64_t latest, db::PatientRepository::LatestChange(*conn));
  int64_t after = 0;
  size_t loaded = 0;
  for (;;) {
    CD_ASSIGN_OR_RETURN(auto rows, db::PatientRepository::IndexRows(*conn, after, kIndexPage));
    for (const auto& r : rows) index_.Upsert(r);
    loaded += rows.size();
    if (progress) progress(loaded);
    if (static_cast<int>(rows.size()) < kIndexPage) break;
    after = rows.back().id;
  }
  std::lock_guard lock(sync_mu_);
  synced_seq_ = latest;
  synced_at_ = clock_.Now();
  return Ok();
}

Status PatientService::SyncIndex() {
  std::lock_guard lock(sync_mu_);
  TimePoint now = clock_.Now();
  if (now - synced_at_ < sync_interval_) return Ok();
  synced_at_ = now;
  auto conn = pool_.Acquire();
  int64_t from = std::max<int64_t>(0, synced_seq_ - kChangeLookback);
  for (;;) {
    CD_ASSIGN_OR_RETURN(auto changes, db::PatientRepository::ChangesSince(*conn, from, 5000));
    if (changes.empty()) break;
    std::vector<int64_t> ids;
    for (const auto& ch : changes) ids.push_back(ch.patient_id);
    CD_ASSIGN_OR_RETURN(auto rows, db::PatientRepository::IndexRowsFor(*conn, ids));
    std::unordered_set<int64_t> current;
    for (const auto& r : rows) {
      index_.Upsert(r);
      current.insert(r.id);
    }
    // A changed patient with no index row was merged into another.
    for (int64_t id : ids) {
      if (!current.contains(id)) index_.Remove(id);
    }
    from = changes.back().seq;
    synced_seq_ = std::max(synced_seq_, from);
    if (changes.size() < 5000) break;
  }
  return Ok();
}

Result<PatientService::Registered> PatientService::Register(const Actor& by, Patient p, bool confirm_new,
                                                            const AlsoWrite& also) {
  CivilDate today = InstantToLocal(clock_.Now(), "UTC").date;
  CD_RETURN_IF_ERROR(ValidateAndNormalize(p, today.AddDays(1)));
  CD_RETURN_IF_ERROR(SyncIndex());
  Registered out;
  std::vector<AuditRecord> reads;
  if (!confirm_new) {
    DuplicateDetector detector(index_);
    auto found = detector.Find(ToIndexed(p), kDuplicateCandidates);
    if (!found.empty()) {
      DuplicateFound dup;
      auto conn = pool_.Acquire();
      for (const auto& cand : found) {
        CD_ASSIGN_OR_RETURN(auto existing, db::PatientRepository::Find(*conn, cand.id));
        if (!existing) continue;
        reads.push_back(audit_.Make(by, "duplicate_check", audit_category::kDemographics, cand.id, "success",
                                    "shown as a probable duplicate during registration"));
        dup.candidates.emplace_back(std::move(*existing), cand.score);
      }
      if (!dup.candidates.empty()) {
        CD_RETURN_IF_ERROR(audit_.Record(std::move(reads)));
        out.duplicates = std::move(dup);
        return out;
      }
    }
  }
  p.created_at_ms = ToMillis(clock_.Now());
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    return InsertNew(c, by, p, also, confirm_new ? "registered after duplicate warning" : "registered");
  });
  if (!st.ok()) return std::move(st).error();
  index_.Upsert(ToIndexed(p));
  out.patient = std::move(p);
  return out;
}

Status PatientService::InsertNew(db::Connection& c, const Actor& by, Patient& p, const AlsoWrite& also,
                                 const char* detail) {
  CD_RETURN_IF_ERROR(db::PatientRepository::Insert(c, p));
  if (also) CD_RETURN_IF_ERROR(also(c, p));
  return audit_.AppendInTx(c, audit_.Make(by, "create", audit_category::kDemographics, p.id, "success", detail));
}

Result<Patient> PatientService::RegisterInTx(db::Connection& c, const Actor& by, Patient p, const AlsoWrite& also) {
  CivilDate today = InstantToLocal(clock_.Now(), "UTC").date;
  CD_RETURN_IF_ERROR(ValidateAndNormalize(p, today.AddDays(1)));
  p.created_at_ms = ToMillis(clock_.Now());
  CD_RETURN_IF_ERROR(InsertNew(c, by, p, also, "registered"));
  return p;
}

Result<Patient> PatientService::Get(const Actor& by, int64_t id) {
  std::optional<Patient> p;
  {
    // One read transaction: the patient, coverages and consents from one snapshot.
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(p, db::InTransaction(*conn, false, [&](db::Connection& c) {
                          return db::PatientRepository::Find(c, id);
                        }));
  }
  if (!p) return Error::NotFound("no patient with id " + std::to_string(id));
  std::vector<AuditRecord> records;
  records.push_back(audit_.Make(by, "read", audit_category::kDemographics, id));
  if (!p->coverages.empty()) records.push_back(audit_.Make(by, "read", audit_category::kCoverage, id));
  CD_RETURN_IF_ERROR(audit_.Record(std::move(records)));
  return *p;
}

Result<PatientWithIdentifiers> PatientService::GetWithIdentifiers(const Actor& by, int64_t id) {
  PatientWithIdentifiers out;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(bool found, db::InTransaction(*conn, false, [&](db::Connection& c) -> Result<bool> {
                          CD_ASSIGN_OR_RETURN(auto p, db::PatientRepository::Find(c, id));
                          if (!p) return false;
                          out.patient = std::move(*p);
                          CD_ASSIGN_OR_RETURN(out.identifiers, db::PatientIdentifierRepository::ForPatient(c, id));
                          return true;
                        }));
    if (!found) return Error::NotFound("no patient with id " + std::to_string(id));
  }
  std::vector<AuditRecord> records;
  records.push_back(audit_.Make(by, "read", audit_category::kDemographics, id));
  if (!out.patient.coverages.empty()) records.push_back(audit_.Make(by, "read", audit_category::kCoverage, id));
  CD_RETURN_IF_ERROR(audit_.Record(std::move(records)));
  return out;
}

Result<PatientWithIdentifiers> PatientService::GetVersion(const Actor& by, int64_t id, int64_t version) {
  PatientWithIdentifiers out;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(bool found, db::InTransaction(*conn, false, [&](db::Connection& c) -> Result<bool> {
                          CD_ASSIGN_OR_RETURN(auto p, db::PatientRepository::Find(c, id));
                          if (!p) return false;
                          if (p->version != version) {
                            CD_ASSIGN_OR_RETURN(p, db::PatientRepository::EarlierVersion(c, id, version));
                            if (!p) return false;
                          }
                          out.patient = std::move(*p);
                          CD_ASSIGN_OR_RETURN(out.identifiers, db::PatientIdentifierRepository::ForPatient(c, id));
                          return true;
                        }));
    if (!found) {
      return Error::NotFound("no version " + std::to_string(version) + " of patient " + std::to_string(id));
    }
  }
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kDemographics, id, "success",
                                               "version " + std::to_string(version))));
  return out;
}

Result<std::vector<PatientWithIdentifiers>> PatientService::History(const Actor& by, int64_t id) {
  std::vector<PatientWithIdentifiers> out;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(bool found, db::InTransaction(*conn, false, [&](db::Connection& c) -> Result<bool> {
                          CD_ASSIGN_OR_RETURN(auto current, db::PatientRepository::Find(c, id));
                          if (!current) return false;
                          CD_ASSIGN_OR_RETURN(auto identifiers, db::PatientIdentifierRepository::ForPatient(c, id));
                          CD_ASSIGN_OR_RETURN(auto earlier, db::PatientRepository::EarlierVersions(c, id));
                          current->coverages.clear();
                          current->consents.clear();
                          out.push_back(PatientWithIdentifiers{std::move(*current), identifiers});
                          for (auto& p : earlier) out.push_back(PatientWithIdentifiers{std::move(p), identifiers});
                          return true;
                        }));
    if (!found) return Error::NotFound("no patient with id " + std::to_string(id));
  }
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kDemographics, id, "success", "history")));
  return out;
}

Result<PatientMatches> PatientService::Match(const Actor& by, const PatientCriteria& criteria, bool count_all,
                                             bool read_records) {
  PatientMatches out;
  {
    auto conn = pool_.Acquire();
    CD_RETURN_IF_ERROR(db::InTransaction(*conn, false, [&](db::Connection& c) -> Status {
      if (count_all) {
        CD_ASSIGN_OR_RETURN(out.total, db::PatientSearchRepository::Count(c, criteria));
      }
      if (criteria.limit <= 0) return Ok();
      PatientCriteria one_more = criteria;  // tells whether a next page has anything
      ++one_more.limit;
      CD_ASSIGN_OR_RETURN(auto rows, db::PatientSearchRepository::Match(c, one_more));
      out.more = static_cast<int>(rows.size()) > criteria.limit;
      if (out.more) rows.pop_back();
      if (!rows.empty()) out.last_sort_key = rows.back().sort_key;
      std::vector<int64_t> ids;
      ids.reserve(rows.size());
      for (const auto& row : rows) ids.push_back(row.id);
      if (!read_records) {
        for (int64_t id : ids) {
          PatientWithIdentifiers item;
          item.patient.id = id;
          out.patients.push_back(std::move(item));
        }
        return Ok();
      }
      // Two queries for the page: the demographics (an interface's Patient carries no coverages or consents)
      // and the identifiers from other systems.
      CD_ASSIGN_OR_RETURN(auto patients, db::PatientRepository::FindDemographics(c, ids));
      CD_ASSIGN_OR_RETURN(auto identifiers, db::PatientIdentifierRepository::ForPatients(c, ids));
      std::unordered_map<int64_t, std::vector<db::PatientIdentifierRow>> by_patient;
      for (auto& row : identifiers) by_patient[row.patient_id].push_back(std::move(row));
      for (auto& p : patients) {
        auto found = by_patient.find(p.id);
        out.patients.push_back({std::move(p), found == by_patient.end() ? std::vector<db::PatientIdentifierRow>{}
                                                                       : std::move(found->second)});
      }
      return Ok();
    }));
  }
  std::vector<AuditRecord> records;
  records.push_back(audit_.Make(by, "search", audit_category::kSearch, std::nullopt, "success",
                                std::to_string(out.total.value_or(static_cast<int64_t>(out.patients.size()))) +
                                    " matching"));
  if (read_records) {
    for (const auto& item : out.patients) {
      records.push_back(audit_.Make(by, "read", audit_category::kDemographics, item.patient.id));
    }
  }
  CD_RETURN_IF_ERROR(audit_.Record(std::move(records)));
  return out;
}

Result<Patient> PatientService::Update(const Actor& by, int64_t id, Patient p,
                                       std::optional<int64_t> expected_version, const AlsoWrite& also,
                                       bool keep_coverages_and_consents) {
  CivilDate today = InstantToLocal(clock_.Now(), "UTC").date;
  CD_RETURN_IF_ERROR(ValidateAndNormalize(p, today.AddDays(1)));
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    return ReplaceRecord(c, by, id, p, expected_version, also, keep_coverages_and_consents);
  });
  if (!st.ok()) return std::move(st).error();
  index_.Upsert(ToIndexed(p));
  return p;
}

Result<Patient> PatientService::UpdateInTx(db::Connection& c, const Actor& by, int64_t id, Patient p,
                                           std::optional<int64_t> expected_version, const AlsoWrite& also,
                                           bool keep_coverages_and_consents) {
  CivilDate today = InstantToLocal(clock_.Now(), "UTC").date;
  CD_RETURN_IF_ERROR(ValidateAndNormalize(p, today.AddDays(1)));
  CD_RETURN_IF_ERROR(ReplaceRecord(c, by, id, p, expected_version, also, keep_coverages_and_consents));
  return p;
}

Status PatientService::ReplaceRecord(db::Connection& c, const Actor& by, int64_t id, Patient& p,
                                     std::optional<int64_t> expected_version, const AlsoWrite& also,
                                     bool keep_coverages_and_consents) {
  {
    CD_ASSIGN_OR_RETURN(auto current, db::PatientRepository::Find(c, id));
    if (!current) return Error::NotFound("no patient with id " + std::to_string(id));
    if (current->merged_into) return MergedPatient(id, *current->merged_into, "");
    if (expected_version && *expected_version != current->version) {
      return Error::Conflict("stale_version", "someone else changed this patient; reload and try again", "version");
    }
    if (keep_coverages_and_consents) {
      p.coverages = current->coverages;
      p.consents = current->consents;
    }
    p.id = id;
    p.mrn = current->mrn;
    p.created_at_ms = current->created_at_ms;
    p.version = current->version;
    p.updated_at_ms = ToMillis(clock_.Now());
    CD_ASSIGN_OR_RETURN(bool updated, db::PatientRepository::Update(c, p));
    if (!updated) return Error::Conflict("stale_version", "someone else changed this patient; reload and try again");
    if (also) CD_RETURN_IF_ERROR(also(c, p));
    std::vector<AuditRecord> records;
    records.push_back(audit_.Make(by, "update", audit_category::kDemographics, id));
    records.push_back(audit_.Make(by, "update", audit_category::kCoverage, id));
    CD_RETURN_IF_ERROR(audit_.AppendInTx(c, std::move(records)));
    return outbound_ ? outbound_->PatientChanged(c, id) : Ok();
  }
}

Result<std::vector<PatientSummary>> PatientService::Search(const Actor& by, std::string_view query, size_t limit,
                                                           size_t offset) {
  if (query.find_first_not_of(" \t") == std::string_view::npos) {
    return Error::Invalid("q", "type a name, birth date, phone number or MRN to search", "required");
  }
  if (query.size() > 200) return Error::Invalid("q", "the search text is too long");
  CD_RETURN_IF_ERROR(SyncIndex());
  auto hits = index_.Search(query, limit, offset);
  // The index holds normalised names; show the patients as registered.
  std::vector<int64_t> ids;
  ids.reserve(hits.size());
  for (const SearchHit& h : hits) ids.push_back(h.id);
  std::vector<IndexedPatient> rows;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(rows, db::PatientRepository::IndexRowsFor(*conn, ids));
  }
  std::unordered_map<int64_t, IndexedPatient*> by_id;
  for (auto& r : rows) by_id[r.id] = &r;
  std::vector<PatientSummary> out;
  std::vector<AuditRecord> records;
  out.reserve(hits.size());
  for (const SearchHit& h : hits) {
    auto it = by_id.find(h.id);
    if (it == by_id.end()) continue;
    records.push_back(audit_.Make(by, "search", audit_category::kSearch, h.id, "success", "listed in search results"));
    out.push_back(PatientSummary{std::move(*it->second), h.score});
  }
  if (records.empty()) {
    records.push_back(audit_.Make(by, "search", audit_category::kSearch, std::nullopt, "success", "no results"));
  }
  CD_RETURN_IF_ERROR(audit_.Record(std::move(records)));
  return out;
}

Result<std::vector<DuplicateCandidate>> PatientService::ProbableDuplicates(const Patient& p, size_t limit) {
  CD_RETURN_IF_ERROR(SyncIndex());
  return DuplicateDetector(index_).Find(ToIndexed(p), limit);
}

Result<std::vector<AuditRecord>> PatientService::AccessLog(const Actor& by, int64_t id, int limit, int offset) {
  db::AuditFilter f;
  f.patient_id = id;
  f.limit = limit;
  f.offset = offset;
  CD_ASSIGN_OR_RETURN(auto events, audit_.Search(f));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "access_report", audit_category::kAudit, id)));
  return events;
}

}  // namespace caredesk
