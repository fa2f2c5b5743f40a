#include "app/hl7_inbound_service.h"

#include <algorithm>
#include <barrier>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "app/scheduling_fixture.h"
#include "storage/patient_identifier_repository.h"

namespace caredesk {
namespace {

namespace fs = std::filesystem;

fs::path Hl7Dir() {
  const char* dir = std::getenv("CAREDESK_DATA_DIR");
  return fs::path(dir != nullptr && *dir != '\0' ? dir : "/work/shared/data") / "hl7v2";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path << " (set CAREDESK_DATA_DIR to the shared data folder)";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// An HL7 v2.5.1 ADT message from GOOD HEALTH's ADT1 with the given segments after MSH.
std::string Adt(std::string_view trigger, std::string_view control_id, std::string_view rest,
                std::string_view version = "2.5.1") {
  return "MSH|^~\\&|ADT1|GOOD HEALTH|CAREDESK|CLINIC|20250310120000||ADT^" + std::string(trigger) + "|" +
         std::string(control_id) + "|P|" + std::string(version) + "\rEVN|" + std::string(trigger) +
         "|20250310120000\r" + std::string(rest);
}

// MSA-1 of an ACK.
std::string AckCodeOf(const std::string& ack) {
  auto parsed = hl7v2::ParseMessage(ack);
  EXPECT_TRUE(parsed.ok()) << ack;
  return parsed.ok() ? parsed->Get("MSA", 1) : std::string();
}

class Hl7InboundServiceTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    patients_ = std::make_unique<PatientService>(pool(), clock_, *audit_, std::chrono::milliseconds(0));
    ASSERT_TRUE(patients_->LoadIndex().ok());
    hl7_ = std::make_unique<Hl7InboundService>(pool(), clock_, *audit_, *patients_, *flow_);
    merges_ = std::make_unique<PatientMergeService>(pool(), clock_, *audit_, *patients_);
    hl7_->UseMerges(*merges_);
  }

  // Receives `raw` and returns the stored message.
  db::Hl7MessageRow Send(const std::string& raw, std::string* ack = nullptr) {
    auto submitted = hl7_->Submit(raw, "10.9.8.7");
    EXPECT_TRUE(submitted.id.has_value()) << submitted.ack;
    if (ack != nullptr) *ack = submitted.ack;
    auto row = hl7_->Get(admin_, submitted.id.value_or(0));
    EXPECT_TRUE(row.ok()) << row.error().message;
    return row.ok() ? *row : db::Hl7MessageRow{};
  }

  int64_t CountPatients() {
    auto conn = pool().Acquire();
    return conn->Query("SELECT COUNT(*) FROM patients")->Int(0, 0);
  }

  std::vector<db::PatientIdentifierRow> IdentifiersOf(int64_t patient_id) {
    auto conn = pool().Acquire();
    auto rows = db::PatientIdentifierRepository::ForPatient(*conn, patient_id);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<db::PatientIdentifierRow>{};
  }

  Patient Read(int64_t id) {
    auto p = patients_->Get(admin_, id);
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p.ok() ? *p : Patient{};
  }

  size_t AuditCount(const std::string& action, const std::string& username) {
    db::AuditFilter f;
    f.action = action;
    f.username = username;
    f.limit = 1000;
    auto rows = audit_->Search(f);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? rows->size() : 0;
  }

  std::unique_ptr<PatientService> patients_;
  std::unique_ptr<Hl7InboundService> hl7_;
  std::unique_ptr<PatientMergeService> merges_;
};

TEST_P(Hl7InboundServiceTest, A01RegistersThePatientWithItsIdentifiers) {
  const std::string raw = ReadFile(Hl7Dir() / "messages" / "ADT-A01-02.hl7");
  int64_t before = CountPatients();
  std::string ack;
  db::Hl7MessageRow m = Send(raw, &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA") << ack;
  EXPECT_NE(ack.find("MSA|AA|MSG00001"), std::string::npos) << ack;
  EXPECT_EQ(m.status, "applied") << m.error_text;
  EXPECT_EQ(m.raw, raw);
  EXPECT_EQ(m.peer, "10.9.8.7");
  EXPECT_EQ(m.control_id, "MSG00001");
  EXPECT_EQ(m.sending_application, "ADTApp");
  EXPECT_EQ(m.sending_facility, "GHHSFacility");
  EXPECT_EQ(m.message_type, "ADT");
  EXPECT_EQ(m.trigger_event, "A01");
  EXPECT_EQ(m.version, "2.8");
  EXPECT_EQ(m.ack_code, "AA");
  EXPECT_EQ(m.attempts, 1);
  ASSERT_TRUE(m.patient_id.has_value());
  EXPECT_EQ(CountPatients(), before + 1);
  Patient p = Read(*m.patient_id);
  EXPECT_EQ(p.family_name, "EVERYMAN");
  EXPECT_EQ(p.given_name, "ADAM");
  EXPECT_EQ(p.birth_date, (CivilDate{1988, 8, 18}));
  EXPECT_EQ(p.sex, "male");
  EXPECT_EQ(p.address.city, "Ann Arbor");
  EXPECT_EQ(p.address.country, "US");
  EXPECT_EQ(p.preferred_language, "ar");
  auto ids = IdentifiersOf(*m.patient_id);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0].system, "USSSA");
  EXPECT_EQ(ids[0].value, "123456789");
  EXPECT_EQ(ids[1].system, "test1");
  EXPECT_EQ(ids[1].value, "PATID1234");
  EXPECT_EQ(ids[1].type, "MR");
  EXPECT_NE(m.note.find("PV1"), std::string::npos) << m.note;  // the visit is not recorded, and says so
  // Written as the interface, from the peer's address.
  db::AuditFilter f;
  f.patient_id = *m.patient_id;
  f.action = "create";
  auto created = audit_->Search(f);
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(created->size(), 1u);
  EXPECT_EQ(created->front().username, "hl7-inbound");
  EXPECT_EQ(created->front().client_address, "10.9.8.7");
  EXPECT_EQ(AuditCount("link_identifiers", "hl7-inbound"), 1u);
}

TEST_P(Hl7InboundServiceTest, ASecondA01WithTheSameIdentifierUpdatesInsteadOfDuplicating) {
  db::Hl7MessageRow first = Send(Adt("A01", "M1", "PID|1||P100^^^GH^MR||Roe^Rita||19700101|F\r"));
  ASSERT_EQ(first.status, "applied") << first.error_text;
  int64_t count = CountPatients();
  db::Hl7MessageRow second =
      Send(Adt("A01", "M2", "PID|1||P100^^^GH^MR~555-12-3456^^^SSA^SS||Okafor^Rita^Q||19700101|F|||||555-201-3344\r"));
  ASSERT_EQ(second.status, "applied") << second.error_text;
  EXPECT_EQ(second.patient_id, first.patient_id);
  EXPECT_EQ(CountPatients(), count);
  Patient p = Read(*first.patient_id);
  EXPECT_EQ(p.family_name, "Okafor");  // a new family name: matched by the identifier, not by look
  EXPECT_EQ(p.middle_name, "Q");
  EXPECT_EQ(p.phone, "5552013344");
  EXPECT_EQ(IdentifiersOf(*first.patient_id).size(), 2u);  // the SSN is linked too
}

TEST_P(Hl7InboundServiceTest, ANearDuplicateWithoutKnownIdentifierIsMatchedByTheDetector) {
  Patient margaret;
  margaret.given_name = "Margaret";
  margaret.family_name = "Hamilton";
  margaret.birth_date = {1936, 8, 17};
  margaret.sex = "female";
  margaret.phone = "555-301-4455";
  auto registered = patients_->Register(admin_, margaret, true);
  ASSERT_TRUE(registered.ok() && registered->patient) << registered.error().message;
  int64_t count = CountPatients();
  // A typo in the given name, same birth date and phone: a confident match.
  db::Hl7MessageRow m = Send(Adt("A04", "M1", "PID|1||H77^^^GH^MR||HAMILTON^MARGRET||19360817|F|||||555-301-4455\r"));
  ASSERT_EQ(m.status, "applied") << m.error_text;
  EXPECT_EQ(m.patient_id, registered->patient->id);
  EXPECT_EQ(CountPatients(), count);
  EXPECT_NE(m.note.find("duplicate detector"), std::string::npos) << m.note;
  ASSERT_EQ(IdentifiersOf(registered->patient->id).size(), 1u);
  // Someone else with the same family name is a new patient.
  db::Hl7MessageRow other = Send(Adt("A04", "M2", "PID|1||H78^^^GH^MR||Hamilton^Peter||19610203|M\r"));
  ASSERT_EQ(other.status, "applied") << other.error_text;
  EXPECT_NE(other.patient_id, registered->patient->id);
  EXPECT_EQ(CountPatients(), count + 1);
}

TEST_P(Hl7InboundServiceTest, A08UpdatesWhatItFillsAndKeepsTheRest) {
  db::Hl7MessageRow a04 = Send(Adt(
      "A04", "M1", "PID|1||P200^^^GH^MR||Roe^Rita||19700101|F|||1 Elm St^^Springfield^IL^62701^USA||555-201-3344\r"));
  ASSERT_EQ(a04.status, "applied") << a04.error_text;
  db::Hl7MessageRow a08 =
      Send(Adt("A08", "M2", "PID|1||P200^^^GH^MR||Roe-Smith^Rita||||||9 Oak Ave^^Shelbyville^IL^62565\r"));
  ASSERT_EQ(a08.status, "applied") << a08.error_text;
  EXPECT_EQ(a08.patient_id, a04.patient_id);
  Patient p = Read(*a04.patient_id);
  EXPECT_EQ(p.family_name, "Roe-Smith");
  EXPECT_EQ(p.address.line1, "9 Oak Ave");
  EXPECT_EQ(p.address.city, "Shelbyville");
  EXPECT_EQ(p.phone, "5552013344");                // not in the A08: kept
  EXPECT_EQ(p.birth_date, (CivilDate{1970, 1, 1}));  // likewise
  EXPECT_EQ(p.sex, "female");
  EXPECT_EQ(AuditCount("update", "hl7-inbound"), 1u);
}

TEST_P(Hl7InboundServiceTest, A08ForAnUnknownPatientFailsAndIsAppliedWhenReprocessedAfterRegistration) {
  const std::string raw = Adt("A08", "M1", "PID|1||Z9^^^GH^MR||Quincy^Zed||19900505|M|||||555-777-1212\r");
  std::string ack;
  db::Hl7MessageRow failed = Send(raw, &ack);
  EXPECT_EQ(AckCodeOf(ack), "AE") << ack;
  EXPECT_NE(ack.find("ERR|"), std::string::npos) << ack;
  EXPECT_NE(ack.find("PID^1^3"), std::string::npos) << ack;  // ERR-2 names PID-3
  EXPECT_EQ(failed.status, "failed");
  EXPECT_EQ(failed.error_code, "204");
  EXPECT_EQ(failed.error_location, "PID-3");
  EXPECT_NE(failed.error_text.find("Z9"), std::string::npos) << failed.error_text;
  EXPECT_FALSE(failed.patient_id.has_value());

  Patient zed;
  zed.given_name = "Zed";
  zed.family_name = "Quincy";
  zed.birth_date = {1990, 5, 5};
  zed.sex = "male";
  zed.phone = "555-777-1212";
  auto registered = patients_->Register(coord_, zed, false);
  ASSERT_TRUE(registered.ok() && registered->patient) << registered.error().message;
  auto again = hl7_->Reprocess(admin_, failed.id);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->status, "applied") << again->error_text;
  EXPECT_EQ(again->patient_id, registered->patient->id);
  EXPECT_EQ(again->attempts, 2);
  EXPECT_TRUE(again->error_code.empty());
  EXPECT_EQ(IdentifiersOf(registered->patient->id).size(), 1u);
  // An applied message is not reprocessed.
  auto twice = hl7_->Reprocess(admin_, failed.id);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().reason, "not_reprocessable");
  EXPECT_EQ(hl7_->Reprocess(admin_, 999999).error().code, ErrorCode::kNotFound);
}

TEST_P(Hl7InboundServiceTest, MalformedAndUnsupportedMessagesAreStoredAndRefusedWithReasons) {
  struct Case {
    std::string raw;
    std::string ack;
    std::string status;
    std::string location;
    std::string code;
  };
  const Case cases[] = {
      {"this is not HL7", "AR", "rejected", "", "100"},
      {Adt("A01", "B1", "PID|1||P1^^^GH^MR||Roe^Rita||19881332|F\r"), "AE", "failed", "PID-7", "102"},
      {Adt("A01", "B2", "PID|1||P1^^^GH^MR||Roe^Rita|||F\r"), "AE", "failed", "PID-7", "101"},
      {Adt("A01", "B3", "PID|1||P1^^^GH^MR||^Rita||19700101|F\r"), "AE", "failed", "PID-5", "101"},
      {Adt("A01", "B4", "PID|1||P1^^^GH^MR||Roe^Rita||19700101|Q\r"), "AE", "failed", "PID-8", "103"},
      {Adt("A01", "B5", "PID|1||||Roe^Rita||19700101|F\r"), "AE", "failed", "PID-3", "101"},
      {Adt("A01", "B6", "PID|1||P1^^^GH^MR||Roe^Rita||19700101|F\r", "2.2"), "AR", "rejected", "MSH-12", "203"},
      {Adt("A02", "B7", "PID|1||P1^^^GH^MR||Roe^Rita||19700101|F\r"), "AR", "rejected", "MSH-9", "201"},
      {Adt("A40", "B8", "PID|1||P1^^^GH^MR||Roe^Rita\rMRG|P0^^^GH^MR\r"), "AE", "failed", "MRG-1", "204"},
      {ReadFile(Hl7Dir() / "messages" / "SIU-S12-01.hl7"), "AR", "rejected", "MSH-9", "200"},
      {ReadFile(Hl7Dir() / "messages" / "LAB-ORU-1.hl7"), "AR", "rejected", "MSH-9", "200"},
  };
  int64_t count = CountPatients();
  for (const Case& c : cases) {
    std::string ack;
    db::Hl7MessageRow m = Send(c.raw, &ack);
    EXPECT_EQ(AckCodeOf(ack), c.ack) << c.raw << "\n" << ack;
    EXPECT_EQ(m.raw, c.raw);
    EXPECT_EQ(m.status, c.status) << c.raw;
    EXPECT_EQ(m.ack_code, c.ack) << c.raw;
    EXPECT_EQ(m.error_code, c.code) << c.raw << ": " << m.error_text;
    if (!c.location.empty()) {
      EXPECT_EQ(m.error_location.substr(0, c.location.size()), c.location) << c.raw;
    }
    EXPECT_FALSE(m.error_text.empty()) << c.raw;
  }
  EXPECT_EQ(CountPatients(), count);  // nothing half-written
  db::Hl7MessageFilter f;
  f.status = "failed";
  auto failed = hl7_->List(admin_, f);
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->total, 6);
  EXPECT_EQ(failed->items.size(), 6u);
  // What waits for someone is counted whatever the filter: the six failed and five rejected.
  using Counts = std::vector<std::pair<std::string, int64_t>>;
  Counts waiting = failed->needing_attention;
  std::sort(waiting.begin(), waiting.end());
  EXPECT_EQ(waiting, (Counts{{"failed", 6}, {"rejected", 5}}));
  f.status = "applied";
  auto applied = hl7_->List(admin_, f);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->total, 0);
  EXPECT_EQ(applied->needing_attention, failed->needing_attention);
}

TEST_P(Hl7InboundServiceTest, A40MergesTheMrgRecordIntoThePidRecord) {
  db::Hl7MessageRow keep = Send(Adt("A04", "G1", "PID|1||G1^^^GH^MR||Doe^Jane||19700101|F\r"));
  db::Hl7MessageRow dup = Send(Adt("A04", "G2", "PID|1||G2^^^GH^MR||Smith^Anna||19850505|F\r"));
  ASSERT_TRUE(keep.patient_id && dup.patient_id);
  ASSERT_NE(*keep.patient_id, *dup.patient_id);

  std::string ack;
  db::Hl7MessageRow merged = Send(Adt("A40", "G3", "PID|1||G1^^^GH^MR||Doe^Jane\rMRG|G2^^^GH^MR\r"), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA") << ack;
  EXPECT_EQ(merged.status, "applied") << merged.note;
  EXPECT_EQ(merged.patient_id, keep.patient_id);
  EXPECT_NE(merged.note.find("merged into patient " + std::to_string(*keep.patient_id)), std::string::npos)
      << merged.note;
  EXPECT_EQ(Read(*dup.patient_id).merged_into, keep.patient_id);
  EXPECT_EQ(IdentifiersOf(*keep.patient_id).size(), 2u);  // G1 and G2: a later message naming G2 finds Jane
  db::Hl7MessageRow update = Send(Adt("A08", "G4", "PID|1||G2^^^GH^MR||Doe^Jane||19700101|F|||||555-111-2222\r"));
  EXPECT_EQ(update.patient_id, keep.patient_id) << update.note;

  // Sent again under a new control id: nothing left to do.
  db::Hl7MessageRow again = Send(Adt("A40", "G5", "PID|1||G1^^^GH^MR||Doe^Jane\rMRG|G2^^^GH^MR\r"), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA");
  EXPECT_EQ(again.status, "ignored") << again.note;

  // A surviving identifier CareDesk does not know: the MRG-1 record takes it.
  db::Hl7MessageRow renamed = Send(Adt("A40", "G6", "PID|1||NEW9^^^GH^MR||Doe^Jane\rMRG|G1^^^GH^MR\r"), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA");
  EXPECT_EQ(renamed.status, "applied") << renamed.note;
  EXPECT_EQ(IdentifiersOf(*keep.patient_id).size(), 3u);

  // Two patient groups, the second naming no CareDesk patient: refused at MRG-1, nothing written.
  db::Hl7MessageRow third = Send(Adt("A04", "G8", "PID|1||G9^^^GH^MR||Brown^Bea||19900909|F\r"));
  ASSERT_TRUE(third.patient_id);
  // A sender whose MSH-3 is longer than a merge's reason may be: the merge is made all the same.
  db::Hl7MessageRow other = Send(Adt("A04", "G11", "PID|1||G12^^^GH^MR||Gray^Gwen||19600606|F\r"));
  ASSERT_TRUE(other.patient_id);
  std::string long_sender = Adt("A40", "G13", "PID|1||G9^^^GH^MR||Brown^Bea\rMRG|G12^^^GH^MR\r");
  long_sender.replace(long_sender.find("ADT1"), 4, std::string(250, 'X') + [] {
    std::string s;
    for (int i = 0; i < 200; ++i) s += "\xC3\xA9";  // é, two bytes each: the cut falls between characters
    return s;
  }());
  db::Hl7MessageRow long_merge = Send(long_sender, &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA") << ack;
  EXPECT_EQ(long_merge.status, "applied") << long_merge.note << long_merge.error_text;
  EXPECT_EQ(Read(*other.patient_id).merged_into, third.patient_id);

  db::Hl7MessageRow refused = Send(Adt("A40", "G10", "PID|1||G9^^^GH^MR||Brown^Bea\rMRG|G1^^^GH^MR\r"
                                                      "PID|1||G9^^^GH^MR||Brown^Bea\rMRG|UNKNOWN^^^GH^MR\r"),
                                   &ack);
  EXPECT_EQ(AckCodeOf(ack), "AE");
  EXPECT_EQ(refused.status, "failed");
  EXPECT_EQ(refused.error_code, "204");
  EXPECT_EQ(refused.error_location.substr(0, 5), "MRG-1");
  EXPECT_NE(refused.error_text.find("patient group 2"), std::string::npos) << refused.error_text;
  EXPECT_FALSE(Read(*keep.patient_id).merged_into);  // the first group's merge was not kept either
}

TEST_P(Hl7InboundServiceTest, ARetransmissionIsAcknowledgedButAppliedOnce) {
  const std::string raw = Adt("A04", "DUP1", "PID|1||P300^^^GH^MR||Roe^Rita||19700101|F\r");
  std::string ack1, ack2;
  db::Hl7MessageRow first = Send(raw, &ack1);
  int64_t count = CountPatients();
  db::Hl7MessageRow second = Send(raw, &ack2);
  EXPECT_EQ(AckCodeOf(ack1), "AA");
  EXPECT_EQ(AckCodeOf(ack2), "AA");
  EXPECT_NE(ack2.find("MSA|AA|DUP1"), std::string::npos) << ack2;
  EXPECT_EQ(first.status, "applied");
  EXPECT_EQ(second.status, "duplicate");
  EXPECT_EQ(second.patient_id, first.patient_id);
  EXPECT_NE(second.note.find(std::to_string(first.id)), std::string::npos) << second.note;
  EXPECT_EQ(CountPatients(), count);
  EXPECT_EQ(AuditCount("create", "hl7-inbound"), 1u);
  EXPECT_EQ(AuditCount("update", "hl7-inbound"), 0u);
  // The same MSH-10 on a different message is not a retransmission: it is applied, with a note.
  db::Hl7MessageRow reused = Send(Adt("A04", "DUP1", "PID|1||P301^^^GH^MR||Doe^Dan||19650303|M\r"));
  EXPECT_EQ(reused.status, "applied") << reused.error_text;
  EXPECT_NE(reused.note.find("MSH-10"), std::string::npos) << reused.note;
}

TEST_P(Hl7InboundServiceTest, A03CompletesTheOpenEncounterA13ReopensItA11IsIgnored) {
  db::Hl7MessageRow a04 = Send(Adt("A04", "E1", "PID|1||P400^^^GH^MR||Roe^Rita||19700101|F\r"));
  ASSERT_EQ(a04.status, "applied") << a04.error_text;
  int64_t patient = *a04.patient_id;
  // Nothing open yet: the discharge has nothing to do.
  db::Hl7MessageRow early = Send(Adt("A03", "E2", "PID|1||P400^^^GH^MR||Roe^Rita||19700101|F\r"));
  EXPECT_EQ(early.status, "ignored");
  EXPECT_FALSE(early.note.empty());
  auto visit = flow_->WalkIn(coord_, patient, location_.id, std::nullopt);
  ASSERT_TRUE(visit.ok()) << visit.error().message;
  std::string ack;
  db::Hl7MessageRow a03 = Send(Adt("A03", "E3", "PID|1||P400^^^GH^MR||Roe^Rita||19700101|F\r"), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA");
  EXPECT_EQ(a03.status, "applied") << a03.error_text;
  EXPECT_EQ(a03.patient_id, patient);
  auto done = flow_->Get(coord_, visit->row.id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->row.state, "completed");
  EXPECT_EQ(done->transitions.back().by_user, "hl7-inbound");
  db::Hl7MessageRow a13 = Send(Adt("A13", "E4", "PID|1||P400^^^GH^MR||Roe^Rita||19700101|F\r"));
  EXPECT_EQ(a13.status, "applied") << a13.error_text;
  auto reopened = flow_->Get(coord_, visit->row.id);
  EXPECT_EQ(reopened->row.state, "arrived");
  EXPECT_FALSE(reopened->row.ended_at.has_value());
  db::Hl7MessageRow a11 = Send(Adt("A11", "E5", "PID|1||P400^^^GH^MR||Roe^Rita||19700101|F\r"));
  EXPECT_EQ(a11.status, "ignored");
  EXPECT_EQ(a11.patient_id, patient);
  EXPECT_NE(a11.note.find("A11"), std::string::npos);
  // A discharge of someone CareDesk does not know is an error naming PID-3.
  db::Hl7MessageRow unknown = Send(Adt("A03", "E6", "PID|1||NOPE^^^GH^MR||Nobody^Nora||19500101|F\r"));
  EXPECT_EQ(unknown.status, "failed");
  EXPECT_EQ(unknown.error_location, "PID-3");
}

TEST_P(Hl7InboundServiceTest, ABatchHoldingOneMessageIsAcceptedButNotABrokenOrLargerOne) {
  const std::string bhs = "BHS|^~\\&|ADT1|GOOD HEALTH|||20250310120000\r";
  const std::string one = Adt("A04", "BAT1", "PID|1||P500^^^GH^MR||Roe^Rita||19700101|F\r");
  const std::string two = Adt("A04", "BAT2", "PID|1||P501^^^GH^MR||Doe^Dan||19650303|M\r");
  EXPECT_EQ(Send(bhs + one + "BTS|1\r").status, "applied");
  db::Hl7MessageRow unclosed = Send(bhs + two);  // no BTS: perhaps cut short
  EXPECT_EQ(unclosed.status, "failed");
  EXPECT_FALSE(unclosed.error_text.empty());
  db::Hl7MessageRow pair = Send(bhs + one + two + "BTS|2\r");
  EXPECT_NE(pair.status, "applied");
  EXPECT_NE(pair.error_text.find("one message per"), std::string::npos) << pair.error_text;
}

// Messages about one new patient arriving on several connections at once: each is matched against
// the writes of those before it (they share the writer), so the patient is registered once and
// every message is applied, none failing on the identifier another one has just linked.
TEST_P(Hl7InboundServiceTest, ConcurrentMessagesAboutOneNewPatientRegisterItOnceAndAllApply) {
  constexpr int kThreads = 8;
  constexpr int kEach = 4;
  const int64_t before = CountPatients();
  std::vector<std::vector<std::string>> acks(kThreads);
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kEach; ++i) {
        const std::string control = "RACE-" + std::to_string(t) + "-" + std::to_string(i);
        // Every other message also carries a second identifier, linked by whichever comes first.
        const std::string pid3 = i % 2 == 0 ? "R700^^^GH^MR" : "R700^^^GH^MR~999-00-7000^^^SSA^SS";
        acks[static_cast<size_t>(t)].push_back(
            hl7_->Receive(Adt("A01", control, "PID|1||" + pid3 + "||Quill^Rowan||19810203|F\r"),
                          "10.9.8.7:" + std::to_string(4000 + t)));
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& mine : acks) {
    ASSERT_EQ(mine.size(), static_cast<size_t>(kEach));
    for (const auto& ack : mine) EXPECT_EQ(AckCodeOf(ack), "AA") << ack;
  }
  EXPECT_EQ(CountPatients(), before + 1);
  auto conn = pool().Acquire();
  auto rows = conn->Query("SELECT status, patient_id FROM hl7_messages WHERE control_id LIKE 'RACE-%'");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), static_cast<size_t>(kThreads * kEach));
  std::set<int64_t> patients;
  for (size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ(rows->Text(i, 0), "applied");
    patients.insert(rows->Int(i, 1));
  }
  ASSERT_EQ(patients.size(), 1u);
  EXPECT_EQ(IdentifiersOf(*patients.begin()).size(), 2u);
  EXPECT_EQ(AuditCount("create", "hl7-inbound"), 1u);
  EXPECT_EQ(AuditCount("link_identifiers", "hl7-inbound"), 2u);  // the MRN with the registration, the SSN once
}

// What the MLLP listener hands on together from one connection is applied in order, each message
// seeing the ones before it although all were read before any was written: an update of the patient
// the first registers, a second identifier for the same person (matched by the duplicate detector,
// before the search index holds the patient), a discharge through FlowService between them, and
// a message whose demographics are already as stored, which writes nothing but is still audited.
TEST_P(Hl7InboundServiceTest, OneSendersMessagesHandedOnTogetherApplyInOrder) {
  const int64_t before = CountPatients();
  const std::vector<std::string> group = {
      Adt("A01", "G1", "PID|1||G100^^^GH^MR||Roe^Rita||19700101|F\r"),
      Adt("A08", "G2", "PID|1||G100^^^GH^MR||Okafor^Rita||19700101|F\r"),
      Adt("A04", "G3", "PID|1||G200^^^OTHER^MR||Okafor^Rita||19700101|F\r"),
      Adt("A03", "G4", "PID|1||G100^^^GH^MR||Okafor^Rita||19700101|F\r"),
      Adt("A08", "G5", "PID|1||G200^^^OTHER^MR||Okafor^Rita||19700101|F|||||555-201-3344\r"),
      Adt("A08", "G6", "PID|1||G100^^^GH^MR||Okafor^Rita||19700101|F\r"),
  };
  std::vector<std::string> acks = hl7_->ReceiveAll(group, "10.9.8.7:5000");
  ASSERT_EQ(acks.size(), group.size());
  for (size_t i = 0; i < group.size(); ++i) {
    EXPECT_EQ(AckCodeOf(acks[i]), "AA") << acks[i];
    EXPECT_NE(acks[i].find("|G" + std::to_string(i + 1)), std::string::npos) << acks[i];  // in order
  }
  EXPECT_EQ(CountPatients(), before + 1);
  auto conn = pool().Acquire();
  auto rows = conn->Query("SELECT control_id, status, patient_id, note FROM hl7_messages WHERE control_id LIKE 'G%' "
                          "ORDER BY control_id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), group.size());
  const int64_t patient = rows->Int(0, 2);
  for (size_t i = 0; i < rows->size(); ++i) EXPECT_EQ(rows->Int(i, 2), patient) << rows->Text(i, 0);
  EXPECT_EQ(rows->Text(2, 1), "applied");
  EXPECT_NE(rows->Text(2, 3).find("duplicate detector"), std::string::npos) << rows->Text(2, 3);
  EXPECT_EQ(rows->Text(3, 1), "ignored");  // A03: no open encounter
  EXPECT_NE(rows->Text(5, 3).find("already as sent"), std::string::npos) << rows->Text(5, 3);
  Patient p = Read(patient);
  EXPECT_EQ(p.family_name, "Okafor");
  EXPECT_EQ(p.phone, "5552013344");
  EXPECT_EQ(IdentifiersOf(patient).size(), 2u);
  EXPECT_EQ(AuditCount("update", "hl7-inbound"), 2u);  // G2 and G5; G3 and G6 changed nothing
  db::AuditFilter f;
  f.patient_id = patient;
  f.action = "read";
  f.username = "hl7-inbound";
  auto reads = audit_->Search(f);
  ASSERT_TRUE(reads.ok());
  EXPECT_GE(reads->size(), 2u);  // G3 and G6 (and A03's encounter look-up)
}

// Every ADT message of the data set is answered (AA, AE or AR echoing its MSH-10), stored raw, and the
// deliberately broken python-hl7 samples are refused with a reason.
TEST_P(Hl7InboundServiceTest, EveryAdtSampleOfTheDataSetIsAnswered) {
  std::vector<fs::path> files;
  for (const char* folder : {"messages", "python-hl7_samples"}) {
    for (const auto& e : fs::directory_iterator(Hl7Dir() / folder)) {
      if (e.path().extension() == ".hl7") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  int adt = 0, applied = 0;
  for (const fs::path& file : files) {
    const std::string raw = ReadFile(file);
    hl7v2::MessageHeader h = hl7v2::SalvageHeader(raw);
    bool bad = file.filename().string().starts_with("sample_bad");
    if (h.type.code != "ADT" && !bad) continue;
    ++adt;
    std::string ack;
    db::Hl7MessageRow m = Send(raw, &ack);
    std::string code = AckCodeOf(ack);
    EXPECT_TRUE(code == "AA" || code == "AE" || code == "AR") << file << "\n" << ack;
    EXPECT_EQ(m.raw, raw) << file;
    EXPECT_NE(m.status, "received") << file;
    if (!h.control_id.empty()) {
      EXPECT_NE(ack.find("MSA|" + code + "|" + h.control_id), std::string::npos) << ack;
    }
    if (bad) {
      EXPECT_NE(code, "AA") << file << " was accepted";
      EXPECT_FALSE(m.error_text.empty()) << file;
    }
    if (m.status == "applied") ++applied;
  }
  EXPECT_GE(adt, 60) << "the HL7 v2 data set looks incomplete";
  EXPECT_GE(applied, 10);
}

CAREDESK_INSTANTIATE_BACKENDS(Hl7InboundServiceTest);

}  // namespace
}  // namespace caredesk
