#include "app/access_service.h"
#include "api/openapi.h"
#include "fhir/bulk_export.h"
#include "fhir/coverage_store.h"
#include "fhir/group_store.h"
#include "fhir/patient_store.h"
#include "fhir/resource_store.h"
#include "fhir/survey_responses.h"
#include "fhir/transaction.h"
#include "fhir/import_jobs.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "api/handler_support.h"
#include "app/appointment_service.h"
#include "app/flow_service.h"
#include "app/metrics_service.h"
#include "app/relations_service.h"
#include "app/survey_service.h"
#include "app/improvement_service.h"
#include "core/rate_limiter.h"
#include "app/patient_service.h"
#include "app/patient_merge_service.h"
#include "app/metric_alert_service.h"
#include "app/hl7_inbound_service.h"
#include "app/hl7_outbound_service.h"
#include "domain/security/credentials.h"
#include "storage/testing/test_database.h"

namespace caredesk::api {
namespace {

TEST(OpenApi, EveryRouteIsDocumented) {
  ASSERT_TRUE(InitCrypto().ok());
  auto db = testing::TestDatabase::Create(testing::Backend::kSqlite, 1);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto& pool = (*db)->pool();
  FakeClock clock(FromMillis(0));
  AuditLog audit(pool, clock);
  AuthService auth(pool, clock, audit, SessionPolicy{});
  PatientService patients(pool, clock, audit);
  ScheduleService schedule(pool, clock, audit);
  AppointmentService appointments(pool, clock, audit, schedule, "https://v.example/{token}");
  FlowEvents events;
  FlowService flow(pool, clock, audit, schedule, events);
  CommentService comments(pool, clock, audit, "/nonexistent/feedback.model");
  RelationsService relations(pool, clock, audit, schedule, comments);
  RateLimiter limiter(clock, 5, std::chrono::hours(1));
  MetricsService metrics(pool, clock, audit);
  ImprovementService improvement(pool, clock, audit);
  SurveyService surveys(pool, clock, audit, comments, nullptr, "/nonexistent");
  MetricAlertService alerts(pool, clock, audit, metrics, nullptr, MetricAlertOptions{});
  AccessService access(pool, clock, audit, schedule);
  Hl7InboundService hl7(pool, clock, audit, patients, flow);
  Hl7OutboundService outbound(pool, clock, audit);
  fhir::PatientStore fhir_patients(patients, pool, clock);
  CoverageService coverages(pool, audit);
  fhir::ResourceStore fhir_resources(pool, audit, clock);
  fhir::VisitStore visits(schedule, audit, pool, clock);
  fhir::CoverageStore fhir_coverage_store(patients, pool, clock);
  fhir::FhirImporter importer(fhir_patients, schedule, fhir_resources, pool);
  fhir::GroupStore groups(pool, schedule);
  PatientMergeService merges(pool, clock, audit, patients);
  fhir::BulkJobs jobs(pool, clock, std::filesystem::temp_directory_path() / "caredesk-openapi-test-jobs");
  fhir::ImportJobs imports(importer, jobs);
  fhir::BulkExporter exporter(patients, fhir_patients, schedule, appointments, flow, coverages, fhir_resources, jobs);
  fhir::SurveyResponseStore survey_responses(surveys, fhir_resources, pool, clock);
  fhir::TransactionRunner transactions(fhir_patients, visits, fhir_coverage_store, fhir_resources, appointments,
                                       survey_responses, pool, clock);
  Services s{clock,    audit,   auth,    patients, schedule, appointments, flow,        events, relations,
             comments, metrics, limiter, surveys,  limiter,  limiter,      improvement, alerts, access, hl7, outbound,
             fhir_patients, exporter, coverages, fhir_resources, visits, transactions, imports, groups, merges,
             fhir_coverage_store, survey_responses};
  http::Router router;
  RegisterAllRoutes(router, s);

  EXPECT_GT(router.Routes().size(), 40u);
  auto missing = UndocumentedRoutes(router);
  EXPECT_TRUE(missing.empty()) << "undocumented: " << (missing.empty() ? "" : missing.front());
  auto doc = boost::json::parse(OpenApiDocument(router));
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const auto& patients_path = doc.at("paths").at("/api/v1/patients").as_object();
  EXPECT_TRUE(patients_path.contains("get"));
  EXPECT_TRUE(patients_path.contains("post"));
  EXPECT_TRUE(doc.at("components").at("schemas").as_object().contains("Appointment"));
}

}  // namespace
}  // namespace caredesk::api
