#include "storage/patient_search_repository.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "core/text.h"
#include "domain/patients/name_match.h"
#include "storage/sql_builder.h"

namespace caredesk::db {
namespace {

// A name column's folded copy (FoldToAscii, migration 0029) in byte order, as its index holds it.
std::string Folded(Dialect dialect, std::string_view column) {
  std::string folded(column.substr(0, column.rfind("_name")));
  folded += "_fold";
  return dialect == Dialect::kPostgres ? folded + " COLLATE \"C\"" : folded;
}

// A name column's test, whatever the case and accents: starts-with is a range of the folded value, so an
// index serves it; exact is equality as sent (case- and accent-sensitive), found through the same index;
// contains reads every patient.
std::string NameTest(SqlBuilder& b, Dialect dialect, std::string_view column, const TextMatch& m) {
  const std::string folded = Folded(dialect, column);
  switch (m.kind) {
    case TextMatch::Kind::kExact:
      return folded + " = " + b.Bind(FoldToAscii(m.value)) + " AND " + std::string(column) + " = " + b.Bind(m.value);
    case TextMatch::Kind::kContains:
      return folded + " LIKE " + b.Bind(ContainsPattern(FoldToAscii(m.value))) + " ESCAPE '!'";
    case TextMatch::Kind::kStartsWith:
      break;
  }
  const std::string lo = FoldToAscii(m.value);
  std::string hi = lo;  // the first text after every text starting with lo
  while (!hi.empty() && static_cast<unsigned char>(hi.back()) == 0xFF) hi.pop_back();
  std::string test = folded + " >= " + b.Bind(lo);
  if (!hi.empty()) {
    hi.back() = static_cast<char>(static_cast<unsigned char>(hi.back()) + 1);
    test += " AND " + folded + " < " + b.Bind(hi);
  }
  return test;
}

// By value first: the MRN's unique index, or the identifiers' value index.
std::string IdentifierTest(SqlBuilder& b, const IdentifierMatch& m) {
  std::string other = "SELECT patient_id FROM patient_identifiers WHERE ";
  std::vector<std::string> tests;
  if (!m.value.empty()) tests.push_back("value = " + b.Bind(m.value));
  if (m.system) tests.push_back("system = " + b.Bind(*m.system));
  for (size_t i = 0; i < tests.size(); ++i) other += (i ? " AND " : "") + tests[i];
  if (tests.empty()) other += "1 = 1";
  if (m.system && *m.system != kMrnSystem) return "id IN (" + other + ")";
  const std::string mrn =
      m.value.empty() ? "SELECT id FROM patients WHERE mrn IS NOT NULL" : "SELECT id FROM patients WHERE mrn = " + b.Bind(m.value);
  return "id IN (" + mrn + " UNION ALL " + other + ")";
}

void Filter(SqlBuilder& b, Dialect d, const PatientCriteria& q) {
  b.AndIn("id", q.ids);
  for (const auto& any : q.family) b.AndAny(any, [&](const TextMatch& m) { return NameTest(b, d, "family_name", m); });
  for (const auto& any : q.given) {
    b.AndAny(any, [&](const TextMatch& m) {
      return NameTest(b, d, "given_name", m) + " OR " + NameTest(b, d, "middle_name", m);
    });
  }
  for (const auto& any : q.name) {
    b.AndAny(any, [&](const TextMatch& m) {
      return NameTest(b, d, "given_name", m) + " OR " + NameTest(b, d, "middle_name", m) + " OR " +
             NameTest(b, d, "family_name", m);
    });
  }
  for (const auto& any : q.birth_date) {
    b.AndAny(any, [&](const DateMatch& m) {
      return RangeTest(b, "birth_date", m.op, m.lo.ToString(), m.hi.ToString());
    });
  }
  for (const auto& any : q.sex) b.AndAny(any, [&](const std::string& v) { return "sex = " + b.Bind(v); });
  for (const auto& any : q.phone) b.AndAny(any, [&](const std::string& v) { return "phone = " + b.Bind(v); });
  for (const auto& any : q.email) b.AndAny(any, [&](const std::string& v) { return "email = " + b.Bind(v); });
  for (const auto& any : q.identifier) b.AndAny(any, [&](const IdentifierMatch& m) { return IdentifierTest(b, m); });
  b.AndInstants("updated_at", q.last_updated);
  if (q.has_phone) b.And(*q.has_phone ? "phone <> ''" : "phone = ''");
  if (q.has_email) b.And(*q.has_email ? "email <> ''" : "email = ''");
}

// What a PatientOrder sorts by; kId sorts by id alone. Names sort folded in byte order, as migration 0029's
// indexes hold them, so a name search in name order reads only the page from the index.
std::string OrderColumn(PatientOrder order, Dialect d) {
  switch (order) {
    case PatientOrder::kId: return "";
    case PatientOrder::kFamily: return Folded(d, "family_name");
    case PatientOrder::kGiven: return Folded(d, "given_name");
    case PatientOrder::kBirthDate: return "birth_date";
    case PatientOrder::kLastUpdated: return "updated_at";
  }
  return "";
}

// Match's statement: the SELECT with its filter, cursor, order and limit, into `b`.
std::string MatchSql(SqlBuilder& b, Dialect d, const PatientCriteria& q) {
  Filter(b, d, q);
  const std::string col = OrderColumn(q.order, d);
  const char* after = q.descending ? " < " : " > ";
  if (q.after_id) {
    const std::string id = b.Bind(*q.after_id);
    if (col.empty()) {
      b.And(std::string("id") + after + id);
    } else {
      const std::string key_text = q.after_key.value_or("");
      int64_t key_number = 0;
      std::from_chars(key_text.data(), key_text.data() + key_text.size(), key_number);
      const std::string key = q.order == PatientOrder::kLastUpdated ? b.Bind(key_number) : b.Bind(key_text);
      b.And(col + after + key + " OR (" + col + " = " + key + " AND id" + after + id + ")");
    }
  }
  const char* dir = q.descending ? " DESC" : "";
  // The limit is written into the statement, not bound: not knowing it, SQLite plans a name= search (three
  // indexes ORed) ordered by id as a scan of every patient in id order that stops at the limit, which reads
  // the whole table for a rare name (1.9 s at 1,000,000 patients). Knowing it, SQLite reads the indexes.
  return "SELECT id, " + (col.empty() ? std::string("''") : col) + " FROM patients" + b.Where() + " ORDER BY " +
         (col.empty() ? "" : col + dir + ", ") + "id" + dir + " LIMIT " + std::to_string(std::max(q.limit, 0));
}

}  // namespace

Result<std::vector<PatientMatchRow>> PatientSearchRepository::Match(Connection& c, const PatientCriteria& q) {
  SqlBuilder b;
  const std::string sql = MatchSql(b, c.dialect(), q);
  const bool keyed = q.order != PatientOrder::kId;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt(sql, b.params()));
  std::vector<PatientMatchRow> rows;
  rows.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) rows.push_back({rs.Int(i, 0), keyed ? rs.Text(i, 1) : std::string()});
  return rows;
}

Result<std::string> PatientSearchRepository::ExplainMatch(Connection& c, const PatientCriteria& q) {
  SqlBuilder b;
  const std::string sql = MatchSql(b, c.dialect(), q);
  const bool sqlite = c.dialect() == Dialect::kSqlite;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql, b.params()));
  std::string plan;
  for (size_t i = 0; i < rs.size(); ++i) plan += rs.Text(i, sqlite ? 3 : 0) + "\n";
  return plan;
}

Result<int64_t> PatientSearchRepository::Count(Connection& c, const PatientCriteria& q) {
  SqlBuilder b;
  Filter(b, c.dialect(), q);
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt("SELECT COUNT(*) FROM patients" + b.Where(), b.params()));
  return rs.Int(0, 0);
}

}  // namespace caredesk::db
