#include "domain/relations/case_categories.h"

#include <gtest/gtest.h>

namespace caredesk::relations {
namespace {

TEST(CaseCategories, DefaultsCoverTheCmsConcerns) {
  CaseCategories defaults;
  EXPECT_EQ(defaults.names().size(), kDefaultCategories.size());
  for (std::string_view name : {"quality_of_care", "premature_discharge", "abuse_or_neglect", "billing_rights",
                                "communication", "staff_attitude", "wait_times", "facilities", "privacy", "other"}) {
    EXPECT_TRUE(defaults.Contains(name)) << name;
  }
  EXPECT_TRUE(defaults.Check("privacy").ok());
}

TEST(CaseCategories, ConfiguredListKeepsItsOrder) {
  auto c = CaseCategories::Create({"parking", "food", "other"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->names(), (std::vector<std::string>{"parking", "food", "other"}));
  EXPECT_TRUE(c->Contains("food"));
  EXPECT_FALSE(c->Contains("privacy"));
}

TEST(CaseCategories, UnknownCategoryNamesTheField) {
  CaseCategories defaults;
  auto st = defaults.Check("parking");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "category");
  EXPECT_EQ(st.error().reason, "unknown_category");
  EXPECT_NE(st.error().message.find("wait_times"), std::string::npos);
}

TEST(CaseCategories, RejectsBadLists) {
  EXPECT_EQ(CaseCategories::Create({}).error().field, "categories");
  auto spaced = CaseCategories::Create({"other", "Wait Times"});
  ASSERT_FALSE(spaced.ok());
  EXPECT_EQ(spaced.error().field, "categories");
  EXPECT_EQ(spaced.error().reason, "invalid_category");
  EXPECT_NE(spaced.error().message.find("Wait Times"), std::string::npos);
  EXPECT_EQ(CaseCategories::Create({"other", "other"}).error().reason, "duplicate_category");
  EXPECT_FALSE(CaseCategories::Create({"9lives"}).ok());
  EXPECT_FALSE(CaseCategories::Create({std::string(kMaxCategoryLength + 1, 'a')}).ok());
  EXPECT_FALSE(CaseCategories::Create({""}).ok());
}

}  // namespace
}  // namespace caredesk::relations
