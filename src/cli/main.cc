// caredesk: the one program. Parses the command line and runs a subcommand;
// the only place where configuration sources meet.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/malloc_tuning.h"

int main(int argc, char** argv) {
  caredesk::RestartBulkCommandWithMallocTunables(argc, argv);  // first: before any thread
  using caredesk::Config;
  CLI::App app{"CareDesk: patient services management"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "caredesk 0.1.0");

  Config config;
  std::string config_file;
  std::string db_flag;

  auto* serve = app.add_subcommand("serve", "Serve the UI and the API");
  serve->add_option("--config", config_file, "TOML configuration file (also CAREDESK_CONFIG)");
  serve->add_option("--db", db_flag, "SQLite file or postgresql:// URL (also CAREDESK_DB)");
  std::string listen_flag, web_root_flag;
  int workers_flag = 0;
  bool no_access_log = false;
  bool test_clock = false;
  std::string smtp_url_flag;
  int dispatch_flag = -1;
  int alert_flag = -1;
  std::string public_url_flag;
  serve->add_option("--listen", listen_flag, "host:port to listen on (default 127.0.0.1:8080)");
  serve->add_option("--web-root", web_root_flag, "folder of the built UI (default web/dist)");
  serve->add_option("--workers", workers_flag, "worker threads for request handling");
  serve->add_flag("--no-access-log", no_access_log, "do not write the JSON access log");
  serve->add_option("--smtp-url", smtp_url_flag, "SMTP server for survey emails, smtp://host:port (also CAREDESK_SMTP_URL)");
  serve->add_option("--survey-dispatch-seconds", dispatch_flag,
                    "how often survey invitations and reminders go out (default 300; 0 = only on demand)");
  serve->add_option("--metric-alert-seconds", alert_flag,
                    "how often new special causes on the metric charts are looked for and emailed (default 3600; "
                    "0 = only on demand)");
  serve->add_option("--public-url", public_url_flag,
                    "where staff open CareDesk, for links in alert emails (default http://127.0.0.1:8080)");
  std::string mllp_flag, mllp_tls_cert_flag, mllp_tls_key_flag;
  serve->add_option("--mllp", mllp_flag,
                    "host:port of the HL7 v2 listener (MLLP), e.g. 127.0.0.1:2575; off by default "
                    "(also CAREDESK_MLLP)");
  serve->add_option("--mllp-tls-cert", mllp_tls_cert_flag,
                    "PEM certificate (chain): MLLP over TLS, with --mllp-tls-key");
  serve->add_option("--mllp-tls-key", mllp_tls_key_flag, "PEM private key of --mllp-tls-cert");
  serve->add_flag("--test-clock", test_clock,
                  "end-to-end tests only: let an admin move the server's clock on (POST /api/v1/test/clock)");

  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations");
  std::string migrate_db = "var/caredesk.db";
  migrate->add_option("--db", migrate_db, "SQLite file or postgresql:// URL")->required();

  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create a user");
  std::string user_db, username, role, display_name;
  bool password_stdin = false;
  user_add->add_option("--db", user_db, "SQLite file or postgresql:// URL")->required();
  user_add->add_option("--username", username, "login name")->required();
  user_add->add_option("--role", role, "admin, manager, coordinator, clinician, billing or auditor")->required();
  user_add->add_option("--display-name", display_name, "the name shown in the UI");
  user_add->add_flag("--password-stdin", password_stdin, "read the password from standard input");

  auto* token = app.add_subcommand("token", "Tokens for other systems");
  token->require_subcommand(1);
  auto* token_issue =
      token->add_subcommand("issue", "Print a bearer token for a system: a user's role narrowed by SMART scopes, "
                                     "on /fhir/R4 only");
  std::string token_db, token_user, token_scope;
  int token_days = 90;
  token_issue->add_option("--db", token_db, "SQLite file or postgresql:// URL")->required();
  token_issue->add_option("--username", token_user, "the user the system acts as")->required();
  token_issue->add_option("--scope", token_scope, "SMART scopes, e.g. \"system/*.read\" or \"user/Patient.read\"")
      ->required();
  token_issue->add_option("--days", token_days, "how long it lasts (1-366)")->capture_default_str();

  auto* demo = app.add_subcommand("demo", "Fill an empty database with a realistic demo clinic");
  caredesk::DemoCommandOptions demo_options;
  demo->add_option("--db", demo_options.db, "SQLite file or postgresql:// URL")->required();
  demo->add_option("--patients", demo_options.patients, "number of patients (default 5000)");
  demo->add_option("--providers", demo_options.providers, "number of providers (default 48)");
  demo->add_option("--seed", demo_options.seed, "random seed (same seed, same clinic)");
  demo->add_option("--credentials-file", demo_options.credentials_file,
                   "write the demo users' passwords here instead of printing them");

  auto* audit = app.add_subcommand("audit", "The audit trail");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the hash chain; exit 1 naming the first bad entry");
  std::string audit_db;
  verify->add_option("--db", audit_db, "SQLite file or postgresql:// URL")->required();

  auto* backup = app.add_subcommand("backup", "Write a consistent copy of a live database");
  std::string backup_db, backup_to;
  backup->add_option("--db", backup_db, "SQLite file or postgresql:// URL")->required();
  backup->add_option("--to", backup_to, "the file to write")->required();

  auto* import = app.add_subcommand("import", "Import data from other systems");
  import->require_subcommand(1);
  auto* import_fhir = import->add_subcommand(
      "fhir", "FHIR R4 ndjson files and Bundles (such as Synthea's): patients become CareDesk patients, the types "
              "CareDesk has no model of are kept as sent; references between them are resolved");
  std::string import_db;
  std::vector<std::string> import_inputs;
  import_fhir->add_option("--db", import_db, "SQLite file or postgresql:// URL")->required();
  import_fhir->add_option("inputs", import_inputs, ".ndjson and .json files, or directories of them")->required();

  auto* access = app.add_subcommand("access", "Third next available appointment readings");
  access->require_subcommand(1);
  auto* access_backfill = access->add_subcommand(
      "backfill", "Rebuild past days' readings as the calendar stood at each local midnight (booking history)");
  std::string access_db, access_from, access_to;
  std::optional<int64_t> access_location;
  bool access_replace = false;
  access_backfill->add_option("--db", access_db, "SQLite file or postgresql:// URL")->required();
  access_backfill->add_option("--from", access_from, "first local date, YYYY-MM-DD")->required();
  access_backfill->add_option("--to", access_to, "last local date, YYYY-MM-DD (at most today)")->required();
  access_backfill->add_option("--location", access_location, "one location's id (default: every location)");
  access_backfill->add_flag("--replace", access_replace, "read again the days that already have readings");

  auto* fb = app.add_subcommand("feedback", "The patient-comment classifier (themes and sentiment)");
  fb->require_subcommand(1);
  auto* fb_train = fb->add_subcommand("train", "Train a model from a labelled CSV (pxtextmining v6 format)");
  std::string fb_data, fb_out = caredesk::DefaultFeedbackModelPath();
  bool fb_all_rows = false;
  std::string fb_word_vectors;
  fb_train
      ->add_option("--data", fb_data,
                   "the labelled comments CSV (its \"FFT question\" column, when there is one, gives the "
                   "question each comment answers)")
      ->required();
  fb_train->add_option("--out", fb_out, "where to write the model (default: feedback.model beside the program)");
  fb_train->add_flag("--all-rows", fb_all_rows,
                     "train on every row, held-out test rows included (a customer's own final model)");
  fb_train->add_option("--word-vectors", fb_word_vectors,
                       "pretrained word vectors (the build's feedback_vectors/*.cdfbwvec) for the embedding block");
  auto* fb_classify = fb->add_subcommand(
      "classify", "Classify one comment a line from standard input; one JSON object a line out");
  std::string fb_model = caredesk::DefaultFeedbackModelPath();
  fb_classify->add_option("--model", fb_model, "the model file (default: the shipped model beside the program)");
  std::string fb_question = "nonspecific";
  fb_classify->add_option("--question", fb_question,
                          "the kind of question the comments answer: what_good, could_improve or nonspecific "
                          "(default)");

  CLI11_PARSE(app, argc, argv);

  if (serve->parsed()) {
    if (config_file.empty()) {
      if (const char* c = std::getenv("CAREDESK_CONFIG")) config_file = c;
    }
    if (!config_file.empty()) {
      if (auto st = caredesk::LoadConfigFile(config_file, config); !st.ok()) {
        std::cerr << "error: " << st.error().message << "\n";
        return 2;
      }
    }
    if (auto st = caredesk::ApplyEnvironment(config); !st.ok()) {
      std::cerr << "error: " << st.error().message << "\n";
      return 2;
    }
    if (!db_flag.empty()) config.db = db_flag;
    if (!listen_flag.empty()) config.listen = listen_flag;
    if (!web_root_flag.empty()) config.web_root = web_root_flag;
    if (workers_flag > 0) config.worker_threads = workers_flag;
    if (no_access_log) config.access_log = false;
    if (test_clock) config.test_clock = true;
    if (!smtp_url_flag.empty()) config.smtp_url = smtp_url_flag;
    if (dispatch_flag >= 0) config.survey_dispatch_seconds = dispatch_flag;
    if (alert_flag >= 0) config.metric_alert_seconds = alert_flag;
    if (!public_url_flag.empty()) config.public_url = public_url_flag;
    if (!mllp_flag.empty()) config.mllp = mllp_flag;
    if (!mllp_tls_cert_flag.empty()) config.mllp_tls_cert = mllp_tls_cert_flag;
    if (!mllp_tls_key_flag.empty()) config.mllp_tls_key = mllp_tls_key_flag;
    spdlog::set_level(spdlog::level::from_str(config.log_level));
    return caredesk::RunServe(config);
  }
  if (migrate->parsed()) return caredesk::RunMigrate(migrate_db);
  if (user_add->parsed()) return caredesk::RunUserAdd(user_db, username, role, display_name, password_stdin);
  if (token_issue->parsed()) return caredesk::RunTokenIssue(token_db, token_user, token_scope, token_days);
  if (demo->parsed()) return caredesk::RunDemo(demo_options);
  if (verify->parsed()) return caredesk::RunAuditVerify(audit_db);
  if (backup->parsed()) return caredesk::RunBackup(backup_db, backup_to);
  if (import_fhir->parsed()) return caredesk::RunImportFhir(import_db, import_inputs);
  if (access_backfill->parsed()) {
    return caredesk::RunAccessBackfill(access_db, access_from, access_to, access_location, access_replace);
  }
  if (fb_train->parsed()) return caredesk::RunFeedbackTrain(fb_data, fb_out, fb_all_rows, fb_word_vectors);
  if (fb_classify->parsed()) return caredesk::RunFeedbackClassify(fb_model, fb_question);
  return 2;
}
