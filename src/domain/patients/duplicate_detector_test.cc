#include "domain/patients/duplicate_detector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace caredesk {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

IndexedPatient Make(int64_t id, std::string given, std::string family, CivilDate dob,
                    std::string phone = "", std::string sex = "") {
  IndexedPatient p;
  p.id = id;
  p.given_name = std::move(given);
  p.family_name = std::move(family);
  p.birth_date = dob;
  p.phone = std::move(phone);
  p.sex = std::move(sex);
  return p;
}

bool Flagged(const MatchScore& s) { return s.weight >= kProbableDuplicateWeight; }

TEST(DuplicateScore, FlagsATypoInTheName) {
  const MatchScore s = DuplicateDetector::Score(Make(1, "John", "Smith", {1980, 3, 4}),
                                                Make(2, "Jon", "Smyth", {1980, 3, 4}));
  EXPECT_TRUE(Flagged(s)) << s.weight;
  EXPECT_GT(s.probability, 0.5);
  EXPECT_THAT(s.reasons, Contains(HasSubstr("family_name: typo")));
}

TEST(DuplicateScore, FlagsADayMonthTransposedBirthDate) {
  const MatchScore s =
      DuplicateDetector::Score(Make(1, "Maria", "Garcia", {1985, 4, 7}, "5551234567"),
                               Make(2, "Maria", "Garcia", {1985, 7, 4}, "(555) 123-4567"));
  EXPECT_TRUE(Flagged(s)) << s.weight;
  EXPECT_THAT(s.reasons, Contains(HasSubstr("birth_date: day and month transposed")));
  EXPECT_THAT(s.reasons, Contains(HasSubstr("phone: same")));
}

TEST(DuplicateScore, FlagsANickname) {
  const MatchScore s = DuplicateDetector::Score(Make(1, "Bob", "Jones", {1970, 5, 6}),
                                                Make(2, "Robert", "Jones", {1970, 5, 6}));
  EXPECT_TRUE(Flagged(s)) << s.weight;
  EXPECT_THAT(s.reasons, Contains(HasSubstr("given_name: nickname")));
}

TEST(DuplicateScore, DoesNotFlagNamesakesWithOtherBirthDatesAndPhones) {
  const MatchScore s =
      DuplicateDetector::Score(Make(1, "John", "Smith", {1980, 3, 4}, "5551234567", "male"),
                               Make(2, "John", "Smith", {1962, 11, 20}, "5559876543", "male"));
  EXPECT_FALSE(Flagged(s)) << s.weight;
  EXPECT_LT(s.probability, 0.1);
}

TEST(DuplicateScore, DoesNotFlagCommonNamesakesEvenInOnePostalCode) {
  // In an index where, as in life, John and Smith are common names.
  const NameCounts counts{10000, [](std::string_view token) -> size_t {
                            return token == "smith" ? 100 : token == "john" ? 150 : 1;
                          }};
  IndexedPatient a = Make(1, "John", "Smith", {1980, 3, 4}, "5551234567", "male");
  IndexedPatient b = Make(2, "John", "Smith", {1962, 11, 20}, "5559876543", "male");
  a.postal_code = b.postal_code = "10001";
  const MatchScore s = DuplicateDetector::Score(a, b, &counts);
  EXPECT_FALSE(Flagged(s)) << s.weight;
}

TEST(DuplicateScore, DoesNotFlagHouseholdMembers) {
  // Mother and son: same family name, phone, e-mail and postal code.
  IndexedPatient mother = Make(1, "Helen", "Park", {1960, 2, 14}, "5551112222", "female");
  IndexedPatient son = Make(2, "Daniel", "Park", {1992, 8, 30}, "5551112222", "male");
  mother.email = son.email = "parks@example.org";
  mother.postal_code = son.postal_code = "02139";
  EXPECT_FALSE(Flagged(DuplicateDetector::Score(mother, son)));
}

TEST(DuplicateScore, FlagsSwappedGivenAndFamilyNames) {
  const MatchScore s = DuplicateDetector::Score(Make(1, "Wei", "Zhang", {1990, 6, 1}),
                                                Make(2, "Zhang", "Wei", {1990, 6, 1}));
  EXPECT_TRUE(Flagged(s)) << s.weight;
  EXPECT_THAT(s.reasons, Contains(HasSubstr("swapped")));
}

TEST(DuplicateScore, IgnoresMissingFields) {
  IndexedPatient a = Make(1, "Ana", "Silva", {1999, 1, 1});
  IndexedPatient b = a;
  b.birth_date.reset();
  const MatchScore s = DuplicateDetector::Score(a, b);
  EXPECT_THAT(s.reasons, ::testing::Not(Contains(HasSubstr("birth_date"))));
  EXPECT_EQ(s.reasons.size(), 2u);  // the two names
}

TEST(DuplicateScore, IsSymmetric) {
  IndexedPatient a = Make(1, "Katherine", "O'Neil", {1977, 10, 3}, "5550001111", "female");
  IndexedPatient b = Make(2, "Kate", "ONeill", {1977, 3, 10}, "15550001111", "female");
  a.email = "kate@example.org";
  EXPECT_DOUBLE_EQ(DuplicateDetector::Score(a, b).weight, DuplicateDetector::Score(b, a).weight);
}

TEST(DuplicateScore, WeighsCommonNamesBelowRareOnes) {
  const NameCounts counts{100000, [](std::string_view token) -> size_t {
                            return token == "smith" ? 1000 : token == "john" ? 2000 : 1;
                          }};
  const IndexedPatient common = Make(1, "John", "Smith", {1980, 1, 1});
  const IndexedPatient rare = Make(1, "Zbigniew", "Wojciechowski", {1980, 1, 1});
  const double common_weight = DuplicateDetector::Score(common, common, &counts).weight;
  const double rare_weight = DuplicateDetector::Score(rare, rare, &counts).weight;
  EXPECT_GT(rare_weight, common_weight + 5);
  // Without counts both weigh the same.
  EXPECT_DOUBLE_EQ(DuplicateDetector::Score(common, common).weight,
                   DuplicateDetector::Score(rare, rare).weight);
}

class DuplicateDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Upsert(Make(1, "John", "Smith", {1980, 3, 4}, "5551234567", "male"));
    index_.Upsert(Make(2, "John", "Smith", {1962, 11, 20}, "5559876543", "male"));
    index_.Upsert(Make(3, "Robert", "Jones", {1970, 5, 6}, "", "male"));
    index_.Upsert(Make(4, "Maria", "Garcia", {1985, 4, 7}, "5552223333", "female"));
    index_.Upsert(Make(5, "Mary", "Garcia", {1959, 1, 9}, "", "female"));
  }

  PatientIndex index_;
  DuplicateDetector detector_{index_};
};

TEST_F(DuplicateDetectorTest, FindsTheSamePersonWithATypo) {
  const std::vector<DuplicateCandidate> found =
      detector_.Find(Make(10, "Jon", "Smyth", {1980, 3, 4}, "", "male"), 5);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 1);
}

TEST_F(DuplicateDetectorTest, FindsATransposedBirthDate) {
  const std::vector<DuplicateCandidate> found =
      detector_.Find(Make(10, "Maria", "Garcia", {1985, 7, 4}, "555-222-3333"), 5);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 4);
}

TEST_F(DuplicateDetectorTest, FindsANickname) {
  const std::vector<DuplicateCandidate> found =
      detector_.Find(Make(10, "Bob", "Jones", {1970, 5, 6}), 5);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 3);
}

TEST_F(DuplicateDetectorTest, LeavesNamesakesAlone) {
  EXPECT_THAT(detector_.Find(Make(10, "John", "Smith", {1991, 6, 30}, "5550000000", "male"), 5),
              IsEmpty());
}

TEST_F(DuplicateDetectorTest, NeverReportsAPatientAsItsOwnDuplicate) {
  EXPECT_THAT(detector_.Find(*index_.Get(1), 5), IsEmpty());
}

TEST_F(DuplicateDetectorTest, RanksBestFirst) {
  index_.Upsert(Make(6, "Jon", "Smith", {1980, 3, 4}, "", "male"));
  const std::vector<DuplicateCandidate> found =
      detector_.Find(Make(10, "John", "Smith", {1980, 3, 4}, "5551234567", "male"), 5);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, 1);  // also shares the phone
  EXPECT_EQ(found[1].id, 6);
  EXPECT_GT(found[0].score.weight, found[1].score.weight);
}

}  // namespace
}  // namespace caredesk
