#include "cli/runtime.h"

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "domain/security/credentials.h"
#include "mail/mail_message.h"
#include "storage/migrations.h"

namespace caredesk {

api::Services Runtime::services() {
  return api::Services{clock,       *audit,     *auth,     *patients, *schedule, *appointments,       *flow,
                       *flow_events, *relations, *comments, *metrics,  *public_form_limiter,
                       *surveys,     *public_survey_limiter, *public_survey_read_limiter, *improvement,
                       *metric_alerts, *access, *hl7, *hl7_outbound, *fhir_patients, *fhir_export, *coverages,
                       *fhir_resources, *fhir_visits, *fhir_transactions, *fhir_imports, *fhir_groups, *patient_merges,
                       *fhir_coverages, *fhir_survey_responses};
}

Result<std::unique_ptr<db::Pool>> OpenMigratedPool(const std::string& target, int pool_size, const Clock& clock,
                                                   bool print_applied) {
  if (!db::IsPostgresUrl(target)) {
    auto parent = std::filesystem::path(target).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  CD_ASSIGN_OR_RETURN(auto pool, db::Pool::Open(target, pool_size));
  {
    auto conn = pool->Acquire();
    CD_ASSIGN_OR_RETURN(auto report, db::ApplyMigrations(*conn, db::EmbeddedMigrations(), ToMillis(clock.Now())));
    if (print_applied) {
      for (const auto& name : report.applied) std::cout << "applied migration " << name << "\n";
      std::cout << "schema version " << report.to_version << " (" << pool->description() << ")\n";
    }
  }
  return pool;
}

Result<std::unique_ptr<Runtime>> OpenRuntime(const Config& config, int pool_size) {
  CD_RETURN_IF_ERROR(InitCrypto());
  auto rt = std::make_unique<Runtime>();
  rt->config = config;
  CD_ASSIGN_OR_RETURN(rt->pool, OpenMigratedPool(config.db, pool_size, rt->clock, false));
  rt->audit = std::make_unique<AuditLog>(*rt->pool, rt->clock);
  SessionPolicy policy{std::chrono::minutes(config.session_idle_minutes),
                       std::chrono::minutes(config.session_absolute_minutes)};
  rt->auth = std::make_unique<AuthService>(*rt->pool, rt->clock, *rt->audit, policy);
  rt->patients = std::make_unique<PatientService>(*rt->pool, rt->clock, *rt->audit);
  rt->patient_merges = std::make_unique<PatientMergeService>(*rt->pool, rt->clock, *rt->audit, *rt->patients);
  rt->coverages = std::make_unique<CoverageService>(*rt->pool, *rt->audit);
  rt->fhir_patients = std::make_unique<fhir::PatientStore>(*rt->patients, *rt->pool, rt->clock);
  rt->fhir_resources = std::make_unique<fhir::ResourceStore>(*rt->pool, *rt->audit, rt->clock);
  rt->schedule = std::make_unique<ScheduleService>(*rt->pool, rt->clock, *rt->audit);
  rt->fhir_visits = std::make_unique<fhir::VisitStore>(*rt->schedule, *rt->audit, *rt->pool, rt->clock);
  rt->fhir_coverages = std::make_unique<fhir::CoverageStore>(*rt->patients, *rt->pool, rt->clock);
  rt->fhir_importer =
      std::make_unique<fhir::FhirImporter>(*rt->fhir_patients, *rt->schedule, *rt->fhir_resources, *rt->pool);
  rt->appointments = std::make_unique<AppointmentService>(*rt->pool, rt->clock, *rt->audit, *rt->schedule,
                                                          config.telehealth_url_pattern);
  rt->fhir_groups = std::make_unique<fhir::GroupStore>(*rt->pool, *rt->schedule);
  rt->flow_events = std::make_unique<FlowEvents>();
  rt->flow = std::make_unique<FlowService>(*rt->pool, rt->clock, *rt->audit, *rt->schedule, *rt->flow_events);
  {
    std::filesystem::path exports = config.export_dir;
    if (exports.empty()) {
      exports = db::IsPostgresUrl(config.db) ? std::filesystem::path("var/exports")
                                             : std::filesystem::path(config.db).parent_path() / "exports";
    }
    rt->fhir_jobs = std::make_unique<fhir::BulkJobs>(*rt->pool, rt->clock, exports);
    rt->fhir_export = std::make_unique<fhir::BulkExporter>(*rt->patients, *rt->fhir_patients, *rt->schedule,
                                                           *rt->appointments, *rt->flow, *rt->coverages, *rt->fhir_resources,
                                                           *rt->fhir_jobs);
    rt->fhir_imports = std::make_unique<fhir::ImportJobs>(*rt->fhir_importer, *rt->fhir_jobs);
  }
  rt->comments = std::make_unique<CommentService>(*rt->pool, rt->clock, *rt->audit, DefaultFeedbackModelPath());
  rt->relations =
      std::make_unique<RelationsService>(*rt->pool, rt->clock, *rt->audit, *rt->schedule, *rt->comments);
  rt->metrics = std::make_unique<MetricsService>(*rt->pool, rt->clock, *rt->audit, rt->relations.get());
  // The public complaint form: 5 submissions per address per hour.
  rt->public_form_limiter = std::make_unique<RateLimiter>(rt->clock, 5, std::chrono::hours(1));
  mail::SmtpConfig smtp;
  smtp.url = config.smtp_url;
  smtp.username = config.smtp_username;
  smtp.password = config.smtp_password;
  smtp.starttls = config.smtp_starttls;
  if (Status st = mail::SmtpSender::ValidateConfig(smtp); !st.ok()) {
    return Error::Invalid("smtp_url", "the SMTP server: " + st.error().message);
  }
  if (!mail::IsValidEmail(config.mail_from)) {
    return Error::Invalid("mail_from", "mail_from (CAREDESK_MAIL_FROM), the sender of CareDesk's emails to staff, "
                                       "is not an email address: " + config.mail_from);
  }
  rt->mailer = std::make_unique<mail::SmtpSender>(smtp, rt->clock);
  rt->surveys = std::make_unique<SurveyService>(*rt->pool, rt->clock, *rt->audit, *rt->comments, rt->mailer.get(),
                                                config.data_dir.empty() ? DefaultDataDir().string() : config.data_dir);
  // Every survey response recorded is a QuestionnaireResponse too.
  rt->fhir_survey_responses =
      std::make_unique<fhir::SurveyResponseStore>(*rt->surveys, *rt->fhir_resources, *rt->pool, rt->clock);
  rt->surveys->Observe(rt->fhir_survey_responses.get());
  rt->fhir_transactions = std::make_unique<fhir::TransactionRunner>(
      *rt->fhir_patients, *rt->fhir_visits, *rt->fhir_coverages, *rt->fhir_resources, *rt->appointments,
      *rt->fhir_survey_responses, *rt->pool, rt->clock);
  rt->fhir_merge_moves = std::make_unique<fhir::KeptResourceMoves>(*rt->fhir_resources);
  rt->patient_merges->UseObserver(rt->fhir_merge_moves.get());  // merges move the FHIR resources kept as sent
  // The public survey page's answers and opt-outs: 30 per address per 10 minutes (a family at one address
  // answering for several visits stays well inside).
  rt->public_survey_limiter = std::make_unique<RateLimiter>(rt->clock, 30, std::chrono::minutes(10));
  // Opening links: 120 per address per 10 minutes, far above any household, far below a scan for tokens.
  rt->public_survey_read_limiter = std::make_unique<RateLimiter>(rt->clock, 120, std::chrono::minutes(10));
  rt->improvement = std::make_unique<ImprovementService>(*rt->pool, rt->clock, *rt->audit);
  MetricAlertOptions alert_options;
  alert_options.public_url = config.public_url;
  alert_options.from_email = config.mail_from;
  rt->metric_alerts = std::make_unique<MetricAlertService>(*rt->pool, rt->clock, *rt->audit, *rt->metrics,
                                                           rt->mailer.get(), alert_options);
  rt->access = std::make_unique<AccessService>(*rt->pool, rt->clock, *rt->audit, *rt->schedule);
  rt->hl7 = std::make_unique<Hl7InboundService>(*rt->pool, rt->clock, *rt->audit, *rt->patients, *rt->flow);
  rt->hl7->UseScheduling(*rt->appointments, *rt->schedule);  // SIU books through AppointmentService
  rt->hl7->UseMerges(*rt->patient_merges);                   // A40 merges through PatientMergeService
  rt->hl7_outbound = std::make_unique<Hl7OutboundService>(*rt->pool, rt->clock, *rt->audit);
  rt->appointments->UseOutbound(rt->hl7_outbound.get());  // SIU for every booking change
  rt->flow->UseOutbound(rt->hl7_outbound.get());          // ADT for check-ins and their ends
  rt->patients->UseOutbound(rt->hl7_outbound.get());      // ADT A08 for demographics updates
  rt->patient_merges->UseOutbound(rt->hl7_outbound.get());  // ADT A40 for merges
  return rt;
}

}  // namespace caredesk
