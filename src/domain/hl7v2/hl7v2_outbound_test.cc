#include "domain/hl7v2/hl7v2_outbound.h"

#include <gtest/gtest.h>

#include <chrono>

#include "domain/hl7v2/hl7v2_writing.h"

namespace caredesk::hl7v2 {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// 2026-11-23 14:30:00 UTC: 09:30 in New York (EST, -05:00).
const TimePoint kStart{std::chrono::milliseconds(1795444200000)};

OutboundEnvelope Envelope() {
  OutboundEnvelope e;
  e.application = {"CareDesk", "", ""};
  e.facility = {"RIVERSIDE", "", ""};
  e.receiving_application = {"EHR", "", ""};
  e.receiving_facility = {"HOSP", "", ""};
  e.control_id = "CD000042";
  e.created_at = kStart - hours(24);
  return e;
}

OutboundPatient Patient() {
  OutboundPatient p;
  p.mrn = "MRN00000042";
  p.other_identifiers = {{"GH", "P-77", "MR"}, {"SSA", "123-45-6789", "SS"}};
  p.family_name = "O'Brien^Smith";  // a delimiter inside a value
  p.given_name = "Maria";
  p.middle_name = "José";
  p.birth_date = CivilDate{1980, 5, 17};
  p.sex = "female";
  p.phone = "(617) 555-0142";
  p.email = "maria@example.org";
  p.address_line1 = "12 Elm St";
  p.city = "Boston";
  p.state = "MA";
  p.postal_code = "02110";
  p.country = "US";
  p.preferred_language = "es";
  return p;
}

OutboundAppointment Appointment() {
  OutboundAppointment a;
  a.id = 9001;
  a.status = "booked";
  a.start = kStart;
  a.end = kStart + minutes(20);
  a.time_zone = "America/New_York";
  a.type = {7, "Follow-up"};
  a.modality = "in_person";
  a.notes = "Bring the \\ lab results | and the ~ list & forms";
  a.provider = {12, "Dr. Maria Lopez"};
  a.location = {3, "Riverside Clinic"};
  a.room = "Exam 2";
  return a;
}

Message Parse(const std::string& text) {
  Result<Message> m = ParseMessage(text);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message) << "\n" << text;
  return m.ok() ? std::move(m).value() : *ParseMessage("MSH|^~\\&|||||||ACK|none|P|2.5");
}

TEST(OutboundSiu, NewBookingCarriesTheAppointmentPatientAndResources) {
  const std::string text = WriteSiu(SiuEvent::kS12, Envelope(), Patient(), Appointment());
  const Message m = Parse(text);
  EXPECT_EQ(m.Get("MSH", 9, 0, 1), "SIU");
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "S12");
  EXPECT_EQ(m.Get("MSH", 9, 0, 3), "SIU_S12");
  EXPECT_EQ(m.Get("MSH", 10), "CD000042");
  EXPECT_EQ(m.Get("MSH", 12), "2.5.1");
  EXPECT_EQ(m.Get("MSH", 7), "20261122143000+0000");
  EXPECT_EQ(m.Get("MSH", 3), "CareDesk");
  EXPECT_EQ(m.Get("MSH", 5), "EHR");
  // The appointment: CareDesk's id under the facility, its type, duration, timing and status.
  EXPECT_EQ(m.Get("SCH", 2, 0, 1), "9001");
  EXPECT_EQ(m.Get("SCH", 2, 0, 2), "RIVERSIDE");
  EXPECT_EQ(m.Get("SCH", 8, 0, 1), "7");
  EXPECT_EQ(m.Get("SCH", 8, 0, 2), "Follow-up");
  EXPECT_EQ(m.Get("SCH", 9), "20");
  EXPECT_EQ(m.Get("SCH", 11, 0, 3), "M20");
  EXPECT_EQ(m.Get("SCH", 11, 0, 4), "20261123093000-0500");  // wall time at the location
  EXPECT_EQ(m.Get("SCH", 11, 0, 5), "20261123095000-0500");
  EXPECT_EQ(m.Get("SCH", 25, 0, 1), "Booked");
  EXPECT_EQ(m.Get("NTE", 3), "Bring the \\ lab results | and the ~ list & forms");
  // The patient: MRN first, then the other identifiers; values with delimiters come back whole.
  ASSERT_EQ(m.RepetitionCount("PID", 3), 3u);
  EXPECT_EQ(m.Get("PID", 3, 0, 1), "MRN00000042");
  EXPECT_EQ(m.Get("PID", 3, 0, 4), "RIVERSIDE");
  EXPECT_EQ(m.Get("PID", 3, 0, 5), "MR");
  EXPECT_EQ(m.Get("PID", 3, 2, 1), "123-45-6789");
  EXPECT_EQ(m.Get("PID", 3, 2, 4), "SSA");
  EXPECT_EQ(m.Get("PID", 3, 2, 5), "SS");
  EXPECT_EQ(m.Get("PID", 5, 0, 1), "O'Brien^Smith");
  EXPECT_EQ(m.Get("PID", 5, 0, 2), "Maria");
  EXPECT_EQ(m.Get("PID", 5, 0, 3), "José");
  EXPECT_EQ(m.Get("PID", 7), "19800517");
  EXPECT_EQ(m.Get("PID", 8), "F");
  EXPECT_EQ(m.Get("PID", 11, 0, 3), "Boston");
  EXPECT_EQ(m.Get("PID", 11, 0, 5), "02110");
  EXPECT_EQ(m.Get("PID", 13, 0, 1), "(617) 555-0142");
  EXPECT_EQ(m.Get("PID", 13, 1, 4), "maria@example.org");
  EXPECT_EQ(m.Get("PID", 15), "es");
  // The resources: the service, where, and who.
  EXPECT_EQ(m.Get("RGS", 2), "A");
  EXPECT_EQ(m.Get("AIS", 3, 0, 2), "Follow-up");
  EXPECT_EQ(m.Get("AIS", 4), "20261123093000-0500");
  EXPECT_EQ(m.Get("AIS", 7), "20");
  EXPECT_EQ(m.Get("AIL", 3, 0, 1), "3");
  EXPECT_EQ(m.Get("AIL", 3, 0, 2), "Exam 2");
  EXPECT_EQ(m.Get("AIL", 3, 0, 9), "Riverside Clinic");
  EXPECT_EQ(m.Get("AIP", 3, 0, 1), "12");
  EXPECT_EQ(m.Get("AIP", 3, 0, 2), "Dr. Maria Lopez");
  EXPECT_EQ(m.Get("AIP", 4, 0, 1), "ATT");
  // Segments end with CR and nothing else.
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_EQ(text.back(), '\r');
}

TEST(OutboundSiu, ChangesSayWhatHappenedAndWhy) {
  OutboundAppointment a = Appointment();
  a.status = "cancelled";
  a.event_reason = "Patient called: feeling better";
  Message m = Parse(WriteSiu(SiuEvent::kS15, Envelope(), Patient(), a));
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "S15");
  EXPECT_EQ(m.Get("SCH", 6, 0, 2), "Patient called: feeling better");
  EXPECT_EQ(m.Get("SCH", 25, 0, 1), "Cancelled");
  EXPECT_EQ(m.Get("RGS", 2), "U");

  a.status = "no_show";
  a.event_reason.clear();
  m = Parse(WriteSiu(SiuEvent::kS26, Envelope(), Patient(), a));
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "S26");
  EXPECT_EQ(m.Get("SCH", 25, 0, 1), "Noshow");

  a.status = "booked";
  a.start = kStart + hours(24 * 120);  // 2027-03-23: daylight time in New York
  a.end = a.start + minutes(30);
  m = Parse(WriteSiu(SiuEvent::kS13, Envelope(), Patient(), a));
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "S13");
  EXPECT_EQ(m.Get("SCH", 11, 0, 4), "20270323103000-0400");
  EXPECT_EQ(m.Get("SCH", 9), "30");

  m = Parse(WriteSiu(SiuEvent::kS17, Envelope(), Patient(), a));
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "S17");
  EXPECT_EQ(m.Get("SCH", 25, 0, 1), "Deleted");
  a.status = "checked_in";
  m = Parse(WriteSiu(SiuEvent::kS14, Envelope(), Patient(), a));
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "S14");
  EXPECT_EQ(m.Get("SCH", 25, 0, 1), "Started");
}

TEST(OutboundAdt, CheckInAndDischargeCarryTheVisit) {
  OutboundVisit v;
  v.encounter_id = 555;
  v.appointment_id = 9001;
  v.time_zone = "America/New_York";
  v.arrived_at = kStart - minutes(10);
  v.location = {3, "Riverside Clinic"};
  v.room = "Exam 2";
  v.provider = {12, "Dr. Maria Lopez"};
  Message m = Parse(WriteAdt(AdtEvent::kA04, Envelope(), Patient(), v));
  EXPECT_EQ(m.Get("MSH", 9, 0, 1), "ADT");
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "A04");
  EXPECT_EQ(m.Get("MSH", 9, 0, 3), "ADT_A01");
  EXPECT_EQ(m.Get("EVN", 1), "A04");
  EXPECT_EQ(m.Get("EVN", 2), "20261122143000+0000");
  EXPECT_EQ(m.Get("PID", 3, 0, 1), "MRN00000042");
  EXPECT_EQ(m.Get("PV1", 2), "O");
  EXPECT_EQ(m.Get("PV1", 3, 0, 1), "3");
  EXPECT_EQ(m.Get("PV1", 3, 0, 9), "Riverside Clinic");
  EXPECT_EQ(m.Get("PV1", 7, 0, 1), "12");
  EXPECT_EQ(m.Get("PV1", 19, 0, 1), "555");
  EXPECT_EQ(m.Get("PV1", 19, 0, 5), "VN");
  EXPECT_EQ(m.Get("PV1", 44), "20261123092000-0500");
  EXPECT_EQ(m.Get("PV1", 45), "");
  EXPECT_EQ(m.Get("PV1", 50, 0, 1), "9001");

  v.discharged_at = kStart + minutes(45);
  m = Parse(WriteAdt(AdtEvent::kA03, Envelope(), Patient(), v));
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "A03");
  EXPECT_EQ(m.Get("MSH", 9, 0, 3), "ADT_A03");
  EXPECT_EQ(m.Get("PV1", 45), "20261123101500-0500");

  m = Parse(WriteAdt(AdtEvent::kA11, Envelope(), Patient(), v));
  EXPECT_EQ(m.Get("MSH", 9, 0, 3), "ADT_A09");
  m = Parse(WriteAdt(AdtEvent::kA13, Envelope(), Patient(), v));
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "A13");
}

// A merge names the record that stays in PID and the merged one in MRG, and reads back as an A40 patient group.
TEST(OutboundAdt, AMergeNamesTheMergedRecordInMrg) {
  OutboundPatient merged = Patient();
  merged.mrn = "MRN00000077";
  merged.given_name = "Jon";
  merged.other_identifiers.clear();
  Message m = Parse(WriteMerge(Envelope(), Patient(), merged));
  EXPECT_EQ(m.Get("MSH", 9, 0, 1), "ADT");
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "A40");
  EXPECT_EQ(m.Get("MSH", 9, 0, 3), "ADT_A39");
  EXPECT_EQ(m.Get("EVN", 1), "A40");
  EXPECT_EQ(m.Get("PID", 3, 0, 1), "MRN00000042");
  EXPECT_EQ(m.Get("MRG", 1, 0, 1), "MRN00000077");
  EXPECT_EQ(m.Get("MRG", 1, 0, 5), "MR");
  EXPECT_EQ(m.Get("MRG", 7, 0, 2), "Jon");
  auto adt = ReadAdt(m);
  ASSERT_TRUE(adt.ok()) << adt.error().message;
  ASSERT_EQ(adt->merges.size(), 1u);
  EXPECT_EQ(adt->merges[0].survivor.identifiers.front().value, "MRN00000042");
  EXPECT_EQ(adt->merges[0].prior_identifiers.front().value, "MRN00000077");
  EXPECT_EQ(adt->merges[0].prior_identifiers.front().system, adt->merges[0].survivor.identifiers.front().system);
}

TEST(OutboundAdt, AnUpdateWithoutAVisitHasAnOutpatientPv1) {
  OutboundPatient p = Patient();
  p.sex = "unknown";
  p.birth_date.reset();
  p.other_identifiers.clear();
  p.email.clear();
  const std::string text = WriteAdt(AdtEvent::kA08, Envelope(), p, std::nullopt);
  Message m = Parse(text);
  EXPECT_EQ(m.Get("MSH", 9, 0, 2), "A08");
  EXPECT_EQ(m.Get("PID", 8), "U");
  EXPECT_EQ(m.Get("PID", 7), "");
  EXPECT_EQ(m.RepetitionCount("PID", 3), 1u);
  EXPECT_EQ(m.RepetitionCount("PID", 13), 1u);
  EXPECT_NE(text.find("\rPV1|1|O\r"), std::string::npos) << text;
}

TEST(Hl7Writing, LocalTimesCarryTheOffsetInForceAcrossDaylightSavingChanges) {
  // 2026-03-08, New York: 01:30 EST is 06:30 UTC; 03:30 EDT is 07:30 UTC.
  const TimePoint before{std::chrono::milliseconds(1772951400000)};
  EXPECT_EQ(writing::DtmIn(before, "America/New_York"), "20260308013000-0500");
  EXPECT_EQ(writing::DtmIn(before + hours(1), "America/New_York"), "20260308033000-0400");
  EXPECT_EQ(writing::DtmIn(before, "Asia/Kolkata"), "20260308120000+0530");
  EXPECT_EQ(writing::DtmIn(before + std::chrono::seconds(7), "UTC"), "20260308063007+0000");
  EXPECT_EQ(writing::DtmUtc(before), "20260308063000+0000");
}

}  // namespace
}  // namespace caredesk::hl7v2
