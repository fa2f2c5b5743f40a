#include "storage/hl7_outbound_repository.h"

namespace caredesk::db {
namespace {

constexpr char kPeerColumns[] = "SELECT id, name, host, port, enabled, feeds, created_at, updated_at FROM hl7_peers";
constexpr char kPeerInsert[] =
    "INSERT INTO hl7_peers (name, host, port, enabled, feeds, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
constexpr char kPeerUpdate[] =
    "UPDATE hl7_peers SET name = $2, host = $3, port = $4, enabled = $5, feeds = $6, updated_at = $7 WHERE id = $1";
constexpr char kPeerDeleteQueue[] = "DELETE FROM hl7_outbound WHERE peer_id = $1";
constexpr char kPeerDelete[] = "DELETE FROM hl7_peers WHERE id = $1";

constexpr char kColumns[] =
    "SELECT o.id, o.peer_id, o.patient_id, o.event, o.control_id, o.created_at, o.status, o.attempts, "
    "o.next_attempt_at, o.last_error, o.ack_code, o.sent_at, p.name";
constexpr char kFrom[] = " FROM hl7_outbound o JOIN hl7_peers p ON p.id = o.peer_id";
constexpr char kInsert[] =
    "INSERT INTO hl7_outbound (peer_id, patient_id, event, control_id, message, created_at, status, attempts, "
    "next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7) RETURNING id";
constexpr char kEligible[] =
    " WHERE o.peer_id = $1 AND o.status = 'pending' AND o.next_attempt_at <= $2 AND NOT EXISTS ("
    "SELECT 1 FROM hl7_outbound e WHERE e.peer_id = o.peer_id AND e.patient_id = o.patient_id "
    "AND e.status IN ('pending', 'dead') AND e.id < o.id) ORDER BY o.id LIMIT $3";
constexpr char kRecord[] =
    "UPDATE hl7_outbound SET status = $2, attempts = attempts + 1, next_attempt_at = $3, last_error = $4, "
    "ack_code = $5, sent_at = $6 WHERE id = $1";
constexpr char kRetry[] =
    "UPDATE hl7_outbound SET status = 'pending', attempts = 0, next_attempt_at = $2 WHERE id = $1 AND status = 'dead'";
constexpr char kDiscard[] = "UPDATE hl7_outbound SET status = 'discarded' WHERE id = $1 AND status = 'dead'";
constexpr char kWhere[] =
    " WHERE (CAST($1 AS TEXT) IS NULL OR o.status = $1) AND (CAST($2 AS BIGINT) IS NULL OR o.peer_id = $2)";
constexpr char kOrderPage[] = " ORDER BY o.id DESC LIMIT $3 OFFSET $4";

std::string FeedsText(const Hl7PeerRow& p) {
  if (p.siu && p.adt) return "SIU,ADT";
  if (p.siu) return "SIU";
  if (p.adt) return "ADT";
  return "";
}

Hl7PeerRow ReadPeer(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  Hl7PeerRow p;
  p.id = r.Int(0);
  p.name = r.Text(1);
  p.host = r.Text(2);
  p.port = static_cast<int>(r.Int(3));
  p.enabled = r.Int(4) != 0;
  std::string feeds = r.Text(5);
  p.siu = feeds.find("SIU") != std::string::npos;
  p.adt = feeds.find("ADT") != std::string::npos;
  p.created_at = r.Int(6);
  p.updated_at = r.Int(7);
  return p;
}

Hl7OutboundRow Read(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  Hl7OutboundRow m;
  m.id = r.Int(0);
  m.peer_id = r.Int(1);
  m.patient_id = r.Int(2);
  m.event = r.Text(3);
  m.control_id = r.Text(4);
  m.created_at = r.Int(5);
  m.status = r.Text(6);
  m.attempts = static_cast<int>(r.Int(7));
  m.next_attempt_at = r.Int(8);
  m.last_error = r.Text(9);
  m.ack_code = r.Text(10);
  m.sent_at = r.OptInt(11);
  m.peer_name = r.Text(12);
  return m;
}

}  // namespace

Result<int64_t> Hl7PeerRepository::Insert(Connection& c, const Hl7PeerRow& p) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(kPeerInsert, {p.name, p.host, int64_t{p.port}, p.enabled, FeedsText(p), p.created_at}));
  return rs.Int(0, 0);
}

Result<bool> Hl7PeerRepository::Update(Connection& c, const Hl7PeerRow& p) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kPeerUpdate, {p.id, p.name, p.host, int64_t{p.port}, p.enabled, FeedsText(p),
                                                      p.updated_at}));
  return n == 1;
}

Result<bool> Hl7PeerRepository::Delete(Connection& c, int64_t id) {
  CD_RETURN_IF_ERROR(c.Exec(kPeerDeleteQueue, {id}));
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kPeerDelete, {id}));
  return n == 1;
}

Result<std::optional<Hl7PeerRow>> Hl7PeerRepository::Find(Connection& c, int64_t id) {
  static const std::string sql = std::string(kPeerColumns) + " WHERE id = $1";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {id}));
  if (rs.empty()) return std::optional<Hl7PeerRow>();
  return std::optional<Hl7PeerRow>(ReadPeer(rs, 0));
}

Result<std::vector<Hl7PeerRow>> Hl7PeerRepository::List(Connection& c) {
  static const std::string sql = std::string(kPeerColumns) + " ORDER BY name, id";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql));
  std::vector<Hl7PeerRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadPeer(rs, i));
  return out;
}

Result<int64_t> Hl7OutboundRepository::Insert(Connection& c, const Hl7OutboundRow& m) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kInsert, {m.peer_id, m.patient_id, m.event, m.control_id, m.message,
                                                      m.created_at, m.next_attempt_at}));
  return rs.Int(0, 0);
}

Result<std::optional<Hl7OutboundRow>> Hl7OutboundRepository::Find(Connection& c, int64_t id) {
  static const std::string sql = std::string(kColumns) + ", o.message" + kFrom + " WHERE o.id = $1";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {id}));
  if (rs.empty()) return std::optional<Hl7OutboundRow>();
  Hl7OutboundRow m = Read(rs, 0);
  m.message = rs.Text(0, 13);
  return std::optional<Hl7OutboundRow>(std::move(m));
}

Result<std::vector<Hl7OutboundRow>> Hl7OutboundRepository::Eligible(Connection& c, int64_t peer_id, int64_t now,
                                                                    int limit) {
  static const std::string sql = std::string(kColumns) + ", o.message" + kFrom + kEligible;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {peer_id, now, int64_t{limit}}));
  std::vector<Hl7OutboundRow> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    out.push_back(Read(rs, i));
    out.back().message = rs.Text(i, 13);
  }
  return out;
}

Status Hl7OutboundRepository::RecordAttempt(Connection& c, int64_t id, const std::string& status,
                                            int64_t next_attempt_at, const std::string& last_error,
                                            const std::string& ack_code, std::optional<int64_t> sent_at) {
  CD_RETURN_IF_ERROR(c.Exec(kRecord, {id, status, next_attempt_at, last_error, ack_code, sent_at}));
  return Ok();
}

Result<bool> Hl7OutboundRepository::Retry(Connection& c, int64_t id, int64_t now) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kRetry, {id, now}));
  return n == 1;
}

Result<bool> Hl7OutboundRepository::Discard(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kDiscard, {id}));
  return n == 1;
}

Result<std::pair<std::vector<Hl7OutboundRow>, int64_t>> Hl7OutboundRepository::List(Connection& c,
                                                                                    const Hl7OutboundFilter& f) {
  static const std::string count_sql = std::string("SELECT COUNT(*)") + kFrom + kWhere;
  static const std::string list_sql = std::string(kColumns) + kFrom + kWhere + kOrderPage;
  CD_ASSIGN_OR_RETURN(ResultSet count, c.Query(count_sql, {f.status, f.peer_id}));
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(list_sql, {f.status, f.peer_id, int64_t{f.limit}, int64_t{f.offset}}));
  std::vector<Hl7OutboundRow> rows;
  for (size_t i = 0; i < rs.size(); ++i) rows.push_back(Read(rs, i));
  return std::make_pair(std::move(rows), count.Int(0, 0));
}

Result<std::vector<std::pair<std::string, int64_t>>> Hl7OutboundRepository::CountByStatus(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT status, COUNT(*) FROM hl7_outbound GROUP BY status"));
  std::vector<std::pair<std::string, int64_t>> out;
  for (size_t i = 0; i < rs.size(); ++i) out.emplace_back(rs.Text(i, 0), rs.Int(i, 1));
  return out;
}

}  // namespace caredesk::db
