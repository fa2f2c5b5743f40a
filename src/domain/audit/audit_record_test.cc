#include "domain/audit/audit_record.h"

#include <gtest/gtest.h>

#include "domain/security/credentials.h"

namespace caredesk {
namespace {

std::vector<AuditRecord> Chain(int n) {
  std::vector<AuditRecord> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    AuditRecord r;
    r.seq = i;
    r.at_ms = 1000 * i;
    r.username = "ann";
    r.role = "coordinator";
    r.action = "read";
    r.patient_id = 40 + i;
    r.category = "demographics";
    r.client_address = "127.0.0.1";
    r.outcome = "success";
    r.prev_hash = prev;
    r.hash = ChainHash(prev, r);
    prev = r.hash;
    out.push_back(r);
  }
  return out;
}

TEST(AuditChain, IntactChainVerifies) {
  ASSERT_TRUE(InitCrypto().ok());
  EXPECT_FALSE(VerifyChainSegment(Chain(5), 1, kGenesisHash).has_value());
}

TEST(AuditChain, NamesAlteredRow) {
  auto c = Chain(5);
  c[2].patient_id = 99;
  auto p = VerifyChainSegment(c, 1, kGenesisHash);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->seq, 3);
  EXPECT_NE(p->problem.find("altered"), std::string::npos);
}

TEST(AuditChain, NamesMissingRow) {
  auto c = Chain(5);
  c.erase(c.begin() + 1);
  auto p = VerifyChainSegment(c, 1, kGenesisHash);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->seq, 2);
  EXPECT_NE(p->problem.find("missing"), std::string::npos);
}

TEST(AuditChain, RecomputedHashStillBreaksNextLink) {
  auto c = Chain(5);
  c[1].detail = "forged";
  c[1].hash = ChainHash(c[1].prev_hash, c[1]);  // the forger rehashes the row
  auto p = VerifyChainSegment(c, 1, kGenesisHash);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->seq, 3);
}

TEST(AuditChain, FieldsCannotBleedIntoNeighbours) {
  AuditRecord a, b;
  a.username = "ab";
  a.role = "c";
  b.username = "a";
  b.role = "bc";
  EXPECT_NE(CanonicalForm(a), CanonicalForm(b));
}

}  // namespace
}  // namespace caredesk
