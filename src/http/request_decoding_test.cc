#include "http/request_decoding.h"

#include <gtest/gtest.h>

namespace caredesk::http {
namespace {

TEST(DecodeTarget, DecodesPathAndQuery) {
  Request r;
  ASSERT_TRUE(DecodeTarget("/api/x%20y/a+b?name=Jane+Doe&city=New%20York&plus=%2B&flag&=v", r).ok());
  EXPECT_EQ(r.path, "/api/x y/a+b");  // '+' is literal in the path
  ASSERT_EQ(r.query.size(), 5u);
  EXPECT_EQ(r.query[0], (std::pair<std::string, std::string>{"name", "Jane Doe"}));
  EXPECT_EQ(r.query[1].second, "New York");
  EXPECT_EQ(r.query[2].second, "+");
  EXPECT_EQ(r.query[3], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(r.query[4].first, "");
}

// FHIR clients send token separators unescaped ("identifier=urn:x|42"); the query is read as meant.
TEST(DecodeTarget, AcceptsCharactersClientsLeaveUnescapedInTheQuery) {
  Request r;
  ASSERT_TRUE(DecodeTarget("/fhir/R4/Patient?identifier=urn:x|42&q={\"a\":[1]}&b=x^y", r).ok());
  ASSERT_EQ(r.query.size(), 3u);
  EXPECT_EQ(r.query[0].second, "urn:x|42");
  EXPECT_EQ(r.query[1].second, "{\"a\":[1]}");
  EXPECT_EQ(r.query[2].second, "x^y");
  EXPECT_FALSE(DecodeTarget("/a|b", r).ok());  // not in the path
  EXPECT_FALSE(DecodeTarget("/a?x=%zz|", r).ok());
}

TEST(DecodeTarget, RefusesMalformedTargets) {
  Request r;
  EXPECT_FALSE(DecodeTarget("nopath", r).ok());
  EXPECT_FALSE(DecodeTarget("http://example.com/x", r).ok());
  EXPECT_FALSE(DecodeTarget("/bad%zzescape", r).ok());
  EXPECT_FALSE(DecodeTarget("/a%00b", r).ok());
  EXPECT_FALSE(DecodeTarget("/a%0Ab", r).ok());
  EXPECT_FALSE(DecodeTarget("*", r).ok());
}

TEST(RequestId, AcceptsOnlySaneClientIds) {
  EXPECT_TRUE(IsSaneRequestId("abc-123_x.y:z"));
  EXPECT_FALSE(IsSaneRequestId(""));
  EXPECT_FALSE(IsSaneRequestId("has space"));
  EXPECT_FALSE(IsSaneRequestId("quote\"d"));
  EXPECT_FALSE(IsSaneRequestId(std::string(65, 'a')));
}

TEST(RequestId, GeneratesDistinctHexIds) {
  std::string a = NewRequestId();
  std::string b = NewRequestId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_TRUE(IsSaneRequestId(a));
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace caredesk::http
