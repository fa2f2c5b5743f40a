#include "domain/relations/case_kind.h"

#include <gtest/gtest.h>

namespace caredesk::relations {
namespace {

TEST(CaseKind, WireNamesRoundTrip) {
  for (CaseKind k : AllCaseKinds()) EXPECT_EQ(*ParseCaseKind(CaseKindName(k)), k);
  for (InquiryType t : AllInquiryTypes()) EXPECT_EQ(*ParseInquiryType(InquiryTypeName(t)), t);
  for (Channel c : AllChannels()) EXPECT_EQ(*ParseChannel(ChannelName(c)), c);
  for (Severity s : AllSeverities()) EXPECT_EQ(*ParseSeverity(SeverityName(s)), s);
  EXPECT_EQ(ChannelName(Channel::kWebForm), "web_form");
  EXPECT_EQ(ChannelName(Channel::kInPerson), "in_person");
  EXPECT_EQ(AllInquiryTypes().size(), 4u);
}

TEST(CaseKind, UnknownNamesNameTheField) {
  auto kind = ParseCaseKind("compliment");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().field, "kind");
  EXPECT_EQ(kind.error().reason, "unknown_kind");
  EXPECT_NE(kind.error().message.find("complaint, grievance, inquiry"), std::string::npos);

  EXPECT_EQ(ParseChannel("fax").error().field, "channel");
  EXPECT_EQ(ParseChannel("fax", "intake.channel").error().field, "intake.channel");
  EXPECT_EQ(ParseSeverity("urgent").error().field, "severity");
  EXPECT_EQ(ParseInquiryType("pharmacy").error().field, "inquiry_type");
  EXPECT_FALSE(ParseSeverity("").ok());
  EXPECT_FALSE(ParseCaseKind("Complaint").ok());  // names are case-sensitive
}

TEST(CaseKind, SeverityIsOrdered) {
  EXPECT_LT(Severity::kLow, Severity::kMedium);
  EXPECT_LT(Severity::kHigh, Severity::kCritical);
}

TEST(CaseKind, LetterEmailAndWebFormAreWritten) {
  EXPECT_TRUE(IsWrittenChannel(Channel::kLetter));
  EXPECT_TRUE(IsWrittenChannel(Channel::kEmail));
  EXPECT_TRUE(IsWrittenChannel(Channel::kWebForm));
  EXPECT_FALSE(IsWrittenChannel(Channel::kPhone));
  EXPECT_FALSE(IsWrittenChannel(Channel::kInPerson));
}

}  // namespace
}  // namespace caredesk::relations
