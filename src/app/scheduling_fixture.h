// A small clinic for service tests: one location in New York with a room, a
// provider working weekdays 09:00–17:00, a 30-minute in-person visit and a
// telehealth visit, and one patient. The clock stands at Monday 2025-03-10
// 10:00 EDT.
#pragma once

#include "app/app_test_fixture.h"
#include "app/appointment_service.h"
#include "app/flow_service.h"
#include "app/schedule_service.h"

namespace caredesk {

class ClinicTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    schedule_ = std::make_unique<ScheduleService>(pool(), clock_, *audit_);
    appointments_ = std::make_unique<AppointmentService>(pool(), clock_, *audit_, *schedule_,
                                                         "https://visit.example.org/{token}");
    flow_ = std::make_unique<FlowService>(pool(), clock_, *audit_, *schedule_, events_);
    auto loc = schedule_->SaveLocation(admin_, Location{0, "Main Street Clinic", "America/New_York"});
    ASSERT_TRUE(loc.ok()) << loc.error().message;
    location_ = *loc;
    auto room = schedule_->SaveRoom(admin_, Room{0, location_.id, "Exam 1"});
    ASSERT_TRUE(room.ok());
    Provider p;
    p.name = "Dr. Ada Park";
    p.specialty = "Family medicine";
    p.location_ids = {location_.id};
    p.max_overbook = 1;
    auto prov = schedule_->SaveProvider(admin_, p);
    ASSERT_TRUE(prov.ok()) << prov.error().message;
    provider_ = *prov;
    for (int wd = 1; wd <= 5; ++wd) {
      AvailabilityTemplate t;
      t.provider_id = provider_.id;
      t.location_id = location_.id;
      t.room_id = room->id;
      t.weekday = wd;
      t.start_minute = 9 * 60;
      t.end_minute = 17 * 60;
      auto added = schedule_->AddTemplate(admin_, t);
      ASSERT_TRUE(added.ok()) << added.error().message;
    }
    AppointmentType visit;
    visit.name = "Follow-up";
    visit.duration_minutes = 30;
    visit.provider_ids = {provider_.id};
    auto type = schedule_->SaveAppointmentType(admin_, visit);
    ASSERT_TRUE(type.ok()) << type.error().message;
    visit_ = *type;
    AppointmentType tele = visit;
    tele.id = 0;
    tele.name = "Video visit";
    tele.modality = "telehealth";
    tele_ = *schedule_->SaveAppointmentType(admin_, tele);
    patient_id_ = InsertPatient("John", "Smith");
  }

  int64_t InsertPatient(const std::string& given, const std::string& family) {
    auto conn = pool().Acquire();
    auto rs = conn->Query(
        "INSERT INTO patients (given_name, family_name, birth_date, sex, created_at, updated_at) "
        "VALUES ($1, $2, '1980-01-02', 'male', 0, 0) RETURNING id",
        {given, family});
    EXPECT_TRUE(rs.ok());
    return rs->Int(0, 0);
  }

  TimePoint At(const char* iso) { return *ParseInstant(iso, "", "t"); }

  BookingRequest Request(const char* iso) {
    BookingRequest r;
    r.patient_id = patient_id_;
    r.appointment_type_id = visit_.id;
    r.provider_id = provider_.id;
    r.location_id = location_.id;
    r.start = At(iso);
    return r;
  }

  Actor admin_{1, "admin", Role::kAdmin, "127.0.0.1", 1};
  Actor coord_{2, "coord", Role::kCoordinator, "127.0.0.1", 2};
  FlowEvents events_;
  std::unique_ptr<ScheduleService> schedule_;
  std::unique_ptr<AppointmentService> appointments_;
  std::unique_ptr<FlowService> flow_;
  Location location_;
  Provider provider_;
  AppointmentType visit_, tele_;
  int64_t patient_id_ = 0;
};

}  // namespace caredesk
