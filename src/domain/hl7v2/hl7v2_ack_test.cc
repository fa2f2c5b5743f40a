#include "domain/hl7v2/hl7v2_ack.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace caredesk::hl7v2 {
namespace {

namespace fs = std::filesystem;

// 2025-03-10 17:00:00 UTC.
const TimePoint kNow{std::chrono::milliseconds(1741626000000)};

AckRequest Request(const MessageHeader& inbound, AckCode code, std::vector<AckError> errors = {}) {
  AckRequest r;
  r.inbound = inbound;
  r.code = code;
  r.errors = std::move(errors);
  r.application = {"CAREDESK", "", ""};
  r.facility = {"CLINIC", "1.2.3", "ISO"};
  r.control_id = "ACK0001";
  r.created_at = kNow;
  return r;
}

Message ParseAck(const std::string& text) {
  Result<Message> ack = ParseMessage(text);
  EXPECT_TRUE(ack.ok()) << ack.error().reason << ": " << ack.error().message << "\n" << text;
  return ack.ok() ? std::move(ack).value() : *ParseMessage("MSH|^~\\&|||||||ACK|none|P|2.5");
}

constexpr std::string_view kAdt25 =
    "MSH|^~\\&|SENDAPP|SENDFAC^2.16.1^ISO|RECVAPP|RECVFAC|20250310165900||ADT^A01^ADT_A01|MSG-17|P|2.5\r"
    "EVN|A01|20250310165900\r"
    "PID|1||123^^^MRN||Doe^John\r";

TEST(Hl7Ack, AcceptSwapsSenderAndReceiverAndEchoesTheControlId) {
  const Result<Message> inbound = ParseMessage(kAdt25);
  ASSERT_TRUE(inbound.ok());
  const std::string text = WriteAck(Request(inbound->header(), AckCode::kAccept));
  EXPECT_EQ(text,
            "MSH|^~\\&|CAREDESK|CLINIC^1.2.3^ISO|SENDAPP|SENDFAC^2.16.1^ISO|20250310170000+0000||ACK^A01^ACK|ACK0001|P|"
            "2.5\r"
            "MSA|AA|MSG-17\r");
  const Message ack = ParseAck(text);
  EXPECT_EQ(ack.header().type, (MessageType{"ACK", "A01", "ACK"}));
  EXPECT_EQ(ack.header().receiving_application, inbound->header().sending_application);
  EXPECT_EQ(ack.header().receiving_facility, inbound->header().sending_facility);
  EXPECT_EQ(ack.Get("MSA", 2), inbound->header().control_id);
  EXPECT_EQ(ack.header().version, "2.5");
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(Hl7Ack, WritesOneErrSegmentPerErrorFromV25) {
  const Result<Message> inbound = ParseMessage(kAdt25);
  ASSERT_TRUE(inbound.ok());
  const std::vector<AckError> errors = {
      AckErrorFrom(Error::Unprocessable("MSH[1]-9", "we take no A01 | only A04^A08 & co",
                                        std::string(reason::kUnsupportedMessageType))),
      AckError{ErrorCondition::kRequiredFieldMissing, {"PID", 1, 8}, "sex is required", Severity::kWarning},
      AckError{ErrorCondition::kApplicationInternalError, {}, "", Severity::kError},
  };
  const std::string text = WriteAck(Request(inbound->header(), AckCode::kError, errors));
  EXPECT_NE(text.find("\rERR||MSH^1^9|200^Unsupported message type^HL70357|E||||"
                      "we take no A01 \\F\\ only A04\\S\\A08 \\T\\ co\r"),
            std::string::npos)
      << text;
  const Message ack = ParseAck(text);
  EXPECT_EQ(ack.Get("MSA", 1), "AE");
  const std::vector<Segment> err = ack.Segments("ERR");
  ASSERT_EQ(err.size(), 3u);
  EXPECT_EQ(err[0].Get(8), "we take no A01 | only A04^A08 & co");
  EXPECT_EQ(err[1].Get(2, 0, 1), "PID");
  EXPECT_EQ(err[1].Get(2, 0, 3), "8");
  EXPECT_EQ(err[1].Get(3, 0, 1), "101");
  EXPECT_EQ(err[1].Get(4), "W");
  EXPECT_EQ(err[2].RawField(2), "");
  EXPECT_EQ(err[2].Get(3, 0, 1), "207");
  EXPECT_EQ(err[2].field_count(), 4u);
}

TEST(Hl7Ack, WritesTheOldErrCompositeBeforeV25) {
  const Result<Message> inbound =
      ParseMessage("MSH|^~\\&|LAB|HOSP|||20250310||ORU^R01|X-9|D|2.3\rPID|1||7\rOBX|1|NM|glu||abc\r");
  ASSERT_TRUE(inbound.ok());
  const std::vector<AckError> errors = {
      AckError{ErrorCondition::kDataTypeError, {"OBX", 1, 5}, "OBX-5 is not a number: abc&more", Severity::kError},
      AckError{ErrorCondition::kTableValueNotFound, {}, "", Severity::kError},
  };
  const std::string text = WriteAck(Request(inbound->header(), AckCode::kError, errors));
  EXPECT_NE(text.find("|ACK^R01|ACK0001|D|2.3\r"), std::string::npos) << text;  // no structure in 2.3
  EXPECT_NE(
      text.find("\rERR|OBX^1^5^102&OBX-5 is not a number: abc\\T\\more&HL70357~^^^103&Table value not found&HL70357\r"),
      std::string::npos)
      << text;
  const Message ack = ParseAck(text);
  ASSERT_EQ(ack.Segments("ERR").size(), 1u);
  const Segment err = *ack.Find("ERR");
  EXPECT_EQ(err.RepetitionCount(1), 2u);
  EXPECT_EQ(err.Get(1, 0, 1), "OBX");
  EXPECT_EQ(err.Get(1, 0, 3), "5");
  EXPECT_EQ(err.Get(1, 0, 4, 1), "102");
  EXPECT_EQ(err.Get(1, 0, 4, 2), "OBX-5 is not a number: abc&more");
  EXPECT_EQ(err.Get(1, 0, 4, 3), "HL70357");
  EXPECT_EQ(err.Get(1, 1, 4, 1), "103");
}

TEST(Hl7Ack, RejectsAnUnsupportedVersionFromTheSalvagedHeader) {
  const std::string inbound = "MSH|^~\\&|OLDAPP|OLDFAC|||20250310||ADT^A04|OLD\\F\\1|P|2.2\rPID|1\r";
  const Result<Message> parsed = ParseMessage(inbound);
  ASSERT_FALSE(parsed.ok());
  const std::string text = WriteAck(Request(SalvageHeader(inbound), AckCode::kReject, {AckErrorFrom(parsed.error())}));
  const Message ack = ParseAck(text);
  EXPECT_EQ(ack.header().version, kFallbackAckVersion);
  EXPECT_EQ(ack.header().type, (MessageType{"ACK", "A04", "ACK"}));
  EXPECT_EQ(ack.header().receiving_application.namespace_id, "OLDAPP");
  EXPECT_EQ(ack.Get("MSA", 1), "AR");
  EXPECT_EQ(ack.Get("MSA", 2), "OLD|1");
  EXPECT_EQ(ack.Raw("MSA", 2), "OLD\\F\\1");
  EXPECT_EQ(ack.Get("ERR", 2, 0, 1), "MSH");
  EXPECT_EQ(ack.Get("ERR", 2, 0, 3), "12");
  EXPECT_EQ(ack.Get("ERR", 3, 0, 1), "203");
  EXPECT_EQ(ack.Get("ERR", 8), parsed.error().message);
}

TEST(Hl7Ack, FillsWhatASalvagedHeaderLacks) {
  const std::string text =
      WriteAck(Request(SalvageHeader("garbage"), AckCode::kReject, {AckErrorFrom(ParseMessage("garbage").error())}));
  const Message ack = ParseAck(text);
  EXPECT_EQ(ack.header().processing_id, "P");
  EXPECT_EQ(ack.header().version, kFallbackAckVersion);
  EXPECT_EQ(ack.header().type, (MessageType{"ACK", "", "ACK"}));
  EXPECT_EQ(ack.Get("MSA", 2), "");
  EXPECT_EQ(ack.Get("ERR", 3, 0, 1), "100");
}

TEST(Hl7Ack, CopiesTheProcessingModeAndEscapesEveryValue) {
  MessageHeader inbound;
  inbound.sending_application = {"A|B", "", "x~y"};
  inbound.type = {"ADT", "A\\08", ""};
  inbound.control_id = "line\r\nbreak";
  inbound.processing_id = "T";
  inbound.processing_mode = "A";
  inbound.version = "2.8";
  const Message ack = ParseAck(WriteAck(Request(inbound, AckCode::kAccept)));
  EXPECT_EQ(ack.header().receiving_application, inbound.sending_application);
  EXPECT_EQ(ack.header().type.trigger, "A\\08");
  EXPECT_EQ(ack.Get("MSA", 2), "line\r\nbreak");
  EXPECT_EQ(ack.header().processing_id, "T");
  EXPECT_EQ(ack.header().processing_mode, "A");
  EXPECT_EQ(ack.segment_count(), 2u);
}

TEST(Hl7Ack, NamesTheCodes) {
  EXPECT_EQ(AckCodeText(AckCode::kAccept), "AA");
  EXPECT_EQ(AckCodeText(AckCode::kError), "AE");
  EXPECT_EQ(AckCodeText(AckCode::kReject), "AR");
}

fs::path Hl7Dir() {
  const char* dir = std::getenv("CAREDESK_DATA_DIR");
  return (dir != nullptr && *dir != '\0' ? fs::path(dir) : fs::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data") /
         "hl7v2";
}

// Every message of the data set acknowledged: the ACK parses and answers that message.
TEST(Hl7AckDataSet, AcknowledgesEveryMessageOfTheDataSet) {
  ASSERT_TRUE(fs::is_directory(Hl7Dir() / "messages"))
      << "the HL7 v2 data set is missing at " << Hl7Dir() << " (set CAREDESK_DATA_DIR to the shared data folder)";
  size_t acknowledged = 0;
  for (const char* folder : {"messages", "python-hl7_samples"}) {
    for (const fs::directory_entry& e : fs::directory_iterator(Hl7Dir() / folder)) {
      if (e.path().extension() != ".hl7" || e.path().filename().string().starts_with("sample_bad_")) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      const Result<MessageBatch> batch = ParseBatchOrMessage(text.str());
      ASSERT_TRUE(batch.ok()) << e.path();
      for (const Message& m : batch->messages) {
        const Message ack = ParseAck(WriteAck(Request(m.header(), AckCode::kAccept)));
        EXPECT_EQ(ack.Get("MSA", 2), m.header().control_id) << e.path();
        EXPECT_EQ(ack.header().version, m.header().version) << e.path();
        EXPECT_EQ(ack.header().type.trigger, m.header().type.trigger) << e.path();
        ++acknowledged;
      }
    }
  }
  EXPECT_GE(acknowledged, 139u + 15u);
}

}  // namespace
}  // namespace caredesk::hl7v2
