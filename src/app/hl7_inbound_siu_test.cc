// Inbound SIU (app/hl7_inbound_siu.cc) on both databases, against ClinicTest's clinic: Dr. Ada Park at
// Main Street Clinic (New York), weekdays 09:00–17:00, a 30-minute "Follow-up"; the clock stands at
// Monday 2025-03-10 10:00 EDT.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/hl7_inbound_service.h"
#include "app/scheduling_fixture.h"
#include "storage/hl7_appointment_id_repository.h"
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

struct SiuSpec {
  std::string trigger = "S12";
  std::string control_id = "S1";
  std::string filler = "F100";                      // SCH-2.1 of SCHED
  std::string start = "20250311100000-0400";        // SCH-11.4: Tuesday 10:00 EDT
  std::string patient = "P100";                     // PID-3 of GH
  std::string family = "Roe";
  std::string given = "Rita";
  std::string provider = "77^Park^Ada";             // AIP-3
  std::string location = "^^^Main Street Clinic";   // AIL-3
  std::string service = "FU^Follow-up";             // AIS-3
  std::string note;                                 // NTE after SCH
  std::string event_reason;                         // SCH-6
  std::string type = "Follow-up";                   // SCH-8
};

// An SIU v2.5.1 message from GOOD HEALTH's SCHED.
std::string Siu(const SiuSpec& s) {
  std::string out = "MSH|^~\\&|SCHED|GOOD HEALTH|CAREDESK|CLINIC|20250310120000||SIU^" + s.trigger + "|" +
                    s.control_id + "|P|2.5.1\r";
  out += "SCH|P" + s.filler + "^ORDERS|" + s.filler + "^SCHED||||" + s.event_reason + "|Routine|" + s.type + "|30|min|^^M30^" +
         s.start + "||||||||||||||Booked\r";
  if (!s.note.empty()) out += "NTE|1||" + s.note + "\r";
  out += "PID|1||" + s.patient + "^^^GH^MR||" + s.family + "^" + s.given + "||19700101|F\r";
  out += "RGS|1\rAIS|1||" + s.service + "\r";
  if (!s.location.empty()) out += "AIL|1||" + s.location + "\r";
  if (!s.provider.empty()) out += "AIP|1||" + s.provider + "\r";
  return out;
}

std::string AckCodeOf(const std::string& ack) {
  auto parsed = hl7v2::ParseMessage(ack);
  EXPECT_TRUE(parsed.ok()) << ack;
  return parsed.ok() ? parsed->Get("MSA", 1) : std::string();
}

class Hl7InboundSiuTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    patients_ = std::make_unique<PatientService>(pool(), clock_, *audit_, std::chrono::milliseconds(0));
    ASSERT_TRUE(patients_->LoadIndex().ok());
    hl7_ = std::make_unique<Hl7InboundService>(pool(), clock_, *audit_, *patients_, *flow_);
    hl7_->UseScheduling(*appointments_, *schedule_);
  }

  db::Hl7MessageRow Send(const std::string& raw, std::string* ack = nullptr) {
    auto submitted = hl7_->Submit(raw, "10.9.8.7");
    EXPECT_TRUE(submitted.id.has_value()) << submitted.ack;
    if (ack != nullptr) *ack = submitted.ack;
    auto row = hl7_->Get(admin_, submitted.id.value_or(0));
    EXPECT_TRUE(row.ok()) << row.error().message;
    return row.ok() ? *row : db::Hl7MessageRow{};
  }

  std::optional<int64_t> Mapped(const std::string& filler) {
    auto conn = pool().Acquire();
    auto found = db::Hl7AppointmentIdRepository::Find(*conn, "SCHED", db::kFillerId, filler);
    EXPECT_TRUE(found.ok());
    return found.ok() ? *found : std::nullopt;
  }

  db::AppointmentRow Appointment(int64_t id) {
    auto v = appointments_->Get(admin_, id);
    EXPECT_TRUE(v.ok()) << v.error().message;
    return v.ok() ? v->row : db::AppointmentRow{};
  }

  int64_t Count(const char* table) {
    auto conn = pool().Acquire();
    return conn->Query(std::string("SELECT COUNT(*) FROM ") + table)->Int(0, 0);
  }

  // Books F100 for P100 at Tuesday 10:00 EDT and returns the appointment.
  db::AppointmentRow Booked(SiuSpec s = {}) {
    std::string ack;
    db::Hl7MessageRow m = Send(Siu(s), &ack);
    EXPECT_EQ(AckCodeOf(ack), "AA") << ack << "\n" << m.note;
    auto id = Mapped(s.filler);
    EXPECT_TRUE(id.has_value());
    return id ? Appointment(*id) : db::AppointmentRow{};
  }

  std::unique_ptr<PatientService> patients_;
  std::unique_ptr<Hl7InboundService> hl7_;
};

TEST_P(Hl7InboundSiuTest, S12BooksWithTheProviderAndRegistersTheUnknownPatient) {
  int64_t patients = Count("patients");
  std::string ack;
  SiuSpec s;
  s.note = "Bring the glucose diary";
  db::Hl7MessageRow m = Send(Siu(s), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA") << ack;
  EXPECT_NE(ack.find("MSA|AA|S1"), std::string::npos) << ack;
  EXPECT_EQ(m.status, "applied") << m.error_text;
  EXPECT_NE(m.note.find("booked"), std::string::npos) << m.note;
  auto id = Mapped("F100");
  ASSERT_TRUE(id.has_value());
  db::AppointmentRow a = Appointment(*id);
  EXPECT_EQ(a.start_at, ToMillis(At("2025-03-11T14:00:00Z")));
  EXPECT_EQ(a.end_at - a.start_at, 30 * 60'000);
  EXPECT_EQ(a.provider_id, provider_.id);
  EXPECT_EQ(a.location_id, location_.id);
  EXPECT_EQ(a.appointment_type_id, visit_.id);
  EXPECT_EQ(a.status, "booked");
  EXPECT_EQ(a.notes, "Bring the glucose diary");
  EXPECT_EQ(Count("patients"), patients + 1);
  ASSERT_TRUE(m.patient_id.has_value());
  EXPECT_EQ(a.patient_id, *m.patient_id);
  {
    auto conn = pool().Acquire();
    auto ids = db::PatientIdentifierRepository::ForPatient(*conn, a.patient_id);
    ASSERT_TRUE(ids.ok());
    ASSERT_EQ(ids->size(), 1u);
    EXPECT_EQ((*ids)[0].value, "P100");
    auto placer = db::Hl7AppointmentIdRepository::Find(*conn, "ORDERS", db::kPlacerId, "PF100");
    ASSERT_TRUE(placer.ok());
    EXPECT_EQ(*placer, a.id);
    // The booking is the interface's, in the history and the audit trail.
    auto by = conn->Query("SELECT by_user FROM appointment_history WHERE appointment_id = $1", {a.id});
    ASSERT_TRUE(by.ok());
    ASSERT_EQ(by->size(), 1u);
    EXPECT_EQ(by->Text(0, 0), kHl7InboundUser);
  }
  // A second booking for the same patient on another slot matches the patient by identifier.
  SiuSpec t;
  t.control_id = "S2";
  t.filler = "F101";
  t.start = "20250311110000-0400";
  db::AppointmentRow b = Booked(t);
  EXPECT_EQ(b.patient_id, a.patient_id);
  EXPECT_EQ(Count("patients"), patients + 1);
}

TEST_P(Hl7InboundSiuTest, TheSameSlotFromAnotherIdIsSlotTaken) {
  db::AppointmentRow a = Booked();
  SiuSpec s;
  s.control_id = "S2";
  s.filler = "F200";
  std::string ack;
  db::Hl7MessageRow m = Send(Siu(s), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AE") << ack;
  EXPECT_EQ(m.status, "failed");
  EXPECT_EQ(m.error_location, "SCH-11");
  EXPECT_NE(m.error_text.find("slot_taken"), std::string::npos) << m.error_text;
  EXPECT_FALSE(Mapped("F200").has_value());
  EXPECT_EQ(Count("appointments"), 1);
  EXPECT_EQ(Appointment(a.id).status, "booked");
  // The same id again (another text) is refused too: it names an appointment already.
  SiuSpec again;
  again.control_id = "S3";
  again.start = "20250311120000-0400";
  m = Send(Siu(again), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AE");
  EXPECT_EQ(m.error_location, "SCH-2");
  EXPECT_EQ(m.error_code, "205");
  // Outside the provider's hours: not a slot.
  SiuSpec late;
  late.control_id = "S4";
  late.filler = "F300";
  late.start = "20250311200000-0400";
  m = Send(Siu(late), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AE");
  EXPECT_EQ(m.error_location, "SCH-11");
  EXPECT_NE(m.error_text.find("not_a_slot"), std::string::npos) << m.error_text;
  EXPECT_EQ(Count("appointments"), 1);
}

TEST_P(Hl7InboundSiuTest, S13ReschedulesAndS14ReplacesTheNotes) {
  db::AppointmentRow a = Booked();
  SiuSpec s;
  s.trigger = "S13";
  s.control_id = "S2";
  s.start = "20250312150000-0400";
  std::string ack;
  db::Hl7MessageRow m = Send(Siu(s), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA") << ack << m.error_text;
  EXPECT_EQ(m.status, "applied") << m.note;
  db::AppointmentRow moved = Appointment(a.id);
  EXPECT_EQ(moved.start_at, ToMillis(At("2025-03-12T19:00:00Z")));
  EXPECT_EQ(moved.status, "booked");
  SiuSpec n = s;
  n.trigger = "S14";
  n.control_id = "S3";
  n.note = "Wheelchair access needed";
  m = Send(Siu(n), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA");
  EXPECT_EQ(m.status, "applied") << m.note;
  EXPECT_EQ(Appointment(a.id).notes, "Wheelchair access needed");
  EXPECT_EQ(Appointment(a.id).start_at, moved.start_at);
  // Nothing new: understood, nothing changed.
  n.control_id = "S4";
  m = Send(Siu(n), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA");
  EXPECT_EQ(m.status, "ignored") << m.note;
}

TEST_P(Hl7InboundSiuTest, S15CancelsS17DeletesS26MarksNoShow) {
  db::AppointmentRow a = Booked();
  SiuSpec t;
  t.control_id = "S2";
  t.filler = "F101";
  t.start = "20250311110000-0400";
  db::AppointmentRow b = Booked(t);
  SiuSpec u;
  u.control_id = "S3";
  u.filler = "F102";
  u.start = "20250311113000-0400";
  db::AppointmentRow c = Booked(u);

  SiuSpec cancel;
  cancel.trigger = "S15";
  cancel.control_id = "S4";
  cancel.event_reason = "PATREQ^Patient request";
  std::string ack;
  db::Hl7MessageRow m = Send(Siu(cancel), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA") << ack;
  db::AppointmentRow cancelled = Appointment(a.id);
  EXPECT_EQ(cancelled.status, "cancelled");
  EXPECT_NE(cancelled.cancel_reason.find("Patient request"), std::string::npos) << cancelled.cancel_reason;
  // Cancelling it again changes nothing.
  cancel.control_id = "S5";
  m = Send(Siu(cancel), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA");
  EXPECT_EQ(m.status, "ignored");

  SiuSpec del = t;
  del.trigger = "S17";
  del.control_id = "S6";
  m = Send(Siu(del), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA") << ack;
  EXPECT_EQ(Appointment(b.id).status, "cancelled");
  EXPECT_NE(Appointment(b.id).cancel_reason.find("deleted by sender"), std::string::npos);

  // A no-show before the appointment began is refused; after, applied.
  SiuSpec noshow = u;
  noshow.trigger = "S26";
  noshow.control_id = "S7";
  m = Send(Siu(noshow), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AE") << ack;
  EXPECT_EQ(Appointment(c.id).status, "booked");
  clock_.Set(At("2025-03-11T16:00:00Z"));
  noshow.control_id = "S8";
  m = Send(Siu(noshow), &ack);
  EXPECT_EQ(AckCodeOf(ack), "AA") << ack << m.error_text;
  EXPECT_EQ(Appointment(c.id).status, "no_show");
}

TEST_P(Hl7InboundSiuTest, UnknownAppointmentProviderLocationAndTypeNameTheirField) {
  struct Case {
    SiuSpec spec;
    std::string location;
    std::string code;
  };
  std::vector<Case> cases;
  {
    Case c;
    c.spec.trigger = "S15";
    c.spec.filler = "NOPE";
    c.location = "SCH-2";
    c.code = "204";
    cases.push_back(c);
  }
  {
    Case c;
    c.spec.provider = "88^Nobody^Who";
    c.location = "AIP-3";
    c.code = "204";
    cases.push_back(c);
  }
  {
    Case c;
    c.spec.provider = "";
    c.location = "AIP-3";
    c.code = "101";
    cases.push_back(c);
  }
  {
    Case c;
    c.spec.location = "^^^Elsewhere Hospital";
    c.location = "AIL-3";
    c.code = "204";
    cases.push_back(c);
  }
  {
    Case c;
    c.spec.service = "XR^Chest X-ray";
    c.spec.type = "CONSULT";
    c.location = "AIS-3";
    c.code = "204";
    cases.push_back(c);
  }
  {
    Case c;
    c.spec.start = "2025031110";
    c.location = "SCH-11";
    c.code = "102";
    cases.push_back(c);
  }
  int64_t patients = Count("patients");
  int n = 0;
  for (Case& c : cases) {
    c.spec.control_id = "E" + std::to_string(++n);
    std::string ack;
    db::Hl7MessageRow m = Send(Siu(c.spec), &ack);
    EXPECT_EQ(AckCodeOf(ack), "AE") << Siu(c.spec) << "\n" << ack;
    EXPECT_EQ(m.status, "failed");
    EXPECT_EQ(m.error_location, c.location) << m.error_text;
    EXPECT_EQ(m.error_code, c.code) << m.error_text;
    EXPECT_NE(ack.find(c.location), std::string::npos) << ack;
  }
  EXPECT_EQ(Count("appointments"), 0);
  EXPECT_EQ(Count("patients"), patients);  // nothing half-written: no patient registered for a refused booking
}

TEST_P(Hl7InboundSiuTest, ProvidersAreMatchedByNameWhateverTheOrderAndTitles) {
  SiuSpec s;
  s.provider = "^PARK^ADA^^^Dr";
  db::AppointmentRow a = Booked(s);
  EXPECT_EQ(a.provider_id, provider_.id);
}

TEST_P(Hl7InboundSiuTest, EverySiuSampleOfTheDataSetIsAnswered) {
  int sent = 0;
  for (const auto& entry : fs::directory_iterator(Hl7Dir() / "messages")) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with("SIU")) continue;
    std::string ack;
    db::Hl7MessageRow m = Send(ReadFile(entry.path()), &ack);
    std::string code = AckCodeOf(ack);
    EXPECT_TRUE(code == "AA" || code == "AE" || code == "AR") << name << "\n" << ack;
    EXPECT_NE(m.status, "received") << name << ": " << m.error_text;
    if (code != "AA") {
      EXPECT_FALSE(m.error_text.empty()) << name;
    }
    ++sent;
  }
  EXPECT_GE(sent, 16);
  EXPECT_EQ(Count("appointments"), 0);  // the samples name providers CareDesk does not have
}

TEST_P(Hl7InboundSiuTest, WithoutSchedulingSiuIsRejected) {
  Hl7InboundService bare(pool(), clock_, *audit_, *patients_, *flow_);
  auto submitted = bare.Submit(Siu(SiuSpec{}), "10.9.8.7");
  EXPECT_EQ(AckCodeOf(submitted.ack), "AR");
}

CAREDESK_INSTANTIATE_BACKENDS(Hl7InboundSiuTest);

}  // namespace
}  // namespace caredesk
