// The services the HTTP handlers call, gathered once by main. Handlers hold a
// reference; every service is thread-safe.
#pragma once

#include <string>

#include "app/audit_log.h"
#include "app/auth_service.h"
#include "core/clock.h"


namespace caredesk {
class PatientService;
class PatientMergeService;
class ScheduleService;
class AppointmentService;
class FlowService;
class CoverageService;
class FlowEvents;
class RelationsService;
class CommentService;
class MetricsService;
class SurveyService;
class ImprovementService;
class MetricAlertService;
class AccessService;
class Hl7InboundService;
class Hl7OutboundService;
class RateLimiter;
namespace fhir {
class BulkExporter;
class PatientStore;
class ResourceStore;
class TransactionRunner;
class VisitStore;
class ImportJobs;
class CoverageStore;
class GroupStore;
class SurveyResponseStore;
}  // namespace fhir
}  // namespace caredesk

namespace caredesk::api {

struct Services {
  const Clock& clock;
  AuditLog& audit;
  AuthService& auth;
  PatientService& patients;
  ScheduleService& schedule;
  AppointmentService& appointments;
  FlowService& flow;
  FlowEvents& flow_events;
  RelationsService& relations;
  CommentService& comments;
  MetricsService& metrics;
  RateLimiter& public_form_limiter;  // per client address, for the public complaint form
  SurveyService& surveys;
  RateLimiter& public_survey_limiter;  // per client address, for the public survey page's writes
  RateLimiter& public_survey_read_limiter;  // per client address, for opening survey links
  ImprovementService& improvement;
  MetricAlertService& metric_alerts;
  AccessService& access;
  Hl7InboundService& hl7;
  Hl7OutboundService& hl7_outbound;
  fhir::PatientStore& fhir_patients;
  fhir::BulkExporter& fhir_export;
  CoverageService& coverages;
  fhir::ResourceStore& fhir_resources;  // the FHIR types kept as sent
  fhir::VisitStore& fhir_visits;  // Practitioners and Encounters written through FHIR
  fhir::TransactionRunner& fhir_transactions;
  fhir::ImportJobs& fhir_imports;
  fhir::GroupStore& fhir_groups;  // the patients of a location or provider, as FHIR Groups
  PatientMergeService& patient_merges;
  fhir::CoverageStore& fhir_coverages;  // Coverages written through FHIR
  fhir::SurveyResponseStore& fhir_survey_responses;  // QuestionnaireResponses to CareDesk's surveys
  // Set only when the server runs with --test-clock: the clock tests may move.
  OffsetClock* test_clock = nullptr;
};

}  // namespace caredesk::api
