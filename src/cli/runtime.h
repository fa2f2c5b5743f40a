// The real things wired together: the database pool, the clock, the audit
// log and every service, opened from a Config. Only main and the commands
// build one. Thread-safe once built.
#pragma once

#include <memory>

#include "api/services.h"
#include "app/appointment_service.h"
#include "app/audit_log.h"
#include "app/auth_service.h"
#include "app/coverage_service.h"
#include "app/flow_events.h"
#include "app/flow_service.h"
#include "app/patient_service.h"
#include "app/patient_merge_service.h"
#include "app/comment_service.h"
#include "app/metrics_service.h"
#include "app/relations_service.h"
#include "app/schedule_service.h"
#include "app/survey_service.h"
#include "app/improvement_service.h"
#include "app/metric_alert_service.h"
#include "app/access_service.h"
#include "app/hl7_inbound_service.h"
#include "app/hl7_outbound_service.h"
#include "fhir/bulk_export.h"
#include "fhir/coverage_store.h"
#include "fhir/group_store.h"
#include "fhir/patient_store.h"
#include "fhir/resource_store.h"
#include "fhir/survey_responses.h"
#include "fhir/transaction.h"
#include "fhir/visit_store.h"
#include "fhir/import_jobs.h"
#include "fhir/kept_resource_moves.h"
#include "mail/smtp_sender.h"
#include "cli/config.h"
#include "core/rate_limiter.h"
#include "storage/pool.h"

namespace caredesk {

struct Runtime {
  Config config;
  OffsetClock clock;  // the real clock unless --test-clock moves it
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<AuthService> auth;
  std::unique_ptr<PatientService> patients;
  std::unique_ptr<PatientMergeService> patient_merges;
  std::unique_ptr<ScheduleService> schedule;
  std::unique_ptr<AppointmentService> appointments;
  std::unique_ptr<FlowEvents> flow_events;
  std::unique_ptr<FlowService> flow;
  std::unique_ptr<CoverageService> coverages;
  std::unique_ptr<CommentService> comments;
  std::unique_ptr<MetricsService> metrics;
  std::unique_ptr<RelationsService> relations;
  std::unique_ptr<RateLimiter> public_form_limiter;
  std::unique_ptr<mail::SmtpSender> mailer;  // disabled without an SMTP URL
  std::unique_ptr<SurveyService> surveys;
  std::unique_ptr<RateLimiter> public_survey_limiter;
  std::unique_ptr<RateLimiter> public_survey_read_limiter;
  std::unique_ptr<ImprovementService> improvement;
  std::unique_ptr<MetricAlertService> metric_alerts;
  std::unique_ptr<AccessService> access;
  std::unique_ptr<Hl7InboundService> hl7;  // inbound HL7 v2: the MLLP listener's handler is hl7->Receive
  std::unique_ptr<fhir::PatientStore> fhir_patients;  // FHIR Patient writes and reads
  std::unique_ptr<fhir::ResourceStore> fhir_resources;  // FHIR resources of the types kept as sent
  std::unique_ptr<fhir::VisitStore> fhir_visits;  // Practitioner and Encounter writes
  std::unique_ptr<fhir::CoverageStore> fhir_coverages;  // Coverage writes
  std::unique_ptr<fhir::SurveyResponseStore> fhir_survey_responses;  // survey responses as QuestionnaireResponses
  std::unique_ptr<fhir::KeptResourceMoves> fhir_merge_moves;  // a patient merge moves the FHIR resources kept as sent
  std::unique_ptr<fhir::TransactionRunner> fhir_transactions;  // transaction Bundles' writes
  std::unique_ptr<fhir::FhirImporter> fhir_importer;
  std::unique_ptr<fhir::GroupStore> fhir_groups;      // FHIR Groups: the patients of a location or provider
  std::unique_ptr<fhir::BulkJobs> fhir_jobs;          // the ledger of $export and $import jobs (after them)
  std::unique_ptr<fhir::ImportJobs> fhir_imports;     // FHIR $import jobs (stopped before what they write)
  std::unique_ptr<fhir::BulkExporter> fhir_export;    // FHIR $export jobs (after what they read: stopped first)
  std::unique_ptr<Hl7OutboundService> hl7_outbound;  // outbound HL7 v2: peers, queue; serve starts its dispatcher

  api::Services services();
};

// Opens the database (creating the SQLite file's folder), applies pending
// migrations and builds the services.
Result<std::unique_ptr<Runtime>> OpenRuntime(const Config& config, int pool_size);

// Opens only the pool and migrates (commands that need no services).
Result<std::unique_ptr<db::Pool>> OpenMigratedPool(const std::string& target, int pool_size, const Clock& clock,
                                                   bool print_applied);

}  // namespace caredesk
