#include "demo/demo_relations.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <vector>

#include "app/audit_log.h"
#include "app/comment_service.h"
#include "app/relations_service.h"
#include "app/schedule_service.h"
#include "demo/demo_random.h"
#include "domain/feedback/csv.h"
#include "domain/feedback/pxtextmining_split.h"

namespace caredesk {
namespace {

constexpr uint64_t kRelationsStream = 4;
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

// Per completed visit. Patient-relations teams see a few complaints per
// 1,000 visits; inquiries are rarer in this mix.
constexpr double kConcernRate = 0.0035;
constexpr double kInquiryRate = 0.0015;
// The planted shift: waiting complaints at the first location over the last 35 days.
constexpr double kShiftRate = 0.0060;
constexpr int kShiftDays = 35;

const char* const kBuiltInTexts[] = {
    "We waited over two hours past our appointment time and nobody explained the delay.",
    "The receptionist was rude and dismissive when I asked how much longer it would be.",
    "My mother was discharged before she could walk safely and had to come back the next day.",
    "Nobody called me back with my test results even though I was promised a call within a week.",
    "I was billed twice for the same visit and the billing office keeps transferring my calls.",
    "The doctor did not listen to my concerns and rushed through the appointment.",
    "The waiting room was dirty and there was nowhere to sit for an elderly patient.",
    "My appointment was cancelled at the last minute without any explanation.",
    "Staff discussed my private details at the front desk where everyone could hear.",
    "The nurse was unkind to my child and made her cry during the injection.",
    "Parking was impossible and I missed my slot; they would not see me afterwards.",
    "I asked for an interpreter and none was provided, so I did not understand the plan.",
};

std::vector<std::string> LoadTexts(const std::string& csv, bool& from_data_set) {
  from_data_set = false;
  std::vector<std::string> texts;
  std::ifstream in(csv, std::ios::binary);
  if (in) {
    auto table = feedback::ReadCsvTable(in);
    if (table.ok()) {
      auto data = feedback::SplitPxtextmining(*table);
      if (data.ok()) {
        for (const auto* part : {&data->train, &data->test}) {
          for (const auto& c : *part) {
            if (c.sentiment != feedback::Sentiment::kNegative) continue;
            if (c.text.size() < 40 || c.text.size() > 700) continue;
            texts.push_back(c.text);
          }
        }
      }
    }
  }
  if (texts.size() >= 50) {
    from_data_set = true;
    return texts;
  }
  return std::vector<std::string>(std::begin(kBuiltInTexts), std::end(kBuiltInTexts));
}

struct Visit {
  int64_t encounter_id;
  int64_t patient_id;
  int64_t location_id;
  int64_t arrived_at;
  std::string time_zone;
};

struct Told {
  bool open = true;
  std::string kind;
};

// One case's life, walked forward on the clock; each step happens only if
// its time has come.
class CaseStory {
 public:
  CaseStory(RelationsService& svc, FakeClock& clock, demo::Rng& rng, int64_t now, const Actor& coord,
            const Actor& manager, const std::vector<CaseOwner>& owners)
      : svc_(svc), clock_(clock), rng_(rng), now_(now), coord_(coord), manager_(manager), owners_(owners) {}

  Result<Told> Tell(const CaseView& created, const std::string& time_zone) {
    Told told;
    told.kind = created.row.kind;
    int64_t id = created.row.id;
    int64_t t = created.row.received_at;
    bool grievance = created.row.kind == "grievance";
    bool inquiry = created.row.kind == "inquiry";
    if (!inquiry) {
      t += rng_.Between(1, 20) * kHour;
      if (!At(t)) return told;
      // Most proposals are confirmed; now and then a coordinator overrides one with a reason.
      if (!grievance && rng_.Chance(0.05)) {
        CD_ASSIGN_OR_RETURN(auto v, svc_.ConfirmTriage(coord_, id, "grievance", "The patient asked for a written reply"));
        told.kind = v.row.kind;
      } else {
        CD_ASSIGN_OR_RETURN(auto v, svc_.ConfirmTriage(coord_, id, created.row.kind, ""));
        told.kind = v.row.kind;
      }
      grievance = told.kind == "grievance";
      if (!owners_.empty()) CD_RETURN_IF_ERROR(svc_.SetOwner(coord_, id, owners_[rng_.Below(owners_.size())].id));
    }
    // Acknowledge: mostly within a day, some late, a few forgotten.
    double r = rng_.Unit();
    if (r < 0.04) return told;  // never acknowledged: overdue now if old enough
    t += (r < 0.86 ? rng_.Between(2, 26) : rng_.Between(50, 110)) * kHour;
    if (!At(t)) return told;
    CD_RETURN_IF_ERROR(svc_.SetStatus(coord_, id, "acknowledged", "Called the patient to acknowledge"));
    t += rng_.Between(2, 30) * kHour;
    if (!At(t)) return told;
    CD_RETURN_IF_ERROR(svc_.SetStatus(coord_, id, "investigating", ""));
    CD_RETURN_IF_ERROR(svc_.AddNote(coord_, id, "note", "Reviewed the visit record and spoke with the staff on duty."));
    int64_t received = created.row.received_at;
    int64_t resolve_at = received + (grievance ? rng_.Between(3 * 24, 26 * 24) : rng_.Between(20, 9 * 24)) * kHour;
    if (grievance && resolve_at > received + 7 * kDay && rng_.Chance(0.85)) {
      int64_t interim = received + rng_.Between(5 * 24, 8 * 24) * kHour;
      if (At(std::max(interim, t + kHour))) {
        CD_RETURN_IF_ERROR(svc_.SendInterimNotice(coord_, id, "Letter sent: the review continues."));
      } else {
        return told;
      }
    }
    t = std::max(resolve_at, t + 2 * kHour);
    if (!At(t)) return told;
    CD_RETURN_IF_ERROR(svc_.AddNote(manager_, id, "action", "Agreed a change with the team lead and fed back to the staff."));
    if (grievance) {
      LetterInput l;
      l.contact_name = "Morgan Ellis";
      l.contact_title = "Patient Relations Manager";
      l.contact_phone = "(555) 010-4400";
      l.investigation_steps =
          "We reviewed the records of your visit, spoke with the staff involved and checked our procedures.";
      l.results = "We found that things fell short of our standards. We have discussed what happened with the team "
                  "and changed how we keep patients informed.";
      l.completion_date = InstantToLocal(FromMillis(t), time_zone).date.ToString();
      CD_RETURN_IF_ERROR(svc_.SaveLetter(manager_, id, l));
      CD_RETURN_IF_ERROR(svc_.SendLetter(manager_, id));
    }
    CD_RETURN_IF_ERROR(svc_.SetStatus(manager_, id, "resolved", "Outcome explained to the patient"));
    told.open = false;
    t += rng_.Between(1, 5) * kDay;
    if (!At(t)) return told;
    CD_RETURN_IF_ERROR(svc_.SetStatus(manager_, id, "closed", ""));
    return told;
  }

 private:
  bool At(int64_t t) {
    if (t >= now_) return false;
    clock_.Set(FromMillis(t));
    return true;
  }
  RelationsService& svc_;
  FakeClock& clock_;
  demo::Rng& rng_;
  int64_t now_;
  const Actor& coord_;
  const Actor& manager_;
  const std::vector<CaseOwner>& owners_;
};

}  // namespace

Result<RelationsDemoReport> GenerateRelationsDemo(db::Pool& pool, const RelationsDemoOptions& o) {
  RelationsDemoReport report;
  const int64_t now = ToMillis(o.now);
  std::vector<std::string> texts = LoadTexts(o.feedback_csv, report.texts_from_data_set);

  FakeClock clock(o.now);
  AuditLog audit(pool, clock);
  ScheduleService schedule(pool, clock, audit);
  CommentService comments(pool, clock, audit, o.model_path);
  report.comments_judged = comments.model_info().loaded;
  RelationsService relations(pool, clock, audit, schedule, comments);

  Actor coord{0, "coordinator", Role::kCoordinator, "local", 0};
  Actor manager{0, "manager", Role::kManager, "local", 0};
  const Actor public_form{0, "public-form", Role::kCoordinator, "local", 0};
  std::vector<Visit> visits;
  std::vector<Location> locations;
  {
    auto conn = pool.Acquire();
    CD_ASSIGN_OR_RETURN(auto users, conn->Query("SELECT id, username, role FROM users WHERE active = 1 ORDER BY id"));
    for (size_t i = 0; i < users.size(); ++i) {
      if (users.Text(i, 2) == "coordinator" && coord.user_id == 0) coord = {users.Int(i, 0), users.Text(i, 1), Role::kCoordinator, "local", 0};
      if (users.Text(i, 2) == "manager" && manager.user_id == 0) manager = {users.Int(i, 0), users.Text(i, 1), Role::kManager, "local", 0};
    }
    CD_ASSIGN_OR_RETURN(auto rs, conn->Query("SELECT e.id, e.patient_id, e.location_id, e.arrived_at, l.time_zone "
                                             "FROM encounters e JOIN locations l ON l.id = e.location_id WHERE "
                                             "e.state = 'completed' AND e.arrived_at >= $1 AND e.arrived_at < $2 "
                                             "ORDER BY e.arrived_at, e.id",
                                             {now - int64_t{o.history_days} * kDay, now}));
    visits.reserve(rs.size());
    for (size_t i = 0; i < rs.size(); ++i) {
      visits.push_back({rs.Int(i, 0), rs.Int(i, 1), rs.Int(i, 2), rs.Int(i, 3), rs.Text(i, 4)});
    }
  }
  CD_ASSIGN_OR_RETURN(locations, schedule.Locations());
  if (locations.empty() || visits.empty()) return report;
  const int64_t shift_location = locations.front().id;
  CD_ASSIGN_OR_RETURN(auto owners, relations.Owners());

  demo::Rng rng = demo::Rng(o.seed).Fork(kRelationsStream);
  const char* const kCategories[] = {"communication", "staff_attitude", "wait_times", "quality_of_care",
                                     "billing_rights", "facilities", "privacy", "premature_discharge"};
  const double kCategoryWeights[] = {0.22, 0.18, 0.2, 0.14, 0.08, 0.08, 0.05, 0.05};
  const char* const kDepartments[] = {"Emergency", "Outpatients", "Radiology", "Front desk", "Laboratory", "Pharmacy"};
  const char* const kInquiryTypes[] = {"billing", "scheduling", "records", "general"};
  size_t next_text = rng.Below(texts.size());
  int64_t done = 0;
  for (const Visit& v : visits) {
    ++done;
    if (o.progress && done % 2000 == 0) o.progress("patient relations", done, static_cast<int64_t>(visits.size()));
    bool shifted = v.location_id == shift_location && v.arrived_at >= now - kShiftDays * kDay;
    double r = rng.Unit();
    bool concern = r < kConcernRate + (shifted ? kShiftRate : 0.0);
    bool inquiry = !concern && r < kConcernRate + (shifted ? kShiftRate : 0.0) + kInquiryRate;
    if (!concern && !inquiry) continue;
    int64_t received = v.arrived_at + rng.Between(1, 72) * kHour;
    if (received >= now) continue;
    clock.Set(FromMillis(received));

    StaffIntake in;
    in.location_id = v.location_id;
    in.received_at = FromMillis(received);
    in.department = kDepartments[rng.Below(std::size(kDepartments))];
    in.intake.description = texts[next_text++ % texts.size()];
    in.intake.severity = rng.Chance(0.1) ? relations::Severity::kHigh : relations::Severity::kMedium;
    double c = rng.Unit();
    in.intake.channel = c < 0.35   ? relations::Channel::kPhone
                        : c < 0.5  ? relations::Channel::kInPerson
                        : c < 0.75 ? relations::Channel::kWebForm
                        : c < 0.9  ? relations::Channel::kEmail
                                   : relations::Channel::kLetter;
    bool linked = in.intake.channel != relations::Channel::kWebForm || rng.Chance(0.3);
    if (linked) {
      in.intake.patient_id = v.patient_id;
      in.intake.encounter_id = v.encounter_id;
    }
    in.contact_name = "Patient " + std::to_string(v.patient_id);
    in.contact_phone = "(555) 01" + std::to_string(10 + rng.Below(90)) + "-" + std::to_string(1000 + rng.Below(9000));
    in.intake.contact_preference = rng.Chance(0.6) ? relations::ContactPreference::kPhone
                                                   : relations::ContactPreference::kLetter;
    if (inquiry) {
      in.intake.kind = relations::CaseKind::kInquiry;
      in.intake.inquiry_type = *relations::ParseInquiryType(kInquiryTypes[rng.Below(std::size(kInquiryTypes))]);
      in.intake.category = "other";
    } else {
      in.intake.kind = relations::CaseKind::kComplaint;
      double w = rng.Unit();
      size_t k = 0;
      for (double acc = kCategoryWeights[0]; k + 1 < std::size(kCategories) && w > acc; acc += kCategoryWeights[++k]) {
      }
      in.intake.category = shifted && rng.Chance(0.7) ? "wait_times" : kCategories[k];
      in.facts.written = in.intake.channel == relations::Channel::kLetter;
      bool verbal = in.intake.channel == relations::Channel::kPhone || in.intake.channel == relations::Channel::kInPerson;
      in.facts.resolved_promptly_by_staff_present = verbal && rng.Chance(0.55);
      in.facts.response_requested = !in.facts.resolved_promptly_by_staff_present && rng.Chance(0.6);
      in.facts.quality_of_care_concern = in.intake.category == "quality_of_care";
      in.facts.premature_discharge_concern = in.intake.category == "premature_discharge";
      in.facts.alleges_abuse_or_neglect = rng.Chance(0.01);
    }
    bool web = in.intake.channel == relations::Channel::kWebForm;
    CD_ASSIGN_OR_RETURN(CaseView created, relations.Create(web ? public_form : coord, in));
    CaseStory story(relations, clock, rng, now, coord, manager, owners);
    CD_ASSIGN_OR_RETURN(Told told, story.Tell(created, v.time_zone));
    ++report.cases;
    report.open += told.open ? 1 : 0;
    report.grievances += told.kind == "grievance" ? 1 : 0;
    report.inquiries += told.kind == "inquiry" ? 1 : 0;
  }
  if (o.progress) o.progress("patient relations", static_cast<int64_t>(visits.size()), static_cast<int64_t>(visits.size()));
  return report;
}

}  // namespace caredesk
