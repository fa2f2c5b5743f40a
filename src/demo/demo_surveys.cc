#include "demo/demo_surveys.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/audit_log.h"
#include "app/comment_service.h"
#include "app/survey_service.h"
#include "core/civil_time.h"
#include "core/text.h"
#include "storage/bulk_insert.h"
#include "demo/demo_random.h"
#include "domain/feedback/csv.h"
#include "domain/feedback/pxtextmining_split.h"
#include "domain/feedback/question_kind.h"
#include "domain/security/credentials.h"
#include "domain/surveys/csv_records.h"
#include "domain/surveys/item_kind.h"
#include "domain/surveys/survey_definition.h"
#include "domain/surveys/survey_response.h"
#include "storage/settings_repository.h"
#include "storage/survey_repository.h"

namespace caredesk {
namespace {

constexpr uint64_t kSurveysStream = 5;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// The survey settings the demo saves.
constexpr int kSendAfterHours = 2;
constexpr int kExpiresDays = 30;
constexpr int kReminderAfterDays = 7;
constexpr int kMaxReminders = 1;

// Share of the completed visits invited, before the cap.
constexpr double kSampleRate = 0.40;
// Aim a little under the cap so that the cap trims nothing in the usual case.
constexpr double kInvitationAim = 0.975 * kMaxDemoInvitations;
// Chance that an invited patient answers at all, before the location's offset. Answers that would
// arrive after `now` are not there yet, which takes the realized rate to about 27%.
constexpr double kBaseResponseRate = 0.31;
// Response-rate offsets of the locations, in percentage points, shuffled over them.
constexpr int kRateOffsets[] = {-8, -5, -2, 2, 5, 8};
// Unanswered email invitations whose patient opts out from the link.
constexpr double kOptOutRate = 0.015;
// Print slips that staff print (the rest are still in the queue or were never printed).
constexpr double kPrintedRate = 0.9;
// How strongly one respondent's answers go together: the chance that an item follows the
// respondent's overall feeling rather than an independent draw. Either way each item's marginal
// is uniform, so box shares stay what the targets say.
constexpr double kSharedFeeling = 0.6;
// The global items (the 0–10 rating, would you recommend) sum up the visit: they follow it closer.
constexpr double kSharedFeelingGlobal = 0.85;
// Transactions of about this many invitations.
constexpr size_t kBatch = 300;

// The planted stories.
constexpr char kDipMeasure[] = "H_COMP_1";  // nurse communication
constexpr char kDipRatingMeasure[] = "H_HSP_RATING";
constexpr double kDipPoints = -7.0;
constexpr double kTrendPoints = 4.5;  // from -4.5 at the start of the window to +4.5 at its end

// Box shares: in percent as published, as fractions once Shifted.
struct Boxes {
  double bottom = 0;
  double middle = 0;
  double top = 0;
};

// CMS national HCAHPS results, release 07_2023: used when national_results.csv is not there.
const struct {
  const char* measure;
  Boxes boxes;
} kBuiltInNational[] = {
    {"H_CLEAN_HSP", {10, 18, 72}}, {"H_COMP_1", {5, 16, 79}}, {"H_COMP_2", {5, 16, 79}}, {"H_COMP_3", {11, 24, 65}},
    {"H_COMP_5", {20, 19, 61}},    {"H_COMP_6", {14, 0, 86}}, {"H_COMP_7", {6, 43, 51}}, {"H_HSP_RATING", {9, 21, 70}},
    {"H_QUIET_HSP", {10, 28, 62}}, {"H_RECMND", {6, 25, 69}},
};
constexpr char kBuiltInRelease[] = "07_2023";

// For items whose measure has no national figure, by kind.
Boxes KindDefault(surveys::ItemKind kind) {
  using surveys::ItemKind;
  switch (kind) {
    case ItemKind::kFrequency:
      return {8, 20, 72};
    case ItemKind::kYesNo:
      return {12, 0, 88};
    case ItemKind::kRating0To10:
      return {9, 21, 70};
    case ItemKind::kRecommend:
      return {6, 25, 69};
    case ItemKind::kAgreement:
      return {6, 43, 51};
    case ItemKind::kNps:
      return {12, 24, 64};
    case ItemKind::kFreeText:
      break;
  }
  return {0, 0, 100};
}

struct National {
  std::string release;
  std::map<std::string, Boxes, std::less<>> measures;
};

// "07_2023" → 202307; 0 when malformed.
int ReleaseOrder(std::string_view release) {
  if (release.size() != 7 || release[2] != '_') return 0;
  int month = 0, year = 0;
  for (char ch : release.substr(0, 2)) {
    if (ch < '0' || ch > '9') return 0;
    month = month * 10 + (ch - '0');
  }
  for (char ch : release.substr(3)) {
    if (ch < '0' || ch > '9') return 0;
    year = year * 10 + (ch - '0');
  }
  return year * 100 + month;
}

// The latest release of <data_dir>/hcahps/national_results.csv, or the built-in figures.
National LoadNational(const std::string& data_dir) {
  National out;
  std::ifstream in(data_dir + "/hcahps/national_results.csv", std::ios::binary);
  if (in) {
    std::stringstream buf;
    buf << in.rdbuf();
    auto table = surveys::ParseCsvTable(buf.str());
    if (table.ok()) {
      auto release = table->Column("Release Period");
      auto measure = table->Column("Measure ID");
      auto bottom = table->Column("Bottom-box Percentage");
      auto middle = table->Column("Middle-box Percentage");
      auto top = table->Column("Top-box Percentage");
      if (release && measure && bottom && middle && top) {
        const size_t need = std::max({*release, *measure, *bottom, *middle, *top}) + 1;
        int latest = 0;
        for (const auto& row : table->rows) {
          if (row.fields.size() >= need) latest = std::max(latest, ReleaseOrder(row.fields[*release]));
        }
        for (const auto& row : table->rows) {
          if (row.fields.size() < need || latest == 0 || ReleaseOrder(row.fields[*release]) != latest) continue;
          Boxes b;
          try {
            b = {std::stod(row.fields[*bottom]), std::stod(row.fields[*middle]), std::stod(row.fields[*top])};
          } catch (...) {
            continue;
          }
          if (b.bottom < 0 || b.middle < 0 || b.top < 0 || b.bottom + b.middle + b.top <= 0) continue;
          out.measures[std::string(surveys::TrimSpaces(row.fields[*measure]))] = b;
          out.release = std::string(surveys::TrimSpaces(row.fields[*release]));
        }
      }
    }
  }
  if (!out.measures.empty()) return out;
  out.release = kBuiltInRelease;
  for (const auto& n : kBuiltInNational) out.measures[n.measure] = n.boxes;
  return out;
}

// The short survey used when the HCAHPS tables are not there: one item of each scored kind the
// scores views show, and a comment box. Its measures reuse the HCAHPS ids so that the national
// figures and the planted stories apply.
surveys::SurveyDraft BuiltInDraft() {
  using surveys::ItemKind;
  using surveys::MakeItem;
  surveys::SurveyDraft d;
  d.id = "patient_experience";
  d.title = "Patient experience (short)";
  d.items = {
      MakeItem("nurses", "How often did nurses treat you with courtesy and respect?", ItemKind::kFrequency, "H_COMP_1"),
      MakeItem("written_info",
               "Did you get information in writing about what symptoms to look out for after your "
               "visit?",
               ItemKind::kYesNo, "H_COMP_6"),
      MakeItem("rating",
               "Using any number from 0 to 10, where 0 is the worst clinic possible and 10 the best, what "
               "number would you use to rate this clinic?",
               ItemKind::kRating0To10, "H_HSP_RATING"),
      MakeItem("recommend", "Would you recommend this clinic to your friends and family?", ItemKind::kRecommend,
               "H_RECMND"),
      MakeItem("nps", "How likely are you to recommend us to a friend or colleague?", ItemKind::kNps, "NPS"),
      MakeItem("comment", "Is there anything else you would like to tell us about your visit?", ItemKind::kFreeText),
  };
  d.measures = {{"H_COMP_1", "Communication with Nurses", {"nurses"}},
                {"H_COMP_6", "Discharge Information", {"written_info"}},
                {"H_HSP_RATING", "Overall Rating", {"rating"}},
                {"H_RECMND", "Willingness to Recommend", {"recommend"}},
                {"NPS", "Net Promoter Score", {"nps"}}};
  return d;
}

// Comments by sentiment.
struct Texts {
  std::vector<std::string> positive, neutral, negative;
  bool from_data_set = false;

  // What a respondent of this feeling (0–1, low = unhappy) writes, given a uniform draw `w`: mostly
  // in keeping with how they answered, now and then not.
  const std::vector<std::string>& For(double feeling, double w) const {
    if (feeling < 0.2) return w < 0.8 ? negative : w < 0.9 ? neutral : positive;
    if (feeling < 0.45) return w < 0.35 ? negative : w < 0.6 ? neutral : positive;
    return w < 0.8 ? positive : w < 0.9 ? neutral : negative;
  }
};

const char* const kBuiltInPositive[] = {
    "The nurse was lovely and explained everything clearly. Thank you for looking after me so well.",
    "Seen on time, the doctor listened and answered all my questions. Excellent service.",
    "Reception staff were friendly and helpful and the clinic was spotless.",
    "Very caring team. They made my elderly father feel safe and respected.",
    "Quick, efficient and kind. I could not have asked for better care.",
    "The doctor took time to go through my results and I left feeling reassured.",
    "Everyone was polite and professional from start to finish.",
    "Great experience, short wait, and the nurse made my daughter laugh during her injection.",
};
const char* const kBuiltInNeutral[] = {
    "The care was fine but the waiting room could do with more seats.",
    "Doctor was good; it took a while to get through on the phone to book.",
    "Okay overall. Parking was difficult.",
    "Staff were nice but I was not sure who to ask about my prescription afterwards.",
    "Average visit. Nothing special, nothing bad.",
    "Good care, although the signs to the clinic rooms are confusing.",
};
const char* const kBuiltInNegative[] = {
    "We waited over an hour past our appointment time and nobody explained the delay.",
    "The receptionist was rude when I asked how much longer it would be.",
    "Nobody called me back with my test results even though I was promised a call.",
    "The doctor rushed through the appointment and did not listen to my concerns.",
    "The toilets were dirty and there was no soap.",
    "I was given a new medicine without being told about the side effects.",
    "Nobody told me what to do when I got home and I had to phone twice to find out.",
    "The nurse was dismissive and I felt like a nuisance.",
};

// The data set's labelled answers to questions of kind `question` (that of the survey's comment
// box, so that what a respondent writes fits what the box asks), else the built-in comments.
Texts LoadTexts(const std::string& csv, feedback::QuestionKind question) {
  Texts t;
  std::ifstream in(csv, std::ios::binary);
  if (in) {
    auto table = feedback::ReadCsvTable(in);
    if (table.ok()) {
      auto data = feedback::SplitPxtextmining(*table);
      if (data.ok()) {
        for (const auto* part : {&data->train, &data->test}) {
          for (const auto& c : *part) {
            if (!c.sentiment || c.question != question) continue;
            std::string text(TrimSpace(c.text));
            if (text.size() < 20 || text.size() > 600) continue;
            switch (*c.sentiment) {
              case feedback::Sentiment::kPositive:
                t.positive.push_back(std::move(text));
                break;
              case feedback::Sentiment::kNeutral:
                t.neutral.push_back(std::move(text));
                break;
              case feedback::Sentiment::kNegative:
                t.negative.push_back(std::move(text));
                break;
            }
          }
        }
      }
    }
  }
  if (t.positive.size() >= 50 && t.neutral.size() >= 20 && t.negative.size() >= 50) {
    t.from_data_set = true;
    return t;
  }
  t = Texts{};
  t.positive.assign(std::begin(kBuiltInPositive), std::end(kBuiltInPositive));
  t.neutral.assign(std::begin(kBuiltInNeutral), std::end(kBuiltInNeutral));
  t.negative.assign(std::begin(kBuiltInNegative), std::end(kBuiltInNegative));
  return t;
}

// `b` with `points` moved into (positive) or out of (negative) the top box; what leaves the top
// box goes mostly to the middle one (all of it to the bottom when there is no middle box), what
// joins it comes from the middle and bottom boxes in proportion. As fractions 0–1.
Boxes Shifted(Boxes b, double points) {
  const double total = b.bottom + b.middle + b.top;
  b = {b.bottom * 100 / total, b.middle * 100 / total, b.top * 100 / total};
  if (points < 0) {
    double take = std::min(-points, b.top);
    b.top -= take;
    if (b.middle > 0) {
      b.middle += 0.7 * take;
      b.bottom += 0.3 * take;
    } else {
      b.bottom += take;
    }
  } else if (points > 0) {
    double rest = b.bottom + b.middle;
    double give = std::min(points, rest);
    if (rest > 0) {
      b.bottom -= give * b.bottom / rest;
      b.middle -= give * b.middle / rest;
    }
    b.top += give;
  }
  return {b.bottom / 100, b.middle / 100, b.top / 100};
}

// An answer in the box that `u` (uniform 0–1) falls in, given the shares; within a box the
// higher answers are likelier (each twice the one below: "Sometimes" over "Never", 10 over 9).
int DrawValue(const surveys::BoxDefinition& def, const Boxes& shares, double u, demo::Rng& rng) {
  const std::vector<int>* box = u < shares.bottom                   ? &def.bottom
                                : u < shares.bottom + shares.middle ? &def.middle
                                                                    : &def.top;
  if (box->empty()) box = !def.top.empty() ? &def.top : &def.bottom;
  std::vector<int> values = *box;
  std::sort(values.begin(), values.end());
  std::vector<double> weights(values.size());
  double w = 1;
  for (double& x : weights) {
    x = w;
    w *= 2;
  }
  return values[rng.Weighted(weights)];
}

struct Place {
  int64_t id = 0;
  std::string name;
  std::string time_zone;
  double response_rate = kBaseResponseRate;
  std::map<std::string, double, std::less<>> offsets;  // top-box points by measure
  // The respondents' feelings at a location follow a golden-ratio sequence from a random phase:
  // uniform like independent draws, but evenly spread even over a few hundred responses, so a
  // location's (or a month's) box shares land near their targets and the planted differences are
  // not lost in sampling noise. The independent part of each answer keeps some natural spread.
  double phase = 0;
  int64_t respondents = 0;

  double NextFeeling() {
    double x = phase + static_cast<double>(respondents++) * 0.6180339887498949;
    return x - static_cast<double>(static_cast<int64_t>(x));
  }
};

// One invitation as it will be written, with what happened to it.
struct Planned {
  db::InvitationRow invitation;
  std::vector<int64_t> token_times;  // a link each: the email, the reminder, the printed slip
  std::optional<int64_t> opted_out_at;
  std::optional<db::ResponseRow> response;
  std::string comment;  // "" = none
  feedback::QuestionKind question = feedback::QuestionKind::kNonspecific;  // that the comment answers
  std::string time_zone;
};

// Writes planned invitations a batch per transaction: invitations, opt-outs and responses through
// SurveyRepository, comments through CommentService. The rest, which is most of the rows, goes into
// the same tables and columns in multi-row statements: the links, the answers, and the send, print
// and answer times InsertInvitation does not take (one statement per row made the PostgreSQL run
// several times slower).
struct Writer {
  db::Pool& pool;
  CommentService& comments;
  SurveysDemoReport& report;
  db::BulkTable<3> token_table{"INSERT INTO survey_tokens (token_hash, invitation_id, issued_at)"};
  db::BulkTable<4> answer_table{"INSERT INTO survey_answers (response_id, item_id, value, text)"};
  db::RowBuffer tokens{3};
  db::RowBuffer answers{4};
  // What InsertInvitation does not write (the sends, the print, the reminder, the answer), set
  // afterwards a few dozen invitations per statement: id, sent_at, printed_at, reminders,
  // last_reminder_at, used_at.
  static constexpr int kTimeColumns = 6;
  static constexpr int kTimeRows = 50;
  db::RowBuffer times{kTimeColumns};
  const std::string times_many_sql = TimesSql(kTimeRows);
  const std::string times_one_sql = TimesSql(1);

  static std::string TimesSql(int rows) {
    std::string sql =
        "UPDATE survey_invitations SET sent_at = v.column2, printed_at = v.column3, reminders = v.column4, "
        "last_reminder_at = v.column5, used_at = v.column6, next_send_at = NULL FROM (VALUES ";
    int n = 0;
    for (int r = 0; r < rows; ++r) {
      sql += r == 0 ? "(" : ", (";
      for (int k = 0; k < kTimeColumns; ++k) {
        sql += (k == 0 ? "CAST($" : ", CAST($") + std::to_string(++n) + " AS BIGINT)";
      }
      sql += ")";
    }
    return sql + ") AS v WHERE survey_invitations.id = v.column1";
  }

  Status WriteTimes(db::Connection& c) {
    const size_t total = times.rows();
    size_t row = 0;
    for (; row + kTimeRows <= total; row += kTimeRows) {
      CD_RETURN_IF_ERROR(db::internal::ExecExpanded(c, times_many_sql, times, row * kTimeColumns,
                                                      std::make_index_sequence<kTimeRows * kTimeColumns>()));
    }
    for (; row < total; ++row) {
      CD_RETURN_IF_ERROR(db::internal::ExecExpanded(c, times_one_sql, times, row * kTimeColumns,
                                                      std::make_index_sequence<kTimeColumns>()));
    }
    return Ok();
  }

  Status Flush(std::vector<Planned>& batch) {
    if (batch.empty()) return Ok();
    auto conn = pool.Acquire();
    SurveysDemoReport counted;
    tokens.Clear();
    answers.Clear();
    times.Clear();
    auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      for (auto& p : batch) {
        const db::InvitationRow& inv = p.invitation;
        CD_ASSIGN_OR_RETURN(auto id, db::SurveyRepository::InsertInvitation(c, inv));
        if (!id) continue;  // the encounter has one already
        times.Int(*id).OptInt(inv.sent_at).OptInt(inv.printed_at).Int(inv.reminders).OptInt(inv.last_reminder_at);
        times.OptInt(inv.used_at);
        // Random links, stored hashed like the real ones; nobody needs them.
        for (int64_t at : p.token_times) tokens.Text(Sha256Hex(RandomToken(24))).Int(*id).Int(at);
        ++counted.invitations;
        counted.emailed += inv.sent_at ? 1 : 0;
        counted.printed += inv.printed_at ? 1 : 0;
        counted.reminded += inv.reminders > 0 ? 1 : 0;
        if (p.opted_out_at) {
          CD_RETURN_IF_ERROR(db::SurveyRepository::OptOut(c, inv.patient_id, *p.opted_out_at, "link"));
          ++counted.opted_out;
        }
        if (!p.response) continue;
        db::ResponseRow& response = *p.response;
        response.invitation_id = *id;
        std::vector<surveys::Answer> given = std::move(response.answers);
        response.answers.clear();
        CD_ASSIGN_OR_RETURN(int64_t response_id, db::SurveyRepository::InsertResponse(c, response));
        for (const auto& a : given) {
          answers.Int(response_id).Text(a.item_id);
          if (a.value)
            answers.Int(*a.value);
          else
            answers.Null();
          if (a.text)
            answers.Text(*a.text);
          else
            answers.Null();
        }
        ++counted.responses;
        if (p.comment.empty()) continue;
        CommentInput comment{"survey",
                             response_id,
                             inv.location_id,
                             p.time_zone,
                             inv.department,
                             inv.provider_id,
                             FromMillis(response.received_at),
                             p.comment};
        comment.question = p.question;
        CD_ASSIGN_OR_RETURN(int64_t comment_id, comments.RecordInTx(c, comment));
        (void)comment_id;
        ++counted.comments;
      }
      CD_RETURN_IF_ERROR(WriteTimes(c));
      CD_RETURN_IF_ERROR(token_table.Write(c, tokens));
      return answer_table.Write(c, answers);
    });
    if (!st.ok()) return std::move(st).error();
    report.invitations += counted.invitations;
    report.emailed += counted.emailed;
    report.printed += counted.printed;
    report.reminded += counted.reminded;
    report.opted_out += counted.opted_out;
    report.responses += counted.responses;
    report.comments += counted.comments;
    batch.clear();
    return Ok();
  }
};

}  // namespace

Result<SurveysDemoReport> GenerateSurveysDemo(db::Pool& pool, const SurveysDemoOptions& o) {
  SurveysDemoReport report;
  const int64_t now = ToMillis(o.now);
  const int64_t window_from = now - int64_t{std::max(o.window_days, 1)} * kDay;
  // Visits that ended since are left to the server's dispatcher.
  const int64_t window_to = now - kSendAfterHours * kHour - 20 * kMinute;
  demo::Rng rng = demo::Rng(o.seed).Fork(kSurveysStream);

  // The survey was built and switched on just before the window opens.
  FakeClock clock(FromMillis(window_from - 2 * kDay));
  AuditLog audit(pool, clock);
  CommentService comments(pool, clock, audit, o.model_path);
  report.comments_judged = comments.model_info().loaded;
  SurveyService service(pool, clock, audit, comments, nullptr, o.data_dir);

  Actor manager{0, "caredesk-demo", Role::kAdmin, "local", 0};
  std::vector<Place> places;
  {
    auto conn = pool.Acquire();
    CD_ASSIGN_OR_RETURN(auto users, conn->Query("SELECT id, username FROM users WHERE active = 1 AND "
                                                "role = 'manager' ORDER BY id LIMIT 1"));
    if (!users.empty()) manager = {users.Int(0, 0), users.Text(0, 1), Role::kManager, "local", 0};
    CD_ASSIGN_OR_RETURN(auto ls, conn->Query("SELECT id, name, time_zone FROM locations ORDER BY id"));
    for (size_t i = 0; i < ls.size(); ++i) {
      Place p;
      p.id = ls.Int(i, 0);
      p.name = ls.Text(i, 1);
      p.time_zone = ls.Text(i, 2);
      places.push_back(std::move(p));
    }
  }

  // The survey: HCAHPS from the published table, or the built-in short one.
  auto created = service.CreateHcahps(manager);
  if (!created.ok() && created.error().code == ErrorCode::kConflict) return std::move(created).error();
  if (created.ok()) {
    report.hcahps = true;
  } else {
    report.note = created.error().message;
    created = service.Create(manager, BuiltInDraft());
    if (!created.ok()) return std::move(created).error();
  }
  const surveys::SurveyDefinition& def = created->definition;
  report.survey_id = def.id();
  SurveySettings settings;
  settings.active_survey_id = def.id();
  settings.send_after_hours = kSendAfterHours;
  settings.expires_days = kExpiresDays;
  settings.reminder_after_days = kReminderAfterDays;
  settings.max_reminders = kMaxReminders;
  settings.public_base_url = "http://127.0.0.1:8080";
  CD_RETURN_IF_ERROR(service.SaveSettings(manager, settings));

  const National national = LoadNational(o.data_dir);
  report.release = national.release;
  // The comment box (the first item that is not scored), and the kind of question it asks.
  const surveys::SurveyItem* comment_item = nullptr;
  for (const auto& item : def.items()) {
    if (!surveys::IsScoredKind(item.kind)) {
      comment_item = &item;
      break;
    }
  }
  const feedback::QuestionKind comment_question = comment_item != nullptr
                                                      ? feedback::QuestionKindOfPrompt(comment_item->text)
                                                      : feedback::QuestionKind::kNonspecific;
  const Texts texts = LoadTexts(o.feedback_csv, comment_question);
  report.texts_from_data_set = texts.from_data_set;
  bool has_measure_3 = false;
  for (const auto& m : def.measures()) has_measure_3 = has_measure_3 || m.id == "H_COMP_3";
  report.trend_measure_id = has_measure_3 ? "H_COMP_3" : "H_COMP_6";

  // The locations: response rates, small differences on every measure, and the planted dip at the
  // second location (the relations demo plants its story at the first).
  {
    std::vector<int> rate_offsets;
    for (size_t i = 0; i < places.size(); ++i) rate_offsets.push_back(kRateOffsets[i % std::size(kRateOffsets)]);
    for (size_t i = rate_offsets.size(); i > 1; --i) std::swap(rate_offsets[i - 1], rate_offsets[rng.Below(i)]);
    const size_t dip = places.size() >= 2 ? 1 : 0;
    for (size_t i = 0; i < places.size(); ++i) {
      Place& p = places[i];
      p.response_rate = kBaseResponseRate + rate_offsets[i] / 100.0;
      p.phase = rng.Unit();
      for (const auto& m : def.measures()) {
        const bool dipped = m.id == kDipMeasure || m.id == kDipRatingMeasure;
        // Elsewhere the dipped measures differ a little, and never downwards, so the dip stands out.
        p.offsets[m.id] = dipped ? static_cast<double>(rng.Between(0, 2)) : static_cast<double>(rng.Between(-2, 2));
      }
      if (i == dip) {
        p.offsets[kDipMeasure] = kDipPoints - static_cast<double>(rng.Below(2));
        p.offsets[kDipRatingMeasure] = kDipPoints;
        p.offsets["H_RECMND"] -= 3;
        report.dip_location_id = p.id;
        report.dip_location_name = p.name;
      }
    }
  }

  // The scored items with their national shares.
  struct ScoredItem {
    const surveys::SurveyItem* item;
    Boxes national;
  };
  std::vector<ScoredItem> scored;
  for (const auto& item : def.items()) {
    if (!surveys::IsScoredKind(item.kind)) continue;
    auto it = national.measures.find(item.measure_id);
    scored.push_back({&item, it != national.measures.end() ? it->second : KindDefault(item.kind)});
  }

  // How many visits there are, for the sample rate under the cap.
  {
    auto conn = pool.Acquire();
    if (conn->dialect() == db::Dialect::kPostgres) {
      // The visits were loaded moments ago: give the planner their statistics before the reads
      // below, as autovacuum soon would (planned without them, each read scanned every visit).
      CD_RETURN_IF_ERROR(conn->ExecScript("ANALYZE encounters; ANALYZE patients;"));
    }
    CD_ASSIGN_OR_RETURN(auto rs, conn->Query("SELECT COUNT(*) FROM encounters WHERE state = 'completed' AND "
                                             "ended_at >= $1 AND ended_at < $2",
                                             {window_from, window_to}));
    report.visits = rs.Int(0, 0);
  }
  const double sample_rate =
      report.visits == 0 ? 0.0 : std::min(kSampleRate, kInvitationAim / static_cast<double>(report.visits));

  Writer writer{pool, comments, report};
  std::vector<Planned> batch;
  int64_t planned_invitations = 0, planned_responses = 0, done = 0;
  std::unordered_map<int64_t, int64_t> opted_out;      // patient → when
  std::unordered_map<int64_t, int64_t> last_reminder;  // patient → their latest reminder
  // A few days at a time (bounded memory on a large demo), every location's visits in the order they
  // ended, so that an opt-out stops the patient's later invitations wherever they are.
  struct Visit {
    size_t place;
    int64_t encounter_id;
    int64_t patient_id;
    std::optional<int64_t> provider_id;
    std::string department;
    int64_t ended_at;
    std::string email;
    std::string preferred_contact;
    bool opted_out;
  };
  constexpr int64_t kChunk = 6 * kDay;
  std::vector<Visit> visits;
  for (int64_t from = window_from; from < window_to; from += kChunk) {
    const int64_t to = std::min(from + kChunk, window_to);
    visits.clear();
    for (size_t k = 0; k < places.size(); ++k) {
      // As SurveyRepository::Candidates reads them, per location so that the encounters
      // (location_id, ended_at) index serves.
      auto conn = pool.Acquire();
      CD_ASSIGN_OR_RETURN(
          auto rs, conn->Query("SELECT e.id, e.patient_id, e.provider_id, COALESCE(pr.specialty, ''), e.ended_at, "
                               "p.email, p.preferred_contact_method, "
                               "CASE WHEN o.patient_id IS NULL THEN 0 ELSE 1 END "
                               "FROM encounters e JOIN patients p ON p.id = e.patient_id "
                               "LEFT JOIN providers pr ON pr.id = e.provider_id "
                               "LEFT JOIN survey_opt_outs o ON o.patient_id = e.patient_id "
                               "WHERE e.location_id = $1 AND e.state = 'completed' AND e.ended_at >= $2 "
                               "AND e.ended_at < $3 "
                               "AND NOT EXISTS (SELECT 1 FROM survey_invitations i WHERE i.encounter_id = e.id)",
                               {places[k].id, from, to}));
      for (size_t i = 0; i < rs.size(); ++i) {
        db::RowRef row(rs, i);
        visits.push_back({k, row.Int(0), row.Int(1), row.OptInt(2), row.Text(3), row.Int(4), row.Text(5), row.Text(6),
                          row.Int(7) != 0});
      }
    }
    std::sort(visits.begin(), visits.end(), [](const Visit& a, const Visit& b) {
      return std::tie(a.ended_at, a.encounter_id) < std::tie(b.ended_at, b.encounter_id);
    });
    for (const Visit& v : visits) {
      ++done;
      if (!rng.Chance(sample_rate) || planned_invitations >= kMaxDemoInvitations) continue;
      Place& place = places[v.place];
      const int64_t patient_id = v.patient_id;
      const int64_t ended_at = v.ended_at;
      // The dispatcher skips patients who have opted out by the time it would invite them.
      if (v.opted_out) continue;
      if (auto it = opted_out.find(patient_id);
          it != opted_out.end() && it->second <= ended_at + kSendAfterHours * kHour) {
        continue;
      }
      Planned p;
      p.time_zone = place.time_zone;
      db::InvitationRow& inv = p.invitation;
      inv.encounter_id = v.encounter_id;
      inv.patient_id = patient_id;
      inv.survey_id = def.id();
      inv.survey_version = def.version();
      inv.location_id = place.id;
      inv.provider_id = v.provider_id;
      inv.department = v.department;
      inv.visit_date = InstantToLocal(FromMillis(ended_at), place.time_zone).date.ToString();
      // As the dispatcher decides: email when there is an address the patient does not mind us using.
      const std::string& email = v.email;
      const bool by_email = !email.empty() && v.preferred_contact != "mail";
      inv.channel = by_email ? "email" : "print";
      inv.email = by_email ? email : "";
      inv.issued_at = ended_at + kSendAfterHours * kHour + rng.Between(1, 10) * kMinute;
      inv.expires_at = inv.issued_at + kExpiresDays * kDay;

      // When the patient would answer, if at all; nothing happens at or after `now`.
      const bool answers = planned_responses < kMaxDemoResponses && rng.Chance(place.response_rate);
      std::optional<int64_t> received;
      if (by_email) {
        inv.sent_at = inv.issued_at + rng.Between(0, 4) * kMinute;
        p.token_times.push_back(*inv.sent_at);
        const int64_t remind_at = *inv.sent_at + kReminderAfterDays * kDay + rng.Between(0, 10) * kMinute;
        const bool early = rng.Chance(0.62);
        const double u = rng.Unit();
        const int64_t early_at = *inv.sent_at + rng.Between(5, 60) * kMinute + static_cast<int64_t>(u * u * 3 * kDay);
        const int64_t late_at = remind_at + rng.Between(5, 60) * kMinute + static_cast<int64_t>(u * u * 6 * kDay);
        if (answers) received = early ? early_at : late_at;
        // Now and then a patient who does not answer opts out from the link; nothing more is sent.
        // (Not when an earlier invitation of theirs was reminded after that: the opt-out would have
        // stopped the reminder.)
        if (!answers && !opted_out.contains(patient_id) && rng.Chance(kOptOutRate)) {
          const int64_t at = *inv.sent_at + rng.Between(1, 72) * kHour;
          auto reminded = last_reminder.find(patient_id);
          if (at < now && (reminded == last_reminder.end() || reminded->second < at)) {
            p.opted_out_at = at;
            opted_out[patient_id] = at;
          }
        }
        auto out = opted_out.find(patient_id);
        const bool stopped = out != opted_out.end() && out->second <= remind_at;
        if (!stopped && (!received || *received > remind_at) && remind_at < now && remind_at < inv.expires_at) {
          inv.reminders = 1;
          inv.last_reminder_at = remind_at;
          p.token_times.push_back(remind_at);
          last_reminder[patient_id] = remind_at;
        }
      } else {
        const int64_t printed_at = inv.issued_at + rng.Between(14, 40) * kHour;
        const double u = rng.Unit();
        const int64_t back_at = printed_at + kDay + static_cast<int64_t>(u * u * 13 * kDay);
        if (rng.Chance(kPrintedRate) && printed_at < now) {
          inv.printed_at = printed_at;
          p.token_times.push_back(printed_at);
          if (answers) received = back_at;
        }
      }
      if (received && (*received >= now || *received >= inv.expires_at)) received.reset();

      if (received) {
        inv.used_at = *received;
        db::ResponseRow resp;
        resp.survey_id = def.id();
        resp.survey_version = def.version();
        resp.source = "web";
        resp.encounter_id = inv.encounter_id;
        resp.patient_id = inv.patient_id;
        resp.location_id = inv.location_id;
        resp.provider_id = inv.provider_id;
        resp.department = inv.department;
        resp.visit_date = inv.visit_date;
        resp.received_at = *received;
        // The respondent's overall feeling (low = unhappy) and the answers that follow from it.
        const double feeling = place.NextFeeling();
        const double progress =
            static_cast<double>(ended_at - window_from) / static_cast<double>(window_to - window_from);
        for (const ScoredItem& s : scored) {
          double points = 0;
          if (auto it = place.offsets.find(s.item->measure_id); it != place.offsets.end()) points = it->second;
          if (s.item->measure_id == report.trend_measure_id) points += kTrendPoints * (2 * progress - 1);
          const bool global = s.item->kind == surveys::ItemKind::kRating0To10 ||
                              s.item->kind == surveys::ItemKind::kRecommend || s.item->kind == surveys::ItemKind::kNps;
          const double u = rng.Chance(global ? kSharedFeelingGlobal : kSharedFeeling) ? feeling : rng.Unit();
          resp.answers.push_back({s.item->id, DrawValue(s.item->boxes, Shifted(s.national, points), u, rng), {}});
        }
        // Unhappy patients write more often; what they write mostly matches how they answered.
        const double comment_rate = feeling < 0.15 ? 0.55 : feeling < 0.35 ? 0.40 : 0.30;
        if (comment_item != nullptr && rng.Chance(comment_rate)) {
          const std::vector<std::string>& pool_of = texts.For(feeling, rng.Unit());
          p.comment = pool_of[rng.Below(pool_of.size())];
          p.question = comment_question;
          resp.answers.push_back({comment_item->id, std::nullopt, p.comment});
        }
        surveys::SurveyResponse check{std::to_string(inv.encounter_id.value_or(0)), def.key(), {}, resp.answers};
        CD_RETURN_IF_ERROR(surveys::ValidateResponse(def, check));
        p.response = std::move(resp);
        ++planned_responses;
      }
      ++planned_invitations;
      batch.push_back(std::move(p));
      if (batch.size() >= kBatch) {
        CD_RETURN_IF_ERROR(writer.Flush(batch));
        if (o.progress) o.progress("surveys", done, report.visits);
      }
    }
  }
  CD_RETURN_IF_ERROR(writer.Flush(batch));

  // The sample's left-out visits are not the dispatcher's to invite: it catches up from now on.
  clock.Set(o.now);
  {
    auto conn = pool.Acquire();
    const Actor demo{0, "caredesk", Role::kAdmin, "local", 0};
    CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      CD_RETURN_IF_ERROR(db::SettingsRepository::Put(c, "surveys.activated_at", std::to_string(now)));
      return audit.AppendInTx(
          c, audit.Make(demo, "demo_load", audit_category::kSurveys, std::nullopt, "success",
                        "demo surveys (seed " + std::to_string(o.seed) + "): " + std::to_string(report.invitations) +
                            " invitations, " + std::to_string(report.responses) + " responses, " +
                            std::to_string(report.comments) + " comments"));
    }));
  }
  if (o.progress) o.progress("surveys", report.visits, report.visits);
  return report;
}

}  // namespace caredesk
