#include "storage/audit_repository.h"

#include "storage/sql_builder.h"

namespace caredesk::db {
namespace {

constexpr char kLockHeadPg[] = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
constexpr char kLockHeadSqlite[] = "SELECT seq, hash FROM audit_head WHERE id = 1";
constexpr char kUpdateHead[] = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
constexpr char kInsertEvent[] =
    "INSERT INTO audit_events (seq, at, user_id, username, role, action, patient_id, category, client_address, "
    "outcome, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
constexpr char kColumns[] =
    "seq, at, user_id, username, role, action, patient_id, category, client_address, outcome, detail, prev_hash, "
    "hash";

AuditRecord ReadRecord(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  AuditRecord a;
  a.seq = r.Int(0);
  a.at_ms = r.Int(1);
  a.user_id = r.OptInt(2);
  a.username = r.Text(3);
  a.role = r.Text(4);
  a.action = r.Text(5);
  a.patient_id = r.OptInt(6);
  a.category = r.Text(7);
  a.client_address = r.Text(8);
  a.outcome = r.Text(9);
  a.detail = r.Text(10);
  a.prev_hash = r.Text(11);
  a.hash = r.Text(12);
  return a;
}

}  // namespace

Status AuditRepository::AppendChained(Connection& c, std::vector<AuditRecord>& records) {
  if (records.empty()) return Ok();
  CD_ASSIGN_OR_RETURN(ResultSet head,
                      c.Query(c.dialect() == Dialect::kPostgres ? kLockHeadPg : kLockHeadSqlite));
  if (head.empty()) return Error::Internal("the audit chain head is missing");
  int64_t seq = head.Int(0, 0);
  std::string prev = head.Text(0, 1);
  for (AuditRecord& r : records) {
    r.seq = ++seq;
    r.prev_hash = prev;
    r.hash = ChainHash(prev, r);
    prev = r.hash;
    CD_RETURN_IF_ERROR(c.Exec(kInsertEvent, {r.seq, r.at_ms, r.user_id, r.username, r.role, r.action, r.patient_id,
                                             r.category, r.client_address, r.outcome, r.detail, r.prev_hash, r.hash}));
  }
  CD_RETURN_IF_ERROR(c.Exec(kUpdateHead, {seq, prev}));
  return Ok();
}

Result<std::vector<AuditRecord>> AuditRepository::ReadFrom(Connection& c, int64_t from_seq, int limit) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {from_seq, limit}));
  std::vector<AuditRecord> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadRecord(rs, i));
  return out;
}

Result<std::vector<AuditRecord>> AuditRepository::Search(Connection& c, const AuditFilter& f) {
  // Only the filters given, each bound: the planner then reads an entry by its sequence number, a patient's or
  // a user's entries through their indexes, and a page before a sequence number as a range, where a
  // "($n IS NULL OR ...)" statement would read the whole trail from its newest entry.
  SqlBuilder b;
  if (f.patient_id) b.And("patient_id = " + b.Bind(*f.patient_id));
  if (f.username) b.And("username = " + b.Bind(*f.username));
  if (f.from_ms) b.And("at >= " + b.Bind(*f.from_ms));
  if (f.to_ms) b.And("at < " + b.Bind(*f.to_ms));
  if (f.action) b.And("action = " + b.Bind(*f.action));
  if (f.seq) b.And("seq = " + b.Bind(*f.seq));
  if (f.before_seq) b.And("seq < " + b.Bind(*f.before_seq));
  const std::string limit = b.Bind(int64_t{f.limit});
  const std::string offset = b.Bind(int64_t{f.offset});
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt(std::string("SELECT ") + kColumns + " FROM audit_events" + b.Where() +
                                                     " ORDER BY seq DESC LIMIT " + limit + " OFFSET " + offset,
                                                 b.params()));
  std::vector<AuditRecord> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadRecord(rs, i));
  return out;
}

Result<AuditRepository::Head> AuditRepository::ReadHead(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kLockHeadSqlite));
  if (rs.empty()) return Error::Internal("the audit chain head is missing");
  return Head{rs.Int(0, 0), rs.Text(0, 1)};
}

}  // namespace caredesk::db
