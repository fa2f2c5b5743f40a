// caredesk demo: a realistic demo clinic and one user per role.
#include <sys/stat.h>

#include <fstream>
#include <iostream>

#include "app/access_service.h"
#include "app/audit_log.h"
#include "app/auth_service.h"
#include "cli/commands.h"
#include "cli/runtime.h"
#include "demo/demo_generator.h"
#include "demo/demo_relations.h"
#include "demo/demo_surveys.h"
#include "domain/security/credentials.h"

namespace caredesk {

int RunDemo(const DemoCommandOptions& o) {
  if (o.patients < 0 || o.patients > 5'000'000) {
    std::cerr << "error: --patients must be between 0 and 5000000\n";
    return 2;
  }
  if (o.providers < 1 || o.providers > 5000) {
    std::cerr << "error: --providers must be between 1 and 5000\n";
    return 2;
  }
  if (auto st = InitCrypto(); !st.ok()) {
    std::cerr << "error: " << st.error().message << "\n";
    return 1;
  }
  SystemClock clock;
  auto pool = OpenMigratedPool(o.db, 2, clock, false);
  if (!pool.ok()) {
    std::cerr << "error: " << pool.error().message << "\n";
    return 1;
  }
  ProgressBar bar;
  DemoOptions options;
  options.patients = o.patients;
  options.providers = o.providers;
  options.seed = o.seed;
  options.now = clock.Now();
  options.progress = [&](std::string_view phase, int64_t done, int64_t total) { bar.Update(phase, done, total); };
  auto report = GenerateDemo(**pool, options);
  bar.Finish();
  if (!report.ok()) {
    std::cerr << "error: " << report.error().message << "\n";
    return report.error().code == ErrorCode::kConflict ? 2 : 1;
  }
  std::cout << "demo clinic: " << report->locations << " locations, " << report->rooms << " rooms, "
            << report->providers << " providers, " << report->appointment_types << " appointment types, "
            << report->patients << " patients (" << report->near_duplicates << " near-duplicates), "
            << report->appointments << " appointments, " << report->encounters << " encounters\n";

  // One user per role, with random passwords written to the credentials file.
  AuditLog audit(**pool, clock);
  AuthService auth(**pool, clock, audit, SessionPolicy{});
  Actor cli;
  cli.username = "caredesk-demo";
  cli.role = Role::kAdmin;
  cli.client_address = "local";
  // Staff who read comments without the metrics see their unit's: the demo's staff work at the first location.
  std::optional<int64_t> first_location;
  {
    auto conn = (*pool)->Acquire();
    auto rs = conn->Query("SELECT MIN(id) FROM locations");
    if (rs.ok() && !rs->empty() && !rs->IsNull(0, 0)) first_location = rs->Int(0, 0);
  }
  std::string lines;
  for (Role role : AllRoles()) {
    std::string name(RoleName(role));
    std::string password = "demo-" + RandomToken(9);
    std::string display = name;
    display[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(display[0])));
    std::optional<int64_t> unit;
    if (RoleHas(role, Permission::kCommentsRead) && !RoleHas(role, Permission::kAnalyticsRead)) unit = first_location;
    auto user = auth.CreateUser(cli, NewUser{name, "Demo " + display, name, password, unit, ""});
    if (!user.ok()) {
      if (user.error().reason == "username_taken") continue;
      std::cerr << "error: " << user.error().message << "\n";
      return 1;
    }
    lines += name + "  " + password + "\n";
  }
  // Patient relations, through the services, once the users exist.
  RelationsDemoOptions rel;
  rel.seed = o.seed;
  rel.now = options.now;
  rel.history_days = options.history_days;
  rel.feedback_csv = (DefaultDataDir() / "feedback_pxtextmining" / "v6framework_230831.csv").string();
  rel.model_path = DefaultFeedbackModelPath();
  rel.progress = options.progress;
  auto relations = GenerateRelationsDemo(**pool, rel);
  bar.Finish();
  if (!relations.ok()) {
    std::cerr << "error: patient relations demo: " << relations.error().message << "\n";
    return 1;
  }
  std::cout << "patient relations: " << relations->cases << " cases (" << relations->grievances << " grievances, "
            << relations->inquiries << " inquiries, " << relations->open << " open)\n";
  if (!relations->texts_from_data_set) {
    std::cout << "note: " << rel.feedback_csv
              << " is not there (set CAREDESK_DATA_DIR to the shared data folder); complaint texts are a small "
                 "built-in set\n";
  }
  if (!relations->comments_judged) {
    std::cout << "note: no comment model at " << rel.model_path
              << " (make build trains it); comments are stored without themes\n";
  }
  // Patient surveys: the HCAHPS survey switched on, invitations and responses over the last 60 days.
  SurveysDemoOptions sur;
  sur.seed = o.seed;
  sur.now = options.now;
  sur.data_dir = DefaultDataDir().string();
  sur.feedback_csv = rel.feedback_csv;
  sur.model_path = rel.model_path;
  sur.progress = options.progress;
  auto surveys = GenerateSurveysDemo(**pool, sur);
  bar.Finish();
  if (!surveys.ok()) {
    std::cerr << "error: surveys demo: " << surveys.error().message << "\n";
    return 1;
  }
  std::cout << "surveys: " << surveys->invitations << " invitations, " << surveys->responses << " responses ("
            << (surveys->hcahps ? "HCAHPS" : "built-in short survey") << ")\n";
  if (!surveys->hcahps) {
    std::cout << "note: the HCAHPS survey could not be built (" << surveys->note
              << "); the demo uses a built-in 6-item survey\n";
  }

  // Third next available: one reading a day over the history, as the calendar stood each midnight.
  {
    ScheduleService schedule(**pool, clock, audit);
    AccessService access(**pool, clock, audit, schedule);
    const CivilDate today = InstantToLocal(clock.Now(), "UTC").date;
    auto readings = access.Backfill(std::nullopt, today.AddDays(-options.history_days), today, true,
                                    [&](int64_t done, int64_t total) { bar.Update("access", done, total); });
    bar.Finish();
    if (!readings.ok()) {
      std::cerr << "error: third next available readings: " << readings.error().message << "\n";
      return 1;
    }
    std::cout << "third next available: " << readings->readings << " readings over " << readings->days
              << " location-days\n";
  }

  if (!o.credentials_file.empty() && !lines.empty()) {
    std::ofstream out(o.credentials_file, std::ios::trunc);
    out << "# CareDesk demo users (username  password)\n" << lines;
    out.close();
    chmod(o.credentials_file.c_str(), S_IRUSR | S_IWUSR);
    std::cout << "demo users and passwords written to " << o.credentials_file << "\n";
  } else if (!lines.empty()) {
    std::cout << "demo users (username  password):\n" << lines;
  }
  return 0;
}

}  // namespace caredesk
