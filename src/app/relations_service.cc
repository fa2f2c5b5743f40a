#include "app/relations_service.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "app/patient_service.h"
#include "core/base64.h"
#include "core/text.h"
#include "domain/relations/reference_number.h"
#include "domain/relations/resolution_letter.h"
#include "render/letter_pdf.h"
#include "storage/settings_repository.h"

namespace caredesk {
namespace {

using relations::CaseKind;
using relations::CaseStatus;

constexpr char kOrganizationKey[] = "relations.organization_name";
constexpr char kCategoriesKey[] = "relations.categories";
constexpr char kPolicyKey[] = "relations.deadline_policy";
constexpr char kTemplateKey[] = "relations.letter_template";
constexpr char kDefaultOrganization[] = "CareDesk Clinic";

// ---- Intake facts as stored: the codes of those that hold.
struct FactCode {
  std::string_view code;
  bool relations::IntakeFacts::*member;
};
constexpr FactCode kFactCodes[] = {
    {"written", &relations::IntakeFacts::written},
    {"resolved_promptly", &relations::IntakeFacts::resolved_promptly_by_staff_present},
    {"response_requested", &relations::IntakeFacts::response_requested},
    {"abuse_or_neglect", &relations::IntakeFacts::alleges_abuse_or_neglect},
    {"conditions_of_participation", &relations::IntakeFacts::alleges_conditions_of_participation_breach},
    {"medicare_billing_rights", &relations::IntakeFacts::medicare_billing_rights_issue},
    {"quality_of_care", &relations::IntakeFacts::quality_of_care_concern},
    {"premature_discharge", &relations::IntakeFacts::premature_discharge_concern},
};

std::string EncodeFacts(const relations::IntakeFacts& f) {
  std::string out;
  for (const auto& fc : kFactCodes) {
    if (f.*fc.member) {
      if (!out.empty()) out += ',';
      out += fc.code;
    }
  }
  return out;
}

relations::IntakeFacts DecodeFacts(const std::string& s, relations::Channel channel) {
  relations::IntakeFacts f;
  f.channel = channel;
  std::stringstream in(s);
  std::string code;
  while (std::getline(in, code, ',')) {
    for (const auto& fc : kFactCodes) {
      if (fc.code == code) f.*fc.member = true;
    }
  }
  return f;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

std::string Trim(std::string_view s) { return std::string(TrimSpace(s)); }

// ---- Deadline policies as stored: one rule per line,
// "<kind> <milestone> <days> <business_days|calendar_days> <remind_before_hours>".
std::string EncodePolicy(const relations::DeadlinePolicy& p) {
  std::string out;
  auto rules = [&](std::string_view kind, const std::vector<relations::DeadlineRule>& rs) {
    for (const auto& r : rs) {
      out += std::string(kind) + " " + std::string(relations::MilestoneName(r.milestone)) + " " +
             std::to_string(r.days) + " " + std::string(relations::DayCountName(r.count)) + " " +
             std::to_string(r.remind_before.count()) + "\n";
    }
  };
  rules("complaint", p.complaint);
  rules("grievance", p.grievance);
  rules("inquiry", p.inquiry);
  return out;
}

Result<relations::DeadlinePolicy> DecodePolicy(const std::string& s) {
  relations::DeadlinePolicy p;
  for (const std::string& line : Split(s, '\n')) {
    std::stringstream in(line);
    std::string kind, milestone, count;
    int days = 0;
    long hours = 0;
    if (!(in >> kind >> milestone >> days >> count >> hours)) {
      return Error::Internal("stored deadline policy line is malformed: " + line);
    }
    relations::DeadlineRule r;
    CD_ASSIGN_OR_RETURN(r.milestone, relations::ParseMilestone(milestone));
    r.days = days;
    r.count = count == "calendar_days" ? relations::DayCount::kCalendarDays : relations::DayCount::kBusinessDays;
    r.remind_before = std::chrono::hours(hours);
    if (kind == "complaint") p.complaint.push_back(r);
    if (kind == "grievance") p.grievance.push_back(r);
    if (kind == "inquiry") p.inquiry.push_back(r);
  }
  return p;
}

// The timeline the deadlines are judged on. A reopened case starts afresh at
// its reopening: only what happened since counts.
relations::CaseTimeline TimelineOf(const db::CaseRow& r) {
  relations::CaseTimeline t;
  int64_t start = r.reopened_at.value_or(r.received_at);
  t.received_at = FromMillis(start);
  auto since = [&](const std::optional<int64_t>& v) -> std::optional<TimePoint> {
    if (!v || *v < start) return std::nullopt;
    return FromMillis(*v);
  };
  t.acknowledged_at = since(r.acknowledged_at);
  t.interim_notice_sent_at = since(r.interim_notice_at);
  t.resolved_at = since(r.resolved_at);
  t.decision_letter_sent_at = since(r.decision_letter_at);
  return t;
}

// The earliest deadline not yet met: what overdue lists sort and filter by.
std::optional<int64_t> NextDue(const relations::CaseDeadlineReport& report) {
  std::optional<int64_t> next;
  for (const auto& d : report.deadlines) {
    if (d.met_at) continue;
    int64_t due = ToMillis(d.due);
    if (!next || due < *next) next = due;
  }
  return next;
}

bool IsOpen(const db::CaseRow& r) {
  auto s = relations::ParseCaseStatus(r.status);
  return s.ok() && relations::IsOpenStatus(*s);
}

Status CheckText(std::string_view field, const std::string& text, size_t max, bool required) {
  if (required && Trim(text).empty()) return Error::Invalid(std::string(field), "is required", "required");
  if (text.size() > max) {
    return Error::Invalid(std::string(field), "is longer than " + std::to_string(max) + " characters", "too_long");
  }
  return Ok();
}

Status CheckEmail(std::string_view field, const std::string& email) {
  if (email.empty()) return Ok();
  size_t at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos ||
      email.find_first_of(" \t\r\n<>") != std::string::npos) {
    return Error::Invalid(std::string(field), "is not an email address", "invalid_email");
  }
  return Ok();
}

double Percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

// ---------------------------------------------------------------- settings

Result<RelationsSettings> RelationsService::LoadSettings(db::Connection& c) {
  RelationsSettings s;
  CD_ASSIGN_OR_RETURN(auto org, db::SettingsRepository::Get(c, kOrganizationKey));
  s.organization_name = org.value_or(kDefaultOrganization);
  CD_ASSIGN_OR_RETURN(auto cats, db::SettingsRepository::Get(c, kCategoriesKey));
  if (cats) {
    CD_ASSIGN_OR_RETURN(s.categories, relations::CaseCategories::Create(Split(*cats, '\n')));
  }
  CD_ASSIGN_OR_RETURN(auto policy, db::SettingsRepository::Get(c, kPolicyKey));
  if (policy) {
    CD_ASSIGN_OR_RETURN(s.policy, DecodePolicy(*policy));
  }
  CD_ASSIGN_OR_RETURN(auto tmpl, db::SettingsRepository::Get(c, kTemplateKey));
  s.letter_template = tmpl.value_or(std::string(relations::DefaultResolutionLetterTemplate()));
  return s;
}

Result<RelationsSettings> RelationsService::Settings() {
  auto conn = pool_.Acquire();
  return LoadSettings(*conn);
}

Result<RelationsSettings> RelationsService::SaveSettings(const Actor& by, RelationsSettings s) {
  s.organization_name = Trim(s.organization_name);
  CD_RETURN_IF_ERROR(CheckText("organization_name", s.organization_name, 200, true));
  CD_RETURN_IF_ERROR(relations::ValidateDeadlinePolicy(s.policy));
  CD_RETURN_IF_ERROR(relations::ParseResolutionLetterTemplate(s.letter_template));
  std::string cats;
  for (const auto& n : s.categories.names()) cats += n + "\n";
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(db::SettingsRepository::Put(c, kOrganizationKey, s.organization_name));
    CD_RETURN_IF_ERROR(db::SettingsRepository::Put(c, kCategoriesKey, cats));
    CD_RETURN_IF_ERROR(db::SettingsRepository::Put(c, kPolicyKey, EncodePolicy(s.policy)));
    CD_RETURN_IF_ERROR(db::SettingsRepository::Put(c, kTemplateKey, s.letter_template));
    return audit_.AppendInTx(c, audit_.Make(by, "update", audit_category::kRelations, std::nullopt, "success",
                                            "patient relations settings"));
  });
  if (!st.ok()) return st.error();
  return LoadSettings(*conn);
}

Result<relations::BusinessCalendarConfig> RelationsService::ReadCalendarConfig(db::Connection& c,
                                                                               int64_t location_id) {
  CD_ASSIGN_OR_RETURN(Location loc, schedule_.GetLocation(location_id));
  relations::BusinessCalendarConfig cfg;
  cfg.time_zone = loc.time_zone;
  CD_ASSIGN_OR_RETURN(auto row, db::CaseRepository::Calendar(c, location_id));
  if (row) {
    cfg.working_weekdays.clear();
    for (const auto& d : Split(row->working_weekdays, ',')) cfg.working_weekdays.push_back(std::stoi(d));
    for (const auto& h : Split(row->holidays, ',')) {
      CD_ASSIGN_OR_RETURN(CivilDate date, ParseCivilDate(h, "holidays"));
      cfg.holidays.push_back(date);
    }
  }
  return cfg;
}

Result<relations::BusinessCalendarConfig> RelationsService::CalendarConfig(int64_t location_id) {
  auto conn = pool_.Acquire();
  return ReadCalendarConfig(*conn, location_id);
}

Result<relations::BusinessCalendarConfig> RelationsService::SaveCalendar(const Actor& by, int64_t location_id,
                                                                         relations::BusinessCalendarConfig cfg) {
  CD_ASSIGN_OR_RETURN(Location loc, schedule_.GetLocation(location_id));
  cfg.time_zone = loc.time_zone;
  std::sort(cfg.holidays.begin(), cfg.holidays.end());
  cfg.holidays.erase(std::unique(cfg.holidays.begin(), cfg.holidays.end()), cfg.holidays.end());
  CD_RETURN_IF_ERROR(relations::BusinessCalendar::Create(cfg));
  db::LocationCalendarRow row{location_id, "", ""};
  for (int d : cfg.working_weekdays) row.working_weekdays += (row.working_weekdays.empty() ? "" : ",") + std::to_string(d);
  for (const auto& h : cfg.holidays) row.holidays += (row.holidays.empty() ? "" : ",") + h.ToString();
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(db::CaseRepository::SaveCalendar(c, row));
    return audit_.AppendInTx(c, audit_.Make(by, "update", audit_category::kRelations, std::nullopt, "success",
                                            "business calendar of location " + std::to_string(location_id)));
  });
  if (!st.ok()) return st.error();
  return CalendarConfig(location_id);
}

Result<relations::BusinessCalendar> RelationsService::LoadCalendar(db::Connection& c, int64_t location_id) {
  CD_ASSIGN_OR_RETURN(auto cfg, ReadCalendarConfig(c, location_id));
  return relations::BusinessCalendar::Create(std::move(cfg));
}

Result<const relations::BusinessCalendar*> RelationsService::CalendarOf(db::Connection& c, int64_t location_id,
                                                                        Calendars& calendars) {
  auto it = calendars.find(location_id);
  if (it == calendars.end()) {
    CD_ASSIGN_OR_RETURN(auto calendar, LoadCalendar(c, location_id));
    it = calendars.emplace(location_id, std::move(calendar)).first;
  }
  return &it->second;
}

// ---------------------------------------------------------------- views

Result<CaseView> RelationsService::View(db::Connection& c, db::CaseRow row, const RelationsSettings& settings,
                                        bool detail, Calendars& calendars) {
  CaseView v;
  CD_ASSIGN_OR_RETURN(relations::Channel channel, relations::ParseChannel(row.channel));
  v.facts = DecodeFacts(row.facts, channel);
  CD_ASSIGN_OR_RETURN(CaseKind kind, relations::ParseCaseKind(row.kind));
  if (kind != CaseKind::kInquiry) v.proposal = relations::ProposeTriage(v.facts);
  CD_ASSIGN_OR_RETURN(const relations::BusinessCalendar* calendar, CalendarOf(c, row.location_id, calendars));
  CD_ASSIGN_OR_RETURN(CaseStatus status, relations::ParseCaseStatus(row.status));
  // Deadlines run until the case is closed (a resolved grievance still owes
  // its written decision); a closed case is judged as of its closing.
  TimePoint as_of = status == CaseStatus::kClosed && row.closed_at ? FromMillis(*row.closed_at) : clock_.Now();
  CD_ASSIGN_OR_RETURN(v.deadlines,
                      relations::AssessDeadlines(settings.policy, kind, TimelineOf(row), *calendar, as_of));
  v.allowed_next = relations::AllowedNextStatuses(status);
  if (detail) {
    v.detail = true;
    CD_ASSIGN_OR_RETURN(v.events, db::CaseRepository::Events(c, row.id));
    CD_ASSIGN_OR_RETURN(v.attachments, db::CaseRepository::Attachments(c, row.id));
    CD_ASSIGN_OR_RETURN(v.letter, db::CaseRepository::Letter(c, row.id));
  }
  v.row = std::move(row);
  return v;
}

Result<CaseView> RelationsService::Get(const Actor& by, int64_t id) {
  auto conn = pool_.Acquire();
  Calendars calendars;  // read once per location in this call
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(*conn));
  CD_ASSIGN_OR_RETURN(auto row, db::CaseRepository::Find(*conn, id));
  if (!row) return Error::NotFound("no case with id " + std::to_string(id));
  CD_ASSIGN_OR_RETURN(CaseView v, View(*conn, std::move(*row), settings, true, calendars));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kRelations, v.row.patient_id, "success",
                                               "case " + v.row.reference_number)));
  return v;
}

Result<std::pair<std::vector<CaseView>, int64_t>> RelationsService::List(const Actor& by, db::CaseFilter filter,
                                                                         bool overdue_only) {
  filter.limit = std::clamp(filter.limit, 1, 200);
  filter.offset = std::max(filter.offset, 0);
  if (overdue_only) filter.overdue_at = ToMillis(clock_.Now());
  auto conn = pool_.Acquire();
  Calendars calendars;  // read once per location in this call
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(*conn));
  CD_ASSIGN_OR_RETURN(auto page, db::CaseRepository::List(*conn, filter));
  std::vector<CaseView> views;
  std::vector<AuditRecord> audit;
  for (auto& row : page.first) {
    if (row.patient_id) {
      audit.push_back(audit_.Make(by, "list", audit_category::kRelations, row.patient_id, "success",
                                  "case " + row.reference_number));
    }
    CD_ASSIGN_OR_RETURN(CaseView v, View(*conn, std::move(row), settings, false, calendars));
    views.push_back(std::move(v));
  }
  if (!audit.empty()) {
    CD_RETURN_IF_ERROR(audit_.Record(std::move(audit)));
  }
  return std::make_pair(std::move(views), page.second);
}

// ---------------------------------------------------------------- intake

Result<CaseView> RelationsService::Create(const Actor& by, const StaffIntake& in) {
  auto conn = pool_.Acquire();
  Calendars calendars;  // read once per location in this call
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(*conn));
  CD_ASSIGN_OR_RETURN(int64_t id, Insert(*conn, settings, by, in, "staff", ""));
  CD_ASSIGN_OR_RETURN(auto saved, db::CaseRepository::Find(*conn, id));
  return View(*conn, std::move(*saved), settings, true, calendars);
}

Result<int64_t> RelationsService::Insert(db::Connection& conn, const RelationsSettings& settings, const Actor& by,
                                         const StaffIntake& in, const std::string& source,
                                         const std::string& extra_note) {
  relations::CaseIntake intake = in.intake;
  intake.department_id.reset();
  intake.staff_id.reset();
  if (intake.kind == CaseKind::kGrievance) {
    return Error::Invalid("kind", "a concern is taken as \"complaint\" and triaged into a grievance; or \"inquiry\"",
                          "invalid_kind");
  }
  CD_RETURN_IF_ERROR(relations::ValidateIntake(intake, settings.categories));
  if (in.location_id <= 0) return Error::Invalid("location_id", "is required", "required");
  auto loc = schedule_.GetLocation(in.location_id);
  if (!loc.ok()) return Error::Unprocessable("location_id", "no location with id " + std::to_string(in.location_id),
                                             "unknown_location");
  CD_RETURN_IF_ERROR(CheckText("department", in.department, 200, false));
  CD_RETURN_IF_ERROR(CheckText("staff_member", in.staff_member, 200, false));
  CD_RETURN_IF_ERROR(CheckText("contact_name", in.contact_name, 200, false));
  CD_RETURN_IF_ERROR(CheckEmail("contact_email", in.contact_email));
  CD_RETURN_IF_ERROR(CheckText("contact_phone", in.contact_phone, 50, false));
  TimePoint now = clock_.Now();
  TimePoint received = in.received_at.value_or(now);
  if (received > now + std::chrono::minutes(5)) {
    return Error::Invalid("received_at", "cannot be in the future", "in_the_future");
  }

  relations::IntakeFacts facts = in.facts;
  facts.channel = intake.channel;
  db::CaseRow row;
  row.kind = std::string(relations::CaseKindName(intake.kind));
  if (intake.kind != CaseKind::kInquiry) {
    row.kind = std::string(relations::CaseKindName(relations::ProposeTriage(facts).proposed));
  }
  if (intake.inquiry_type) row.inquiry_type = std::string(relations::InquiryTypeName(*intake.inquiry_type));
  row.status = std::string(relations::CaseStatusName(CaseStatus::kReceived));
  row.channel = std::string(relations::ChannelName(intake.channel));
  row.category = intake.category;
  row.severity = std::string(relations::SeverityName(intake.severity));
  row.description = Trim(intake.description);
  row.desired_outcome = Trim(intake.desired_outcome);
  row.patient_id = intake.patient_id;
  row.encounter_id = intake.encounter_id;
  row.location_id = in.location_id;
  row.department = Trim(in.department);
  row.staff_member = Trim(in.staff_member);
  row.contact_name = Trim(in.contact_name);
  row.contact_email = Trim(in.contact_email);
  row.contact_phone = Trim(in.contact_phone);
  row.contact_preference = std::string(relations::ContactPreferenceName(intake.contact_preference));
  row.facts = EncodeFacts(facts);
  row.received_at = ToMillis(received);
  row.source = source;
  row.created_by = by.username;
  row.created_at = row.updated_at = ToMillis(now);

  int64_t id = 0;
  auto st = db::InTransaction(conn, true, [&](db::Connection& c) -> Status {
    if (row.patient_id) {
      CD_RETURN_IF_ERROR(RequireCurrentPatient(c, *row.patient_id));
    }
    if (row.encounter_id) {
      CD_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT patient_id FROM encounters WHERE id = $1", {*row.encounter_id}));
      if (rs.empty()) {
        return Error::Unprocessable("encounter_id", "no encounter with id " + std::to_string(*row.encounter_id),
                                    "unknown_encounter");
      }
      if (row.patient_id && rs.Int(0, 0) != *row.patient_id) {
        return Error::Unprocessable("encounter_id", "that encounter belongs to another patient", "patient_mismatch");
      }
    }
    int year = InstantToLocal(received, loc->time_zone).date.year;
    CD_ASSIGN_OR_RETURN(int64_t seq, db::CaseRepository::NextSequence(c, year));
    CD_ASSIGN_OR_RETURN(row.reference_number, relations::FormatReferenceNumber({year, seq}));
    CD_ASSIGN_OR_RETURN(auto calendar, LoadCalendar(c, row.location_id));
    CD_ASSIGN_OR_RETURN(CaseKind kind, relations::ParseCaseKind(row.kind));
    CD_ASSIGN_OR_RETURN(auto report, relations::AssessDeadlines(settings.policy, kind, TimelineOf(row), calendar, now));
    row.next_due_at = NextDue(report);
    CD_ASSIGN_OR_RETURN(id, db::CaseRepository::Insert(c, row));
    CommentInput comment{"case", id, row.location_id, loc->time_zone, row.department, std::nullopt, received,
                         row.description};
    CD_RETURN_IF_ERROR(comments_.RecordInTx(c, comment));
    CD_RETURN_IF_ERROR(db::CaseRepository::AddEvent(
        c, {0, id, row.created_at, by.username, "intake",
            "Taken by " + by.username + " (" + row.channel + "), category " + row.category}));
    if (!extra_note.empty()) {
      CD_RETURN_IF_ERROR(db::CaseRepository::AddEvent(c, {0, id, row.created_at, by.username, "note", extra_note}));
    }
    return audit_.AppendInTx(c, audit_.Make(by, "create", audit_category::kRelations, row.patient_id, "success",
                                            "case " + row.reference_number));
  });
  if (!st.ok()) return st.error();
  return id;
}

Result<PublicReceipt> RelationsService::SubmitPublic(const PublicSubmission& s) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(*conn));
  CD_RETURN_IF_ERROR(CheckText("name", s.name, 200, true));
  CD_RETURN_IF_ERROR(CheckEmail("email", s.email));
  CD_RETURN_IF_ERROR(CheckText("phone", s.phone, 50, false));
  CD_ASSIGN_OR_RETURN(auto preference, relations::ParseContactPreference(s.contact_preference.empty()
                                                                              ? "none"
                                                                              : s.contact_preference));
  if (preference == relations::ContactPreference::kEmail && Trim(s.email).empty()) {
    return Error::Invalid("email", "is needed to answer by email", "required");
  }
  if (preference == relations::ContactPreference::kPhone && Trim(s.phone).empty()) {
    return Error::Invalid("phone", "is needed to answer by phone", "required");
  }
  std::optional<CivilDate> visit;
  if (!s.visit_date.empty()) {
    CD_ASSIGN_OR_RETURN(visit, ParseCivilDate(s.visit_date, "visit_date"));
  }

  relations::CaseIntake intake;
  intake.kind = CaseKind::kComplaint;
  intake.channel = relations::Channel::kWebForm;
  intake.category = s.category.empty() ? "other" : s.category;
  intake.severity = relations::Severity::kMedium;
  intake.description = s.description;
  intake.desired_outcome = s.desired_outcome;
  intake.contact_preference = preference;
  if (!settings.categories.Contains(intake.category)) intake.category = settings.categories.names().back();
  CD_RETURN_IF_ERROR(relations::ValidateIntake(intake, settings.categories));

  // Spam: a filled honeypot or a form sent faster than a person can type is
  // answered like any other submission, so the sender learns nothing, but
  // not stored.
  if (!s.website.empty() || s.elapsed_ms < 3000) {
    TimePoint now = clock_.Now();
    return PublicReceipt{*relations::FormatReferenceNumber(
                             {InstantToLocal(now, "UTC").date.year,
                              static_cast<int64_t>(ToMillis(now) % relations::kMaxReferenceSequence) + 1}),
                         false};
  }

  std::vector<Location> locations;
  CD_ASSIGN_OR_RETURN(locations, schedule_.Locations());
  if (locations.empty()) return Error::Unavailable("no location is set up to receive cases");
  int64_t location_id = locations.front().id;
  if (s.location_id) {
    auto it = std::find_if(locations.begin(), locations.end(), [&](const Location& l) { return l.id == *s.location_id; });
    if (it == locations.end()) {
      return Error::Invalid("location_id", "no location with id " + std::to_string(*s.location_id), "unknown_location");
    }
    location_id = *s.location_id;
  }
  StaffIntake staff;
  staff.intake = intake;
  staff.facts.written = true;
  staff.facts.response_requested = preference != relations::ContactPreference::kNone;
  staff.location_id = location_id;
  staff.contact_name = Trim(s.name);
  staff.contact_email = Trim(s.email);
  staff.contact_phone = Trim(s.phone);
  Actor public_form{0, "public-form", Role::kCoordinator, s.client_address, 0};
  CD_ASSIGN_OR_RETURN(int64_t id, Insert(*conn, settings, public_form, staff, "public",
                                         visit ? "Date of the visit concerned: " + visit->ToString() : ""));
  CD_ASSIGN_OR_RETURN(auto saved, db::CaseRepository::Find(*conn, id));
  return PublicReceipt{saved->reference_number, true};
}

// ---------------------------------------------------------------- changes

Result<CaseView> RelationsService::Modify(const Actor& by, int64_t id, const std::string& action, const Change& change) {
  auto conn = pool_.Acquire();
  Calendars calendars;  // read once per location in this call
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(*conn));
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto found, db::CaseRepository::Find(c, id));
    if (!found) return Error::NotFound("no case with id " + std::to_string(id));
    db::CaseRow row = std::move(*found);
    std::string type, text;
    CD_RETURN_IF_ERROR(change(c, row, settings, type, text));
    TimePoint now = clock_.Now();
    row.updated_at = ToMillis(now);
    CD_ASSIGN_OR_RETURN(auto calendar, LoadCalendar(c, row.location_id));
    CD_ASSIGN_OR_RETURN(CaseKind kind, relations::ParseCaseKind(row.kind));
    CD_ASSIGN_OR_RETURN(auto report, relations::AssessDeadlines(settings.policy, kind, TimelineOf(row), calendar, now));
    row.next_due_at = row.status != "closed" ? NextDue(report) : std::nullopt;
    CD_RETURN_IF_ERROR(db::CaseRepository::Update(c, row));
    if (!type.empty()) {
      CD_RETURN_IF_ERROR(db::CaseRepository::AddEvent(c, {0, id, row.updated_at, by.username, type, text}));
    }
    return audit_.AppendInTx(c, audit_.Make(by, action, audit_category::kRelations, row.patient_id, "success",
                                            "case " + row.reference_number));
  });
  if (!st.ok()) return st.error();
  CD_ASSIGN_OR_RETURN(auto saved, db::CaseRepository::Find(*conn, id));
  return View(*conn, std::move(*saved), settings, true, calendars);
}

Result<CaseView> RelationsService::ConfirmTriage(const Actor& by, int64_t id, std::string_view chosen_name,
                                                 const std::string& override_reason) {
  CD_ASSIGN_OR_RETURN(CaseKind chosen, relations::ParseCaseKind(chosen_name, "chosen"));
  return Modify(by, id, "triage", [&](db::Connection&, db::CaseRow& row, const RelationsSettings&, std::string& type,
                                      std::string& text) -> Status {
    if (row.kind == "inquiry") return Error::Conflict("not_triaged", "inquiries are not triaged", "chosen");
    if (row.triage_chosen) return Error::Conflict("already_triaged", "this case's triage is already confirmed", "chosen");
    CD_ASSIGN_OR_RETURN(relations::Channel channel, relations::ParseChannel(row.channel));
    auto proposal = relations::ProposeTriage(DecodeFacts(row.facts, channel));
    CD_ASSIGN_OR_RETURN(auto decision, relations::ConfirmTriage(proposal, chosen, override_reason));
    row.kind = std::string(relations::CaseKindName(decision.chosen));
    row.triage_chosen = row.kind;
    row.triage_overridden = decision.overridden;
    row.triage_override_reason = decision.override_reason;
    row.triage_by = by.username;
    row.triage_at = ToMillis(clock_.Now());
    type = "triage";
    text = "Confirmed as " + row.kind +
           (decision.overridden ? " (CareDesk proposed " + std::string(relations::CaseKindName(proposal.proposed)) +
                                      "; reason: " + decision.override_reason + ")"
                                : "") +
           (decision.offer_qio_referral ? ". The patient is to be offered a referral to the QIO." : "");
    return Ok();
  });
}

Result<CaseView> RelationsService::SetStatus(const Actor& by, int64_t id, std::string_view status_name,
                                             const std::string& note) {
  CD_ASSIGN_OR_RETURN(CaseStatus to, relations::ParseCaseStatus(status_name));
  CD_RETURN_IF_ERROR(CheckText("note", note, kMaxNoteLength, false));
  return Modify(by, id, "status", [&](db::Connection&, db::CaseRow& row, const RelationsSettings&, std::string& type,
                                      std::string& text) -> Status {
    CD_ASSIGN_OR_RETURN(CaseStatus from, relations::ParseCaseStatus(row.status));
    CD_RETURN_IF_ERROR(relations::CheckCaseTransition(from, to));
    if (to == CaseStatus::kClosed && row.kind == "grievance" && !row.decision_letter_at) {
      return Error::Conflict("letter_required", "a grievance is closed only once its written decision has been sent",
                             "status");
    }
    int64_t now = ToMillis(clock_.Now());
    switch (to) {
      case CaseStatus::kAcknowledged:
        if (!row.acknowledged_at || (row.reopened_at && *row.acknowledged_at < *row.reopened_at)) {
          row.acknowledged_at = now;
        }
        break;
      case CaseStatus::kResolved:
        row.resolved_at = now;
        break;
      case CaseStatus::kClosed:
        row.closed_at = now;
        if (!row.resolved_at) row.resolved_at = now;
        break;
      case CaseStatus::kReopened:
        row.reopened_at = now;
        row.resolved_at.reset();
        row.closed_at.reset();
        break;
      default:
        break;
    }
    row.status = std::string(relations::CaseStatusName(to));
    type = "status";
    text = std::string(relations::CaseStatusName(from)) + " → " + row.status + (note.empty() ? "" : ": " + Trim(note));
    return Ok();
  });
}

Result<CaseView> RelationsService::SetOwner(const Actor& by, int64_t id, std::optional<int64_t> owner) {
  return Modify(by, id, "assign", [&](db::Connection& c, db::CaseRow& row, const RelationsSettings&, std::string& type,
                                      std::string& text) -> Status {
    std::string name = "nobody";
    if (owner) {
      CD_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT display_name, role, active FROM users WHERE id = $1", {*owner}));
      if (rs.empty() || rs.Int(0, 2) == 0) {
        return Error::Unprocessable("owner_user_id", "no active user with id " + std::to_string(*owner),
                                    "unknown_user");
      }
      auto role = ParseRole(rs.Text(0, 1));
      if (!role || !RoleHas(*role, Permission::kCasesWrite)) {
        return Error::Unprocessable("owner_user_id", rs.Text(0, 0) + "'s role cannot work cases", "not_permitted");
      }
      name = rs.Text(0, 0);
    }
    row.owner_user_id = owner;
    type = "owner";
    text = "Owner: " + name;
    return Ok();
  });
}

Result<CaseView> RelationsService::AddNote(const Actor& by, int64_t id, std::string_view note_type,
                                           const std::string& note) {
  if (note_type != "note" && note_type != "action") {
    return Error::Invalid("type", "is \"note\" (an investigation note) or \"action\" (an action taken)", "invalid_type");
  }
  CD_RETURN_IF_ERROR(CheckText("text", note, kMaxNoteLength, true));
  return Modify(by, id, "note", [&](db::Connection&, db::CaseRow&, const RelationsSettings&, std::string& type,
                                    std::string& text) -> Status {
    type = std::string(note_type);
    text = Trim(note);
    return Ok();
  });
}

Result<CaseView> RelationsService::SendInterimNotice(const Actor& by, int64_t id, const std::string& note) {
  CD_RETURN_IF_ERROR(CheckText("text", note, kMaxNoteLength, false));
  return Modify(by, id, "interim_notice", [&](db::Connection&, db::CaseRow& row, const RelationsSettings&,
                                              std::string& type, std::string& text) -> Status {
    if (!IsOpen(row)) return Error::Conflict("case_settled", "the case is already " + row.status, "status");
    row.interim_notice_at = ToMillis(clock_.Now());
    type = "interim_notice";
    text = "Interim notice sent: the patient was told the investigation continues" +
           (Trim(note).empty() ? std::string(".") : ". " + Trim(note));
    return Ok();
  });
}

Result<db::CaseAttachmentRow> RelationsService::AddAttachment(const Actor& by, int64_t id,
                                                               const std::string& filename,
                                                               const std::string& content_type,
                                                               const std::string& bytes) {
  std::string name = Trim(filename);
  if (name.empty()) return Error::Invalid("filename", "is required", "required");
  if (name.size() > 200 || name.find_first_of("/\\\r\n\"") != std::string::npos) {
    return Error::Invalid("filename", "must be a plain file name of at most 200 characters", "invalid_filename");
  }
  if (bytes.empty()) return Error::Invalid("body", "the file is empty", "required");
  if (bytes.size() > kMaxAttachmentBytes) {
    return Error::Invalid("body", "attachments are limited to 10 MB", "too_large");
  }
  db::CaseAttachmentRow a;
  a.case_id = id;
  a.filename = name;
  a.content_type = content_type.empty() ? "application/octet-stream" : content_type.substr(0, 100);
  a.size = static_cast<int64_t>(bytes.size());
  a.uploaded_by = by.username;
  auto r = Modify(by, id, "attach", [&](db::Connection& c, db::CaseRow&, const RelationsSettings&, std::string& type,
                                         std::string& text) -> Status {
    a.uploaded_at = ToMillis(clock_.Now());
    CD_ASSIGN_OR_RETURN(a.id, db::CaseRepository::AddAttachment(c, a, Base64Encode(bytes)));
    type = "attachment";
    text = "Attached " + a.filename + " (" + std::to_string(a.size) + " bytes)";
    return Ok();
  });
  if (!r.ok()) return r.error();
  return a;
}

Result<CaseAttachment> RelationsService::GetAttachment(const Actor& by, int64_t id, int64_t attachment_id) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto row, db::CaseRepository::Find(*conn, id));
  if (!row) return Error::NotFound("no case with id " + std::to_string(id));
  CD_ASSIGN_OR_RETURN(auto found, db::CaseRepository::Attachment(*conn, id, attachment_id));
  if (!found) return Error::NotFound("no attachment " + std::to_string(attachment_id) + " on this case");
  auto bytes = Base64Decode(found->second);
  if (!bytes) return Error::Internal("attachment " + std::to_string(attachment_id) + " is stored damaged");
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kRelations, row->patient_id, "success",
                                               "attachment " + found->first.filename + " of case " +
                                                   row->reference_number)));
  return CaseAttachment{std::move(found->first), std::move(*bytes)};
}

// ---------------------------------------------------------------- letter

Result<CaseView> RelationsService::SaveLetter(const Actor& by, int64_t id, const LetterInput& in) {
  return Modify(by, id, "letter", [&](db::Connection& c, db::CaseRow& row, const RelationsSettings& settings,
                                      std::string& type, std::string& text) -> Status {
    if (row.kind != "grievance") {
      return Error::Conflict("not_a_grievance", "a written decision is prepared for grievances", "kind");
    }
    relations::ResolutionLetter letter;
    letter.patient_name = row.contact_name.empty() ? row.patient_name : row.contact_name;
    if (Trim(letter.patient_name).empty()) {
      return Error::Unprocessable("contact_name", "the case names neither a contact nor a patient to write to",
                                  "required");
    }
    letter.organization_name = settings.organization_name;
    letter.contact_name = in.contact_name;
    letter.contact_title = in.contact_title;
    letter.contact_phone = in.contact_phone;
    letter.investigation_steps = in.investigation_steps;
    letter.results = in.results;
    letter.further_recourse = in.further_recourse;
    letter.reference_number = row.reference_number;
    CD_ASSIGN_OR_RETURN(auto calendar, LoadCalendar(c, row.location_id));
    letter.received_date = calendar.LocalDate(FromMillis(row.received_at));
    if (in.completion_date.empty()) return Error::Invalid("completion_date", "is required", "required");
    CD_ASSIGN_OR_RETURN(letter.completion_date, ParseCivilDate(in.completion_date, "completion_date"));
    if (in.letter_date.empty()) {
      letter.letter_date = calendar.LocalDate(clock_.Now());
    } else {
      CD_ASSIGN_OR_RETURN(letter.letter_date, ParseCivilDate(in.letter_date, "letter_date"));
    }
    CD_ASSIGN_OR_RETURN(auto tmpl, relations::ParseResolutionLetterTemplate(settings.letter_template));
    CD_ASSIGN_OR_RETURN(auto rendered, relations::RenderResolutionLetter(tmpl, letter));
    render::LetterPdfOptions options;
    options.title = "Grievance decision " + row.reference_number;
    options.organization = settings.organization_name;
    options.footer = "Reference " + row.reference_number;
    CD_ASSIGN_OR_RETURN(std::string pdf, render::RenderLetterPdf(rendered.paragraphs, options));
    CD_ASSIGN_OR_RETURN(auto previous, db::CaseRepository::Letter(c, row.id));
    db::CaseLetterRow l;
    l.case_id = row.id;
    l.contact_name = Trim(in.contact_name);
    l.contact_title = Trim(in.contact_title);
    l.contact_phone = Trim(in.contact_phone);
    l.investigation_steps = in.investigation_steps;
    l.results = in.results;
    l.completion_date = letter.completion_date->ToString();
    l.letter_date = letter.letter_date->ToString();
    l.further_recourse = in.further_recourse;
    l.rendered_text = rendered.ToPlainText();
    l.pdf_base64 = Base64Encode(pdf);
    l.updated_at = ToMillis(clock_.Now());
    if (previous && previous->sent_at) {
      return Error::Conflict("letter_sent", "the decision letter has been sent; it can no longer be changed", "letter");
    }
    CD_RETURN_IF_ERROR(db::CaseRepository::SaveLetter(c, l));
    type = "letter";
    text = previous ? "Decision letter revised" : "Decision letter drafted";
    return Ok();
  });
}

Result<std::string> RelationsService::LetterPdf(const Actor& by, int64_t id) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto row, db::CaseRepository::Find(*conn, id));
  if (!row) return Error::NotFound("no case with id " + std::to_string(id));
  CD_ASSIGN_OR_RETURN(auto letter, db::CaseRepository::Letter(*conn, id));
  if (!letter) return Error::NotFound("case " + row->reference_number + " has no decision letter yet");
  auto pdf = Base64Decode(letter->pdf_base64);
  if (!pdf) return Error::Internal("the letter of case " + row->reference_number + " is stored damaged");
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "print", audit_category::kRelations, row->patient_id, "success",
                                               "decision letter of case " + row->reference_number)));
  return std::move(*pdf);
}

Result<CaseView> RelationsService::SendLetter(const Actor& by, int64_t id) {
  return Modify(by, id, "letter_sent", [&](db::Connection& c, db::CaseRow& row, const RelationsSettings&,
                                           std::string& type, std::string& text) -> Status {
    CD_ASSIGN_OR_RETURN(auto letter, db::CaseRepository::Letter(c, row.id));
    if (!letter) return Error::Conflict("no_letter", "draft the decision letter first", "letter");
    if (letter->sent_at) return Error::Conflict("letter_sent", "the decision letter was already sent", "letter");
    int64_t now = ToMillis(clock_.Now());
    CD_RETURN_IF_ERROR(db::CaseRepository::MarkLetterSent(c, row.id, now));
    row.decision_letter_at = now;
    type = "letter";
    text = "Decision letter sent (" + row.contact_preference + ")";
    return Ok();
  });
}

// ---------------------------------------------------------------- owners, report

Result<std::vector<CaseOwner>> RelationsService::Owners() {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto rs, conn->Query("SELECT id, display_name, role FROM users WHERE active = 1 ORDER BY "
                                           "display_name, id"));
  std::vector<CaseOwner> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    auto role = ParseRole(rs.Text(i, 2));
    if (role && RoleHas(*role, Permission::kCasesWrite)) out.push_back({rs.Int(i, 0), rs.Text(i, 1), rs.Text(i, 2)});
  }
  return out;
}

namespace {
// Adds a case's deadlines that have fallen due to `due`, and those met on time also to `met`.
template <class N>
void CountDeadlines(const CaseView& v, N& due, N& met) {
  for (const auto& dl : v.deadlines.deadlines) {
    if (dl.state == relations::DeadlineState::kMet) ++met, ++due;
    if (dl.state == relations::DeadlineState::kMetLate || dl.state == relations::DeadlineState::kOverdue) ++due;
  }
}
}  // namespace

Result<std::vector<DeadlineTally>> RelationsService::DeadlineTallies(db::Connection& c, int64_t from_ms,
                                                                     int64_t to_ms,
                                                                     std::optional<int64_t> location_id) {
  Calendars calendars;
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(c));
  CD_ASSIGN_OR_RETURN(auto rows, db::CaseRepository::Received(c, from_ms, to_ms, location_id));
  std::vector<DeadlineTally> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    DeadlineTally t;
    t.case_id = row.id;
    t.location_id = row.location_id;
    t.received_at = row.received_at;
    t.department = row.department;
    CD_ASSIGN_OR_RETURN(CaseView v, View(c, std::move(row), settings, false, calendars));
    CountDeadlines(v, t.due, t.met);
    out.push_back(t);
  }
  return out;
}

Result<RelationsReport> RelationsService::Report(const Actor& by, const CivilDate& from, const CivilDate& to,
                                                 std::optional<int64_t> location_id) {
  if (to < from) return Error::Invalid("to", "is before from", "before_from");
  if (to.DaysSinceEpoch() - from.DaysSinceEpoch() > 3660) return Error::Invalid("to", "at most ten years", "too_long");
  auto conn = pool_.Acquire();
  Calendars calendars;  // read once per location in this call
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(*conn));
  // The period in UTC days, widened by a day each side and trimmed per case by
  // its location's local date.
  int64_t from_ms = (from.DaysSinceEpoch() - 1) * 86'400'000;
  int64_t to_ms = (to.DaysSinceEpoch() + 2) * 86'400'000;
  CD_ASSIGN_OR_RETURN(auto rows, db::CaseRepository::Received(*conn, from_ms, to_ms, location_id));
  CD_ASSIGN_OR_RETURN(auto visit_rs,
                      conn->Query("SELECT e.arrived_at, l.time_zone FROM encounters e JOIN locations l ON l.id = "
                                  "e.location_id WHERE e.state = 'completed' AND e.arrived_at >= $1 AND "
                                  "e.arrived_at < $2 AND (CAST($3 AS BIGINT) IS NULL OR e.location_id = $3)",
                                  {from_ms, to_ms, location_id}));
  RelationsReport r;
  std::map<std::string, int64_t> visits_by_month;
  for (size_t i = 0; i < visit_rs.size(); ++i) {
    CivilDate d = InstantToLocal(FromMillis(visit_rs.Int(i, 0)), visit_rs.Text(i, 1)).date;
    if (d < from || to < d) continue;
    ++r.visits;
    ++visits_by_month[d.ToString().substr(0, 7)];
  }
  std::map<std::string, int64_t> by_category, by_department, by_month;
  std::vector<double> ack_hours, resolve_days;
  int64_t deadlines_due = 0, deadlines_met = 0;
  TimePoint now = clock_.Now();
  for (auto& row : rows) {
    CivilDate d = InstantToLocal(FromMillis(row.received_at), row.time_zone).date;
    if (d < from || to < d) continue;
    ++r.cases;
    ++by_category[row.category];
    ++by_department[row.department];  // "" = not recorded
    ++by_month[d.ToString().substr(0, 7)];
    if (row.acknowledged_at) ack_hours.push_back((*row.acknowledged_at - row.received_at) / 3'600'000.0);
    if (row.resolved_at) resolve_days.push_back((*row.resolved_at - row.received_at) / 86'400'000.0);
    CD_ASSIGN_OR_RETURN(CaseView v, View(*conn, std::move(row), settings, false, calendars));
    CountDeadlines(v, deadlines_due, deadlines_met);
  }
  auto per_1000 = [&](int64_t n, int64_t visits) { return visits > 0 ? 1000.0 * n / visits : 0.0; };
  r.per_1000_visits = per_1000(r.cases, r.visits);
  auto keyed = [&](const std::map<std::string, int64_t>& m) {
    std::vector<KeyCount> out;
    for (const auto& [k, n] : m) out.push_back({k, n, per_1000(n, r.visits)});
    std::sort(out.begin(), out.end(), [](const KeyCount& a, const KeyCount& b) {
      return a.count != b.count ? a.count > b.count : a.key < b.key;
    });
    return out;
  };
  r.by_category = keyed(by_category);
  r.by_department = keyed(by_department);
  for (CivilDate m{from.year, from.month, 1}; !(to < m);) {
    std::string key = m.ToString().substr(0, 7);
    int64_t visits = visits_by_month.count(key) ? visits_by_month[key] : 0;
    int64_t n = by_month.count(key) ? by_month[key] : 0;
    r.by_month.push_back({key, n, visits, per_1000(n, visits)});
    m = m.month == 12 ? CivilDate{m.year + 1, 1, 1} : CivilDate{m.year, m.month + 1, 1};
  }
  if (!ack_hours.empty()) {
    r.acknowledge_hours_median = Percentile(ack_hours, 0.5);
    r.acknowledge_hours_p90 = Percentile(ack_hours, 0.9);
  }
  if (!resolve_days.empty()) {
    r.resolve_days_median = Percentile(resolve_days, 0.5);
    r.resolve_days_p90 = Percentile(resolve_days, 0.9);
  }
  if (deadlines_due > 0) r.within_deadline_share = static_cast<double>(deadlines_met) / deadlines_due;
  CD_ASSIGN_OR_RETURN(r.open_now, db::CaseRepository::CountOpen(*conn, location_id, std::nullopt));
  CD_ASSIGN_OR_RETURN(r.overdue_now, db::CaseRepository::CountOpen(*conn, location_id, ToMillis(now)));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "report", audit_category::kRelations, std::nullopt, "success",
                                               "relations report " + from.ToString() + ".." + to.ToString())));
  return r;
}

}  // namespace caredesk
