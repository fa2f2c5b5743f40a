#include "domain/feedback/porter_stemmer.h"

#include <gtest/gtest.h>

namespace caredesk::feedback {
namespace {

TEST(PorterStem, StripsInflections) {
  EXPECT_EQ(PorterStem("caresses"), "caress");
  EXPECT_EQ(PorterStem("ponies"), "poni");
  EXPECT_EQ(PorterStem("cats"), "cat");
  EXPECT_EQ(PorterStem("agreed"), "agre");
  EXPECT_EQ(PorterStem("plastered"), "plaster");
  EXPECT_EQ(PorterStem("motoring"), "motor");
  EXPECT_EQ(PorterStem("hopping"), "hop");
  EXPECT_EQ(PorterStem("falling"), "fall");
  EXPECT_EQ(PorterStem("filing"), "file");
  EXPECT_EQ(PorterStem("sized"), "size");
  EXPECT_EQ(PorterStem("happy"), "happi");
}

TEST(PorterStem, StripsDerivationalSuffixes) {
  EXPECT_EQ(PorterStem("relational"), "relat");
  EXPECT_EQ(PorterStem("generalizations"), "gener");
  EXPECT_EQ(PorterStem("oscillators"), "oscil");
  EXPECT_EQ(PorterStem("hopefulness"), "hope");
  EXPECT_EQ(PorterStem("adjustment"), "adjust");
  EXPECT_EQ(PorterStem("adoption"), "adopt");
  EXPECT_EQ(PorterStem("controll"), "control");
}

TEST(PorterStem, PoolsRelatedForms) {
  EXPECT_EQ(PorterStem("waiting"), PorterStem("waited"));
  EXPECT_EQ(PorterStem("waits"), "wait");
  EXPECT_EQ(PorterStem("helpful"), "help");
  EXPECT_EQ(PorterStem("appointments"), PorterStem("appointment"));
}

TEST(PorterStem, LeavesShortAndNonLetterWordsAlone) {
  EXPECT_EQ(PorterStem("is"), "is");
  EXPECT_EQ(PorterStem(""), "");
  EXPECT_EQ(PorterStem("111"), "111");
  EXPECT_EQ(PorterStem("4hrs"), "4hrs");
  EXPECT_EQ(PorterStem("caf\xC3\xA9s"), "caf\xC3\xA9s");
}

}  // namespace
}  // namespace caredesk::feedback
