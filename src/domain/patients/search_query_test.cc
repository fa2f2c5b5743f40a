#include "domain/patients/search_query.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

using Kind = SearchToken::Kind;

std::string Describe(const std::vector<SearchToken>& tokens) {
  std::string out;
  for (const SearchToken& t : tokens) {
    if (!out.empty()) out += " | ";
    switch (t.kind) {
      case Kind::kName:
        out += "name:" + t.text;
        break;
      case Kind::kInitial:
        out += "initial:" + t.text;
        break;
      case Kind::kBirthDate:
        out += "dob:" + t.date.ToString();
        break;
      case Kind::kDigits:
        out += "digits:" + t.text;
        break;
      case Kind::kMrn:
        out += "mrn:" + t.text;
        break;
      case Kind::kEmail:
        out += "email:" + t.text;
        break;
    }
  }
  return out;
}

std::string Parse(std::string_view query) { return Describe(ParseSearchQuery(query)); }

TEST(ParseSearchQuery, SplitsNamesAtSpacesAndCommas) {
  EXPECT_EQ(Parse("Smith, John"), "name:smith | name:john");
  EXPECT_EQ(Parse("  jo   smi "), "name:jo | name:smi");
  EXPECT_EQ(Parse("O'Brien-Núñez"), "name:obrien | name:nunez");
  EXPECT_EQ(Parse("J Smith"), "initial:j | name:smith");
}

TEST(ParseSearchQuery, ReadsTheThreeDateForms) {
  EXPECT_EQ(Parse("1980-03-04"), "dob:1980-03-04");
  EXPECT_EQ(Parse("03/04/1980"), "dob:1980-03-04");  // month first
  EXPECT_EQ(Parse("3/4/1980"), "dob:1980-03-04");
  EXPECT_EQ(Parse("04.03.1980"), "dob:1980-03-04");  // day first
  EXPECT_EQ(Parse("25/03/1980"), "dob:1980-03-25");  // 25 cannot be a month
}

TEST(ParseSearchQuery, DropsImpossibleDates) {
  EXPECT_EQ(Parse("smith 2023-02-29"), "name:smith");
  EXPECT_EQ(Parse("13/13/1980"), "");
}

TEST(ParseSearchQuery, JoinsPhoneNumbersSplitByPunctuation) {
  EXPECT_EQ(Parse("555-123-4567"), "digits:5551234567");
  EXPECT_EQ(Parse("(555) 123-4567"), "digits:5551234567");
  EXPECT_EQ(Parse("+1 555 123 4567"), "digits:15551234567");
  EXPECT_EQ(Parse("555.123.4567 smith"), "digits:5551234567 | name:smith");
  EXPECT_EQ(Parse("123-4567"), "digits:1234567");
}

TEST(ParseSearchQuery, DropsShortNumbers) {
  EXPECT_EQ(Parse("smith 42 1234"), "name:smith");  // joined, still only six digits
}

TEST(ParseSearchQuery, KeepsDatesApartFromNeighbouringNumbers) {
  EXPECT_EQ(Parse("555 123 4567 1980-03-04"), "digits:5551234567 | dob:1980-03-04");
}

TEST(ParseSearchQuery, RecognizesMrnsAndEmails) {
  EXPECT_EQ(Parse("mrn00000018"), "mrn:MRN00000018");
  EXPECT_EQ(Parse("MRN00000019"), "name:mrn00000019");  // fails its check digit
  EXPECT_EQ(Parse("John.Smith@Example.org"), "email:john.smith@example.org");
}

TEST(ParseSearchQuery, KeepsAtMostEightTokens) {
  EXPECT_EQ(ParseSearchQuery("a1 b2 c3 d4 e5 f6 g7 h8 i9 j10").size(), kMaxSearchTokens);
}

}  // namespace
}  // namespace caredesk
