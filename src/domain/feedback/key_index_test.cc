#include "domain/feedback/key_index.h"

#include <gtest/gtest.h>

namespace caredesk::feedback {
namespace {

TEST(KeyIndex, FindsEveryKeyAndNothingElseAndTheFirstOfARepeat) {
  KeyIndex none;
  std::vector<uint64_t> keys;
  EXPECT_EQ(none.Find(keys, 7), KeyIndex::kAbsent);  // never built
  for (uint64_t k = 0; k < 1000; ++k) keys.push_back(k * 0x9E3779B97F4A7C15ULL);
  keys.push_back(keys[10]);  // a repeat
  KeyIndex index;
  index.Build(keys);
  for (uint32_t i = 0; i < 1000; ++i) EXPECT_EQ(index.Find(keys, keys[i]), i);
  EXPECT_EQ(index.Find(keys, keys[1000]), 10u);
  EXPECT_EQ(index.Find(keys, 12345), KeyIndex::kAbsent);
  index.Build({});
  EXPECT_EQ(index.Find({}, keys[0]), KeyIndex::kAbsent);
}

}  // namespace
}  // namespace caredesk::feedback
