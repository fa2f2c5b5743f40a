#include "app/survey_service.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/civil_time.h"
#include "core/text.h"
#include "domain/feedback/question_kind.h"
#include "domain/security/credentials.h"
#include "domain/surveys/group_by.h"
#include "domain/surveys/hcahps_template.h"
#include "domain/surveys/survey_token.h"
#include "render/qr_svg.h"
#include "storage/patient_repository.h"
#include "storage/settings_repository.h"

namespace caredesk {
namespace {

using namespace std::chrono_literals;

constexpr char kOrganizationKey[] = "relations.organization_name";  // shared with the complaint letters
constexpr char kPrefix[] = "surveys.";
constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;
// Visits that ended longer ago than this are not invited when a survey is first switched on.
constexpr int64_t kLookbackMs = 14 * kDayMs;
constexpr int kCandidateBatch = 500;
constexpr int kEmailBatch = 200;
constexpr int kMaxSendAttempts = 5;
constexpr size_t kMaxImportBytes = 20 * 1024 * 1024;

// A link token: 24 random bytes, URL-safe; stored only as its SHA-256.
std::string NewLinkToken() { return RandomToken(24); }

bool ValidToken(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  return std::all_of(t.begin(), t.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string GivenName(const std::string& patient_name) {
  // "Family, Given"
  auto comma = patient_name.find(", ");
  std::string given = comma == std::string::npos ? std::string() : patient_name.substr(comma + 2);
  return TrimSpace(given).empty() ? std::string() : std::string(TrimSpace(given));
}

surveys::TokenTimes TimesOf(const db::InvitationRow& row) {
  surveys::TokenTimes t;
  t.issued_at = FromMillis(row.issued_at);
  t.expires_at = FromMillis(row.expires_at);
  if (row.used_at) t.used_at = FromMillis(*row.used_at);
  t.opted_out = row.opted_out;
  return t;
}

surveys::Metadata MetadataOf(const db::ResponseRow& r) {
  surveys::Metadata m;
  m["department"] = r.department;
  m["provider"] = r.provider_label;
  m["location"] = r.location_label;
  m["date"] = r.visit_date;
  return m;
}

Result<std::optional<surveys::GroupKey>> GroupKeyFor(const std::string& group_by) {
  using surveys::GroupKey;
  using surveys::PeriodUnit;
  if (group_by.empty()) return std::optional<GroupKey>();
  if (group_by == "department" || group_by == "provider" || group_by == "location") {
    return std::optional<GroupKey>(GroupKey::Field(group_by));
  }
  if (group_by == "week") return std::optional<GroupKey>(GroupKey::Period("date", PeriodUnit::kWeek));
  if (group_by == "month") return std::optional<GroupKey>(GroupKey::Period("date", PeriodUnit::kMonth));
  if (group_by == "quarter") return std::optional<GroupKey>(GroupKey::Period("date", PeriodUnit::kQuarter));
  return Error::Invalid("group_by", "group_by is one of department, provider, location, week, month, quarter");
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Unavailable("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

surveys::SurveyDraft DraftOf(const surveys::SurveyDefinition& d) {
  surveys::SurveyDraft draft;
  draft.id = d.id();
  draft.version = d.version();
  draft.title = d.title();
  draft.items = d.items();
  draft.measures = d.measures();
  return draft;
}

// The kind of question a free-text answer to item `item_id` answers, which the comment classifier
// reads with the text: that of the item's prompt ("What could we do better?": could_improve).
feedback::QuestionKind QuestionOfItem(const surveys::SurveyDefinition& definition, std::string_view item_id) {
  const surveys::SurveyItem* item = definition.FindItem(item_id);
  return item != nullptr ? feedback::QuestionKindOfPrompt(item->text) : feedback::QuestionKind::kNonspecific;
}

// The answers given, free text trimmed; an empty text box is no answer.
std::vector<surveys::Answer> Given(std::vector<surveys::Answer> answers) {
  std::vector<surveys::Answer> out;
  for (auto& a : answers) {
    if (a.text) {
      std::string trimmed(TrimSpace(*a.text));
      if (trimmed.empty()) continue;
      a.text = std::move(trimmed);
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

SurveyService::SurveyService(db::Pool& pool, const Clock& clock, AuditLog& audit, CommentService& comments,
                             mail::SmtpSender* mailer, std::string data_dir)
    : pool_(pool), clock_(clock), audit_(audit), comments_(comments), mailer_(mailer), data_dir_(std::move(data_dir)) {}

std::string SurveyService::LinkFor(const std::string& base_url, const std::string& token) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/s/" + token;
}

// ---------------------------------------------------------------------------------------------
// Builder

Result<SurveyVersionView> SurveyService::View(db::Connection& c, const std::string& id, int version) {
  CD_ASSIGN_OR_RETURN(auto stored, db::SurveyRepository::LoadVersion(c, id, version));
  if (!stored) return Error::NotFound("survey " + id + " has no version " + std::to_string(version));
  CD_ASSIGN_OR_RETURN(auto versions, db::SurveyRepository::Versions(c, id));
  CD_ASSIGN_OR_RETURN(int64_t responses, db::SurveyRepository::CountResponses(c, id, version));
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(c));
  return SurveyVersionView{std::move(stored->definition), stored->created_at, stored->created_by,
                           settings.active_survey_id == id, responses, std::move(versions)};
}

Result<std::vector<SurveySummary>> SurveyService::List(const Actor&) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto rows, db::SurveyRepository::List(*conn));
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(*conn));
  std::vector<SurveySummary> out;
  for (auto& row : rows) {
    bool active = row.id == settings.active_survey_id;
    out.push_back({std::move(row), active});
  }
  return out;
}

Result<SurveyVersionView> SurveyService::Get(const Actor&, const std::string& id, std::optional<int> version) {
  auto conn = pool_.Acquire();
  if (!version) {
    CD_ASSIGN_OR_RETURN(auto latest, db::SurveyRepository::LatestVersion(*conn, id));
    if (!latest) return Error::NotFound("no survey " + id);
    version = latest;
  }
  return View(*conn, id, *version);
}

Result<SurveyVersionView> SurveyService::Create(const Actor& by, surveys::SurveyDraft draft) {
  draft.version = 1;
  if (draft.measures.empty()) draft.measures = surveys::MeasuresFromItems(draft.items);
  CD_ASSIGN_OR_RETURN(auto def, surveys::SurveyDefinition::Create(std::move(draft)));
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto latest, db::SurveyRepository::LatestVersion(c, def.id()));
    if (latest) return Error::Conflict("survey_exists", "a survey with id " + def.id() + " exists", "id");
    CD_RETURN_IF_ERROR(db::SurveyRepository::InsertVersion(c, def, ToMillis(clock_.Now()), by.username));
    return audit_.AppendInTx(c, audit_.Make(by, "create", audit_category::kSurveys, std::nullopt, "success",
                                            "survey " + def.id() + " version 1"));
  });
  if (!st.ok()) {
    if (db::IsUniqueViolation(st.error())) {
      return Error::Conflict("survey_exists", "a survey with id " + def.id() + " exists", "id");
    }
    return std::move(st).error();
  }
  return View(*conn, def.id(), 1);
}

Result<SurveyVersionView> SurveyService::AddVersion(const Actor& by, const std::string& id,
                                                    surveys::SurveyDraft draft) {
  if (draft.measures.empty()) draft.measures = surveys::MeasuresFromItems(draft.items);
  auto conn = pool_.Acquire();
  int made = 0;
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto latest, db::SurveyRepository::LatestVersion(c, id));
    if (!latest) return Error::NotFound("no survey " + id);
    CD_ASSIGN_OR_RETURN(auto current, db::SurveyRepository::LoadVersion(c, id, *latest));
    if (!current) return Error::NotFound("no survey " + id);
    CD_ASSIGN_OR_RETURN(auto next, current->definition.NextVersion(std::move(draft)));
    made = next.version();
    CD_RETURN_IF_ERROR(db::SurveyRepository::InsertVersion(c, next, ToMillis(clock_.Now()), by.username));
    return audit_.AppendInTx(c, audit_.Make(by, "update", audit_category::kSurveys, std::nullopt, "success",
                                            "survey " + id + " version " + std::to_string(made)));
  });
  if (!st.ok()) {
    if (db::IsUniqueViolation(st.error())) {
      return Error::Conflict("version_exists", "someone else saved a new version at the same time; reload", "id");
    }
    return std::move(st).error();
  }
  return View(*conn, id, made);
}

Result<SurveyVersionView> SurveyService::CreateHcahps(const Actor& by) {
  const std::string dir = data_dir_ + "/hcahps/";
  auto questions = ReadFile(dir + "questions.csv");
  if (!questions.ok()) {
    return Error::Unavailable("the HCAHPS question table is not at " + dir +
                              "questions.csv (set CAREDESK_DATA_DIR to the shared data folder)");
  }
  auto measures = ReadFile(dir + "measures.csv");
  CD_ASSIGN_OR_RETURN(auto tmpl, surveys::HcahpsTemplateFromCsv(*questions, measures.ok() ? *measures : ""));
  surveys::SurveyDraft draft = DraftOf(tmpl);
  draft.title = "Patient experience (HCAHPS)";
  draft.items.push_back(surveys::MakeItem(
      "comment", "Is there anything else you would like to tell us about your care?", surveys::ItemKind::kFreeText));
  return Create(by, std::move(draft));
}

// ---------------------------------------------------------------------------------------------
// Settings

Result<SurveySettings> SurveyService::LoadSettings(db::Connection& c) {
  SurveySettings s;
  auto text = [&](const char* key, std::string& out) -> Status {
    CD_ASSIGN_OR_RETURN(auto v, db::SettingsRepository::Get(c, std::string(kPrefix) + key));
    if (v) out = *v;
    return Ok();
  };
  auto number = [&](const char* key, int& out) -> Status {
    CD_ASSIGN_OR_RETURN(auto v, db::SettingsRepository::Get(c, std::string(kPrefix) + key));
    if (v) {
      int n = 0;
      if (std::from_chars(v->data(), v->data() + v->size(), n).ec == std::errc()) out = n;
    }
    return Ok();
  };
  CD_RETURN_IF_ERROR(text("active_survey_id", s.active_survey_id));
  CD_RETURN_IF_ERROR(number("send_after_hours", s.send_after_hours));
  CD_RETURN_IF_ERROR(number("expires_days", s.expires_days));
  CD_RETURN_IF_ERROR(number("reminder_after_days", s.reminder_after_days));
  CD_RETURN_IF_ERROR(number("max_reminders", s.max_reminders));
  CD_RETURN_IF_ERROR(text("public_base_url", s.public_base_url));
  CD_RETURN_IF_ERROR(text("from_name", s.from_name));
  CD_RETURN_IF_ERROR(text("from_email", s.from_email));
  CD_RETURN_IF_ERROR(text("email_subject", s.email_subject));
  CD_RETURN_IF_ERROR(text("email_intro", s.email_intro));
  s.mail_enabled = mailer_ != nullptr && mailer_->enabled();
  return s;
}

Result<SurveySettings> SurveyService::Settings() {
  auto conn = pool_.Acquire();
  return LoadSettings(*conn);
}

Result<SurveySettings> SurveyService::SaveSettings(const Actor& by, SurveySettings s) {
  s.active_survey_id = std::string(TrimSpace(s.active_survey_id));
  s.public_base_url = std::string(TrimSpace(s.public_base_url));
  s.from_email = std::string(TrimSpace(s.from_email));
  auto range = [](const char* field, int v, int lo, int hi) -> Status {
    if (v < lo || v > hi) {
      return Error::Invalid(field, std::string(field) + " must be between " + std::to_string(lo) + " and " +
                                       std::to_string(hi));
    }
    return Ok();
  };
  CD_RETURN_IF_ERROR(range("send_after_hours", s.send_after_hours, 0, 24 * 14));
  CD_RETURN_IF_ERROR(range("expires_days", s.expires_days, 1, 365));
  CD_RETURN_IF_ERROR(range("reminder_after_days", s.reminder_after_days, 1, 60));
  CD_RETURN_IF_ERROR(range("max_reminders", s.max_reminders, 0, 3));
  if (!(s.public_base_url.starts_with("http://") || s.public_base_url.starts_with("https://")) ||
      s.public_base_url.size() < 10 || s.public_base_url.find_first_of(" \t\r\n\"<>") != std::string::npos) {
    return Error::Invalid("public_base_url", "the public address must be an http:// or https:// URL");
  }
  {
    mail::MailMessage probe;
    probe.from = {s.from_name, s.from_email};
    probe.to = {{"", "patient@example.org"}};
    probe.subject = s.email_subject;
    probe.text = s.email_intro;
    if (Status v = mail::ValidateMessage(probe); !v.ok()) {
      Error e = v.error();
      if (e.field == "from.email") e.field = "from_email";
      else if (e.field == "from.name") e.field = "from_name";
      else if (e.field == "subject") e.field = "email_subject";
      else if (e.field == "text") e.field = "email_intro";
      return e;
    }
  }
  if (s.email_intro.size() > 4000) return Error::Invalid("email_intro", "the introduction is too long (4,000 bytes at most)");
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    if (!s.active_survey_id.empty()) {
      CD_ASSIGN_OR_RETURN(auto latest, db::SurveyRepository::LatestVersion(c, s.active_survey_id));
      if (!latest) return Error::Invalid("active_survey_id", "there is no survey " + s.active_survey_id);
    }
    CD_ASSIGN_OR_RETURN(auto before, LoadSettings(c));
    auto put = [&](const char* key, const std::string& v) {
      return db::SettingsRepository::Put(c, std::string(kPrefix) + key, v);
    };
    CD_RETURN_IF_ERROR(put("active_survey_id", s.active_survey_id));
    if (before.active_survey_id != s.active_survey_id) {
      CD_RETURN_IF_ERROR(put("activated_at", std::to_string(ToMillis(clock_.Now()))));
    }
    CD_RETURN_IF_ERROR(put("send_after_hours", std::to_string(s.send_after_hours)));
    CD_RETURN_IF_ERROR(put("expires_days", std::to_string(s.expires_days)));
    CD_RETURN_IF_ERROR(put("reminder_after_days", std::to_string(s.reminder_after_days)));
    CD_RETURN_IF_ERROR(put("max_reminders", std::to_string(s.max_reminders)));
    CD_RETURN_IF_ERROR(put("public_base_url", s.public_base_url));
    CD_RETURN_IF_ERROR(put("from_name", s.from_name));
    CD_RETURN_IF_ERROR(put("from_email", s.from_email));
    CD_RETURN_IF_ERROR(put("email_subject", s.email_subject));
    CD_RETURN_IF_ERROR(put("email_intro", s.email_intro));
    return audit_.AppendInTx(c, audit_.Make(by, "update", audit_category::kSurveys, std::nullopt, "success",
                                            "survey settings"));
  });
  if (!st.ok()) return std::move(st).error();
  return LoadSettings(*conn);
}

// ---------------------------------------------------------------------------------------------
// Sending

Result<DispatchReport> SurveyService::Dispatch() {
  SurveySettings s;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(s, LoadSettings(*conn));
  }
  DispatchReport report;
  if (!s.active_survey_id.empty()) {
    CD_ASSIGN_OR_RETURN(int invited, InviteCompletedVisits(s, report));
    (void)invited;
  }
  SendDueEmails(s, report);
  return report;
}

Result<int> SurveyService::InviteCompletedVisits(const SurveySettings& s, DispatchReport& report) {
  const int64_t now = ToMillis(clock_.Now());
  int64_t activated = 0;
  std::optional<int> version;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(auto at, db::SettingsRepository::Get(*conn, std::string(kPrefix) + "activated_at"));
    if (at) std::from_chars(at->data(), at->data() + at->size(), activated);
    CD_ASSIGN_OR_RETURN(version, db::SurveyRepository::LatestVersion(*conn, s.active_survey_id));
  }
  if (!version) return 0;
  const bool mail = mailer_ != nullptr && mailer_->enabled();
  const int64_t ended_from = std::max(activated - kDayMs, now - kLookbackMs);
  const int64_t ended_to = now - s.send_after_hours * kHourMs + 1;
  const Actor system{0, "survey-dispatch", Role::kAdmin, "", 0};
  int64_t from = ended_from;
  for (;;) {
    std::vector<db::SurveyCandidate> batch;
    {
      auto conn = pool_.Acquire();
      CD_ASSIGN_OR_RETURN(batch, db::SurveyRepository::Candidates(*conn, from, ended_to, kCandidateBatch));
    }
    if (batch.empty()) break;
    auto conn = pool_.Acquire();
    auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      std::vector<AuditRecord> audit;
      for (const auto& cand : batch) {
        if (cand.opted_out) {
          ++report.opted_out_skipped;
          continue;
        }
        db::InvitationRow row;
        row.encounter_id = cand.encounter_id;
        row.patient_id = cand.patient_id;
        row.survey_id = s.active_survey_id;
        row.survey_version = *version;
        row.location_id = cand.location_id;
        row.provider_id = cand.provider_id;
        row.department = cand.department;
        row.visit_date = InstantToLocal(FromMillis(cand.ended_at), cand.time_zone).date.ToString();
        const bool by_email = mail && !cand.email.empty() && cand.preferred_contact_method != "mail";
        row.channel = by_email ? "email" : "print";
        row.email = by_email ? cand.email : "";
        row.issued_at = now;
        row.expires_at = now + s.expires_days * kDayMs;
        if (by_email) row.next_send_at = now;
        CD_ASSIGN_OR_RETURN(auto id, db::SurveyRepository::InsertInvitation(c, row));
        if (!id) continue;  // another process invited this visit
        ++report.invited;
        if (!by_email) ++report.to_print;
        audit.push_back(audit_.Make(system, "create", audit_category::kSurveys, cand.patient_id, "success",
                                    "survey invitation " + std::to_string(*id) + " for encounter " +
                                        std::to_string(cand.encounter_id)));
      }
      return audit_.AppendInTx(c, std::move(audit));
    });
    if (!st.ok()) return std::move(st).error();
    if (static_cast<int>(batch.size()) < kCandidateBatch) break;
    // Opted-out candidates stay candidates; move past this batch.
    from = batch.back().ended_at;
    if (from >= ended_to) break;
    if (std::all_of(batch.begin(), batch.end(), [&](const auto& b) { return b.ended_at == from; })) ++from;
  }
  return report.invited;
}

void SurveyService::SendDueEmails(const SurveySettings& s, DispatchReport& report) {
  if (mailer_ == nullptr || !mailer_->enabled()) return;
  const Actor system{0, "survey-dispatch", Role::kAdmin, "", 0};
  for (;;) {
    const int64_t now = ToMillis(clock_.Now());
    std::vector<db::InvitationRow> due;
    {
      auto conn = pool_.Acquire();
      auto rows = db::SurveyRepository::DueForEmail(*conn, now, kEmailBatch);
      if (!rows.ok()) return;
      due = std::move(rows).value();
    }
    if (due.empty()) return;
    for (const auto& inv : due) {
      const bool reminder = inv.sent_at.has_value();
      if (inv.opted_out) continue;  // OptOut cleared next_send_at; a race at worst skips once
      // Claim the send: move next_send_at past this pass so a second process does not send it too.
      std::string token = NewLinkToken();
      {
        auto conn = pool_.Acquire();
        auto claimed = db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<int64_t> {
          CD_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE survey_invitations SET next_send_at = $2 "
                                                "WHERE id = $1 AND next_send_at = $3 AND used_at IS NULL",
                                                {inv.id, now + kHourMs, inv.next_send_at}));
          if (n == 1) CD_RETURN_IF_ERROR(db::SurveyRepository::AddToken(c, Sha256Hex(token), inv.id, now));
          return n;
        });
        if (!claimed.ok() || *claimed != 1) continue;
      }
      const std::string url = LinkFor(s.public_base_url, token);
      const std::string given = GivenName(inv.patient_name);
      std::string text = (given.empty() ? std::string("Hello,") : "Dear " + given + ",") + "\n\n";
      if (reminder) text += "A short reminder: we would still like to hear from you.\n\n";
      text += s.email_intro + "\n\nYour visit: " + inv.visit_date + " at " + inv.location_name + ".\n\n" +
              "Answer the survey here:\n" + url + "\n\n" + "The link works once and until " +
              InstantToLocal(FromMillis(inv.expires_at), inv.location_time_zone).date.ToString() + ".\n" +
              "If you would rather not receive surveys from us, open the link and choose \"Do not send me "
              "surveys\".\n";
      mail::MailMessage m;
      m.from = {s.from_name, s.from_email};
      m.to = {{"", inv.email}};
      m.subject = reminder ? "Reminder: " + s.email_subject : s.email_subject;
      m.text = text;
      Status sent = mailer_->Send(m);
      const int64_t at = ToMillis(clock_.Now());
      auto conn = pool_.Acquire();
      if (sent.ok()) {
        const int reminders_after = inv.reminders + (reminder ? 1 : 0);
        std::optional<int64_t> next;
        if (reminders_after < s.max_reminders) next = at + s.reminder_after_days * kDayMs;
        if (next && *next >= inv.expires_at) next.reset();
        auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
          CD_RETURN_IF_ERROR(db::SurveyRepository::MarkEmailed(c, inv.id, at, reminder, next));
          return audit_.AppendInTx(c, audit_.Make(system, reminder ? "remind" : "send", audit_category::kSurveys,
                                                  inv.patient_id, "success",
                                                  "survey invitation " + std::to_string(inv.id) + " emailed"));
        });
        if (st.ok()) ++(reminder ? report.reminded : report.emailed);
      } else {
        ++report.failed;
        const int attempts = inv.attempts + 1;
        // Back off 5 minutes, doubling, and give up after kMaxSendAttempts.
        const int64_t retry = attempts >= kMaxSendAttempts ? 0 : at + (int64_t{5} * 60 * 1000 << (attempts - 1));
        (void)db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
          CD_RETURN_IF_ERROR(db::SurveyRepository::MarkEmailFailed(c, inv.id, sent.error().message, retry));
          if (retry == 0) {
            CD_RETURN_IF_ERROR(StatusOf(
                c.Exec("UPDATE survey_invitations SET next_send_at = NULL WHERE id = $1", {inv.id})));
          }
          return audit_.AppendInTx(c, audit_.Make(system, reminder ? "remind" : "send", audit_category::kSurveys,
                                                  inv.patient_id, "failure", sent.error().message));
        });
      }
    }
    if (static_cast<int>(due.size()) < kEmailBatch) return;
  }
}

Result<std::pair<std::vector<db::InvitationRow>, int64_t>> SurveyService::Invitations(const Actor& by,
                                                                                      db::InvitationFilter f) {
  if (f.state && *f.state != "valid" && *f.state != "used" && *f.state != "expired" && *f.state != "opted_out") {
    return Error::Invalid("state", "state is one of valid, used, expired, opted_out");
  }
  if (f.channel && *f.channel != "email" && *f.channel != "print") {
    return Error::Invalid("channel", "channel is email or print");
  }
  f.limit = std::clamp(f.limit, 1, 200);
  f.offset = std::max(f.offset, 0);
  f.now = ToMillis(clock_.Now());
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto page, db::SurveyRepository::ListInvitations(*conn, f));
  std::vector<AuditRecord> audit;
  for (const auto& row : page.first) {
    audit.push_back(audit_.Make(by, "read", audit_category::kSurveys, row.patient_id, "success",
                                "survey invitation " + std::to_string(row.id)));
  }
  CD_RETURN_IF_ERROR(audit_.Record(std::move(audit)));
  return page;
}

Result<PrintSlip> SurveyService::Print(const Actor& by, int64_t invitation_id) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto settings, LoadSettings(*conn));
  std::string token = NewLinkToken();
  db::InvitationRow inv;
  std::string title;
  const int64_t now = ToMillis(clock_.Now());
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto found, db::SurveyRepository::FindInvitation(c, invitation_id));
    if (!found) return Error::NotFound("no survey invitation " + std::to_string(invitation_id));
    inv = *found;
    CD_RETURN_IF_ERROR(surveys::CheckTokenUsable(TimesOf(inv), FromMillis(now)));
    CD_ASSIGN_OR_RETURN(auto stored, db::SurveyRepository::LoadVersion(c, inv.survey_id, inv.survey_version));
    title = stored ? stored->definition.title() : inv.survey_id;
    CD_RETURN_IF_ERROR(db::SurveyRepository::AddToken(c, Sha256Hex(token), inv.id, now));
    CD_RETURN_IF_ERROR(db::SurveyRepository::MarkPrinted(c, inv.id, now));
    return audit_.AppendInTx(c, audit_.Make(by, "print", audit_category::kSurveys, inv.patient_id, "success",
                                            "survey invitation " + std::to_string(inv.id)));
  });
  if (!st.ok()) return std::move(st).error();
  PrintSlip slip;
  slip.url = LinkFor(settings.public_base_url, token);
  CD_ASSIGN_OR_RETURN(slip.qr_svg, render::QrSvg(slip.url, "QR code of the survey link", 4));
  slip.expires_at = FromMillis(inv.expires_at);
  slip.patient_name = inv.patient_name;
  slip.survey_title = title;
  slip.location_name = inv.location_name;
  slip.visit_date = inv.visit_date;
  return slip;
}

// ---------------------------------------------------------------------------------------------
// The public answer page

Result<std::optional<db::InvitationRow>> SurveyService::FindByToken(db::Connection& c, const std::string& token) {
  if (!ValidToken(token)) return std::optional<db::InvitationRow>();
  return db::SurveyRepository::FindByToken(c, Sha256Hex(token));
}

Result<PublicSurveyView> SurveyService::PublicView(const std::string& token) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto inv, FindByToken(*conn, token));
  if (!inv) return Error::NotFound("this survey link is not known; check that it was copied whole");
  PublicSurveyView v;
  v.state = std::string(surveys::TokenStateName(surveys::TokenStateAt(TimesOf(*inv), clock_.Now())));
  CD_ASSIGN_OR_RETURN(auto org, db::SettingsRepository::Get(*conn, kOrganizationKey));
  v.organization_name = org && !org->empty() ? *org : "CareDesk Clinic";  // the relations settings' default
  v.visit_date = inv->visit_date;
  v.location_name = inv->location_name;
  if (v.state == "valid") {
    CD_ASSIGN_OR_RETURN(auto stored, db::SurveyRepository::LoadVersion(*conn, inv->survey_id, inv->survey_version));
    if (!stored) return Error::Internal("the invitation's survey version is missing");
    v.survey = std::move(stored->definition);
  }
  return v;
}

Status SurveyService::PublicSubmit(const std::string& token, std::vector<surveys::Answer> answers,
                                   const std::string& client_address) {
  if (answers.empty()) return Error::Invalid("answers", "answer at least one question", "no_answers");
  auto conn = pool_.Acquire();
  const TimePoint now = clock_.Now();
  const Actor respondent{0, "survey-link", Role::kCoordinator, client_address, 0};
  return db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto inv, FindByToken(c, token));
    if (!inv) return Error::NotFound("this survey link is not known; check that it was copied whole");
    CD_RETURN_IF_ERROR(surveys::CheckTokenUsable(TimesOf(*inv), now));
    CD_ASSIGN_OR_RETURN(auto stored, db::SurveyRepository::LoadVersion(c, inv->survey_id, inv->survey_version));
    if (!stored) return Error::Internal("the invitation's survey version is missing");
    surveys::SurveyResponse response;
    response.survey = stored->definition.key();
    response.answers = Given(std::move(answers));
    if (response.answers.empty()) return Error::Invalid("answers", "answer at least one question", "no_answers");
    CD_RETURN_IF_ERROR(surveys::ValidateResponse(stored->definition, response));
    CD_ASSIGN_OR_RETURN(bool first, db::SurveyRepository::MarkUsed(c, inv->id, ToMillis(now)));
    if (!first) return Error::Conflict("token_used", "this survey has already been answered", "token");
    db::ResponseRow row;
    row.survey_id = inv->survey_id;
    row.survey_version = inv->survey_version;
    row.source = "web";
    row.invitation_id = inv->id;
    row.encounter_id = inv->encounter_id;
    row.patient_id = inv->patient_id;
    row.location_id = inv->location_id;
    row.provider_id = inv->provider_id;
    row.department = inv->department;
    row.visit_date = inv->visit_date;
    row.received_at = ToMillis(now);
    row.answers = response.answers;
    CD_ASSIGN_OR_RETURN(int64_t id, db::SurveyRepository::InsertResponse(c, row));
    row.id = id;
    if (observer_ != nullptr) CD_RETURN_IF_ERROR(observer_->Recorded(c, row, stored->definition, ToMillis(now)));
    for (const auto& a : response.answers) {
      if (!a.text) continue;
      CommentInput comment{"survey", id, inv->location_id, inv->location_time_zone, inv->department,
                           inv->provider_id, now, *a.text};
      comment.question = QuestionOfItem(stored->definition, a.item_id);
      CD_RETURN_IF_ERROR(StatusOf(comments_.RecordInTx(c, comment)));
    }
    return audit_.AppendInTx(c, audit_.Make(respondent, "create", audit_category::kSurveys, inv->patient_id,
                                            "success", "survey response " + std::to_string(id)));
  });
}

Result<db::ResponseRow> SurveyService::RecordInTx(db::Connection& c, const Actor& by, GivenResponse given,
                                                   TimePoint now) {
  std::optional<int> version = given.version;
  if (!version) {
    CD_ASSIGN_OR_RETURN(version, db::SurveyRepository::LatestVersion(c, given.survey_id));
    if (!version) return Error::NotFound("there is no survey " + given.survey_id, "survey_id");
  }
  CD_ASSIGN_OR_RETURN(auto stored, db::SurveyRepository::LoadVersion(c, given.survey_id, *version));
  if (!stored) {
    return Error::NotFound("survey " + given.survey_id + " has no version " + std::to_string(*version), "version");
  }
  db::ResponseRow row;
  row.survey_id = given.survey_id;
  row.survey_version = *version;
  row.source = given.source;
  row.patient_id = given.patient_id;
  row.visit_date = given.visit_date.empty() ? InstantToLocal(now, "UTC").date.ToString() : given.visit_date;
  std::string time_zone = "UTC";
  if (given.encounter_id) {
    CD_ASSIGN_OR_RETURN(auto visit, db::SurveyRepository::VisitOf(c, *given.encounter_id));
    if (!visit) {
      return Error::Invalid("encounter_id", "there is no encounter " + std::to_string(*given.encounter_id),
                            "unknown_encounter");
    }
    if (given.patient_id && *given.patient_id != visit->patient_id) {
      return Error::Invalid("encounter_id", "encounter " + std::to_string(visit->encounter_id) +
                                                " is not a visit of patient " + std::to_string(*given.patient_id),
                            "not_the_patients");
    }
    CD_ASSIGN_OR_RETURN(bool answered, db::SurveyRepository::EncounterAnswered(c, given.survey_id, visit->encounter_id));
    if (answered) {
      return Error::Conflict("encounter_answered", "encounter " + std::to_string(visit->encounter_id) +
                                                       " has a response to survey " + given.survey_id + " already",
                             "encounter_id");
    }
    row.encounter_id = visit->encounter_id;
    row.patient_id = visit->patient_id;
    row.location_id = visit->location_id;
    row.provider_id = visit->provider_id;
    row.department = visit->department;
    row.visit_date = InstantToLocal(FromMillis(visit->ended_at), visit->time_zone).date.ToString();
    time_zone = visit->time_zone;
  } else if (given.patient_id) {
    CD_ASSIGN_OR_RETURN(auto patient, db::PatientRepository::Find(c, *given.patient_id));
    if (!patient) {
      return Error::Invalid("patient_id", "there is no patient " + std::to_string(*given.patient_id),
                            "unknown_patient");
    }
    if (patient->merged_into) {
      return Error::Conflict("patient_merged", "patient " + std::to_string(patient->id) + " was merged into patient " +
                                                   std::to_string(*patient->merged_into) + "; answer for that one",
                             "patient_id");
    }
  }
  surveys::SurveyResponse response;
  response.survey = stored->definition.key();
  response.answers = Given(std::move(given.answers));
  if (response.answers.empty()) return Error::Invalid("answers", "answer at least one question", "no_answers");
  CD_RETURN_IF_ERROR(surveys::ValidateResponse(stored->definition, response));
  row.received_at = ToMillis(now);
  row.answers = std::move(response.answers);
  CD_ASSIGN_OR_RETURN(row.id, db::SurveyRepository::InsertResponse(c, row));
  for (const auto& a : row.answers) {
    if (!a.text) continue;
    CommentInput comment{"survey", row.id, row.location_id, time_zone, row.department, row.provider_id, now, *a.text};
    comment.question = QuestionOfItem(stored->definition, a.item_id);
    CD_RETURN_IF_ERROR(StatusOf(comments_.RecordInTx(c, comment)));
  }
  CD_RETURN_IF_ERROR(audit_.AppendInTx(c, audit_.Make(by, "create", audit_category::kSurveys, row.patient_id,
                                                      "success", "survey response " + std::to_string(row.id) +
                                                                     " (" + row.source + ")")));
  return row;
}

Status SurveyService::PublicOptOut(const std::string& token, const std::string& client_address) {
  auto conn = pool_.Acquire();
  const Actor respondent{0, "survey-link", Role::kCoordinator, client_address, 0};
  return db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto inv, FindByToken(c, token));
    if (!inv) return Error::NotFound("this survey link is not known; check that it was copied whole");
    CD_RETURN_IF_ERROR(db::SurveyRepository::OptOut(c, inv->patient_id, ToMillis(clock_.Now()), "link"));
    return audit_.AppendInTx(c, audit_.Make(respondent, "opt_out", audit_category::kSurveys, inv->patient_id,
                                            "success", "no more survey invitations"));
  });
}

// ---------------------------------------------------------------------------------------------
// Imports and scores

Result<ImportOutcome> SurveyService::Import(const Actor& by, const std::string& id, int version,
                                            ImportRequest request) {
  if (request.csv.empty()) return Error::Invalid("csv", "the file is empty", "required");
  if (request.csv.size() > kMaxImportBytes) return Error::Invalid("csv", "the file is larger than 20 MB", "too_large");
  if (request.filename.size() > 255) return Error::Invalid("filename", "the file name is too long");
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto stored, db::SurveyRepository::LoadVersion(*conn, id, version));
  if (!stored) return Error::NotFound("survey " + id + " has no version " + std::to_string(version));
  auto parsed = surveys::ImportVendorCsv(request.csv, stored->definition, request.mapping);
  if (!parsed.ok()) {
    Error e = parsed.error();
    if (!e.field.empty() && e.field != "csv" && !e.field.starts_with("mapping")) e.field = "mapping." + e.field;
    return e;
  }
  surveys::ImportReport report = std::move(parsed).value();

  // Locations and providers by name, for the vendor's labels.
  std::map<std::string, int64_t> locations, providers;
  {
    CD_ASSIGN_OR_RETURN(auto ls, conn->Query("SELECT id, name FROM locations"));
    for (size_t i = 0; i < ls.size(); ++i) locations[Lower(ls.Text(i, 1))] = ls.Int(i, 0);
    CD_ASSIGN_OR_RETURN(auto ps, conn->Query("SELECT id, name FROM providers"));
    for (size_t i = 0; i < ps.size(); ++i) providers[Lower(ps.Text(i, 1))] = ps.Int(i, 0);
  }
  // Respondents imported before are rejected rows of their own.
  std::vector<db::ResponseRow> rows;
  std::vector<surveys::ImportIssue> issues = report.issues;
  for (size_t k = 0; k < report.accepted.size(); ++k) {
    const surveys::SurveyResponse& r = report.accepted[k];
    CD_ASSIGN_OR_RETURN(bool seen, db::SurveyRepository::RespondentExists(*conn, id, r.id));
    if (seen) {
      const auto [row_number, line] = report.accepted_rows[k];
      issues.push_back({row_number, line, request.mapping.respondent_id_column, "already_imported",
                        "respondent " + r.id + " was imported before"});
      continue;
    }
    db::ResponseRow row;
    row.survey_id = id;
    row.survey_version = version;
    row.source = "import";
    row.respondent_id = r.id;
    auto get = [&](const char* key) -> std::string {
      auto it = r.metadata.find(key);
      return it == r.metadata.end() ? std::string() : it->second;
    };
    row.department = get("department");
    row.visit_date = get("date");
    if (std::string enc = get("encounter_id"); !enc.empty()) {
      int64_t v = 0;
      if (std::from_chars(enc.data(), enc.data() + enc.size(), v).ec == std::errc()) row.encounter_id = v;
    }
    if (std::string loc = get("location"); !loc.empty()) {
      if (auto it = locations.find(Lower(loc)); it != locations.end()) row.location_id = it->second;
      else row.location_label = loc;
    }
    if (std::string prov = get("provider"); !prov.empty()) {
      if (auto it = providers.find(Lower(prov)); it != providers.end()) row.provider_id = it->second;
      else row.provider_label = prov;
    }
    row.answers = r.answers;
    rows.push_back(std::move(row));
  }
  std::stable_sort(issues.begin(), issues.end(), [](const auto& a, const auto& b) { return a.row < b.row; });
  ImportOutcome out;
  out.rows_read = report.rows_read;
  out.accepted = rows.size();
  {
    std::set<size_t> bad;
    for (const auto& i : issues) bad.insert(i.row);
    out.rejected_rows = bad.size();
  }
  out.issues = std::move(issues);
  if (request.dry_run) return out;

  const TimePoint now = clock_.Now();
  std::map<int64_t, std::string> zones;
  {
    CD_ASSIGN_OR_RETURN(auto zs, conn->Query("SELECT id, time_zone FROM locations"));
    for (size_t i = 0; i < zs.size(); ++i) zones[zs.Int(i, 0)] = zs.Text(i, 1);
  }
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    db::ImportRow imp{0, id, version, request.filename, ToMillis(now), by.username,
                      static_cast<int64_t>(out.rows_read), static_cast<int64_t>(out.accepted),
                      static_cast<int64_t>(out.rejected_rows)};
    CD_ASSIGN_OR_RETURN(int64_t import_id, db::SurveyRepository::InsertImport(c, imp));
    out.id = import_id;
    for (auto& row : rows) {
      row.import_id = import_id;
      row.received_at = ToMillis(now);
      auto rid = db::SurveyRepository::InsertResponse(c, row);
      if (!rid.ok()) {
        if (db::IsUniqueViolation(rid.error())) {
          return Error::Conflict("already_imported", "respondent " + row.respondent_id +
                                                         " was imported by someone else meanwhile; check again");
        }
        return std::move(rid).error();
      }
      row.id = *rid;
      if (observer_ != nullptr) CD_RETURN_IF_ERROR(observer_->Recorded(c, row, stored->definition, ToMillis(now)));
      for (const auto& a : row.answers) {
        if (!a.text) continue;
        std::string tz = row.location_id ? zones[*row.location_id] : "UTC";
        CommentInput comment{"survey", *rid, row.location_id, tz, row.department, row.provider_id, now, *a.text};
        comment.question = QuestionOfItem(stored->definition, a.item_id);
        CD_RETURN_IF_ERROR(StatusOf(comments_.RecordInTx(c, comment)));
      }
    }
    return audit_.AppendInTx(c, audit_.Make(by, "import", audit_category::kSurveys, std::nullopt, "success",
                                            "survey " + id + " v" + std::to_string(version) + ": " +
                                                std::to_string(out.accepted) + " responses from " +
                                                request.filename));
  });
  if (!st.ok()) return std::move(st).error();
  return out;
}

Result<std::vector<db::ImportRow>> SurveyService::Imports(const Actor&, const std::string& id) {
  auto conn = pool_.Acquire();
  return db::SurveyRepository::ListImports(*conn, id);
}

Result<SurveyScoresView> SurveyService::Scores(const Actor&, const std::string& id, ScoreQuery q) {
  CD_ASSIGN_OR_RETURN(auto key, GroupKeyFor(q.group_by));
  auto conn = pool_.Acquire();
  if (!q.version) {
    CD_ASSIGN_OR_RETURN(q.version, db::SurveyRepository::LatestVersion(*conn, id));
    if (!q.version) return Error::NotFound("no survey " + id);
  }
  CD_ASSIGN_OR_RETURN(auto stored, db::SurveyRepository::LoadVersion(*conn, id, *q.version));
  if (!stored) return Error::NotFound("survey " + id + " has no version " + std::to_string(*q.version));
  // Today where it is latest among the locations: visit dates are local dates.
  CivilDate today = InstantToLocal(clock_.Now(), "UTC").date;
  {
    CD_ASSIGN_OR_RETURN(auto zones, conn->Query("SELECT DISTINCT time_zone FROM locations"));
    for (size_t i = 0; i < zones.size(); ++i) today = std::max(today, InstantToLocal(clock_.Now(), zones.Text(i, 0)).date);
  }
  if (q.to.empty()) q.to = today.ToString();
  CD_ASSIGN_OR_RETURN(CivilDate to, ParseCivilDate(q.to, "to"));
  if (q.from.empty()) q.from = to.AddDays(-89).ToString();
  CD_ASSIGN_OR_RETURN(CivilDate from, ParseCivilDate(q.from, "from"));
  if (to < from) return Error::Invalid("to", "to is before from");

  db::ResponseFilter f{id, *q.version, q.from, q.to, q.location_id};
  CD_ASSIGN_OR_RETURN(auto rows, db::SurveyRepository::LoadResponses(*conn, f));
  CD_ASSIGN_OR_RETURN(auto invited, db::SurveyRepository::LoadInvitationsForRates(*conn, f));
  std::vector<surveys::SurveyResponse> responses;
  responses.reserve(rows.size());
  for (auto& r : rows) {
    surveys::SurveyResponse s;
    s.id = std::to_string(r.id);
    s.survey = stored->definition.key();
    s.metadata = MetadataOf(r);
    s.answers = std::move(r.answers);
    responses.push_back(std::move(s));
  }
  std::vector<surveys::Invitation> invitations;
  invitations.reserve(invited.size());
  for (const auto& r : invited) invitations.push_back({std::to_string(r.id), MetadataOf(r)});

  SurveyScoresView v{stored->definition, q.from, q.to, q.group_by, static_cast<int64_t>(invitations.size()),
                     std::nullopt, {}, {}};
  CD_ASSIGN_OR_RETURN(v.overall, surveys::ScoreResponses(stored->definition, responses));
  if (!invitations.empty() && responses.size() <= invitations.size()) {
    auto rate = surveys::ResponseRate(static_cast<int64_t>(responses.size()),
                                      static_cast<int64_t>(invitations.size()));
    if (rate.ok()) v.response_rate = *rate;
  }
  if (key) {
    std::vector<surveys::GroupKey> keys{*key};
    CD_ASSIGN_OR_RETURN(auto groups, surveys::ScoreByGroup(stored->definition, responses, keys));
    auto rates = surveys::ResponseRatesByGroup(invitations, responses, keys);
    std::map<std::string, const surveys::GroupResponseRate*> rate_of;
    for (const auto& r : rates) rate_of[r.key.empty() ? "" : r.key[0]] = &r;
    for (auto& g : groups) {
      ScoreGroup sg;
      sg.key = g.key.empty() ? "" : g.key[0];
      if (auto it = rate_of.find(sg.key); it != rate_of.end()) {
        sg.invitations = it->second->invitations;
        sg.response_rate = it->second->rate;
      }
      sg.scores = std::move(g.scores);
      v.groups.push_back(std::move(sg));
    }
  }
  return v;
}

}  // namespace caredesk
