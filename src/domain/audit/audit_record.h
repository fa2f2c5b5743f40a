// An audit trail entry (45 CFR 164.312(b), ASTM E2147): who, when, which
// patient, what action on which category of data, from where, with what
// outcome. Entries form a hash chain: each entry's hash covers the previous
// hash and the entry's canonical form, so altering, deleting or reordering a
// stored entry breaks every later link. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace caredesk {

struct AuditRecord {
  int64_t seq = 0;  // position in the chain, 1-based, no gaps
  int64_t at_ms = 0;
  std::optional<int64_t> user_id;
  std::string username;
  std::string role;
  std::string action;    // read, create, update, search, cancel, check_in, undo, login, ...
  std::optional<int64_t> patient_id;
  std::string category;  // demographics, coverage, appointment, encounter, audit, security, ...
  std::string client_address;
  std::string outcome;   // success, denied, failure
  std::string detail;    // short free text, never a secret
  std::string prev_hash;
  std::string hash;
};

inline constexpr char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

// The byte string the hash covers (length-prefixed fields, so no field can
// bleed into its neighbour).
std::string CanonicalForm(const AuditRecord& r);
// SHA-256 hex of prev_hash + CanonicalForm(r).
std::string ChainHash(const std::string& prev_hash, const AuditRecord& r);

// The first broken link in a run of entries that should continue from
// (`expected_seq`, `prev_hash`). Reports a missing entry (gap in seq), a
// broken prev_hash link, or an entry whose content no longer matches its hash.
struct ChainProblem {
  int64_t seq;          // the first entry that is wrong or missing
  std::string problem;  // human-readable
};
std::optional<ChainProblem> VerifyChainSegment(const std::vector<AuditRecord>& records, int64_t expected_seq,
                                               const std::string& prev_hash);

}  // namespace caredesk
