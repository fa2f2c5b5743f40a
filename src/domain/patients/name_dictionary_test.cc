#include "domain/patients/name_dictionary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace caredesk {
namespace {

using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

class NameDictionaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"john", "jon", "joan", "jonah", "johnson", "johnny", "jo", "smith",
                             "smyth", "smithers", "smit", "catherine", "kathryn", "robert", "bob",
                             "alexandra", "alexander", "li", "phillips"}) {
      dictionary_.Intern(name);
    }
  }

  // term text → match kind
  std::map<std::string, TermMatch> Expand(std::string_view token, ExpandOptions options = {}) {
    std::map<std::string, TermMatch> out;
    for (const TermExpansion& e : dictionary_.Expand(token, options)) {
      out.emplace(std::string(dictionary_.Term(e.term)), e.match);
    }
    return out;
  }

  NameDictionary dictionary_;
};

TEST_F(NameDictionaryTest, InternsEachTermOnce) {
  const size_t before = dictionary_.size();
  const uint32_t id = dictionary_.Intern("john");
  EXPECT_EQ(dictionary_.size(), before);
  EXPECT_EQ(dictionary_.Find("john"), id);
  EXPECT_EQ(dictionary_.Term(id), "john");
  EXPECT_EQ(dictionary_.Find("zed"), NameDictionary::kNotFound);
}

TEST_F(NameDictionaryTest, FindsTransposedLetters) {
  const auto found = Expand("jonh");
  EXPECT_EQ(found.at("john"), TermMatch::kEdit1);
  EXPECT_EQ(found.at("jon"), TermMatch::kEdit1);
  EXPECT_EQ(found.at("jonah"), TermMatch::kEdit1);
  EXPECT_EQ(Expand("smtih").at("smith"), TermMatch::kEdit1);
}

TEST_F(NameDictionaryTest, AllowsTwoEditsFromSixLetters) {
  EXPECT_EQ(Expand("smithrs").at("smithers"), TermMatch::kEdit1);
  EXPECT_EQ(Expand("smytherz").at("smithers"), TermMatch::kEdit2);
  EXPECT_EQ(Expand("jhonson").at("johnson"), TermMatch::kEdit1);
  // Five letters allow only one edit.
  EXPECT_FALSE(Expand("smiht").contains("smyth"));
}

TEST_F(NameDictionaryTest, RanksMatchKindsExactFirst) {
  const auto found = Expand("john");
  EXPECT_EQ(found.at("john"), TermMatch::kExact);
  EXPECT_EQ(found.at("johnson"), TermMatch::kPrefix);
  EXPECT_EQ(found.at("johnny"), TermMatch::kPrefix);  // also a nickname; prefix is better
  EXPECT_EQ(found.at("jon"), TermMatch::kNickname);
  EXPECT_EQ(found.at("joan"), TermMatch::kEdit1);
}

TEST_F(NameDictionaryTest, ExpandsPrefixesOfTwoOrMoreLetters) {
  EXPECT_THAT(Expand("smi"), UnorderedElementsAre(Pair("smith", TermMatch::kPrefix),
                                                  Pair("smithers", TermMatch::kPrefix),
                                                  Pair("smit", TermMatch::kPrefix)));
  // Without prefixes only what is one edit away remains (three letters allow one edit).
  EXPECT_THAT(Expand("smi", {.prefixes = false}),
              UnorderedElementsAre(Pair("smit", TermMatch::kEdit1)));
  EXPECT_THAT(Expand("q"), IsEmpty());
}

TEST_F(NameDictionaryTest, KeepsTheShortestPrefixCompletions) {
  const auto found = Expand("jo", {.max_prefix_terms = 2});
  EXPECT_TRUE(found.contains("jon"));
  EXPECT_TRUE(found.contains("joan") || found.contains("john"));
  EXPECT_FALSE(found.contains("johnson"));
}

TEST_F(NameDictionaryTest, FindsNicknamesAndSoundAlikes) {
  EXPECT_EQ(Expand("bob").at("robert"), TermMatch::kNickname);
  EXPECT_EQ(Expand("kathryn").at("catherine"), TermMatch::kNickname);  // in the table
  EXPECT_EQ(Expand("filips").at("phillips"), TermMatch::kPhonetic);    // three edits away
  EXPECT_EQ(Expand("smythe").at("smith"), TermMatch::kEdit2);
}

TEST_F(NameDictionaryTest, MatchesShortTokensExactlyOrByPrefix) {
  EXPECT_THAT(Expand("li"), UnorderedElementsAre(Pair("li", TermMatch::kExact)));
  EXPECT_FALSE(Expand("lu").contains("li"));  // no edits below three letters
}

}  // namespace
}  // namespace caredesk
