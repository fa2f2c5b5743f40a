// Patient relations: complaints, grievances and inquiries from intake to the
// decision letter. Staff take cases (phone, in person, letter, email) and
// patients file them through the public web form; CareDesk proposes the CMS
// triage and the user confirms it; owners, statuses, notes, actions,
// attachments and the interim notice are recorded on the case's timeline;
// deadlines come from the configured policies on the location's business
// calendar; a grievance's written decision is rendered from the editable
// template and laid out as PDF. Every read and write is audited under the
// category "relations" (with the linked patient, if any). A case's description
// is also stored as a comment, judged by the comment classifier
// (comment_service.h), so complaints count in the themes patients raise.
//
// The rules themselves live in domain/relations; this service stores, times
// and audits them. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/comment_service.h"
#include "app/schedule_service.h"
#include "core/clock.h"
#include "domain/relations/business_calendar.h"
#include "domain/relations/case_categories.h"
#include "domain/relations/case_intake.h"
#include "domain/relations/case_kind.h"
#include "domain/relations/case_status.h"
#include "domain/relations/deadline_policy.h"
#include "domain/relations/triage.h"
#include "storage/case_repository.h"
#include "storage/pool.h"

namespace caredesk {

namespace audit_category {
inline constexpr char kRelations[] = "relations";
}

struct RelationsSettings {
  std::string organization_name;
  relations::CaseCategories categories;
  relations::DeadlinePolicy policy = relations::DeadlinePolicy::Defaults();
  std::string letter_template;
};

// What staff record at intake.
struct StaffIntake {
  relations::CaseIntake intake;  // department_id and staff_id are unused: see department, staff_member
  relations::IntakeFacts facts;  // facts.channel is taken from intake.channel
  int64_t location_id = 0;
  std::string department;
  std::string staff_member;
  std::string contact_name;
  std::string contact_email;
  std::string contact_phone;
  std::optional<TimePoint> received_at;  // defaults to now; not in the future
};

// What the public web form sends.
struct PublicSubmission {
  std::string name;
  std::string email;
  std::string phone;
  std::string contact_preference;  // phone | email | letter | none
  std::optional<int64_t> location_id;
  std::string category;  // empty: "other"
  std::string visit_date;  // YYYY-MM-DD or empty
  std::string description;
  std::string desired_outcome;
  std::string website;     // the honeypot: people leave it empty
  int64_t elapsed_ms = 0;  // time spent on the form
  std::string client_address;
};

struct PublicReceipt {
  std::string reference_number;
  bool accepted = true;  // false: judged spam, answered alike but not stored
};

// A case as the API shows it.
struct CaseView {
  db::CaseRow row;
  relations::IntakeFacts facts;
  std::optional<relations::TriageProposal> proposal;  // complaints and grievances
  relations::CaseDeadlineReport deadlines;
  std::vector<relations::CaseStatus> allowed_next;
  bool detail = false;  // events, attachments and letter filled
  std::vector<db::CaseEventRow> events;
  std::vector<db::CaseAttachmentRow> attachments;
  std::optional<db::CaseLetterRow> letter;
};

struct CaseOwner {
  int64_t id = 0;
  std::string name;
  std::string role;
};

struct LetterInput {
  std::string contact_name;
  std::string contact_title;
  std::string contact_phone;
  std::string investigation_steps;
  std::string results;
  std::string completion_date;  // YYYY-MM-DD
  std::string letter_date;      // YYYY-MM-DD; empty: today at the location
  std::string further_recourse;
};

struct CaseAttachment {
  db::CaseAttachmentRow row;
  std::string bytes;
};

struct KeyCount {
  std::string key;
  int64_t count = 0;
  double per_1000 = 0;
};

struct MonthCount {
  std::string month;  // YYYY-MM
  int64_t count = 0;
  int64_t visits = 0;
  double per_1000 = 0;
};

// One case's deadlines that have fallen due (acknowledge, resolve or interim notice, written decision), and how
// many of them were met on time: the "deadlines met" service metric.
struct DeadlineTally {
  int64_t case_id = 0;
  int64_t location_id = 0;
  int64_t received_at = 0;  // epoch ms
  std::string department;   // as recorded on the case
  int due = 0;              // met on time, met late or overdue
  int met = 0;              // met on time
};

struct RelationsReport {
  int64_t visits = 0;  // completed encounters in the period
  int64_t cases = 0;
  double per_1000_visits = 0;
  std::vector<KeyCount> by_category;
  std::vector<KeyCount> by_department;
  std::vector<MonthCount> by_month;
  std::optional<double> acknowledge_hours_median, acknowledge_hours_p90;
  std::optional<double> resolve_days_median, resolve_days_p90;
  std::optional<double> within_deadline_share;  // of deadlines fallen due or met in the period's cases
  int64_t open_now = 0;
  int64_t overdue_now = 0;
};

inline constexpr size_t kMaxAttachmentBytes = size_t{10} * 1024 * 1024;
inline constexpr size_t kMaxNoteLength = 20'000;

class RelationsService {
 public:
  RelationsService(db::Pool& pool, const Clock& clock, AuditLog& audit, ScheduleService& schedule,
                   CommentService& comments)
      : pool_(pool), clock_(clock), audit_(audit), schedule_(schedule), comments_(comments) {}

  Result<CaseView> Create(const Actor& by, const StaffIntake& intake);
  Result<PublicReceipt> SubmitPublic(const PublicSubmission& submission);
  Result<CaseView> Get(const Actor& by, int64_t id);
  Result<std::pair<std::vector<CaseView>, int64_t>> List(const Actor& by, db::CaseFilter filter, bool overdue_only);

  Result<CaseView> ConfirmTriage(const Actor& by, int64_t id, std::string_view chosen,
                                 const std::string& override_reason);
  Result<CaseView> SetStatus(const Actor& by, int64_t id, std::string_view status, const std::string& note);
  Result<CaseView> SetOwner(const Actor& by, int64_t id, std::optional<int64_t> owner_user_id);
  Result<CaseView> AddNote(const Actor& by, int64_t id, std::string_view type, const std::string& text);
  Result<CaseView> SendInterimNotice(const Actor& by, int64_t id, const std::string& text);
  Result<db::CaseAttachmentRow> AddAttachment(const Actor& by, int64_t id, const std::string& filename,
                                              const std::string& content_type, const std::string& bytes);
  Result<CaseAttachment> GetAttachment(const Actor& by, int64_t id, int64_t attachment_id);
  Result<CaseView> SaveLetter(const Actor& by, int64_t id, const LetterInput& input);
  Result<std::string> LetterPdf(const Actor& by, int64_t id);
  Result<CaseView> SendLetter(const Actor& by, int64_t id);

  Result<std::vector<CaseOwner>> Owners();
  Result<RelationsSettings> Settings();
  Result<RelationsSettings> SaveSettings(const Actor& by, RelationsSettings settings);
  Result<relations::BusinessCalendarConfig> CalendarConfig(int64_t location_id);
  Result<relations::BusinessCalendarConfig> SaveCalendar(const Actor& by, int64_t location_id,
                                                         relations::BusinessCalendarConfig config);
  Result<RelationsReport> Report(const Actor& by, const CivilDate& from, const CivilDate& to,
                                 std::optional<int64_t> location_id);
  // The deadline tallies of the cases received in [from_ms, to_ms) at `location_id` (or every location), on the
  // caller's connection. Not audited: counts only (the metrics' caller audits).
  Result<std::vector<DeadlineTally>> DeadlineTallies(db::Connection& c, int64_t from_ms, int64_t to_ms,
                                                     std::optional<int64_t> location_id);

 private:
  Result<RelationsSettings> LoadSettings(db::Connection& c);
  Result<relations::BusinessCalendarConfig> ReadCalendarConfig(db::Connection& c, int64_t location_id);
  Result<relations::BusinessCalendar> LoadCalendar(db::Connection& c, int64_t location_id);
  // Business calendars by location, read once per call (lists and reports view many cases).
  using Calendars = std::map<int64_t, relations::BusinessCalendar>;
  Result<const relations::BusinessCalendar*> CalendarOf(db::Connection& c, int64_t location_id, Calendars& calendars);
  Result<int64_t> Insert(db::Connection& c, const RelationsSettings& settings, const Actor& by, const StaffIntake& in,
                         const std::string& source, const std::string& extra_note);
  Result<CaseView> View(db::Connection& c, db::CaseRow row, const RelationsSettings& settings, bool detail,
                        Calendars& calendars);
  // Loads the case, applies `change` to it inside a write transaction, keeps
  // its next deadline current, appends the event and the audit entry.
  using Change = std::function<Status(db::Connection&, db::CaseRow&, const RelationsSettings&, std::string& event_type,
                                      std::string& event_text)>;
  Result<CaseView> Modify(const Actor& by, int64_t id, const std::string& action, const Change& change);

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  ScheduleService& schedule_;
  CommentService& comments_;
};

}  // namespace caredesk
