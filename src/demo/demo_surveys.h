// The patient-survey part of the demo clinic: the HCAHPS survey built from
// the published question table and switched on, invitations after a sample
// of the completed visits of the last `window_days` (email to patients with
// an address, a printed slip for the rest), reminders, a few opt-outs, and
// responses whose box shares follow the latest CMS national HCAHPS results
// (<data_dir>/hcahps/national_results.csv), with free-text comments drawn
// from the pxtextmining feedback data set (answers to the kind of question the
// survey's comment box asks, feedback::QuestionKindOfPrompt) and judged by the
// comment model with that kind.
//
// Planted for the scores views: one location (report.dip_location_id) sits
// about seven points below the others on nurse communication and on the
// overall rating; one measure (report.trend_measure_id) improves steadily
// over the window; response rates differ by location by up to eight points.
//
// Nothing is left for the server to email: every email invitation is
// already sent (next_send_at is null), the rest are print slips; the
// dispatcher's catch-up starts at `now` (surveys.activated_at), so it only
// invites visits of the last day that the sample left out, as print slips
// when no SMTP server is configured. The survey is created and its settings
// saved through SurveyService; invitations, opt-outs and responses go in
// through SurveyRepository in write transactions of a few hundred visits
// (links, answers and send times in multi-row statements into the same
// columns), comments through CommentService::RecordInTx. Deterministic for a
// seed, a `now` and the same visits (the link tokens excepted: they are
// random, stored hashed, and nobody needs them). Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "storage/pool.h"

namespace caredesk {

struct SurveysDemoOptions {
  uint64_t seed = 42;
  TimePoint now;
  int window_days = 60;
  std::string data_dir;      // holds hcahps/; without it a built-in 6-item survey and built-in national figures
  std::string feedback_csv;  // the pxtextmining CSV; unreadable = a small built-in set of comments
  std::string model_path;    // the comment model; unreadable = comments stored unjudged
  std::function<void(std::string_view phase, int64_t done, int64_t total)> progress;
};

// At most this many invitations and responses.
inline constexpr int64_t kMaxDemoInvitations = 12'000;
inline constexpr int64_t kMaxDemoResponses = 3'500;

struct SurveysDemoReport {
  std::string survey_id;
  bool hcahps = false;  // false: the built-in short survey (see `note`)
  std::string note;     // why the built-in survey was used
  std::string release;  // the national results' release the answers follow ("07_2023")
  int64_t visits = 0;   // completed visits in the window
  int64_t invitations = 0;
  int64_t emailed = 0;  // the rest are print slips
  int64_t printed = 0;
  int64_t reminded = 0;
  int64_t opted_out = 0;  // patients who asked for no more surveys
  int64_t responses = 0;
  int64_t comments = 0;
  bool texts_from_data_set = false;
  bool comments_judged = false;
  int64_t dip_location_id = 0;  // the planted dip (0 when there are no locations)
  std::string dip_location_name;
  std::string trend_measure_id;  // the measure that improves over the window
};

// Needs the demo's locations and completed encounters (GenerateDemo); fails
// with Conflict when the survey exists already.
Result<SurveysDemoReport> GenerateSurveysDemo(db::Pool& pool, const SurveysDemoOptions& options);

}  // namespace caredesk
