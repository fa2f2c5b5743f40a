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

}  // namespace
}  // namespace caredesk
