#include "api/json_body.h"

#include <gtest/gtest.h>

namespace caredesk::api {
namespace {

TEST(JsonBody, MalformedJsonIsInvalid) {
  auto r = JsonBody::Parse("{\"a\":");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, "invalid_json");
  EXPECT_FALSE(JsonBody::Parse("[1,2]").ok());
  EXPECT_TRUE(JsonBody::Parse("").ok());
}

TEST(JsonBody, WrongTypesNameTheField) {
  auto b = JsonBody::Parse(R"({"name": 5, "id": "x", "flag": "yes", "when": "2025-02-30", "ids": [1, "a"]})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->String("name").error().field, "name");
  EXPECT_EQ(b->Int("id").error().field, "id");
  EXPECT_EQ(b->Bool("flag").error().field, "flag");
  EXPECT_EQ(b->Date("when").error().field, "when");
  EXPECT_EQ(b->IntList("ids").error().field, "ids[1]");
  EXPECT_EQ(b->RequiredString("missing").error().field, "missing");
}

TEST(JsonBody, NestedObjectsPrefixFieldNames) {
  auto b = JsonBody::Parse(R"({"address": {"city": 7}})");
  auto address = b->Object("address");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ((*address)->String("city").error().field, "address.city");
}

TEST(JsonBody, NullReadsAsAbsent) {
  auto b = JsonBody::Parse(R"({"a": null})");
  ASSERT_TRUE(b->String("a").ok());
  EXPECT_FALSE(b->String("a")->has_value());
}

TEST(JsonBody, HugeNumbersAreInvalidNotUndefined) {
  // Found by fuzz_json_body: a number beyond int64 parses as a double.
  auto b = JsonBody::Parse(R"({"patient_id": 2222222222222222222222222222222222, "n": -1e300})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->Int("patient_id").error().field, "patient_id");
  EXPECT_FALSE(b->Int("n").ok());
}

TEST(JsonBody, IntegersFromWholeDoublesOnly) {
  auto b = JsonBody::Parse(R"({"a": 3.0, "b": 3.5})");
  EXPECT_EQ(**b->Int("a"), 3);
  EXPECT_FALSE(b->Int("b").ok());
}

}  // namespace
}  // namespace caredesk::api
