// The audit trail in the database: appending chained entries inside the
// caller's write transaction, reading them back for verification and search.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/audit/audit_record.h"
#include "storage/db.h"

namespace caredesk::db {

struct AuditFilter {
  std::optional<int64_t> patient_id;
  std::optional<std::string> username;
  std::optional<int64_t> from_ms;  // inclusive
  std::optional<int64_t> to_ms;    // exclusive
  std::optional<std::string> action;
  std::optional<int64_t> seq;         // one entry
  std::optional<int64_t> before_seq;  // entries before it (paging newest first by key)
  int limit = 100;
  int offset = 0;
};

class AuditRepository {
 public:
  // Appends `records` (seq, prev_hash and hash are filled in) after the
  // current head. Must run inside a write transaction: it locks the head row
  // so concurrent appenders, also in other processes, form one chain.
  static Status AppendChained(Connection& c, std::vector<AuditRecord>& records);
  static Result<std::vector<AuditRecord>> ReadFrom(Connection& c, int64_t from_seq, int limit);
  static Result<std::vector<AuditRecord>> Search(Connection& c, const AuditFilter& f);
  struct Head {
    int64_t seq;
    std::string hash;
  };
  static Result<Head> ReadHead(Connection& c);
};

}  // namespace caredesk::db
