// migrate, user add, token issue, audit verify, backup, access backfill, import fhir.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>

#include "app/access_service.h"
#include "app/audit_log.h"
#include "app/auth_service.h"
#include "cli/commands.h"
#include "cli/runtime.h"
#include "domain/security/credentials.h"
#include "fhir/importer.h"

namespace caredesk {
namespace {

int Fail(const Error& e) {
  std::cerr << "error: " << e.message << (e.field.empty() ? "" : " (" + e.field + ")") << "\n";
  return e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kConflict ? 2 : 1;
}

// A shell-safe single-quoted word.
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs `f` with the users and sessions of `db`, as the command line: an admin named caredesk-cli at "local".
template <typename F>
int WithAuth(const std::string& db, F f) {
  if (auto st = InitCrypto(); !st.ok()) return Fail(st.error());
  SystemClock clock;
  auto pool = OpenMigratedPool(db, 1, clock, false);
  if (!pool.ok()) return Fail(pool.error());
  AuditLog audit(**pool, clock);
  AuthService auth(**pool, clock, audit, SessionPolicy{});
  Actor cli;
  cli.username = "caredesk-cli";
  cli.role = Role::kAdmin;
  cli.client_address = "local";
  return f(auth, cli);
}

}  // namespace

int RunMigrate(const std::string& db) {
  SystemClock clock;
  auto pool = OpenMigratedPool(db, 1, clock, true);
  if (!pool.ok()) return Fail(pool.error());
  return 0;
}

int RunUserAdd(const std::string& db, const std::string& username, const std::string& role,
               const std::string& display_name, bool password_stdin) {
  if (!password_stdin) {
    std::cerr << "error: give the password on standard input with --password-stdin\n";
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) password.pop_back();
  return WithAuth(db, [&](AuthService& auth, const Actor& cli) {
    auto user = auth.CreateUser(cli, NewUser{username, display_name, role, password, std::nullopt, ""});
    if (!user.ok()) return Fail(user.error());
    std::cout << "created user " << user->username << " (" << user->role << "), id " << user->id << "\n";
    return 0;
  });
}

int RunTokenIssue(const std::string& db, const std::string& username, const std::string& scope, int days) {
  return WithAuth(db, [&](AuthService& auth, const Actor& cli) {
    auto issued = auth.IssueToken(cli, username, scope, days);
    if (!issued.ok()) return Fail(issued.error());
    std::cerr << "a token for " << issued->user.username << " (" << issued->user.role << "), scopes " << scope
              << ", until " << FormatInstantUtc(FromMillis(issued->expires_at_ms)) << "; it is shown only now:\n";
    std::cout << issued->token << "\n";
    return 0;
  });
}

int RunAuditVerify(const std::string& db) {
  if (auto st = InitCrypto(); !st.ok()) return Fail(st.error());
  SystemClock clock;
  auto pool = OpenMigratedPool(db, 1, clock, false);
  if (!pool.ok()) return Fail(pool.error());
  AuditLog audit(**pool, clock);
  int64_t checked = 0;
  auto problem = audit.Verify(&checked);
  if (!problem.ok()) return Fail(problem.error());
  if (problem->has_value()) {
    std::cout << "audit trail BROKEN at entry " << (*problem)->seq << ": " << (*problem)->problem << "\n";
    return 1;
  }
  std::cout << "audit trail intact: " << checked << " entries verified\n";
  return 0;
}

int RunBackup(const std::string& db, const std::string& to) {
  if (to.empty()) {
    std::cerr << "error: --to FILE is required\n";
    return 2;
  }
  if (access(to.c_str(), F_OK) == 0) {
    std::cerr << "error: " << to << " already exists; choose a new file\n";
    return 2;
  }
  if (db::IsPostgresUrl(db)) {
    // pg_dump takes a consistent snapshot of a live database.
    std::string cmd = "pg_dump --format=custom --no-owner --file=" + Quote(to) + " " + Quote(db);
    int rc = std::system(cmd.c_str());
    if (rc != 0) {
      std::cerr << "error: pg_dump failed (exit " << rc << ")\n";
      return 1;
    }
    std::cout << "backup written to " << to << " (pg_dump custom format; restore with pg_restore)\n";
    return 0;
  }
  SystemClock clock;
  auto pool = OpenMigratedPool(db, 1, clock, false);
  if (!pool.ok()) return Fail(pool.error());
  auto conn = (*pool)->Acquire();
  // VACUUM INTO writes a consistent, compacted copy while others keep working.
  auto st = conn->Exec("VACUUM INTO $1", {to});
  if (!st.ok()) return Fail(st.error());
  std::cout << "backup written to " << to << "\n";
  return 0;
}

void ProgressBar::Update(std::string_view phase, int64_t done, int64_t total) {
  if (!checked_) {
    tty_ = isatty(STDERR_FILENO) != 0;
    checked_ = true;
  }
  int percent = total > 0 ? static_cast<int>(done * 100 / total) : 100;
  if (phase == phase_ && percent == last_percent_) return;
  if (phase != phase_ && tty_ && !phase_.empty()) std::cerr << "\n";
  if (!tty_ && phase == phase_ && percent % 10 != 0) return;
  phase_ = std::string(phase);
  last_percent_ = percent;
  if (tty_) {
    constexpr int kWidth = 30;
    int filled = percent * kWidth / 100;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << percent << "% "
              << phase << " (" << done << "/" << total << ")" << std::flush;
  } else {
    std::cerr << phase << ": " << percent << "% (" << done << "/" << total << ")\n";
  }
}

void ProgressBar::Finish() {
  if (tty_ && !phase_.empty()) std::cerr << "\n";
}

int RunAccessBackfill(const std::string& db, const std::string& from, const std::string& to,
                      std::optional<int64_t> location_id, bool replace) {
  auto first = ParseCivilDate(from, "--from");
  if (!first.ok()) return Fail(first.error());
  auto last = ParseCivilDate(to, "--to");
  if (!last.ok()) return Fail(last.error());
  SystemClock clock;
  auto pool = OpenMigratedPool(db, 2, clock, false);
  if (!pool.ok()) return Fail(pool.error());
  AuditLog audit(**pool, clock);
  ScheduleService schedule(**pool, clock, audit);
  AccessService access(**pool, clock, audit, schedule);
  ProgressBar bar;
  auto report = access.Backfill(location_id, *first, *last, replace,
                                [&](int64_t done, int64_t total) { bar.Update("third next available", done, total); });
  bar.Finish();
  if (!report.ok()) return Fail(report.error());
  std::cout << "third next available: " << report->readings << " readings on " << report->days << " location-days at "
            << report->locations << " locations" << (replace ? "" : " (days already read kept)") << "\n";
  return 0;
}

int RunImportFhir(const std::string& db, const std::vector<std::string>& inputs) {
  if (auto st = InitCrypto(); !st.ok()) return Fail(st.error());
  SystemClock clock;
  auto pool = OpenMigratedPool(db, 2, clock, false);
  if (!pool.ok()) return Fail(pool.error());
  AuditLog audit(**pool, clock);
  PatientService patients(**pool, clock, audit);
  fhir::PatientStore patient_store(patients, **pool, clock);
  fhir::ResourceStore resources(**pool, audit, clock);
  ScheduleService schedule(**pool, clock, audit);
  fhir::FhirImporter importer(patient_store, schedule, resources, **pool);
  // Written in the audit trail as the command line, as an admin would.
  Actor cli;
  cli.username = "caredesk-import";
  cli.role = Role::kAdmin;
  cli.client_address = "local";
  std::vector<std::filesystem::path> paths(inputs.begin(), inputs.end());
  ProgressBar bar;
  const auto started = std::chrono::steady_clock::now();
  auto report = importer.Import(cli, paths, [&](std::string_view phase, int64_t done, int64_t total) {
    bar.Update(phase, done, total);
  });
  bar.Finish();
  if (!report.ok()) return Fail(report.error());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int64_t written = 0;
  for (const auto& [type, n] : report->written) written += n;
  std::cout << "read " << report->read << " resources; wrote " << written << " in " << std::fixed
            << std::setprecision(2) << seconds << " s (" << std::setprecision(0)
            << (seconds > 0 ? static_cast<double>(written) / seconds : 0.0) << " resources/s)\n";
  std::cout << "patients: " << report->patients_created << " created, " << report->patients_updated
            << " matched by identifier and updated\n";
  for (const auto& [type, n] : report->written) std::cout << "  " << type << ": " << n << "\n";
  for (const auto& [type, n] : report->skipped) {
    std::cout << "skipped " << type << ": " << n
              << (type.starts_with("Bundle entry") ? " (not a write)\n"
                                                   : " (not imported: CareDesk keeps its own " + type + " records)\n");
  }
  if (!report->warnings.empty()) {
    std::cout << "warnings:\n";
    for (const auto& w : report->warnings) std::cout << "  " << w << "\n";
  }
  if (report->failed > 0) {
    std::cout << "refused: " << report->failed << "\n";
    for (const auto& e : report->errors) std::cout << "  " << e << "\n";
    if (static_cast<size_t>(report->failed) > report->errors.size()) std::cout << "  ...\n";
    return 1;
  }
  return 0;
}

}  // namespace caredesk
