#include "domain/patients/patient_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

namespace caredesk {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

IndexedPatient Make(int64_t id, std::string given, std::string family, CivilDate dob,
                    std::string phone = "", std::string middle = "") {
  IndexedPatient p;
  p.id = id;
  p.given_name = std::move(given);
  p.family_name = std::move(family);
  p.middle_name = std::move(middle);
  p.birth_date = dob;
  p.phone = std::move(phone);
  return p;
}

std::vector<int64_t> Ids(const std::vector<SearchHit>& hits) {
  std::vector<int64_t> ids;
  for (const SearchHit& h : hits) ids.push_back(h.id);
  return ids;
}

class PatientIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Upsert(Make(1, "John", "Smith", {1980, 3, 4}, "5551234567"));
    index_.Upsert(Make(2, "Jane", "Smith", {1975, 7, 8}, "5559876543"));
    index_.Upsert(Make(3, "John", "Smithers", {1990, 1, 2}));
    index_.Upsert(Make(4, "Johnny", "Walker", {1965, 11, 12}));
    index_.Upsert(Make(5, "Robert", "Jones", {1970, 5, 6}, "+44 20 7946 0958"));
    index_.Upsert(Make(6, "Mary", "Johnson", {1988, 9, 10}));
    index_.Upsert(Make(7, "José", "Núñez", {1955, 4, 3}));
    index_.Upsert(Make(8, "Catherine", "O'Brien", {2001, 12, 24}));
    index_.Upsert(Make(9, "Jon", "Smyth", {1980, 3, 4}));
    index_.Upsert(Make(10, "Alice", "Smith", {1980, 4, 3}, "", "Johanna"));
    IndexedPatient with_ids = Make(11, "Wei", "Li", {1999, 2, 3});
    with_ids.mrn = "MRN00000018";
    with_ids.email = "Wei.Li@Example.org";
    index_.Upsert(with_ids);
  }

  std::vector<int64_t> Search(std::string_view q, size_t limit = 10) {
    return Ids(index_.Search(q, limit));
  }

  PatientIndex index_;
};

TEST_F(PatientIndexTest, FindsTransposedLetters) {
  const std::vector<int64_t> ids = Search("Jonh Smtih");
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), 1);
}

TEST_F(PatientIndexTest, IgnoresTokenOrderAndCommas) {
  EXPECT_EQ(Search("smith john").front(), 1);
  EXPECT_EQ(Search("Smith, John").front(), 1);
  EXPECT_EQ(Search("smith, jonh").front(), 1);
}

TEST_F(PatientIndexTest, MatchesPrefixesOfTwoLetters) {
  const std::vector<int64_t> ids = Search("jo smi");
  ASSERT_GE(ids.size(), 2u);
  // Both John Smith and John Smithers are full prefix matches; ties go by id.
  EXPECT_THAT(std::vector<int64_t>(ids.begin(), ids.begin() + 2), ElementsAre(1, 3));
}

TEST_F(PatientIndexTest, RanksExactAbovePrefixAboveTypos) {
  // John Smith (exact + exact), John Smithers (exact + prefix), then Jane Smith (sound-alike +
  // exact) and Jon Smyth (nickname + typo), equal at 150 points and so by id.
  EXPECT_THAT(Search("john smith", 4), ElementsAre(1, 3, 2, 9));
}

TEST_F(PatientIndexTest, RanksFullMatchesAbovePartialOnes) {
  // John Smith (nickname + exact), Jon Smyth (exact + typo), John Smithers (nickname + prefix),
  // Jane Smith (sound-alike + exact); then patients matching only one token.
  const std::vector<SearchHit> hits = index_.Search("jon smith", 20);
  ASSERT_GE(hits.size(), 6u);
  EXPECT_THAT(Ids({hits.begin(), hits.begin() + 4}), ElementsAre(1, 9, 3, 2));
  for (size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
  // Matching both tokens scores above 2/3 whatever the quality; matching one, at most 1/2.
  const auto full = [](const SearchHit& h) { return h.score > 2.0 / 3.0; };
  EXPECT_TRUE(std::is_partitioned(hits.begin(), hits.end(), full));
  EXPECT_EQ(std::count_if(hits.begin(), hits.end(), full), 4);
  EXPECT_LE(hits.back().score, 0.5);
}

TEST_F(PatientIndexTest, ScoresOneForAnExactMatchOfEveryToken) {
  const std::vector<SearchHit> hits = index_.Search("john smith 1980-03-04", 1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].id, 1);
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
}

TEST_F(PatientIndexTest, FindsNicknames) {
  EXPECT_EQ(Search("bob jones").front(), 5);
  EXPECT_EQ(Search("johnny walker").front(), 4);
}

TEST_F(PatientIndexTest, FoldsAccentsAndPunctuation) {
  EXPECT_EQ(Search("jose nunez").front(), 7);
  EXPECT_EQ(Search("JOSÉ NÚÑEZ").front(), 7);
  EXPECT_EQ(Search("obrien").front(), 8);
  EXPECT_EQ(Search("O'Brien, Catherine").front(), 8);
}

TEST_F(PatientIndexTest, FindsSoundAlikes) { EXPECT_EQ(Search("kathryn obrien").front(), 8); }

TEST_F(PatientIndexTest, FiltersAndRanksByBirthDate) {
  EXPECT_THAT(Search("smith 1980-03-04", 1), ElementsAre(1));
  EXPECT_THAT(Search("smith 03/04/1980", 1), ElementsAre(1));
  EXPECT_THAT(Search("smith 04.03.1980", 1), ElementsAre(1));
  // Next, equal at 170 points: Jon Smyth (typo, same date) and Alice Smith, born 1980-04-03
  // (exact name, day and month swapped).
  EXPECT_THAT(Search("smith 1980-03-04", 3), ElementsAre(1, 9, 10));
  // A date alone.
  EXPECT_THAT(Search("1980-03-04", 2), ElementsAre(1, 9));
}

TEST_F(PatientIndexTest, MatchesPhonesHoweverTyped) {
  EXPECT_THAT(Search("555-123-4567", 1), ElementsAre(1));
  EXPECT_THAT(Search("(555) 123-4567", 1), ElementsAre(1));
  EXPECT_THAT(Search("123-4567", 1), ElementsAre(1));        // the tail
  EXPECT_THAT(Search("1 555 123 4567", 1), ElementsAre(1));  // with a country code
  EXPECT_THAT(Search("020 7946 0958", 1), ElementsAre(5));
  EXPECT_THAT(Search("555-000-0000"), IsEmpty());
}

TEST_F(PatientIndexTest, MatchesMrnAndEmailExactly) {
  EXPECT_THAT(Search("MRN00000018"), ElementsAre(11));
  EXPECT_THAT(Search("mrn00000018"), ElementsAre(11));
  EXPECT_THAT(Search("00000018"), ElementsAre(11));  // typed without the prefix
  EXPECT_THAT(Search("wei.li@example.org"), ElementsAre(11));
}

TEST_F(PatientIndexTest, MatchesMiddleNames) { EXPECT_EQ(Search("johanna smith").front(), 10); }

TEST_F(PatientIndexTest, MatchesInitialsOnlyAlongsideOtherTokens) {
  EXPECT_EQ(Search("j smith").front(), 1);
  EXPECT_EQ(Search("a smith").front(), 10);
  EXPECT_THAT(Search("j"), IsEmpty());
}

TEST_F(PatientIndexTest, PagesWithOffsetAndLimit) {
  const std::vector<int64_t> all = Search("smith", 100);
  ASSERT_GE(all.size(), 4u);
  EXPECT_EQ(Ids(index_.Search("smith", 2, 0)), std::vector<int64_t>(all.begin(), all.begin() + 2));
  EXPECT_EQ(Ids(index_.Search("smith", 2, 2)),
            std::vector<int64_t>(all.begin() + 2, all.begin() + 4));
  EXPECT_THAT(Ids(index_.Search("smith", 0)), IsEmpty());
  EXPECT_THAT(Ids(index_.Search("smith", 5, 1000)), IsEmpty());
}

TEST_F(PatientIndexTest, BreaksTiesById) {
  // Three exact Smiths: 1, 2, 10.
  EXPECT_THAT(Search("smith", 3), ElementsAre(1, 2, 10));
}

TEST_F(PatientIndexTest, ReturnsNothingForNoise) {
  EXPECT_THAT(Search(""), IsEmpty());
  EXPECT_THAT(Search("  ,, ;"), IsEmpty());
  EXPECT_THAT(Search("xqzvw"), IsEmpty());
}

TEST_F(PatientIndexTest, UpsertReplacesAnEntry) {
  index_.Upsert(Make(1, "John", "Smith-Taylor", {1980, 3, 4}));
  EXPECT_EQ(index_.size(), 11u);
  EXPECT_EQ(Search("taylor").front(), 1);
  EXPECT_THAT(Search("555-123-4567"), IsEmpty());  // the phone was dropped
  const std::optional<IndexedPatient> p = index_.Get(1);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->family_name, "smith taylor");
}

TEST_F(PatientIndexTest, RemoveForgetsThePatient) {
  index_.Remove(1);
  index_.Remove(12345);  // absent: no effect
  EXPECT_EQ(index_.size(), 10u);
  EXPECT_FALSE(index_.Get(1).has_value());
  EXPECT_NE(Search("john smith").front(), 1);
  EXPECT_THAT(Search("555-123-4567"), IsEmpty());
}

TEST_F(PatientIndexTest, GetReturnsTheNormalizedEntry) {
  const std::optional<IndexedPatient> p = index_.Get(11);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->given_name, "wei");
  EXPECT_EQ(p->family_name, "li");
  EXPECT_EQ(p->birth_date, (CivilDate{1999, 2, 3}));
  EXPECT_EQ(p->mrn, "MRN00000018");
  EXPECT_EQ(p->email, "wei.li@example.org");
  EXPECT_EQ(index_.Get(5)->phone, "442079460958");
}

TEST_F(PatientIndexTest, CountsPatientsWithAName) {
  EXPECT_EQ(index_.CountWithName("smith"), 3u);
  EXPECT_EQ(index_.CountWithName("john"), 2u);
  EXPECT_EQ(index_.CountWithName("nobody"), 0u);
}

TEST_F(PatientIndexTest, FindsDuplicateCandidatesByEachBlockingKey) {
  // Same phone, different everything else.
  IndexedPatient probe = Make(100, "Zed", "Zulu", {2000, 1, 1}, "555 123 4567");
  EXPECT_THAT(Ids(index_.FindDuplicateCandidates(probe, 10)), ElementsAre(1));
  // A similar name and the same birth date.
  probe = Make(100, "Jhon", "Smiht", {1980, 3, 4});
  const std::vector<int64_t> by_name = Ids(index_.FindDuplicateCandidates(probe, 10));
  ASSERT_FALSE(by_name.empty());
  EXPECT_EQ(by_name.front(), 1);
  // E-mail.
  probe = Make(100, "X", "Y", {2000, 1, 1});
  probe.email = "WEI.LI@example.org";
  EXPECT_THAT(Ids(index_.FindDuplicateCandidates(probe, 10)), ElementsAre(11));
}

// A phone or e-mail many patients share (a care home's, the clinic's own) blocks only together with a
// name, as a common birth date does: reading the whole group made every registration cost its size.
TEST(PatientIndexContacts, AContactSharedByThousandsBlocksOnlyTogetherWithAName) {
  PatientIndex index;
  const std::string shared_phone = "555 000 1111";
  for (int64_t id = 1; id <= 2500; ++id) {
    IndexedPatient p = Make(id, "Resident" + std::to_string(id % 50), "Home" + std::to_string(id), {1930, 1, 1});
    p.phone = shared_phone;
    p.email = "office@carehome.example";
    p.birth_date = CivilDate{1930 + static_cast<int>(id % 40), 1 + static_cast<int>(id % 12), 1};
    index.Upsert(p);
  }
  IndexedPatient wren = Make(3001, "Wren", "Ashdown", {1941, 6, 7});
  wren.phone = shared_phone;
  index.Upsert(wren);
  IndexedPatient small = Make(3002, "Ivo", "Lund", {1950, 2, 3});
  small.phone = "555 000 2222";
  index.Upsert(small);

  // A newcomer with the shared phone and e-mail and names nobody has: none of the 2,501 comes up.
  IndexedPatient stranger = Make(5000, "Quill", "Obermaier", {1999, 9, 9});
  stranger.phone = shared_phone;
  stranger.email = "office@carehome.example";
  EXPECT_THAT(Ids(index.FindDuplicateCandidates(stranger, 10)), ::testing::IsEmpty());

  // Wren again, her family name mistyped and born another day: found, and the phone still counts for her
  // (she outranks what the name alone would score).
  IndexedPatient again = Make(5001, "Wren", "Ashdwon", {1941, 7, 6});
  again.phone = shared_phone;
  const std::vector<SearchHit> with_phone = index.FindDuplicateCandidates(again, 10);
  ASSERT_FALSE(with_phone.empty());
  EXPECT_EQ(with_phone.front().id, 3001);
  again.phone.clear();
  const std::vector<SearchHit> without = index.FindDuplicateCandidates(again, 10);
  ASSERT_FALSE(without.empty());
  EXPECT_EQ(without.front().id, 3001);
  EXPECT_GT(with_phone.front().score, without.front().score) << "the shared phone agrees for a named candidate";

  // A phone a few share is a key of its own, as before.
  IndexedPatient other = Make(5002, "Zed", "Zulu", {2000, 1, 1});
  other.phone = "555 000 2222";
  EXPECT_THAT(Ids(index.FindDuplicateCandidates(other, 10)), ::testing::ElementsAre(3002));
}

TEST_F(PatientIndexTest, NeverReturnsTheProbeAsItsOwnDuplicate) {
  const std::vector<int64_t> ids = Ids(index_.FindDuplicateCandidates(*index_.Get(1), 10));
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains(1)));
}

// ---- Properties over a random population ---------------------------------------------------

constexpr const char* kGiven[] = {"john",  "jon",   "joan",  "james",  "mary",   "maria",
                                  "mario", "ana",   "anna",  "li",     "wei",    "mohammed",
                                  "ahmed", "priya", "sofia", "sophia", "robert", "bob"};
constexpr const char* kFamily[] = {"smith", "smyth",    "smithers", "jones", "johnson", "garcia",
                                   "garza", "li",       "lee",      "wang",  "nguyen",  "khan",
                                   "patel", "kowalski", "kowalsky", "brown", "braun",   "ng"};

std::vector<IndexedPatient> RandomPopulation(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<IndexedPatient> out;
  for (size_t i = 0; i < n; ++i) {
    IndexedPatient p = Make(static_cast<int64_t>(i + 1), kGiven[rng() % std::size(kGiven)],
                            kFamily[rng() % std::size(kFamily)],
                            {1950 + static_cast<int>(rng() % 5), 1 + static_cast<int>(rng() % 3),
                             1 + static_cast<int>(rng() % 4)});
    if (rng() % 3 == 0) p.middle_name = kGiven[rng() % std::size(kGiven)];
    if (rng() % 2 == 0) p.phone = "55512" + std::to_string(10000 + rng() % 50);
    out.push_back(std::move(p));
  }
  return out;
}

const char* kQueries[] = {"jon smith",
                          "smith",
                          "smyth jhon",
                          "jo sm",
                          "li",
                          "lee wei",
                          "maria garcia",
                          "mario garza 1951-02-03",
                          "1952-01-01",
                          "j smith",
                          "bob",
                          "robert kowalsky",
                          "555-121-0007",
                          "ana anna",
                          "smith smith",
                          "priya patel 1950-1-1",
                          "kowalski 1950-01-02 5551210010",
                          "nguyen, ahmed",
                          "brwon",
                          "wang li li",
                          "john smith 1951-02-03",
                          "jon smyth 1952-03-04 5551210003",
                          "j smith 1950-01-01",
                          "li wei ng",
                          "maria garcia lopez 1953-02-02",
                          "a b smith",
                          "smith 1950-01-01 1951-02-03",
                          "bob roberts 555-121-0011"};

// Early stopping must never change the answer: the top k of a search are the first k of the
// exhaustive ranking, whatever k and whatever order patients were added in.
TEST(PatientIndexProperties, TopKIsAPrefixOfTheExhaustiveRanking) {
  const std::vector<IndexedPatient> population = RandomPopulation(3000, 7);
  PatientIndex ascending;  // slot order is id order
  for (const IndexedPatient& p : population) ascending.Upsert(p);
  PatientIndex shuffled;  // it is not
  std::vector<IndexedPatient> order = population;
  std::shuffle(order.begin(), order.end(), std::mt19937_64(11));
  for (const IndexedPatient& p : order) shuffled.Upsert(p);

  for (const char* query : kQueries) {
    const std::vector<SearchHit> all = ascending.Search(query, population.size());
    const std::vector<int64_t> all_ids = Ids(all);
    ASSERT_EQ(Ids(shuffled.Search(query, population.size())), all_ids) << query;
    const auto slice = [&](size_t from, size_t count) {
      from = std::min(from, all_ids.size());
      const size_t to = std::min(from + count, all_ids.size());
      return std::vector<int64_t>(all_ids.begin() + static_cast<std::ptrdiff_t>(from),
                                  all_ids.begin() + static_cast<std::ptrdiff_t>(to));
    };
    for (size_t k : {1, 3, 10, 25, 100}) {
      EXPECT_EQ(Ids(ascending.Search(query, k)), slice(0, k)) << query << " k=" << k;
      EXPECT_EQ(Ids(shuffled.Search(query, k)), slice(0, k)) << query << " k=" << k;
      EXPECT_EQ(Ids(ascending.Search(query, k, 7)), slice(7, k)) << query << " k=" << k;
      EXPECT_EQ(Ids(shuffled.Search(query, k, 7)), slice(7, k)) << query << " k=" << k;
    }
    for (size_t i = 1; i < all.size(); ++i) {
      ASSERT_GE(all[i - 1].score, all[i].score) << query;
      if (all[i - 1].score == all[i].score) {
        ASSERT_LT(all[i - 1].id, all[i].id) << query;
      }
    }
  }
}

TEST(PatientIndexProperties, RemovalsAndReinsertionsKeepResultsConsistent) {
  const std::vector<IndexedPatient> population = RandomPopulation(2000, 3);
  PatientIndex index;
  for (const IndexedPatient& p : population) index.Upsert(p);
  for (size_t i = 0; i < population.size(); i += 3) index.Remove(population[i].id);
  for (size_t i = 0; i < population.size(); i += 6) index.Upsert(population[i]);  // slot reuse

  PatientIndex fresh;
  for (size_t i = 0; i < population.size(); ++i) {
    if (i % 3 != 0 || i % 6 == 0) fresh.Upsert(population[i]);
  }
  ASSERT_EQ(index.size(), fresh.size());
  for (const char* query : kQueries) {
    EXPECT_EQ(Ids(index.Search(query, 50)), Ids(fresh.Search(query, 50))) << query;
  }
}

TEST(PatientIndexProperties, ServesConcurrentReadersDuringWrites) {
  const std::vector<IndexedPatient> population = RandomPopulation(4000, 5);
  PatientIndex index;
  for (size_t i = 0; i < 2000; ++i) index.Upsert(population[i]);
  std::atomic<bool> failed = false;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        const std::vector<SearchHit> hits = index.Search(kQueries[i % std::size(kQueries)], 10);
        for (size_t k = 1; k < hits.size(); ++k) {
          if (hits[k - 1].score < hits[k].score) failed = true;
        }
      }
    });
  }
  for (size_t i = 2000; i < population.size(); ++i) index.Upsert(population[i]);
  for (std::thread& t : readers) t.join();
  EXPECT_FALSE(failed);
  EXPECT_EQ(index.size(), population.size());
}

}  // namespace
}  // namespace caredesk
