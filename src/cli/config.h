// Server configuration: defaults, then a TOML file (--config, or
// CAREDESK_CONFIG), then CAREDESK_* environment variables, then command-line
// flags; later sources win. Plain value type.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace caredesk {

struct Config {
  std::string db = "var/caredesk.db";  // SQLite file or postgresql:// URL
  std::string listen = "127.0.0.1:8080";
  std::string web_root;  // the built UI (web/dist); empty = look next to the binary
  int io_threads = 2;
  int worker_threads = 16;
  int db_pool = 16;
  int64_t body_limit = 1 << 20;
  int64_t import_body_limit = int64_t{256} << 20;  // FHIR $import's body
  int64_t header_limit = 16 * 1024;
  int session_idle_minutes = 30;
  int session_absolute_minutes = 12 * 60;
  std::string telehealth_url_pattern = "https://telehealth.caredesk.example/join/{token}";
  bool access_log = true;
  std::string access_log_path;  // empty = stdout
  std::string log_level = "info";
  // End-to-end tests only: POST /api/v1/test/clock (admin) moves the server's clock on.
  bool test_clock = false;
  // Outgoing mail (survey invitations): smtp:// or smtps:// URL; empty = no email, invitations are printed.
  std::string smtp_url;
  std::string smtp_username;
  std::string smtp_password;
  bool smtp_starttls = false;
  // How often the server sends survey invitations and reminders; 0 = only on demand.
  int survey_dispatch_seconds = 300;
  // How often the server looks for new special causes on the metric charts and emails them; 0 = only on demand.
  int metric_alert_seconds = 3600;
  // Where staff open CareDesk (links in alert emails), and the sender of the emails CareDesk writes to staff.
  std::string public_url = "http://127.0.0.1:8080";
  std::string mail_from = "caredesk@localhost";
  // The shared data sets (the HCAHPS question table); empty = $CAREDESK_DATA_DIR or ../shared/data.
  std::string data_dir;
  // Where FHIR bulk exports write their files while they are kept; empty = "exports" beside the SQLite file
  // (var/exports for PostgreSQL).
  std::string export_dir;

  // The HL7 v2 listener (MLLP), host:port; empty = none. Over TLS when both PEM files are given.
  std::string mllp;
  std::string mllp_tls_cert;
  std::string mllp_tls_key;
  int64_t mllp_max_frame_bytes = 1 << 20;
  int mllp_idle_timeout_seconds = 300;
  int mllp_max_connections = 256;

  // host and port of `listen`.
  Result<std::pair<std::string, uint16_t>> ListenAddress() const;
  // host and port of `mllp` (which must not be empty).
  Result<std::pair<std::string, uint16_t>> MllpAddress() const;
};

// Reads the TOML file into `config` (keys as the field names above).
Status LoadConfigFile(const std::string& path, Config& config);
// Applies CAREDESK_DB, CAREDESK_LISTEN, CAREDESK_WEB_ROOT, ... from the environment (the
// upper-case field names with the prefix: CAREDESK_MLLP, CAREDESK_MLLP_TLS_CERT, ...).
Status ApplyEnvironment(Config& config);

}  // namespace caredesk
