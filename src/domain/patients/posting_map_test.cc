#include "domain/patients/posting_map.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

namespace caredesk {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<uint32_t> Values(const PostingMap& map, uint64_t key) {
  const std::span<const uint32_t> values = map.Find(key);
  return {values.begin(), values.end()};
}

TEST(PostingMap, KeepsSortedSetsPerKey) {
  PostingMap map;
  map.Insert(7, 30);
  map.Insert(7, 10);
  map.Insert(7, 20);
  map.Insert(7, 10);  // already there
  map.Insert(8, 5);
  EXPECT_THAT(Values(map, 7), ElementsAre(10, 20, 30));
  EXPECT_THAT(Values(map, 8), ElementsAre(5));
  EXPECT_THAT(Values(map, 9), IsEmpty());
  EXPECT_EQ(map.key_count(), 2u);
}

TEST(PostingMap, EraseShrinksAndDropsEmptyKeys) {
  PostingMap map;
  map.Insert(1, 1);
  map.Insert(1, 2);
  EXPECT_TRUE(map.Erase(1, 1));
  EXPECT_THAT(Values(map, 1), ElementsAre(2));
  EXPECT_FALSE(map.Erase(1, 1));
  EXPECT_FALSE(map.Erase(2, 2));
  EXPECT_TRUE(map.Erase(1, 2));
  EXPECT_THAT(Values(map, 1), IsEmpty());
  EXPECT_EQ(map.key_count(), 0u);
}

TEST(PostingMap, AcceptsAnyKeyIncludingZeroAndAllOnes) {
  PostingMap map;
  map.Insert(0, 1);
  map.Insert(~uint64_t{0}, 2);
  EXPECT_THAT(Values(map, 0), ElementsAre(1));
  EXPECT_THAT(Values(map, ~uint64_t{0}), ElementsAre(2));
}

// A randomized comparison with std::map<key, std::set> through growth, erasure with backward
// shift, and list recycling.
TEST(PostingMap, AgreesWithAReferenceModel) {
  std::mt19937_64 rng(42);
  PostingMap map;
  std::map<uint64_t, std::set<uint32_t>> model;
  for (int step = 0; step < 200000; ++step) {
    const uint64_t key = rng() % 5000;
    const uint32_t value = static_cast<uint32_t>(rng() % 8);
    if (rng() % 3 == 0) {
      const bool erased = model[key].erase(value) > 0;
      if (model[key].empty()) model.erase(key);
      ASSERT_EQ(map.Erase(key, value), erased);
    } else {
      model[key].insert(value);
      map.Insert(key, value);
    }
  }
  ASSERT_EQ(map.key_count(), model.size());
  for (uint64_t key = 0; key < 5000; ++key) {
    auto it = model.find(key);
    const std::vector<uint32_t> expected =
        it == model.end() ? std::vector<uint32_t>{}
                          : std::vector<uint32_t>(it->second.begin(), it->second.end());
    ASSERT_EQ(Values(map, key), expected) << key;
  }
}

TEST(PostingMap, ReserveAvoidsNothingButGrowth) {
  PostingMap map;
  map.Reserve(1000);
  const size_t reserved = map.MemoryUsage();
  for (uint32_t i = 0; i < 1000; ++i) map.Insert(i, i);
  EXPECT_EQ(map.MemoryUsage(), reserved);
  EXPECT_THAT(Values(map, 999), ElementsAre(999));
}

}  // namespace
}  // namespace caredesk
