#include "storage/hl7_message_repository.h"

#include <cstring>
#include <string_view>

#include "core/base64.h"

namespace caredesk::db {
namespace {

constexpr char kInsert[] =
    "INSERT INTO hl7_messages (received_at, peer, control_id, sending_application, sending_facility, message_type, "
    "trigger_event, version, raw, raw_encoding, status, ack_code, error_code, error_text, error_location, note, "
    "patient_id, attempts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 0) "
    "RETURNING id";
constexpr char kInsertProcessed[] =
    "INSERT INTO hl7_messages (id, received_at, peer, control_id, sending_application, sending_facility, "
    "message_type, trigger_event, version, raw, raw_encoding, status, ack_code, error_code, error_text, "
    "error_location, note, patient_id, attempts, processed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
    "$12, $13, $14, $15, $16, $17, $18, $19, $20)";
constexpr char kNextIdSqlite[] = "SELECT COALESCE(MAX(id), 0) + 1 FROM hl7_messages";
constexpr char kNextIdPg[] = "SELECT nextval(pg_get_serial_sequence('hl7_messages', 'id'))";
constexpr char kRecordOutcome[] =
    "UPDATE hl7_messages SET status = $2, ack_code = $3, error_code = $4, error_text = $5, error_location = $6, "
    "note = $7, patient_id = $8, attempts = attempts + 1, processed_at = $9 WHERE id = $1";
constexpr char kColumns[] =
    "SELECT id, received_at, peer, control_id, sending_application, sending_facility, message_type, trigger_event, "
    "version, status, ack_code, error_code, error_text, error_location, note, patient_id, attempts, processed_at";
constexpr char kFind[] = " , raw, raw_encoding FROM hl7_messages WHERE id = $1";
constexpr char kWhere[] =
    " FROM hl7_messages WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) "
    "AND (CAST($2 AS BIGINT) IS NULL OR patient_id = $2)";
constexpr char kOrderPage[] = " ORDER BY received_at DESC, id DESC LIMIT $3 OFFSET $4";
constexpr char kProcessed[] =
    " , raw, raw_encoding FROM hl7_messages WHERE control_id = $1 AND sending_application = $2 "
    "AND sending_facility = $3 AND id <> $4 AND status IN ('applied', 'ignored') ORDER BY id";

constexpr char kText[] = "text";
constexpr char kBase64[] = "base64";

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF) without NUL.
bool IsStorableText(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Eight ASCII bytes without NUL at a time (most of any HL7 message).
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      const bool high = (w & 0x8080808080808080ULL) != 0;
      const bool zero = ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) != 0;
      if (high || zero) break;
      i += 8;
    }
    if (i >= s.size()) break;
    auto b = static_cast<unsigned char>(s[i]);
    if (b == 0) return false;
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0;
    if ((b & 0xE0) == 0xC0) {
      n = 1;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 2;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

Hl7MessageRow Read(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  Hl7MessageRow m;
  m.id = r.Int(0);
  m.received_at = r.Int(1);
  m.peer = r.Text(2);
  m.control_id = r.Text(3);
  m.sending_application = r.Text(4);
  m.sending_facility = r.Text(5);
  m.message_type = r.Text(6);
  m.trigger_event = r.Text(7);
  m.version = r.Text(8);
  m.status = r.Text(9);
  m.ack_code = r.Text(10);
  m.error_code = r.Text(11);
  m.error_text = r.Text(12);
  m.error_location = r.Text(13);
  m.note = r.Text(14);
  m.patient_id = r.OptInt(15);
  m.attempts = static_cast<int>(r.Int(16));
  m.processed_at = r.OptInt(17);
  return m;
}

// Columns 18 and 19 of kFind and kProcessed: the raw text and its encoding.
Result<std::string> ReadRaw(const ResultSet& rs, size_t i) {
  std::string stored = rs.Text(i, 18);
  if (rs.Text(i, 19) != kBase64) return stored;
  auto bytes = Base64Decode(stored);
  if (!bytes) return Error::Internal("hl7 message " + std::to_string(rs.Int(i, 0)) + ": its raw text is not base64");
  return std::move(*bytes);
}

}  // namespace

Result<int64_t> Hl7MessageRepository::Insert(Connection& c, const Hl7MessageRow& m) {
  bool text = IsStorableText(m.raw);
  std::string encoded = text ? std::string() : Base64Encode(m.raw);
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query(kInsert, {m.received_at, m.peer, m.control_id, m.sending_application, m.sending_facility,
                        m.message_type, m.trigger_event, m.version, text ? std::string_view(m.raw) : encoded,
                        text ? kText : kBase64, m.status, m.ack_code, m.error_code, m.error_text, m.error_location,
                        m.note, m.patient_id}));
  return rs.Int(0, 0);
}

Result<int64_t> Hl7MessageRepository::NextId(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(c.dialect() == Dialect::kPostgres ? kNextIdPg : kNextIdSqlite));
  return rs.Int(0, 0);
}

Status Hl7MessageRepository::InsertProcessed(Connection& c, const Hl7MessageRow& m, std::string_view raw) {
  bool text = IsStorableText(raw);
  std::string encoded = text ? std::string() : Base64Encode(raw);
  CD_RETURN_IF_ERROR(c.Exec(kInsertProcessed,
                            {m.id, m.received_at, m.peer, m.control_id, m.sending_application, m.sending_facility,
                             m.message_type, m.trigger_event, m.version, text ? raw : std::string_view(encoded),
                             text ? kText : kBase64, m.status, m.ack_code, m.error_code, m.error_text,
                             m.error_location, m.note, m.patient_id, int64_t{m.attempts}, m.processed_at}));
  return Ok();
}

Result<bool> Hl7MessageRepository::RecordOutcome(Connection& c, int64_t id, const Hl7Outcome& o, int64_t at) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kRecordOutcome, {id, o.status, o.ack_code, o.error_code, o.error_text,
                                                         o.error_location, o.note, o.patient_id, at}));
  return n == 1;
}

Result<std::optional<Hl7MessageRow>> Hl7MessageRepository::Find(Connection& c, int64_t id) {
  static const std::string sql = std::string(kColumns) + kFind;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {id}));
  if (rs.empty()) return std::optional<Hl7MessageRow>();
  Hl7MessageRow m = Read(rs, 0);
  CD_ASSIGN_OR_RETURN(m.raw, ReadRaw(rs, 0));
  return std::optional<Hl7MessageRow>(std::move(m));
}

Result<std::pair<std::vector<Hl7MessageRow>, int64_t>> Hl7MessageRepository::List(Connection& c,
                                                                                  const Hl7MessageFilter& f) {
  static const std::string count_sql = std::string("SELECT COUNT(*)") + kWhere;
  static const std::string list_sql = std::string(kColumns) + kWhere + kOrderPage;
  CD_ASSIGN_OR_RETURN(ResultSet count, c.Query(count_sql, {f.status, f.patient_id}));
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(list_sql, {f.status, f.patient_id, int64_t{f.limit}, int64_t{f.offset}}));
  std::vector<Hl7MessageRow> rows;
  rows.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) rows.push_back(Read(rs, i));
  return std::make_pair(std::move(rows), count.Int(0, 0));
}

Result<std::vector<std::pair<std::string, int64_t>>> Hl7MessageRepository::CountNeedingAttention(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT status, COUNT(*) FROM hl7_messages "
                                            "WHERE status IN ('failed', 'rejected', 'received') GROUP BY status"));
  std::vector<std::pair<std::string, int64_t>> out;
  for (size_t i = 0; i < rs.size(); ++i) out.emplace_back(rs.Text(i, 0), rs.Int(i, 1));
  return out;
}

Result<std::vector<Hl7MessageRow>> Hl7MessageRepository::Processed(Connection& c,
                                                                   const std::string& sending_application,
                                                                   const std::string& sending_facility,
                                                                   const std::string& control_id, int64_t except_id) {
  static const std::string sql = std::string(kColumns) + kProcessed;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {control_id, sending_application, sending_facility, except_id}));
  std::vector<Hl7MessageRow> rows;
  for (size_t i = 0; i < rs.size(); ++i) {
    Hl7MessageRow m = Read(rs, i);
    CD_ASSIGN_OR_RETURN(m.raw, ReadRaw(rs, i));
    rows.push_back(std::move(m));
  }
  return rows;
}

}  // namespace caredesk::db
