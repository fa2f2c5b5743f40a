#include "domain/patients/name_match.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace caredesk {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(FoldToAscii, FoldsLatinAccentsAndLowercases) {
  EXPECT_EQ(FoldToAscii("José Núñez"), "jose nunez");
  EXPECT_EQ(FoldToAscii("Müller"), "muller");
  EXPECT_EQ(FoldToAscii("Straße"), "strasse");
  EXPECT_EQ(FoldToAscii("Æsa Øberg"), "aesa oberg");
  EXPECT_EQ(FoldToAscii("Łukasz Wałęsa"), "lukasz walesa");
  EXPECT_EQ(FoldToAscii("Dvořák Šťastný"), "dvorak stastny");
  EXPECT_EQ(FoldToAscii("Ștefan Țurcanu"), "stefan turcanu");
  EXPECT_EQ(FoldToAscii("François Œuvre"), "francois oeuvre");
}

TEST(FoldToAscii, DropsCombiningAccentsOfDecomposedText) {
  EXPECT_EQ(FoldToAscii("Jose\u0301"), "jose");
}

TEST(FoldToAscii, KeepsOtherScriptsAndDropsMalformedBytes) {
  EXPECT_EQ(FoldToAscii("Иван"), "Иван");
  EXPECT_EQ(FoldToAscii("王 Wei"), "王 wei");
  EXPECT_EQ(FoldToAscii(std::string("a\xFF"
                                    "b")),
            "ab");
  EXPECT_EQ(FoldToAscii(std::string("a\xC3")), "a");  // truncated sequence
}

TEST(FoldToAscii, NormalizesTypographicApostrophesAndDashes) {
  EXPECT_EQ(FoldToAscii("O’Brien–Smith"), "o'brien-smith");
}

TEST(NameTokens, SplitsAtSeparatorsAndRemovesJoiners) {
  EXPECT_THAT(NameTokens("O’Brien-Núñez, J.R."), ElementsAre("obrien", "nunez", "jr"));
  EXPECT_THAT(NameTokens("  Mary   Ann  "), ElementsAre("mary", "ann"));
  EXPECT_THAT(NameTokens("Smith/Jones (Jr)"), ElementsAre("smith", "jones", "jr"));
  EXPECT_THAT(NameTokens(" ,;- "), IsEmpty());
}

TEST(NormalizeName, JoinsTokensWithSingleSpaces) {
  EXPECT_EQ(NormalizeName("  María  José "), "maria jose");
  EXPECT_EQ(NormalizeName("D'Angelo"), "dangelo");
}

TEST(DamerauLevenshtein, CountsSingleEdits) {
  EXPECT_EQ(DamerauLevenshtein("smith", "smith", 2), 0);
  EXPECT_EQ(DamerauLevenshtein("smith", "smyth", 2), 1);   // substitution
  EXPECT_EQ(DamerauLevenshtein("smith", "smth", 2), 1);    // deletion
  EXPECT_EQ(DamerauLevenshtein("smith", "smitth", 2), 1);  // insertion
  EXPECT_EQ(DamerauLevenshtein("john", "jonh", 2), 1);     // transposition
  EXPECT_EQ(DamerauLevenshtein("smith", "smtih", 2), 1);
  EXPECT_EQ(DamerauLevenshtein("", "abc", 5), 3);
}

TEST(DamerauLevenshtein, UsesOptimalStringAlignment) {
  // True Damerau–Levenshtein gives 2 (ca → ac → abc); OSA may not edit a transposed pair again.
  EXPECT_EQ(DamerauLevenshtein("ca", "abc", 5), 3);
  EXPECT_EQ(DamerauLevenshtein("katherine", "kathryn", 5), 3);
}

TEST(DamerauLevenshtein, StopsAtTheBound) {
  EXPECT_EQ(DamerauLevenshtein("smith", "johnson", 1), 2);
  EXPECT_EQ(DamerauLevenshtein("a", "abcdef", 2), 3);  // length difference alone
  EXPECT_EQ(DamerauLevenshtein("abcdef", "badcfe", 2), 3);
  EXPECT_EQ(DamerauLevenshtein("abcdef", "badcfe", 3), 3);
}

TEST(DamerauLevenshtein, HandlesLongStrings) {
  const std::string a(100, 'a');
  std::string b = a;
  b[50] = 'b';
  EXPECT_EQ(DamerauLevenshtein(a, b, 2), 1);
}

TEST(JaroWinkler, MatchesPublishedValues) {
  // Winkler's examples.
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.840, 0.001);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.813, 0.001);
  EXPECT_DOUBLE_EQ(JaroWinkler("smith", "smith"), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", "abc"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", ""), 1.0);
}

TEST(JaroWinkler, IsSymmetric) {
  EXPECT_DOUBLE_EQ(JaroWinkler("jonathan", "johnathon"), JaroWinkler("johnathon", "jonathan"));
}

TEST(PhoneticKey, GivesSoundAlikeSpellingsOneKey) {
  EXPECT_EQ(PhoneticKey("Smith"), "SM0");
  EXPECT_EQ(PhoneticKey("Smyth"), "SM0");
  EXPECT_EQ(PhoneticKey("Catherine"), "K0RN");
  EXPECT_EQ(PhoneticKey("Kathryn"), "K0RN");
  EXPECT_EQ(PhoneticKey("Stephen"), PhoneticKey("Steven"));
  EXPECT_EQ(PhoneticKey("John"), PhoneticKey("Jon"));
  EXPECT_EQ(PhoneticKey("Phillips"), PhoneticKey("Filips"));
  EXPECT_EQ(PhoneticKey("Knight"), PhoneticKey("Night"));
  EXPECT_EQ(PhoneticKey("Wright"), PhoneticKey("Right"));
  EXPECT_EQ(PhoneticKey("Geoff"), PhoneticKey("Jeff"));
}

TEST(PhoneticKey, CollapsesRepeatedCodes) { EXPECT_EQ(PhoneticKey("Schmidt"), "SKMT"); }

TEST(PhoneticKey, KeepsDifferentNamesApart) {
  EXPECT_NE(PhoneticKey("Smith"), PhoneticKey("Jones"));
  EXPECT_NE(PhoneticKey("Maria"), PhoneticKey("Mario") + "X");
  EXPECT_EQ(PhoneticKey("Иван"), "");
}

TEST(Nicknames, LinksShortFormsAndFormalNames) {
  EXPECT_TRUE(AreNicknames("bob", "robert"));
  EXPECT_TRUE(AreNicknames("robert", "bob"));
  EXPECT_TRUE(AreNicknames("bill", "william"));
  EXPECT_TRUE(AreNicknames("liz", "elizabeth"));
  EXPECT_TRUE(AreNicknames("beth", "elizabeth"));
  EXPECT_TRUE(AreNicknames("jon", "john"));
  EXPECT_TRUE(AreNicknames("johnny", "john"));
  EXPECT_TRUE(AreNicknames("kate", "katherine"));
  EXPECT_TRUE(AreNicknames("bob", "rob"));  // same family
  EXPECT_FALSE(AreNicknames("bob", "bob"));
  EXPECT_FALSE(AreNicknames("bob", "william"));
  EXPECT_FALSE(AreNicknames("zorro", "robert"));
}

TEST(Nicknames, ListsVariantsOfEveryFamily) {
  EXPECT_THAT(NicknameVariants("al"),
              UnorderedElementsAre("alexander", "alex", "sandy", "xander", "alec", "sasha",
                                   "albert", "bert", "bertie", "alfred", "alf", "alfie", "fred"));
  EXPECT_THAT(NicknameVariants("zorro"), IsEmpty());
}

}  // namespace
}  // namespace caredesk
