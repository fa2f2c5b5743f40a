#include "domain/audit/audit_record.h"

#include "domain/security/credentials.h"

namespace caredesk {
namespace {

void Put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

}  // namespace

std::string CanonicalForm(const AuditRecord& r) {
  std::string out;
  out.reserve(160 + r.detail.size());
  Put(out, std::to_string(r.seq));
  Put(out, std::to_string(r.at_ms));
  Put(out, r.user_id ? std::to_string(*r.user_id) : "");
  Put(out, r.username);
  Put(out, r.role);
  Put(out, r.action);
  Put(out, r.patient_id ? std::to_string(*r.patient_id) : "");
  Put(out, r.category);
  Put(out, r.client_address);
  Put(out, r.outcome);
  Put(out, r.detail);
  return out;
}

std::string ChainHash(const std::string& prev_hash, const AuditRecord& r) {
  return Sha256Hex(prev_hash + CanonicalForm(r));
}

std::optional<ChainProblem> VerifyChainSegment(const std::vector<AuditRecord>& records, int64_t expected_seq,
                                               const std::string& prev_hash) {
  std::string prev = prev_hash;
  int64_t seq = expected_seq;
  for (const AuditRecord& r : records) {
    if (r.seq != seq) {
      return ChainProblem{seq, "entry " + std::to_string(seq) + " is missing (next stored entry is " +
                                   std::to_string(r.seq) + ")"};
    }
    if (r.prev_hash != prev) {
      return ChainProblem{r.seq, "entry " + std::to_string(r.seq) + " does not link to the entry before it"};
    }
    if (ChainHash(prev, r) != r.hash) {
      return ChainProblem{r.seq, "entry " + std::to_string(r.seq) + " was altered after it was written"};
    }
    prev = r.hash;
    ++seq;
  }
  return std::nullopt;
}

}  // namespace caredesk
