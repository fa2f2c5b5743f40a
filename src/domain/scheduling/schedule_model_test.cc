#include "domain/scheduling/schedule_model.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

Location GoodLocation() { return {1, "Main clinic", "America/New_York", "1 Main St", "555-0100"}; }

AppointmentType GoodType() { return {1, "Follow-up", 30, "in_person", {7}, "#336699"}; }

AvailabilityTemplate GoodTemplate() {
  return {.id = 1, .provider_id = 7, .location_id = 1, .weekday = 1, .start_minute = 9 * 60, .end_minute = 12 * 60};
}

ScheduleException GoodException() {
  ScheduleException e;
  e.kind = "holiday";
  e.start_date = {2025, 12, 25};
  e.end_date = {2025, 12, 26};
  return e;
}

TEST(ScheduleValidation, AcceptsWellFormedRecords) {
  EXPECT_TRUE(ValidateLocation(GoodLocation()).ok());
  EXPECT_TRUE(ValidateAppointmentType(GoodType()).ok());
  EXPECT_TRUE(ValidateTemplate(GoodTemplate()).ok());
  EXPECT_TRUE(ValidateException(GoodException()).ok());
  EXPECT_TRUE(ValidateProvider({7, "Dr Rao", "GP", {1}}).ok());
  EXPECT_TRUE(ValidateRoom({3, 1, "Room 3"}).ok());
}

TEST(ScheduleValidation, LocationNeedsRealTimeZone) {
  Location l = GoodLocation();
  l.time_zone = "America/Gotham";
  auto s = ValidateLocation(l);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "time_zone");
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  l.time_zone = "Asia/Kolkata";
  EXPECT_TRUE(ValidateLocation(l).ok());
}

TEST(ScheduleValidation, LocationAlertAfterWarning) {
  Location l = GoodLocation();
  l.flow_alert_minutes = l.flow_warn_minutes;
  auto s = ValidateLocation(l);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "flow_alert_minutes");
}

TEST(ScheduleValidation, DurationOnFiveMinuteGridWithinBounds) {
  for (int minutes : {0, 3, 17, 485, -5}) {
    AppointmentType t = GoodType();
    t.duration_minutes = minutes;
    auto s = ValidateAppointmentType(t);
    ASSERT_FALSE(s.ok()) << minutes;
    EXPECT_EQ(s.error().field, "duration_minutes");
  }
  for (int minutes : {5, 15, 45, 480}) {
    AppointmentType t = GoodType();
    t.duration_minutes = minutes;
    EXPECT_TRUE(ValidateAppointmentType(t).ok()) << minutes;
  }
}

TEST(ScheduleValidation, ModalityFromList) {
  AppointmentType t = GoodType();
  t.modality = "telehealth";
  EXPECT_TRUE(ValidateAppointmentType(t).ok());
  t.modality = "carrier_pigeon";
  auto s = ValidateAppointmentType(t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "modality");
}

TEST(ScheduleValidation, TemplateWeekdayAndMinutes) {
  AvailabilityTemplate t = GoodTemplate();
  t.weekday = 7;
  EXPECT_EQ(ValidateTemplate(t).error().field, "weekday");
  t = GoodTemplate();
  t.start_minute = 9 * 60 + 2;
  EXPECT_EQ(ValidateTemplate(t).error().field, "start_minute");
  t = GoodTemplate();
  t.end_minute = 1445;
  EXPECT_EQ(ValidateTemplate(t).error().field, "end_minute");
  t = GoodTemplate();
  t.end_minute = t.start_minute;
  EXPECT_EQ(ValidateTemplate(t).error().field, "end_minute");
  t = GoodTemplate();
  t.start_minute = 0;
  t.end_minute = 1440;
  EXPECT_TRUE(ValidateTemplate(t).ok());
}

TEST(ScheduleValidation, TemplateValidToNotBeforeValidFrom) {
  AvailabilityTemplate t = GoodTemplate();
  t.valid_from = CivilDate{2025, 6, 1};
  t.valid_to = CivilDate{2025, 5, 31};
  auto s = ValidateTemplate(t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "valid_to");
  EXPECT_EQ(s.error().code, ErrorCode::kUnprocessable);
  t.valid_to = CivilDate{2025, 6, 1};
  EXPECT_TRUE(ValidateTemplate(t).ok());
}

TEST(ScheduleValidation, ExceptionDatesKindAndPartialDay) {
  ScheduleException e = GoodException();
  e.end_date = {2025, 12, 24};
  EXPECT_EQ(ValidateException(e).error().field, "end_date");
  e = GoodException();
  e.kind = "vacation";
  EXPECT_EQ(ValidateException(e).error().field, "kind");
  e = GoodException();
  e.start_minute = 600;
  EXPECT_EQ(ValidateException(e).error().field, "end_minute");
  e.end_minute = 600;
  EXPECT_EQ(ValidateException(e).error().field, "end_minute");
  e.end_minute = 1500;
  EXPECT_EQ(ValidateException(e).error().field, "end_minute");
  e.end_minute = 660;
  EXPECT_TRUE(ValidateException(e).ok());
}

TEST(ScheduleValidation, ProviderOverbookBounds) {
  Provider p{7, "Dr Rao", "GP", {1}};
  p.max_overbook = -1;
  EXPECT_EQ(ValidateProvider(p).error().field, "max_overbook");
  p.max_overbook = 2;
  EXPECT_TRUE(ValidateProvider(p).ok());
}

}  // namespace
}  // namespace caredesk
