#include "domain/hl7v2/hl7v2_siu.h"

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

Result<SiuMessage> ReadSample(std::string_view name) {
  std::ifstream in(MessagesDir() / name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << (MessagesDir() / name) << " (set CAREDESK_DATA_DIR)";
  std::ostringstream text;
  text << in.rdbuf();
  auto message = ParseMessage(text.str());
  if (!message.ok()) return message.error();
  return ReadSiu(*message);
}

// An SIU message of `trigger` in `version` with the given segments after MSH.
Result<SiuMessage> ReadText(std::string_view trigger, std::string_view rest, std::string_view version = "2.5.1") {
  std::string text = "MSH|^~\\&|SCHED|GOOD HEALTH|CAREDESK|CLINIC|20250310120000||SIU^" + std::string(trigger) +
                     "|MSG1|P|" + std::string(version) + "\r" + std::string(rest);
  auto message = ParseMessage(text);
  if (!message.ok()) return message.error();
  return ReadSiu(*message);
}

TimePoint Utc(int y, int mo, int d, int h, int mi) {
  return FromMillis((CivilDate{y, mo, d}.DaysSinceEpoch() * 86400 + h * 3600 + mi * 60) * int64_t{1000});
}

TEST(SiuRead, ReadsTheS12SampleOfVersion28) {
  auto siu = ReadSample("SIU-S12-01.hl7");
  ASSERT_TRUE(siu.ok()) << siu.error().message;
  EXPECT_EQ(siu->event, SiuEvent::kS12);
  ASSERT_TRUE(siu->placer_id && siu->filler_id);
  EXPECT_EQ(siu->placer_id->value, "12345");
  EXPECT_EQ(siu->placer_id->system, "GHHSFacility");  // no EI-2: the sending facility's number
  EXPECT_EQ(siu->placer_id->location, "SCH-1");
  EXPECT_EQ(siu->filler_id->value, "36996");
  EXPECT_EQ(siu->filler_id->location, "SCH-2");
  EXPECT_EQ(siu->reason.code, "EMERGENCY");
  EXPECT_EQ(siu->appointment_type.code, "Normal");
  ASSERT_EQ(siu->services.size(), 1u);
  EXPECT_EQ(siu->services[0].code, "76164006");
  EXPECT_EQ(siu->services[0].text, "Biopsy of colon (procedure)");
  EXPECT_EQ(siu->services[0].alt_text, "Biopsy");
  EXPECT_EQ(siu->services[0].location, "AIS-3");
  // v2.8: TQ1-7 wins over the (deprecated) SCH-11, which says 2020.
  ASSERT_TRUE(siu->start);
  EXPECT_EQ(siu->start_location, "TQ1-7");
  EXPECT_EQ(*siu->start, Utc(2021, 9, 24, 7, 15));  // 09:30 +0215
  EXPECT_EQ(siu->duration_minutes, 50);             // TQ1-8 10:20
  EXPECT_EQ(siu->duration_location, "TQ1-8");
  EXPECT_EQ(siu->filler_status, "Booked");
  ASSERT_EQ(siu->notes.size(), 1u);
  EXPECT_EQ(siu->notes[0], "Appointment booked for emergency procedure");
  ASSERT_TRUE(siu->patient);
  EXPECT_EQ(siu->patient->family_name, "EVERYMAN");
  EXPECT_EQ(siu->patient->given_name, "ADAM");
  ASSERT_FALSE(siu->patient->identifiers.empty());
  EXPECT_EQ(siu->patient->identifiers[0].value, "PATID1234");
  ASSERT_EQ(siu->personnel.size(), 1u);
  EXPECT_EQ(siu->personnel[0].id, "1210");
  EXPECT_EQ(siu->personnel[0].family_name, "GE");
  EXPECT_EQ(siu->personnel[0].given_name, "Robert");
  EXPECT_EQ(siu->personnel[0].role, "Gastroenterologist");
  EXPECT_EQ(siu->personnel[0].location, "AIP-3");
  ASSERT_EQ(siu->places.size(), 1u);
  EXPECT_EQ(siu->places[0].point_of_care, "055");
  EXPECT_EQ(siu->places[0].room, "Room01");
  EXPECT_EQ(siu->places[0].facility, "GH Clinic");
  ASSERT_EQ(siu->resources.size(), 1u);
  EXPECT_EQ(siu->resources[0].name, "EVIS X12 Video Colonoscope");
}

TEST(SiuRead, ReadsEveryResourceGroup) {
  auto siu = ReadSample("SIU-S12-02.hl7");
  ASSERT_TRUE(siu.ok()) << siu.error().message;
  ASSERT_EQ(siu->personnel.size(), 3u);
  EXPECT_EQ(siu->personnel[2].family_name, "GP");
  EXPECT_EQ(siu->personnel[2].location, "AIP[3]-3");
  ASSERT_EQ(siu->places.size(), 3u);
  EXPECT_EQ(siu->places[1].point_of_care, "DiagnosticUnit201");
  EXPECT_EQ(siu->places[1].room, "Imaging Room 01");
  ASSERT_EQ(siu->services.size(), 2u);
  EXPECT_EQ(siu->services[1].location, "AIS[2]-3");
  EXPECT_EQ(siu->duration_minutes, 60);
}

TEST(SiuRead, Version25ReadsTheStartFromSch11) {
  auto siu = ReadText("S12",
                      "SCH|P1^ORDERS|F9^SCHED||||Routine|Checkup^Annual checkup|Follow-up|30|min|"
                      "^^M30^20250311100000-0400^20250311103000-0400\r"
                      "PID|1||P100^^^GH^MR||Roe^Rita||19700101|F\r"
                      "AIP|1||^Park^Ada|||\r");
  ASSERT_TRUE(siu.ok()) << siu.error().message;
  EXPECT_EQ(siu->placer_id->system, "ORDERS");
  EXPECT_EQ(siu->filler_id->system, "SCHED");
  EXPECT_EQ(siu->start_location, "SCH-11");
  EXPECT_EQ(*siu->start, Utc(2025, 3, 11, 14, 0));
  EXPECT_EQ(siu->duration_minutes, 30);
  EXPECT_EQ(siu->appointment_type.code, "Follow-up");
  EXPECT_EQ(siu->reason.text, "Annual checkup");
  EXPECT_EQ(siu->personnel[0].family_name, "Park");
  EXPECT_EQ(siu->personnel[0].given_name, "Ada");
  EXPECT_TRUE(siu->notes.empty());
}

TEST(SiuRead, FallsBackToAisForStartAndDuration) {
  auto siu = ReadText("S12",
                      "SCH|P1|F1||||||||\rRGS|1\rAIS|1||FU^Follow-up|20250311100000-0400|||2|h\r", "2.6");
  ASSERT_TRUE(siu.ok()) << siu.error().message;
  EXPECT_EQ(siu->start_location, "AIS-4");
  EXPECT_EQ(siu->duration_minutes, 120);
  EXPECT_EQ(siu->duration_location, "AIS-7");
  EXPECT_FALSE(siu->patient);
}

TEST(SiuRead, AnUnreadableDurationIsAWarningNotAnError) {
  auto siu = ReadText("S12", "SCH|P1|F1|||||||ten|min\r");
  ASSERT_TRUE(siu.ok()) << siu.error().message;
  EXPECT_FALSE(siu->duration_minutes);
  ASSERT_EQ(siu->warnings.size(), 1u);
  EXPECT_NE(siu->warnings[0].find("SCH-9"), std::string::npos);
  auto units = ReadText("S12", "SCH|P1|F1|||||||10|fortnights\r");
  ASSERT_TRUE(units.ok());
  EXPECT_FALSE(units->duration_minutes);
  EXPECT_EQ(units->warnings.size(), 1u);
}

TEST(SiuRead, ErrorsNameTheFieldAndItsCondition) {
  struct Case {
    std::string trigger;
    std::string rest;
    std::string version;
    std::string field;
    ErrorCondition condition;
  };
  const Case cases[] = {
      {"S12", "SCH|P1|F1|||||||||^^^2025031\r", "2.5", "SCH-11", ErrorCondition::kDataTypeError},
      {"S12", "SCH|P1|F1\rTQ1|||||||20251399\r", "2.8", "TQ1-7", ErrorCondition::kDataTypeError},
      {"S12", "SCH|P1|F1\rAIS|1||X|tomorrow\r", "2.8", "AIS-4", ErrorCondition::kDataTypeError},
      {"S12", "PID|1||P1\r", "2.5", "SCH", ErrorCondition::kRequiredFieldMissing},
      {"S99", "SCH|P1|F1\r", "2.5", "MSH-9", ErrorCondition::kUnsupportedEventCode},
      {"S12", "SCH|P1|F1\rPID|1||P1^^^GH||Roe^Rita||19700101|Q\r", "2.5", "PID-8",
       ErrorCondition::kTableValueNotFound},
  };
  for (const Case& c : cases) {
    auto siu = ReadText(c.trigger, c.rest, c.version);
    ASSERT_FALSE(siu.ok()) << c.rest;
    EXPECT_EQ(siu.error().field, c.field) << c.rest;
    EXPECT_EQ(SiuConditionOf(siu.error()), c.condition) << c.rest;
    EXPECT_NE(siu.error().message.find(c.field), std::string::npos) << siu.error().message;
  }
  auto adt = ParseMessage("MSH|^~\\&|A|B|C|D|20250310||ADT^A01|1|P|2.5\r");
  ASSERT_TRUE(adt.ok());
  auto not_siu = ReadSiu(*adt);
  ASSERT_FALSE(not_siu.ok());
  EXPECT_EQ(SiuConditionOf(not_siu.error()), ErrorCondition::kUnsupportedMessageType);
}

TEST(SiuRead, EverySiuSampleOfTheDataSetIsRead) {
  int read = 0;
  for (const auto& entry : fs::directory_iterator(MessagesDir())) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with("SIU-")) continue;
    auto siu = ReadSample(name);
    ASSERT_TRUE(siu.ok() || siu.error().reason == adt_reason::kUnsupportedEvent) << name << ": " << siu.error().message;
    if (!siu.ok()) {
      EXPECT_NE(name.find("S16"), std::string::npos) << name;  // S16 (discontinue) is not one CareDesk reads
      continue;
    }
    ++read;
    EXPECT_TRUE(siu->start) << name;
    EXPECT_TRUE(siu->filler_id) << name;
    EXPECT_FALSE(siu->personnel.empty()) << name;
  }
  EXPECT_GE(read, 13);
}

}  // namespace
}  // namespace caredesk::hl7v2
