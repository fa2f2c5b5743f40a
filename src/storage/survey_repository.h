// Surveys in the database (migration 0008): published versions with their
// items and measures, invitations and their link tokens (hashed), opt-outs,
// responses with their answers, and vendor import runs. Thread-compatible:
// static functions over the caller's connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/surveys/survey_definition.h"
#include "domain/surveys/survey_response.h"
#include "storage/db.h"

namespace caredesk::db {

struct StoredSurvey {
  surveys::SurveyDefinition definition;
  int64_t created_at = 0;
  std::string created_by;
};

struct SurveySummaryRow {
  std::string id;
  std::string title;  // of the latest version
  int latest_version = 0;
  int64_t created_at = 0;  // of version 1
  int64_t responses = 0;   // all versions
};

struct InvitationRow {
  int64_t id = 0;
  std::optional<int64_t> encounter_id;
  int64_t patient_id = 0;
  std::string survey_id;
  int survey_version = 0;
  int64_t location_id = 0;
  std::optional<int64_t> provider_id;
  std::string department;
  std::string visit_date;
  std::string channel;  // email | print
  std::string email;
  int64_t issued_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> sent_at;
  std::optional<int64_t> printed_at;
  int reminders = 0;
  std::optional<int64_t> last_reminder_at;
  std::optional<int64_t> next_send_at;
  std::optional<int64_t> used_at;
  std::string send_error;
  int attempts = 0;
  // Joined for display and for the send.
  bool opted_out = false;
  std::string patient_name;
  std::string location_name;
  std::string location_time_zone;
  std::string provider_name;
};

struct InvitationFilter {
  std::optional<std::string> channel;
  std::optional<bool> printed;
  std::optional<int64_t> location_id;
  // A state at `now` (surveys::TokenStateName); the repository turns it into conditions.
  std::optional<std::string> state;
  int64_t now = 0;
  int limit = 50;
  int offset = 0;
};

// A completed encounter that has no invitation yet, with what the invitation needs.
struct SurveyCandidate {
  int64_t encounter_id = 0;
  int64_t patient_id = 0;
  int64_t location_id = 0;
  std::optional<int64_t> provider_id;
  std::string department;  // the provider's specialty
  int64_t ended_at = 0;
  std::string time_zone;
  std::string email;
  std::string preferred_contact_method;
  bool opted_out = false;
};

struct ResponseRow {
  int64_t id = 0;
  std::string survey_id;
  int survey_version = 0;
  std::string source;  // web | import
  std::optional<int64_t> invitation_id;
  std::optional<int64_t> import_id;
  std::string respondent_id;
  std::optional<int64_t> encounter_id;
  std::optional<int64_t> patient_id;
  std::optional<int64_t> location_id;
  std::optional<int64_t> provider_id;
  std::string location_label;
  std::string provider_label;
  std::string department;
  std::string visit_date;
  int64_t received_at = 0;
  std::vector<surveys::Answer> answers;
};

struct ResponseFilter {
  std::string survey_id;
  int version = 0;
  std::string from_date;  // visit dates, inclusive
  std::string to_date;
  std::optional<int64_t> location_id;
};

struct ImportRow {
  int64_t id = 0;
  std::string survey_id;
  int survey_version = 0;
  std::string filename;
  int64_t at = 0;
  std::string by_user;
  int64_t rows_read = 0;
  int64_t accepted = 0;
  int64_t rejected_rows = 0;
};

class SurveyRepository {
 public:
  // Versions.
  static Status InsertVersion(Connection& c, const surveys::SurveyDefinition& d, int64_t at, const std::string& by);
  static Result<std::optional<StoredSurvey>> LoadVersion(Connection& c, const std::string& id, int version);
  static Result<std::optional<int>> LatestVersion(Connection& c, const std::string& id);
  static Result<std::vector<int>> Versions(Connection& c, const std::string& id);
  static Result<std::vector<SurveySummaryRow>> List(Connection& c);
  static Result<int64_t> CountResponses(Connection& c, const std::string& id, std::optional<int> version);

  // Invitations and tokens.
  static Result<std::vector<SurveyCandidate>> Candidates(Connection& c, int64_t ended_from, int64_t ended_to,
                                                         int limit);
  // The new invitation's id; nullopt when the encounter has one already (another process got there first).
  static Result<std::optional<int64_t>> InsertInvitation(Connection& c, const InvitationRow& row);
  static Status AddToken(Connection& c, const std::string& token_hash, int64_t invitation_id, int64_t at);
  static Result<std::optional<InvitationRow>> FindInvitation(Connection& c, int64_t id);
  static Result<std::optional<InvitationRow>> FindByToken(Connection& c, const std::string& token_hash);
  static Result<std::pair<std::vector<InvitationRow>, int64_t>> ListInvitations(Connection& c,
                                                                                const InvitationFilter& f);
  // Email invitations whose next send is due at `now`, unanswered, unexpired, oldest due first.
  static Result<std::vector<InvitationRow>> DueForEmail(Connection& c, int64_t now, int limit);
  // After a successful email: the first send or a reminder; `next_send_at` the next reminder or null.
  static Status MarkEmailed(Connection& c, int64_t id, int64_t at, bool reminder, std::optional<int64_t> next_send_at);
  static Status MarkEmailFailed(Connection& c, int64_t id, const std::string& error, int64_t retry_at);
  static Status MarkPrinted(Connection& c, int64_t id, int64_t at);
  // Sets used_at when still unset; false when another response got there first.
  static Result<bool> MarkUsed(Connection& c, int64_t id, int64_t at);

  // Opt-outs.
  static Status OptOut(Connection& c, int64_t patient_id, int64_t at, const std::string& via);

  // Responses.
  static Result<int64_t> InsertResponse(Connection& c, const ResponseRow& row);
  static Result<bool> RespondentExists(Connection& c, const std::string& survey_id, const std::string& respondent_id);
  // One response with its answers (location_label and provider_label as stored).
  static Result<std::optional<ResponseRow>> FindResponse(Connection& c, int64_t id);
  // Whether the encounter has a response to the survey already.
  static Result<bool> EncounterAnswered(Connection& c, const std::string& survey_id, int64_t encounter_id);
  // An encounter with what a response about it is grouped by (ended_at: its end, else its arrival).
  static Result<std::optional<SurveyCandidate>> VisitOf(Connection& c, int64_t encounter_id);
  // Ids of responses, oldest first, that have no fhir_resources row of `type` named `id_prefix` + their id
  // (the QuestionnaireResponse a response is also served as).
  static Result<std::vector<int64_t>> ResponsesWithoutResource(Connection& c, std::string_view type,
                                                              std::string_view id_prefix, int limit);
  // Responses with their answers; location_label and provider_label hold the names of the location and
  // provider (the vendor's labels when the response has no ids), for grouping.
  static Result<std::vector<ResponseRow>> LoadResponses(Connection& c, const ResponseFilter& f);
  // Invitations of the survey in the same period and place, as response-shaped rows without answers.
  static Result<std::vector<ResponseRow>> LoadInvitationsForRates(Connection& c, const ResponseFilter& f);

  // Imports.
  static Result<int64_t> InsertImport(Connection& c, const ImportRow& row);
  static Result<std::vector<ImportRow>> ListImports(Connection& c, const std::string& survey_id);
};

}  // namespace caredesk::db
