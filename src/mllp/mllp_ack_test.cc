#include "mllp/mllp_ack.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/clock.h"

namespace caredesk::mllp {
namespace {

using hl7v2::Message;
using hl7v2::ParseBatchOrMessage;
using hl7v2::ParseMessage;

const std::string kAdt =
    "MSH|^~\\&|SENDAPP|SENDFAC|RECVAPP|RECVFAC|20250310165900||ADT^A01^ADT_A01|MSG-17|P|2.5\r"
    "EVN|A01|20250310165900\r"
    "PID|1||123^^^MRN||Doe^John\r";

class AckFactoryTest : public ::testing::Test {
 protected:
  FakeClock clock_{TimePoint{std::chrono::milliseconds(1741626000000)}};
  AckFactory acks_{clock_, AckSender{{"CAREDESK", "", ""}, {"CLINIC", "", ""}}};
};

Message Parse(const std::string& text) {
  auto parsed = ParseMessage(text);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message << "\n" << text;
  return parsed.ok() ? std::move(parsed).value() : *ParseMessage("MSH|^~\\&|||||||ACK|none|P|2.5");
}

TEST_F(AckFactoryTest, AcceptsAWellFormedMessageEchoingItsControlId) {
  const Message ack = Parse(acks_.AcknowledgeParsed(kAdt));
  EXPECT_EQ(ack.Get("MSA", 1), "AA");
  EXPECT_EQ(ack.Get("MSA", 2), "MSG-17");
  EXPECT_EQ(ack.header().sending_application.namespace_id, "CAREDESK");
  EXPECT_EQ(ack.header().receiving_application.namespace_id, "SENDAPP");
  EXPECT_FALSE(ack.Find("ERR").has_value());
}

TEST_F(AckFactoryTest, AnUnsupportedVersionIsRejectedWithAnErr) {
  std::string bad = kAdt;
  bad.replace(bad.find("|P|2.5"), 6, "|P|9.9");
  const Message ack = Parse(acks_.AcknowledgeParsed(bad));
  EXPECT_EQ(ack.Get("MSA", 1), "AR");
  EXPECT_EQ(ack.Get("MSA", 2), "MSG-17");
  ASSERT_TRUE(ack.Find("ERR").has_value());
  EXPECT_EQ(ack.Get("ERR", 3), "203");
}

TEST_F(AckFactoryTest, AMalformedSegmentIsAnErrorNamingIt) {
  const std::string bad = kAdt + "pid|oops\r";
  const Message ack = Parse(acks_.AcknowledgeParsed(bad));
  EXPECT_EQ(ack.Get("MSA", 1), "AE");
  EXPECT_EQ(ack.Get("MSA", 2), "MSG-17");
  ASSERT_TRUE(ack.Find("ERR").has_value());
  EXPECT_EQ(ack.Get("ERR", 3), "100");
}

TEST_F(AckFactoryTest, GarbageStillGetsAParsableAck) {
  for (std::string_view input : {std::string_view(""), std::string_view("hello"), std::string_view("MSH|")}) {
    const std::string reply = acks_.AcknowledgeParsed(input);
    const Message ack = Parse(reply);
    EXPECT_NE(AckCodeOf(reply), "AA") << input;
    EXPECT_TRUE(ack.Find("ERR").has_value()) << input;
  }
}

TEST_F(AckFactoryTest, ABatchGetsOneAckPerMessageInOrder) {
  std::string second = kAdt;
  second.replace(second.find("MSG-17"), 6, "MSG-18");
  const std::string batch = "BHS|^~\\&|SENDAPP\r" + kAdt + second + "BTS|2\r";
  const std::string reply = acks_.AcknowledgeParsed(batch);
  auto acks = ParseBatchOrMessage(reply);
  ASSERT_TRUE(acks.ok()) << acks.error().message;
  ASSERT_EQ(acks->messages.size(), 2u);
  EXPECT_EQ(acks->messages[0].Get("MSA", 2), "MSG-17");
  EXPECT_EQ(acks->messages[1].Get("MSA", 2), "MSG-18");
  EXPECT_EQ(acks->messages[1].Get("MSA", 1), "AA");
}

TEST_F(AckFactoryTest, TooLargeIsRejectedFromWhateverOfTheHeaderArrived) {
  const std::string reply = acks_.RejectTooLarge(kAdt.substr(0, 90), 1024);
  const Message ack = Parse(reply);
  EXPECT_EQ(ack.Get("MSA", 1), "AR");
  EXPECT_EQ(ack.Get("MSA", 2), "MSG-17");
  EXPECT_NE(ack.Get("ERR", 8).find("1024 bytes"), std::string::npos) << reply;
  // Cut inside MSH-10: still an AR, without the control id.
  EXPECT_EQ(AckCodeOf(acks_.RejectTooLarge(kAdt.substr(0, 20), 1024)), "AR");
}

TEST(AckCodeOf, ReadsMsa1) {
  EXPECT_EQ(AckCodeOf("MSH|^~\\&|A\rMSA|AE|X1\rERR|||100\r"), "AE");
  EXPECT_EQ(AckCodeOf("MSH|^~\\&|A\nMSA#CA#X1\n"), "CA");
  EXPECT_EQ(AckCodeOf("MSH|^~\\&|MSA|AA\rPID|MSA\r"), "");  // only at the start of a segment
  EXPECT_EQ(AckCodeOf("MSA|AR"), "AR");
  EXPECT_EQ(AckCodeOf("MSA"), "");
  EXPECT_EQ(AckCodeOf(""), "");
}

TEST(NextControlId, IsUniqueAndFitsMsh10) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NextControlId();
    EXPECT_LE(id.size(), 20u) << id;
    EXPECT_TRUE(seen.insert(std::move(id)).second);
  }
}

}  // namespace
}  // namespace caredesk::mllp
