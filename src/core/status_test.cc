#include "core/status.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Error::Invalid("x", "odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  CD_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(Result, PropagatesErrorsThroughMacros) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "x");
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(Result, StatusOfKeepsTheErrorAndDropsTheValue) {
  EXPECT_TRUE(StatusOf(Result<int64_t>(int64_t{3})).ok());
  Status failed = StatusOf(Result<std::string>(Error::Conflict("taken", "already there", "id")));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().reason, "taken");
  EXPECT_EQ(failed.error().field, "id");
}

}  // namespace
}  // namespace caredesk
