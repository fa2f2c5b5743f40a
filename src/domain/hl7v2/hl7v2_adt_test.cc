#include "domain/hl7v2/hl7v2_adt.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace caredesk::hl7v2 {
namespace {

namespace fs = std::filesystem;

fs::path MessagesDir() {
  const char* dir = std::getenv("CAREDESK_DATA_DIR");
  fs::path data = dir != nullptr && *dir != '\0' ? fs::path(dir) : fs::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data";
  return data / "hl7v2" / "messages";
}

Result<AdtMessage> ReadSample(std::string_view name) {
  std::ifstream in(MessagesDir() / name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << (MessagesDir() / name) << " (set CAREDESK_DATA_DIR)";
  std::ostringstream text;
  text << in.rdbuf();
  auto message = ParseMessage(text.str());
  if (!message.ok()) return message.error();
  return ReadAdt(*message);
}

// An ADT message of `trigger` with the given PID (and PV1, MRG) segments after MSH.
Result<AdtMessage> ReadText(std::string_view trigger, std::string_view rest) {
  std::string text = "MSH|^~\\&|ADT1|GOOD HEALTH|CAREDESK|CLINIC|20250310120000||ADT^" + std::string(trigger) +
                     "|MSG1|P|2.5.1\r" + std::string(rest);
  auto message = ParseMessage(text);
  if (!message.ok()) return message.error();
  return ReadAdt(*message);
}

TimePoint Utc(int y, int mo, int d, int h, int mi, int s) {
  int64_t days = CivilDate{y, mo, d}.DaysSinceEpoch();
  return FromMillis(((days * 24 + h) * 60 + mi) * 60000 + s * 1000);
}

TEST(AdtRead, ReadsTheFullA01Sample) {
  auto adt = ReadSample("ADT-A01-01.hl7");
  ASSERT_TRUE(adt.ok()) << adt.error().field << ": " << adt.error().message;
  EXPECT_EQ(adt->event, AdtEvent::kA01);
  const AdtPatient& p = adt->patient;
  ASSERT_EQ(p.identifiers.size(), 2u);
  EXPECT_EQ(p.identifiers[0], (AdtIdentifier{"test1", "PATID1234", "MR"}));
  EXPECT_EQ(p.identifiers[1], (AdtIdentifier{"USSSA", "123456789", "SS"}));
  // The "L" name lacks a given name, so the first name is used.
  EXPECT_EQ(p.family_name, "EVERYMAN");
  EXPECT_EQ(p.given_name, "ADAM");
  EXPECT_EQ(p.middle_name, "A");
  EXPECT_EQ(p.birth_date, (CivilDate{1988, 8, 18}));
  EXPECT_EQ(p.sex, "male");
  EXPECT_EQ(p.address.line1, "1000 Hospital Lane");
  EXPECT_EQ(p.address.line2, "Ste. 123");
  EXPECT_EQ(p.address.city, "Ann Arbor");
  EXPECT_EQ(p.address.state, "MI");
  EXPECT_EQ(p.address.postal_code, "99999");
  EXPECT_EQ(p.address.country, "USA");
  EXPECT_EQ(p.phone, "78788788");
  EXPECT_EQ(p.language, "ara");
  ASSERT_TRUE(adt->visit.has_value());
  EXPECT_EQ(adt->visit->patient_class, "P");
  EXPECT_EQ(adt->visit->location, "HUH AE OMU / OMU B / Bed 03 / HOMERTON UNIVER");
  EXPECT_EQ(adt->visit->attending_id, "1122334");
  EXPECT_EQ(adt->visit->attending_name, "Mohammed Alaz");
  EXPECT_EQ(adt->visit->visit_number, "40007716");
  EXPECT_EQ(adt->visit->admit_at, Utc(2015, 2, 8, 10, 24, 19));  // 11:34:19 at +01:10
  EXPECT_FALSE(adt->visit->discharge_at.has_value());
}

TEST(AdtRead, ReadsVersion23AndTheAssigningFacilityFallback) {
  auto a01 = ReadSample("ADT01-23.hl7");
  ASSERT_TRUE(a01.ok()) << a01.error().message;
  EXPECT_EQ(a01->patient.identifiers, (std::vector<AdtIdentifier>{{"1", "10006579", "MR"}}));
  EXPECT_EQ(a01->patient.family_name, "DUCK");
  EXPECT_EQ(a01->patient.given_name, "DONALD");
  EXPECT_EQ(a01->patient.birth_date, (CivilDate{1924, 10, 10}));
  EXPECT_EQ(a01->patient.phone, "8885551212");
  EXPECT_EQ(a01->visit->admit_at, Utc(2005, 1, 9, 21, 55, 2));  // 04:55:02 at +07:00
  // No CX-4: the assigning facility (CX-6) is the system.
  auto a04 = ReadSample("ADT04-251.hl7");
  ASSERT_TRUE(a04.ok()) << a04.error().message;
  EXPECT_EQ(a04->event, AdtEvent::kA04);
  EXPECT_EQ(a04->patient.identifiers, (std::vector<AdtIdentifier>{{"Special Hospital", "MRN12345", "MR"}}));
  EXPECT_EQ(a04->patient.sex, "female");
  EXPECT_EQ(a04->patient.birth_date, (CivilDate{1978, 1, 1}));
}

TEST(AdtRead, IdentifiersWithoutAuthorityBelongToTheSendingFacility) {
  auto adt = ReadText("A04", "PID|1||555^^^^MR~^^^X~\"\"||Roe^Rita||19700101|F\r");
  ASSERT_TRUE(adt.ok()) << adt.error().message;
  EXPECT_EQ(adt->patient.identifiers, (std::vector<AdtIdentifier>{{"GOOD HEALTH", "555", "MR"}}));
}

TEST(AdtRead, ReadsTheMergeIdentifiers) {
  auto adt = ReadSample("ADT-A40-02.hl7");
  ASSERT_TRUE(adt.ok()) << adt.error().message;
  EXPECT_EQ(adt->event, AdtEvent::kA40);
  EXPECT_EQ(adt->patient.identifiers, (std::vector<AdtIdentifier>{{"BCBS", "12345", "MR"}}));
  EXPECT_EQ(adt->prior_identifiers, (std::vector<AdtIdentifier>{{"BCBS", "56789", "MR"}}));
  // Both patient groups, each PID with its MRG.
  ASSERT_EQ(adt->merges.size(), 2u);
  EXPECT_EQ(adt->merges[0].survivor.identifiers, (std::vector<AdtIdentifier>{{"BCBS", "12345", "MR"}}));
  EXPECT_EQ(adt->merges[0].prior_identifiers, (std::vector<AdtIdentifier>{{"BCBS", "56789", "MR"}}));
  EXPECT_EQ(adt->merges[1].survivor.identifiers, (std::vector<AdtIdentifier>{{"BCBS", "145", "MR"}}));
  EXPECT_EQ(adt->merges[1].prior_identifiers, (std::vector<AdtIdentifier>{{"BCBS", "569", "MR"}}));
  EXPECT_EQ(adt->merges[1].survivor.family_name, "Test");
  EXPECT_TRUE(adt->warnings.empty());
  auto no_mrg = ReadText("A40", "PID|1||1^^^GH^MR||Roe^Rita\r");
  ASSERT_FALSE(no_mrg.ok());
  EXPECT_EQ(no_mrg.error().field, "MRG");
  auto empty_mrg = ReadText("A40", "PID|1||1^^^GH^MR||Roe^Rita\rMRG|\r");
  ASSERT_FALSE(empty_mrg.ok());
  EXPECT_EQ(empty_mrg.error().field, "MRG-1");
  auto unpaired = ReadText("A40", "PID|1||1^^^GH^MR||Roe^Rita\rMRG|2^^^GH^MR\rPID|2||3^^^GH^MR||Roe^Rob\r");
  ASSERT_FALSE(unpaired.ok());
  EXPECT_EQ(unpaired.error().field, "MRG");
}

TEST(AdtRead, EmptyAndNullFieldsAreLeftOut) {
  auto adt = ReadText("A08", "PID|1||7^^^GH^MR||Roe^Rita||\"\"|||||\"\"\r");
  ASSERT_TRUE(adt.ok()) << adt.error().message;
  EXPECT_FALSE(adt->patient.birth_date.has_value());
  EXPECT_TRUE(adt->patient.sex.empty());
  EXPECT_TRUE(adt->patient.phone.empty());
  EXPECT_FALSE(adt->visit.has_value());
}

TEST(AdtRead, ReadsAnEmailAndAComposedPhone) {
  auto adt = ReadText("A08", "PID|1||7^^^GH^MR||Roe^Rita||||||||^NET^Internet^rita@example.org~^PRN^PH^^1^555^1234567\r");
  ASSERT_TRUE(adt.ok()) << adt.error().message;
  EXPECT_EQ(adt->patient.email, "rita@example.org");
  EXPECT_EQ(adt->patient.phone, "15551234567");
}

TEST(AdtRead, ErrorsNameTheFieldAndItsCondition) {
  struct Case {
    std::string trigger;
    std::string segments;
    std::string field;
    ErrorCondition condition;
  };
  const Case cases[] = {
      {"A01", "PID|1||1^^^GH^MR||Roe^Rita||19881332|F\r", "PID-7", ErrorCondition::kDataTypeError},
      {"A01", "PID|1||1^^^GH^MR||Roe^Rita||1988|F\r", "PID-7", ErrorCondition::kDataTypeError},
      {"A01", "PID|1||1^^^GH^MR||Roe^Rita||19880101|Q\r", "PID-8", ErrorCondition::kTableValueNotFound},
      {"A01", "PID|1||||Roe^Rita||19880101|F\r", "PID-3", ErrorCondition::kRequiredFieldMissing},
      {"A01", "EVN|A01\r", "PID", ErrorCondition::kRequiredFieldMissing},
      {"A01", "PID|1||1^^^GH^MR||Roe^Rita||19880101|F\rPV1|1|I" + std::string(42, '|') + "2015", "PV1-44",
       ErrorCondition::kDataTypeError},
      {"A02", "PID|1||1^^^GH^MR||Roe^Rita\r", "MSH-9", ErrorCondition::kUnsupportedEventCode},
  };
  for (const Case& c : cases) {
    auto adt = ReadText(c.trigger, c.segments);
    ASSERT_FALSE(adt.ok()) << c.segments;
    EXPECT_EQ(adt.error().field, c.field) << c.segments << ": " << adt.error().message;
    EXPECT_EQ(AdtConditionOf(adt.error()), c.condition) << c.segments;
    EXPECT_FALSE(adt.error().message.empty());
  }
  auto oru = ReadSample("LAB-ORU-1.hl7");
  ASSERT_FALSE(oru.ok());
  EXPECT_EQ(AdtConditionOf(oru.error()), ErrorCondition::kUnsupportedMessageType);
}

TEST(AdtRead, Hl7TimesReadOffsetsFractionsAndUtcByDefault) {
  EXPECT_EQ(*ParseHl7Instant("202503101200", "X"), Utc(2025, 3, 10, 12, 0, 0));
  EXPECT_EQ(*ParseHl7Instant("20250310120030.25-0500", "X"), Utc(2025, 3, 10, 17, 0, 30));
  EXPECT_FALSE(ParseHl7Instant("2025031012", "X").ok());
  EXPECT_FALSE(ParseHl7Instant("202503101260", "X").ok());
  EXPECT_FALSE(ParseHl7Instant("202503101200+05", "X").ok());
  EXPECT_EQ(*ParseHl7Date("20240229", "PID-7"), (CivilDate{2024, 2, 29}));
  auto bad = ParseHl7Date("20230229", "PID-7");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "PID-7");
  EXPECT_FALSE(ParseHl7Date("1988-08-18", "PID-7").ok());
  EXPECT_EQ(SexFromHl7("f"), "female");
  EXPECT_EQ(SexFromHl7("A"), "other");
  EXPECT_EQ(SexFromHl7("U"), "unknown");
  EXPECT_FALSE(SexFromHl7("female").has_value());
}

}  // namespace
}  // namespace caredesk::hl7v2
