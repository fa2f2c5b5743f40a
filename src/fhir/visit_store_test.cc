// Practitioners and Encounters written through FHIR (VisitStore) on both databases: the record CareDesk makes
// of each, what it keeps as sent, versions and If-Match, and what it refuses, naming the element, without
// writing anything.
#include "fhir/visit_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <thread>

#include "app/scheduling_fixture.h"
#include "fhir/kept_as_sent.h"
#include "fhir/resource_store.h"
#include "fhir/schedule_resources.h"
#include "storage/encounter_repository.h"
#include "storage/schedule_repository.h"

namespace caredesk::fhir {
namespace {
namespace json = boost::json;

class VisitStoreTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    visits_ = std::make_unique<VisitStore>(*schedule_, *audit_, pool(), clock_);
    resources_ = std::make_unique<ResourceStore>(pool(), *audit_, clock_);
  }

  json::value Parse(const std::string& text) { return json::parse(text); }

  std::string Finished(int64_t patient, const std::string& more) {
    return R"({"resourceType":"Encounter","status":"finished","subject":{"reference":"Patient/)" +
           std::to_string(patient) + R"("},"period":{"start":"2025-03-03T14:00:00Z","end":"2025-03-03T14:40:00Z"})" +
           more + "}";
  }

  int64_t Count(const std::string& table) {
    auto conn = pool().Acquire();
    auto rs = conn->Query("SELECT COUNT(*) FROM " + table);
    return rs.ok() ? rs->Int(0, 0) : -1;
  }

  std::unique_ptr<VisitStore> visits_;
  std::unique_ptr<ResourceStore> resources_;
};

TEST_P(VisitStoreTest, APractitionerBecomesAProviderAndItsUpdateKeepsWhereTheProviderWorks) {
  const json::value sent = Parse(
      R"({"resourceType":"Practitioner","id":"theirs","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1234"}],)"
      R"("name":[{"use":"usual","text":"Bo"},{"use":"official","family":"Quist","given":["Maren"],"prefix":["Dr."]}],)"
      R"("gender":"female","_gender":{"extension":[{"url":"urn:x","valueString":"y"}]}})");
  auto created = visits_->WritePractitioner(admin_, 0, sent, std::nullopt);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->version, 1);
  auto provider = schedule_->GetProvider(created->id);
  ASSERT_TRUE(provider.ok()) << "the schedule sees the new provider at once";
  EXPECT_EQ(provider->name, "Dr. Maren Quist") << "the official name";
  EXPECT_TRUE(provider->active);
  // Served with everything as sent, its id and version CareDesk's.
  const json::object& r = created->resource;
  EXPECT_EQ(r.at("id").as_string(), std::to_string(created->id));
  EXPECT_EQ(r.at("meta").at("versionId").as_string(), "1");
  EXPECT_EQ(r.at("name"), sent.at("name"));
  EXPECT_EQ(r.at("identifier"), sent.at("identifier"));
  EXPECT_EQ(r.at("_gender"), sent.at("_gender"));

  // CareDesk's own set-up: where the provider works and its specialty.
  Provider p = *provider;
  p.location_ids = {location_.id};
  p.specialty = "Cardiology";
  auto placed = schedule_->SaveProvider(admin_, p);
  ASSERT_TRUE(placed.ok());
  EXPECT_EQ(placed->version, 2);

  // An update naming the version read before: refused, nothing changed.
  const json::value renamed = Parse(R"({"resourceType":"Practitioner","id":")" + std::to_string(created->id) +
                                    R"(","active":false,"name":[{"family":"Quist-Holm","given":["Maren"]}]})");
  auto stale = visits_->WritePractitioner(admin_, created->id, renamed, 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().reason, "stale_version");
  EXPECT_EQ(schedule_->GetProvider(created->id)->name, "Dr. Maren Quist");

  auto updated = visits_->WritePractitioner(admin_, created->id, renamed, 2);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_FALSE(updated->created);
  EXPECT_EQ(updated->version, 3);
  auto now = schedule_->GetProvider(created->id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->name, "Maren Quist-Holm");
  EXPECT_FALSE(now->active);
  EXPECT_EQ(now->location_ids, std::vector<int64_t>{location_.id}) << "where the provider works stays CareDesk's";
  EXPECT_EQ(now->specialty, "Cardiology");
  EXPECT_FALSE(updated->resource.contains("identifier")) << "an update replaces what was sent";
  EXPECT_EQ(updated->resource.at("active"), json::value(false));

  // Served after a change made in CareDesk: CareDesk's name, what it does not model still as sent.
  Provider again = *now;
  again.name = "Dr. M. Quist-Holm";
  ASSERT_TRUE(schedule_->SaveProvider(admin_, again).ok());
  std::vector<json::object> one{PractitionerResource(*schedule_->GetProvider(created->id))};
  ASSERT_TRUE(resources_->ServeAsSent("Practitioner", PractitionerModelled(), one).ok());
  EXPECT_EQ(one[0].at("meta").at("versionId").as_string(), "4");
  EXPECT_EQ(one[0].at("name").at(0).at("text").as_string(), "Dr. M. Quist-Holm");
}

TEST_P(VisitStoreTest, APractitionerCareDeskCannotTakeIsRefusedNamingTheElement) {
  const int64_t before = Count("providers");
  auto nameless = visits_->WritePractitioner(admin_, 0, Parse(R"({"resourceType":"Practitioner","gender":"male"})"),
                                             std::nullopt);
  ASSERT_FALSE(nameless.ok());
  EXPECT_EQ(nameless.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(nameless.error().field, "Practitioner.name");
  auto wrong = visits_->WritePractitioner(admin_, 0, Parse(R"({"resourceType":"Patient","name":[{"text":"X"}]})"),
                                          std::nullopt);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "resourceType");
  auto other_id = visits_->WritePractitioner(
      admin_, provider_.id, Parse(R"({"resourceType":"Practitioner","id":"999","name":[{"text":"X"}]})"), std::nullopt);
  ASSERT_FALSE(other_id.ok());
  EXPECT_EQ(other_id.error().field, "id");
  auto unknown = visits_->WritePractitioner(
      admin_, 987654, Parse(R"({"resourceType":"Practitioner","id":"987654","name":[{"text":"X"}]})"), std::nullopt);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Count("providers"), before);
}

TEST_P(VisitStoreTest, AFinishedEncounterBecomesAVisitAtTheLocationItNamesWithWhatItSentKept) {
  const std::string kept =
      R"(,"class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"EMER"},)"
      R"("reasonCode":[{"text":"cough"}],"participant":[{"individual":{"reference":"Practitioner/)" +
      std::to_string(provider_.id) + R"("}}],"location":[{"location":{"reference":"Location/)" +
      std::to_string(location_.id) + R"("}}])";
  auto created = visits_->WriteEncounter(coord_, 0, Parse(Finished(patient_id_, kept)), std::nullopt);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->patient_id, patient_id_);
  EXPECT_FALSE(created->made_location);
  {
    auto conn = pool().Acquire();
    auto row = db::EncounterRepository::Find(*conn, created->id);
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ((*row)->state, "completed");
    EXPECT_EQ((*row)->location_id, location_.id);
    EXPECT_EQ((*row)->provider_id, provider_.id);
    EXPECT_EQ((*row)->arrived_at, 1741010400000);
    EXPECT_EQ((*row)->ended_at, 1741012800000);
  }
  const json::object& r = created->resource;
  EXPECT_EQ(r.at("class").at("code").as_string(), "EMER") << "as sent";
  EXPECT_EQ(r.at("reasonCode").at(0).at("text").as_string(), "cough");
  EXPECT_EQ(r.at("period").at("end").as_string(), "2025-03-03T14:40:00Z");
  EXPECT_EQ(r.at("meta").at("versionId").as_string(), "1");
  const auto audit = AuditOf(patient_id_);
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const AuditRecord& a) {
    return a.action == "create" && a.category == audit_category::kEncounter;
  })) << "written as the patient's encounter data";

  // Replaced: a cancelled visit now, its next version; a stale If-Match changes nothing.
  const std::string id = std::to_string(created->id);
  const json::value cancelled = Parse(R"({"resourceType":"Encounter","id":")" + id +
                                      R"(","status":"cancelled","subject":{"reference":"Patient/)" +
                                      std::to_string(patient_id_) +
                                      R"("},"period":{"start":"2025-03-04T09:00:00Z"},"location":[{"location":{"reference":"Location/)" +
                                      std::to_string(location_.id) + R"("}}]})");
  auto stale = visits_->WriteEncounter(coord_, created->id, cancelled, 7);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().reason, "stale_version");
  auto replaced = visits_->WriteEncounter(coord_, created->id, cancelled, 1);
  ASSERT_TRUE(replaced.ok()) << replaced.error().message;
  EXPECT_EQ(replaced->version, 2);
  EXPECT_EQ(replaced->resource.at("status").as_string(), "cancelled");
  EXPECT_FALSE(replaced->resource.contains("reasonCode")) << "the update replaced what was sent";
  EXPECT_FALSE(replaced->resource.contains("participant"));
  auto conn = pool().Acquire();
  auto row = db::EncounterRepository::Find(*conn, created->id);
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*row)->state, "left_without_being_seen");
  EXPECT_FALSE((*row)->provider_id.has_value());
  EXPECT_EQ((*row)->arrived_at, (*row)->ended_at);
}

TEST_P(VisitStoreTest, AnEncounterAtAnOrganizationIsPlacedAtOneLocationMadeForItOnce) {
  auto org = resources_->Update(admin_, "Organization", "hill",
                                Parse(R"({"resourceType":"Organization","id":"hill","name":"Hill Clinic",)"
                                      R"("telecom":[{"system":"phone","value":"555-0100"}]})"),
                                std::nullopt);
  ASSERT_TRUE(org.ok()) << org.error().message;
  const int64_t locations = Count("locations");
  const std::string at_hill = R"(,"serviceProvider":{"reference":"Organization/hill"})";
  auto first = visits_->WriteEncounter(coord_, 0, Parse(Finished(patient_id_, at_hill)), std::nullopt);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->made_location);
  auto second = visits_->WriteEncounter(coord_, 0, Parse(Finished(patient_id_, at_hill)), std::nullopt);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_FALSE(second->made_location);
  EXPECT_EQ(Count("locations"), locations + 1);
  auto all = schedule_->Locations();
  ASSERT_TRUE(all.ok());
  const auto hill = std::find_if(all->begin(), all->end(), [](const Location& l) { return l.name == "Hill Clinic"; });
  ASSERT_NE(hill, all->end()) << "the schedule sees the made location at once";
  EXPECT_EQ(hill->phone, "555-0100");
  EXPECT_EQ(hill->time_zone, "America/New_York") << "the clinic's own zone";
  EXPECT_EQ(first->resource.at("location").at(0).at("location").at("reference").as_string(),
            "Location/" + std::to_string(hill->id))
      << "where CareDesk placed it, though the writer sent no location";
}

// On PostgreSQL two writers could both find no location for a new organization and make one each; the name is
// held for the transaction, so the second finds the first's.
TEST_P(VisitStoreTest, VisitsAtANewOrganizationWrittenAtOnceMakeOneLocation) {
  auto org = resources_->Update(admin_, "Organization", "twin",
                                Parse(R"({"resourceType":"Organization","id":"twin","name":"Twin Clinic"})"),
                                std::nullopt);
  ASSERT_TRUE(org.ok()) << org.error().message;
  const int64_t locations = Count("locations");
  const json::value body = Parse(Finished(patient_id_, R"(,"serviceProvider":{"reference":"Organization/twin"})"));
  std::atomic<int> written{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&] {
      while (!go) std::this_thread::yield();
      for (int k = 0; k < 3; ++k) {
        if (visits_->WriteEncounter(coord_, 0, body, std::nullopt).ok()) ++written;
      }
    });
  }
  go = true;
  for (auto& t : writers) t.join();
  EXPECT_EQ(written, 12);
  EXPECT_EQ(Count("locations"), locations + 1) << "one location for the organization";
  EXPECT_EQ(Count("encounters"), 12);
}

TEST_P(VisitStoreTest, AnEncounterCareDeskCannotTakeIsRefusedNamingTheElementWithNothingWritten) {
  const int64_t encounters = Count("encounters"), locations = Count("locations"), sources = Count("fhir_sources");
  const std::string here =
      R"(,"location":[{"location":{"reference":"Location/)" + std::to_string(location_.id) + R"("}}])";
  const auto refused = [&](const std::string& body, const std::string& field) {
    auto w = visits_->WriteEncounter(coord_, 0, Parse(body), std::nullopt);
    EXPECT_FALSE(w.ok()) << body;
    if (!w.ok()) {
      EXPECT_EQ(w.error().field, field) << w.error().message;
    }
    return w.ok() ? Error::Internal("written") : w.error();
  };
  std::string open = Finished(patient_id_, here);
  open.replace(open.find("finished"), 8, "in-progress");
  EXPECT_EQ(refused(open, "Encounter.status").code, ErrorCode::kUnprocessable);
  EXPECT_EQ(refused(Finished(987654, here), "Encounter.subject").reason, "unknown_patient");
  refused(R"({"resourceType":"Encounter","status":"finished","subject":{"reference":"Patient/)" +
              std::to_string(patient_id_) + R"("}})",
          "Encounter.period.start");
  refused(Finished(patient_id_, ""), "Encounter.location");
  refused(Finished(patient_id_, R"(,"serviceProvider":{"reference":"Organization/nowhere"})"),
          "Encounter.serviceProvider");
  {
    const int64_t other = InsertPatient("Jon", "Smith");
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("UPDATE patients SET merged_into = $1 WHERE id = $2", {patient_id_, other}).ok());
    EXPECT_EQ(refused(Finished(other, here), "Encounter.subject").reason, "patient_merged");
  }
  EXPECT_EQ(Count("encounters"), encounters);
  EXPECT_EQ(Count("locations"), locations);
  EXPECT_EQ(Count("fhir_sources"), sources);
}

TEST_P(VisitStoreTest, AVisitRecordedAtCheckInIsNotReplacedThroughFhir) {
  auto walk_in = flow_->WalkIn(coord_, patient_id_, location_.id, std::nullopt);
  ASSERT_TRUE(walk_in.ok()) << walk_in.error().message;
  const int64_t id = walk_in->row.id;
  const std::string at =
      R"(,"location":[{"location":{"reference":"Location/)" + std::to_string(location_.id) + R"("}}])";
  const std::string here = R"(,"id":")" + std::to_string(id) + "\"" + at;
  auto w = visits_->WriteEncounter(coord_, id, Parse(Finished(patient_id_, here)), std::nullopt);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kConflict);
  EXPECT_EQ(w.error().reason, "recorded_at_check_in");
  auto conn = pool().Acquire();
  auto row = db::EncounterRepository::Find(*conn, id);
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*row)->state, "arrived") << "still on the flow board";
  auto unknown =
      visits_->WriteEncounter(coord_, 987654, Parse(Finished(patient_id_, R"(,"id":"987654")" + at)), std::nullopt);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

CAREDESK_INSTANTIATE_BACKENDS(VisitStoreTest);

}  // namespace
}  // namespace caredesk::fhir
