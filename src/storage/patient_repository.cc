#include "storage/patient_repository.h"

#include <unordered_map>

#include "domain/patients/name_match.h"

namespace caredesk::db {
namespace {

constexpr char kInsert[] =
    "INSERT INTO patients (given_name, middle_name, family_name, birth_date, sex, phone, email, address_line1, "
    "address_line2, city, state, postal_code, country, preferred_language, preferred_contact_method, emergency_name, "
    "emergency_relationship, emergency_phone, created_at, updated_at, version, given_fold, middle_fold, family_fold) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, 1, $20, $21, "
    "$22) RETURNING id";
constexpr char kSetMrn[] = "UPDATE patients SET mrn = $2 WHERE id = $1";
constexpr char kUpdate[] =
    "UPDATE patients SET given_name = $3, middle_name = $4, family_name = $5, birth_date = $6, sex = $7, phone = $8, "
    "email = $9, address_line1 = $10, address_line2 = $11, city = $12, state = $13, postal_code = $14, country = $15, "
    "preferred_language = $16, preferred_contact_method = $17, emergency_name = $18, emergency_relationship = $19, "
    "emergency_phone = $20, updated_at = $21, version = version + 1, given_fold = $22, middle_fold = $23, "
    "family_fold = $24 WHERE id = $1 AND version = $2";
// A patient row's columns after its id: the current version's (patients) and an earlier one's
// (patient_versions) alike, read by ReadPatientRow.
#define CD_PATIENT_FIELDS                                                                                        \
  "mrn, given_name, middle_name, family_name, birth_date, sex, phone, email, address_line1, address_line2, city, " \
  "state, postal_code, country, preferred_language, preferred_contact_method, emergency_name, "                    \
  "emergency_relationship, emergency_phone, created_at, updated_at, version "
#define CD_PATIENT_COLUMNS "SELECT id, " CD_PATIENT_FIELDS ", merged_into FROM patients "
constexpr char kSelect[] = CD_PATIENT_COLUMNS "WHERE id = $1";
// Demographics of a list of patients ($1: IdListParam).
constexpr char kSelectManySqlite[] = CD_PATIENT_COLUMNS "WHERE id IN (SELECT value FROM json_each($1))";
constexpr char kSelectManyPostgres[] = CD_PATIENT_COLUMNS "WHERE id = ANY($1::bigint[])";
#undef CD_PATIENT_COLUMNS
#define CD_VERSION_COLUMNS "SELECT patient_id, " CD_PATIENT_FIELDS ", NULL FROM patient_versions "
constexpr char kEarlierVersion[] = CD_VERSION_COLUMNS "WHERE patient_id = $1 AND version = $2";
constexpr char kEarlierVersions[] = CD_VERSION_COLUMNS "WHERE patient_id = $1 ORDER BY version DESC";
#undef CD_VERSION_COLUMNS
#undef CD_PATIENT_FIELDS
constexpr char kVersion[] = "SELECT version FROM patients WHERE id = $1";
constexpr char kStoredCoverages[] = "SELECT id, payer, member_id FROM coverages WHERE patient_id = $1 ORDER BY id";
constexpr char kUpdateCoverage[] =
    "UPDATE coverages SET payer = $2, member_id = $3, group_number = $4, relationship = $5, start_date = $6, "
    "end_date = $7 WHERE id = $1";
constexpr char kDeleteCoverage[] = "DELETE FROM coverages WHERE id = $1";
// What a FHIR writer sent for it (fhir_sources) goes with it: SQLite may give its id to the next coverage.
constexpr char kDeleteCoverageSources[] =
    "DELETE FROM fhir_sources WHERE resource_type = 'Coverage' AND resource_id = $1";
constexpr char kDeleteConsents[] = "DELETE FROM consents WHERE patient_id = $1";
constexpr char kInsertCoverage[] =
    "INSERT INTO coverages (patient_id, payer, member_id, group_number, relationship, start_date, end_date) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
constexpr char kInsertConsent[] = "INSERT INTO consents (patient_id, kind, granted, date) VALUES ($1, $2, $3, $4)";
constexpr char kAddChange[] = "INSERT INTO patient_changes (patient_id) VALUES ($1)";
constexpr char kIndexColumns[] =
    "SELECT id, given_name, family_name, middle_name, birth_date, phone, COALESCE(mrn, ''), email, postal_code, sex "
    "FROM patients ";
constexpr char kChanges[] =
    "SELECT seq, patient_id FROM patient_changes WHERE seq > $1 ORDER BY seq LIMIT $2";
constexpr char kLatestChange[] = "SELECT COALESCE(MAX(seq), 0) FROM patient_changes";

std::optional<std::string> DateText(const std::optional<CivilDate>& d) {
  if (!d) return std::nullopt;
  return d->ToString();
}

// A coverage keeps its id (FHIR's Coverage/{id}) across updates of its patient: an incoming coverage takes
// over the stored one with its id, or else the first with its payer and member id; the stored ones none took
// over are deleted, the incoming ones that took over none inserted.
Status WriteCoverages(Connection& c, Patient& p, bool stored) {
  struct Stored {
    int64_t id;
    std::string payer, member_id;
    bool taken = false;
  };
  std::vector<Stored> before;
  if (stored) {
    CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kStoredCoverages, {p.id}));
    for (size_t i = 0; i < rs.size(); ++i) before.push_back({rs.Int(i, 0), rs.Text(i, 1), rs.Text(i, 2)});
  }
  const auto take = [&](const Coverage& cov) -> Stored* {
    for (Stored& s : before) {
      if (!s.taken && cov.id != 0 && s.id == cov.id) return &s;
    }
    for (Stored& s : before) {
      if (!s.taken && s.payer == cov.payer && s.member_id == cov.member_id) return &s;
    }
    return nullptr;
  };
  std::vector<Coverage*> fresh;
  for (Coverage& cov : p.coverages) {
    Stored* s = take(cov);
    if (s == nullptr) {
      fresh.push_back(&cov);
      continue;
    }
    s->taken = true;
    cov.id = s->id;
    CD_RETURN_IF_ERROR(c.Exec(kUpdateCoverage, {cov.id, cov.payer, cov.member_id, cov.group_number, cov.relationship,
                                                DateText(cov.start_date), DateText(cov.end_date)}));
  }
  for (const Stored& s : before) {
    if (s.taken) continue;
    CD_RETURN_IF_ERROR(c.Exec(kDeleteCoverage, {s.id}));
    CD_RETURN_IF_ERROR(c.Exec(kDeleteCoverageSources, {s.id}));
  }
  for (Coverage* cov : fresh) {
    CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kInsertCoverage, {p.id, cov->payer, cov->member_id, cov->group_number,
                                                                cov->relationship, DateText(cov->start_date),
                                                                DateText(cov->end_date)}));
    cov->id = rs.Int(0, 0);
  }
  return Ok();
}

Status WriteChildren(Connection& c, Patient& p, bool stored) {
  CD_RETURN_IF_ERROR(WriteCoverages(c, p, stored));
  CD_RETURN_IF_ERROR(c.Exec(kDeleteConsents, {p.id}));
  for (const Consent& con : p.consents) {
    CD_RETURN_IF_ERROR(c.Exec(kInsertConsent, {p.id, con.kind, con.granted, con.date.ToString()}));
  }
  CD_RETURN_IF_ERROR(c.Exec(kAddChange, {p.id}));
  return Ok();
}

IndexedPatient ReadIndexRow(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  IndexedPatient ip;
  ip.id = r.Int(0);
  ip.given_name = r.Text(1);
  ip.family_name = r.Text(2);
  ip.middle_name = r.Text(3);
  ip.birth_date = r.OptDate(4);
  ip.phone = r.Text(5);
  ip.mrn = r.Text(6);
  ip.email = r.Text(7);
  ip.postal_code = r.Text(8);
  ip.sex = r.Text(9);
  return ip;
}

}  // namespace

Result<int64_t> PatientRepository::Insert(Connection& c, Patient& p) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(kInsert, {p.given_name, p.middle_name, p.family_name, p.birth_date.ToString(), p.sex,
                                        p.phone, p.email, p.address.line1, p.address.line2, p.address.city,
                                        p.address.state, p.address.postal_code, p.address.country,
                                        p.preferred_language, p.preferred_contact_method, p.emergency_contact.name,
                                        p.emergency_contact.relationship, p.emergency_contact.phone,
                                        p.created_at_ms, FoldToAscii(p.given_name), FoldToAscii(p.middle_name),
                                        FoldToAscii(p.family_name)}));
  p.id = rs.Int(0, 0);
  p.mrn = FormatMrn(p.id);
  p.version = 1;
  p.updated_at_ms = p.created_at_ms;
  CD_RETURN_IF_ERROR(c.Exec(kSetMrn, {p.id, p.mrn}));
  CD_RETURN_IF_ERROR(WriteChildren(c, p, false));
  return p.id;
}

Result<bool> PatientRepository::Update(Connection& c, Patient& p) {
  CD_ASSIGN_OR_RETURN(int64_t n,
                      c.Exec(kUpdate, {p.id, p.version, p.given_name, p.middle_name, p.family_name,
                                       p.birth_date.ToString(), p.sex, p.phone, p.email, p.address.line1,
                                       p.address.line2, p.address.city, p.address.state, p.address.postal_code,
                                       p.address.country, p.preferred_language, p.preferred_contact_method,
                                       p.emergency_contact.name, p.emergency_contact.relationship,
                                       p.emergency_contact.phone, p.updated_at_ms, FoldToAscii(p.given_name),
                                       FoldToAscii(p.middle_name), FoldToAscii(p.family_name)}));
  if (n == 0) return false;
  ++p.version;
  CD_RETURN_IF_ERROR(WriteChildren(c, p, true));
  return true;
}

namespace {

// A row of CD_PATIENT_COLUMNS (or CD_VERSION_COLUMNS), without coverages and consents.
Patient ReadPatientRow(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  Patient p;
  p.id = r.Int(0);
  p.mrn = r.OptText(1).value_or("");
  p.given_name = r.Text(2);
  p.middle_name = r.Text(3);
  p.family_name = r.Text(4);
  p.birth_date = r.OptDate(5).value_or(CivilDate{});
  p.sex = r.Text(6);
  p.phone = r.Text(7);
  p.email = r.Text(8);
  p.address = {r.Text(9), r.Text(10), r.Text(11), r.Text(12), r.Text(13), r.Text(14)};
  p.preferred_language = r.Text(15);
  p.preferred_contact_method = r.Text(16);
  p.emergency_contact = {r.Text(17), r.Text(18), r.Text(19)};
  p.created_at_ms = r.Int(20);
  p.updated_at_ms = r.Int(21);
  p.version = r.Int(22);
  p.merged_into = r.OptInt(23);
  return p;
}

}  // namespace

Result<std::vector<Patient>> PatientRepository::FindDemographics(Connection& c, const std::vector<int64_t>& ids) {
  std::vector<Patient> out;
  if (ids.empty()) return out;
  const char* sql = c.dialect() == Dialect::kSqlite ? kSelectManySqlite : kSelectManyPostgres;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {IdListParam(c.dialect(), ids)}));
  std::unordered_map<int64_t, size_t> row_of;
  for (size_t i = 0; i < rs.size(); ++i) row_of.emplace(rs.Int(i, 0), i);
  out.reserve(ids.size());
  for (int64_t id : ids) {
    if (auto it = row_of.find(id); it != row_of.end()) out.push_back(ReadPatientRow(rs, it->second));
  }
  return out;
}

Result<std::optional<Patient>> PatientRepository::Find(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kSelect, {id}));
  if (rs.empty()) return std::optional<Patient>();
  Patient p = ReadPatientRow(rs, 0);
  CD_ASSIGN_OR_RETURN(ResultSet covs, c.Query(kCoveragesSql, {id}));
  for (size_t i = 0; i < covs.size(); ++i) {
    RowRef cr(covs, i);
    p.coverages.push_back(Coverage{cr.Int(0), cr.Text(1), cr.Text(2), cr.Text(3), cr.Text(4),
                                   cr.OptDate(5), cr.OptDate(6)});
  }
  CD_ASSIGN_OR_RETURN(ResultSet cons, c.Query(kConsentsSql, {id}));
  for (size_t i = 0; i < cons.size(); ++i) {
    p.consents.push_back(Consent{cons.Text(i, 0), cons.Int(i, 1) != 0,
                                 cons.OptDate(i, 2).value_or(CivilDate{})});
  }
  return std::optional<Patient>(std::move(p));
}

Result<std::optional<int64_t>> PatientRepository::Version(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kVersion, {id}));
  if (rs.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rs.Int(0, 0));
}

Result<std::optional<Patient>> PatientRepository::EarlierVersion(Connection& c, int64_t id, int64_t version) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kEarlierVersion, {id, version}));
  if (rs.empty()) return std::optional<Patient>();
  return std::optional<Patient>(ReadPatientRow(rs, 0));
}

Result<std::vector<Patient>> PatientRepository::EarlierVersions(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kEarlierVersions, {id}));
  std::vector<Patient> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadPatientRow(rs, i));
  return out;
}

Result<std::vector<IndexedPatient>> PatientRepository::IndexRows(Connection& c, int64_t after_id, int limit) {
  static const std::string sql = std::string(kIndexColumns) + "WHERE id > $1 AND merged_into IS NULL ORDER BY id LIMIT $2";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {after_id, limit}));
  std::vector<IndexedPatient> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadIndexRow(rs, i));
  return out;
}

Result<std::vector<IndexedPatient>> PatientRepository::IndexRowsFor(Connection& c, const std::vector<int64_t>& ids) {
  std::vector<IndexedPatient> out;
  if (ids.empty()) return out;
  static const std::string sqlite_sql =
      std::string(kIndexColumns) + "WHERE id IN (SELECT value FROM json_each($1)) AND merged_into IS NULL";
  static const std::string pg_sql = std::string(kIndexColumns) + "WHERE id = ANY($1::bigint[]) AND merged_into IS NULL";
  bool pg = c.dialect() == Dialect::kPostgres;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(pg ? pg_sql : sqlite_sql, {IdListParam(c.dialect(), ids)}));
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadIndexRow(rs, i));
  return out;
}

Result<std::vector<PatientRepository::Change>> PatientRepository::ChangesSince(Connection& c, int64_t after_seq,
                                                                              int limit) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kChanges, {after_seq, limit}));
  std::vector<Change> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back({rs.Int(i, 0), rs.Int(i, 1)});
  return out;
}

Result<int64_t> PatientRepository::LatestChange(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kLatestChange));
  return rs.Int(0, 0);
}

}  // namespace caredesk::db
