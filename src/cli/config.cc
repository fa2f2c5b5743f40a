#include "cli/config.h"

#include <charconv>
#include <cstdlib>
#include <toml++/toml.h>

namespace caredesk {
namespace {

template <class T>
void Take(const toml::table& t, const char* key, T& out) {
  if (auto v = t[key].value<T>()) out = *v;
}

Status EnvInt(const char* name, int64_t& out) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return Ok();
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v, v + std::char_traits<char>::length(v), n);
  if (ec != std::errc() || *p != '\0') return Error::Invalid(name, std::string(name) + " must be an integer");
  out = n;
  return Ok();
}

void EnvString(const char* name, std::string& out) {
  const char* v = std::getenv(name);
  if (v != nullptr && *v != '\0') out = v;
}

// `text` as host:port ("[::1]:port" for IPv6); `field` names the setting in errors.
Result<std::pair<std::string, uint16_t>> SplitHostPort(const std::string& text, const std::string& field,
                                                       std::string_view example) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Error::Invalid(field, field + " must look like " + std::string(example));
  }
  int port = 0;
  std::string_view p(text.data() + colon + 1, text.size() - colon - 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port < 0 || port > 65535) {
    return Error::Invalid(field, "the port in " + field + " must be 0 to 65535");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::make_pair(host, static_cast<uint16_t>(port));
}

}  // namespace

Result<std::pair<std::string, uint16_t>> Config::ListenAddress() const {
  return SplitHostPort(listen, "listen", "127.0.0.1:8080");
}

Result<std::pair<std::string, uint16_t>> Config::MllpAddress() const {
  return SplitHostPort(mllp, "mllp", "127.0.0.1:2575");
}

Status LoadConfigFile(const std::string& path, Config& c) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error::Invalid("config", "cannot read " + path + ": " + std::string(e.description()));
  }
  Take(t, "db", c.db);
  Take(t, "listen", c.listen);
  Take(t, "web_root", c.web_root);
  int64_t n = 0;
  auto take_int = [&](const char* key, auto& field) {
    if (auto v = t[key].value<int64_t>()) {
      n = *v;
      field = static_cast<std::remove_reference_t<decltype(field)>>(n);
    }
  };
  take_int("io_threads", c.io_threads);
  take_int("worker_threads", c.worker_threads);
  take_int("db_pool", c.db_pool);
  take_int("body_limit", c.body_limit);
  take_int("import_body_limit", c.import_body_limit);
  take_int("header_limit", c.header_limit);
  take_int("session_idle_minutes", c.session_idle_minutes);
  take_int("session_absolute_minutes", c.session_absolute_minutes);
  Take(t, "telehealth_url_pattern", c.telehealth_url_pattern);
  Take(t, "access_log", c.access_log);
  Take(t, "access_log_path", c.access_log_path);
  Take(t, "log_level", c.log_level);
  Take(t, "smtp_url", c.smtp_url);
  Take(t, "smtp_username", c.smtp_username);
  Take(t, "smtp_password", c.smtp_password);
  Take(t, "smtp_starttls", c.smtp_starttls);
  take_int("survey_dispatch_seconds", c.survey_dispatch_seconds);
  take_int("metric_alert_seconds", c.metric_alert_seconds);
  Take(t, "public_url", c.public_url);
  Take(t, "mail_from", c.mail_from);
  Take(t, "data_dir", c.data_dir);
  Take(t, "export_dir", c.export_dir);
  Take(t, "mllp", c.mllp);
  Take(t, "mllp_tls_cert", c.mllp_tls_cert);
  Take(t, "mllp_tls_key", c.mllp_tls_key);
  take_int("mllp_max_frame_bytes", c.mllp_max_frame_bytes);
  take_int("mllp_idle_timeout_seconds", c.mllp_idle_timeout_seconds);
  take_int("mllp_max_connections", c.mllp_max_connections);
  return Ok();
}

Status ApplyEnvironment(Config& c) {
  EnvString("CAREDESK_DB", c.db);
  EnvString("CAREDESK_LISTEN", c.listen);
  EnvString("CAREDESK_WEB_ROOT", c.web_root);
  EnvString("CAREDESK_TELEHEALTH_URL_PATTERN", c.telehealth_url_pattern);
  EnvString("CAREDESK_ACCESS_LOG_PATH", c.access_log_path);
  EnvString("CAREDESK_LOG_LEVEL", c.log_level);
  EnvString("CAREDESK_SMTP_URL", c.smtp_url);
  EnvString("CAREDESK_SMTP_USERNAME", c.smtp_username);
  EnvString("CAREDESK_SMTP_PASSWORD", c.smtp_password);
  EnvString("CAREDESK_DATA_DIR", c.data_dir);
  EnvString("CAREDESK_EXPORT_DIR", c.export_dir);
  EnvString("CAREDESK_PUBLIC_URL", c.public_url);
  EnvString("CAREDESK_MAIL_FROM", c.mail_from);
  EnvString("CAREDESK_MLLP", c.mllp);
  EnvString("CAREDESK_MLLP_TLS_CERT", c.mllp_tls_cert);
  EnvString("CAREDESK_MLLP_TLS_KEY", c.mllp_tls_key);
  int64_t v = c.worker_threads;
  CD_RETURN_IF_ERROR(EnvInt("CAREDESK_WORKER_THREADS", v));
  c.worker_threads = static_cast<int>(v);
  v = c.db_pool;
  CD_RETURN_IF_ERROR(EnvInt("CAREDESK_DB_POOL", v));
  c.db_pool = static_cast<int>(v);
  v = c.io_threads;
  CD_RETURN_IF_ERROR(EnvInt("CAREDESK_IO_THREADS", v));
  c.io_threads = static_cast<int>(v);
  CD_RETURN_IF_ERROR(EnvInt("CAREDESK_BODY_LIMIT", c.body_limit));
  CD_RETURN_IF_ERROR(EnvInt("CAREDESK_IMPORT_BODY_LIMIT", c.import_body_limit));
  CD_RETURN_IF_ERROR(EnvInt("CAREDESK_MLLP_MAX_FRAME_BYTES", c.mllp_max_frame_bytes));
  v = c.mllp_idle_timeout_seconds;
  CD_RETURN_IF_ERROR(EnvInt("CAREDESK_MLLP_IDLE_TIMEOUT_SECONDS", v));
  c.mllp_idle_timeout_seconds = static_cast<int>(v);
  v = c.mllp_max_connections;
  CD_RETURN_IF_ERROR(EnvInt("CAREDESK_MLLP_MAX_CONNECTIONS", v));
  c.mllp_max_connections = static_cast<int>(v);
  if (const char* al = std::getenv("CAREDESK_ACCESS_LOG"); al != nullptr && *al != '\0') {
    c.access_log = std::string(al) != "0" && std::string(al) != "false" && std::string(al) != "off";
  }
  return Ok();
}

}  // namespace caredesk
