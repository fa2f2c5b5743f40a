// Patient-experience surveys: the builder's versions, the sending of one
// invitation per completed visit (email through the configured SMTP server,
// or a printed slip with a QR code), reminders, opt-outs, the public answer
// page's reads and writes, vendor CSV imports, and scores by the HCAHPS rules.
//
// Links carry a random token; only its SHA-256 is stored. An invitation may
// have several tokens (first email, each reminder, a printed slip) and takes
// one response, whichever link it comes through. Free-text answers become
// comments (CommentService) with the classifier's themes and sentiment.
//
// Dispatch() is called by the server every few minutes and on demand; two
// processes may run it at once: an encounter's invitation is unique in the
// database, and an email is sent only by the pass that claimed it.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/comment_service.h"
#include "core/clock.h"
#include "domain/surveys/survey_definition.h"
#include "domain/surveys/survey_scoring.h"
#include "domain/surveys/vendor_import.h"
#include "mail/smtp_sender.h"
#include "storage/pool.h"
#include "storage/survey_repository.h"

namespace caredesk {

namespace audit_category {
inline constexpr char kSurveys[] = "surveys";
}

struct SurveySettings {
  std::string active_survey_id;  // "" = nothing is sent
  int send_after_hours = 2;      // after the visit ends
  int expires_days = 30;
  int reminder_after_days = 7;
  int max_reminders = 1;
  std::string public_base_url = "http://127.0.0.1:8080";
  std::string from_name = "Patient experience team";
  std::string from_email = "surveys@caredesk.example";
  std::string email_subject = "How was your visit?";
  std::string email_intro =
      "Thank you for visiting us. Would you tell us how it went? The survey takes about five minutes, and what you "
      "write is read by the people who run the clinic.";
  bool mail_enabled = false;  // read-only: an SMTP server is configured
};

struct SurveyVersionView {
  surveys::SurveyDefinition definition;
  int64_t created_at = 0;
  std::string created_by;
  bool active = false;
  int64_t responses = 0;  // to this version
  std::vector<int> versions;
};

struct SurveySummary {
  db::SurveySummaryRow row;
  bool active = false;
};

struct DispatchReport {
  int invited = 0;
  int emailed = 0;
  int to_print = 0;
  int reminded = 0;
  int failed = 0;
  int opted_out_skipped = 0;
};

struct PrintSlip {
  std::string url;
  std::string qr_svg;
  TimePoint expires_at{};
  std::string patient_name;
  std::string survey_title;
  std::string location_name;
  std::string visit_date;
};

struct PublicSurveyView {
  std::string state;  // valid | used | expired | opted_out
  std::string organization_name;
  std::string visit_date;
  std::string location_name;
  std::optional<surveys::SurveyDefinition> survey;  // only when valid
};

struct ImportRequest {
  std::string filename;
  std::string csv;
  bool dry_run = false;
  surveys::ImportMapping mapping;
};

struct ImportOutcome {
  std::optional<int64_t> id;  // the stored import; none for a dry run
  size_t rows_read = 0;
  size_t accepted = 0;
  size_t rejected_rows = 0;
  std::vector<surveys::ImportIssue> issues;
};

struct ScoreQuery {
  std::optional<int> version;  // default: the latest
  std::string from;            // visit dates YYYY-MM-DD; default the 90 days up to today
  std::string to;
  std::optional<int64_t> location_id;
  std::string group_by;  // "" | department | provider | location | week | month | quarter
};

struct ScoreGroup {
  std::string key;
  int64_t invitations = 0;
  std::optional<double> response_rate;
  surveys::SurveyScores scores;
};

struct SurveyScoresView {
  surveys::SurveyDefinition definition;
  std::string from, to, group_by;
  int64_t invitations = 0;
  std::optional<double> response_rate;
  surveys::SurveyScores overall;
  std::vector<ScoreGroup> groups;
};

// A response given through another channel than the answer page or a vendor file: FHIR's
// QuestionnaireResponse. The visit is the encounter's when it names one.
struct GivenResponse {
  std::string survey_id;
  std::optional<int> version;  // default: the latest
  std::optional<int64_t> patient_id;
  std::optional<int64_t> encounter_id;
  std::string visit_date;  // YYYY-MM-DD, when no encounter says it; "" for the day it is recorded
  std::vector<surveys::Answer> answers;
  std::string source = "fhir";
};

// Told of every response the answer page or a vendor import records, inside its transaction, with the
// version it answers (the FHIR QuestionnaireResponse each response is also served as).
class SurveyResponseObserver {
 public:
  virtual ~SurveyResponseObserver() = default;
  virtual Status Recorded(db::Connection& c, const db::ResponseRow& row, const surveys::SurveyDefinition& definition,
                          int64_t now_ms) = 0;
};

class SurveyService {
 public:
  // `mailer` may be null or disabled: invitations then wait to be printed. `data_dir` holds hcahps/.
  SurveyService(db::Pool& pool, const Clock& clock, AuditLog& audit, CommentService& comments,
                mail::SmtpSender* mailer, std::string data_dir);

  // Builder.
  Result<std::vector<SurveySummary>> List(const Actor& by);
  Result<SurveyVersionView> Get(const Actor& by, const std::string& id, std::optional<int> version);
  Result<SurveyVersionView> Create(const Actor& by, surveys::SurveyDraft draft);
  Result<SurveyVersionView> AddVersion(const Actor& by, const std::string& id, surveys::SurveyDraft draft);
  Result<SurveyVersionView> CreateHcahps(const Actor& by);

  Result<SurveySettings> Settings();
  Result<SurveySettings> SaveSettings(const Actor& by, SurveySettings settings);

  // Sending.
  Result<DispatchReport> Dispatch();
  Result<std::pair<std::vector<db::InvitationRow>, int64_t>> Invitations(const Actor& by, db::InvitationFilter f);
  Result<PrintSlip> Print(const Actor& by, int64_t invitation_id);

  // The public answer page.
  Result<PublicSurveyView> PublicView(const std::string& token);
  Status PublicSubmit(const std::string& token, std::vector<surveys::Answer> answers,
                      const std::string& client_address);
  Status PublicOptOut(const std::string& token, const std::string& client_address);

  // Set once while wiring, before any response is recorded.
  void Observe(SurveyResponseObserver* observer) { observer_ = observer; }

  // A given response, validated against its survey version, recorded with its free-text comments and
  // audited, inside the caller's write transaction (which writes its own record of it; the observer is not
  // told). Errors name GivenResponse's fields: "survey_id" and "version" (NotFound: no such survey or
  // version), "patient_id", "encounter_id" (Invalid: unknown, or not the patient's), "answers.<item>..."
  // (surveys::ValidateResponse), Conflict "encounter_answered" when the encounter has a response to the
  // survey already, Conflict "patient_merged" ("patient_id") for a patient merged into another. The row
  // recorded, with its id.
  Result<db::ResponseRow> RecordInTx(db::Connection& c, const Actor& by, GivenResponse given, TimePoint now);

  // Vendor imports and scores.
  Result<ImportOutcome> Import(const Actor& by, const std::string& id, int version, ImportRequest request);
  Result<std::vector<db::ImportRow>> Imports(const Actor& by, const std::string& id);
  Result<SurveyScoresView> Scores(const Actor& by, const std::string& id, ScoreQuery query);

  // The link a token opens.
  static std::string LinkFor(const std::string& base_url, const std::string& token);

 private:
  Result<SurveySettings> LoadSettings(db::Connection& c);
  Result<SurveyVersionView> View(db::Connection& c, const std::string& id, int version);
  Result<int> InviteCompletedVisits(const SurveySettings& s, DispatchReport& report);
  void SendDueEmails(const SurveySettings& s, DispatchReport& report);
  Result<std::optional<db::InvitationRow>> FindByToken(db::Connection& c, const std::string& token);

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  CommentService& comments_;
  mail::SmtpSender* mailer_;
  std::string data_dir_;
  SurveyResponseObserver* observer_ = nullptr;
};

}  // namespace caredesk
