#include "mail/smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <string_view>
#include <utility>

namespace caredesk::mail {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::once_flag g_curl_once;
CURLcode g_curl_init = CURLE_FAILED_INIT;

void InitCurlOnce() {
  std::call_once(g_curl_once, [] { g_curl_init = curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (c != prefix[i]) return false;
  }
  return true;
}

// A Message-ID left part: the time in milliseconds and 96 random bits, unique without coordination.
std::string NewMessageId(TimePoint now) {
  thread_local std::mt19937_64 random{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }()};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld.%016llx%08llx", static_cast<long long>(ToMillis(now)),
                static_cast<unsigned long long>(random()), static_cast<unsigned long long>(random() & 0xFFFFFFFF));
  return buf;
}

struct Upload {
  std::string_view rest;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;
}

}  // namespace

SmtpSender::SmtpSender(SmtpConfig config, const Clock& clock) : config_(std::move(config)), clock_(clock) {
  InitCurlOnce();
}

Status SmtpSender::ValidateConfig(const SmtpConfig& config) {
  if (config.timeout.count() <= 0) return Error::Invalid("timeout", "the SMTP timeout must be positive");
  if (config.url.empty()) return Ok();
  std::string_view rest = config.url;
  if (StartsWithIgnoreCase(rest, "smtp://")) {
    rest.remove_prefix(7);
  } else if (StartsWithIgnoreCase(rest, "smtps://")) {
    rest.remove_prefix(8);
  } else {
    return Error::Invalid("url", "the SMTP url must start with smtp:// or smtps://");
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == ':') {
    return Error::Invalid("url", "the SMTP url names no host");
  }
  for (char c : config.url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return Error::Invalid("url", "the SMTP url must not contain spaces or control characters");
    }
  }
  return Ok();
}

Status SmtpSender::Send(const MailMessage& m) {
  if (!enabled()) return Error::Unavailable("smtp: mail is disabled (no SMTP url configured)");
  if (auto valid = ValidateConfig(config_); !valid.ok()) {
    return Error::Internal("smtp: invalid configuration: " + valid.error().field + ": " + valid.error().message);
  }
  CD_RETURN_IF_ERROR(ValidateMessage(m));
  const TimePoint now = clock_.Now();
  CD_ASSIGN_OR_RETURN(const std::string data, FormatMessage(m, now, NewMessageId(now)));
  if (g_curl_init != CURLE_OK) {
    return Error::Internal(std::string("smtp: curl_global_init failed: ") + curl_easy_strerror(g_curl_init));
  }

  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Error::Internal("smtp: curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistDeleter> recipients;
  for (const auto& to : m.to) {
    curl_slist* appended = curl_slist_append(recipients.get(), ("<" + to.email + ">").c_str());
    if (appended == nullptr) return Error::Internal("smtp: out of memory");
    recipients.release();
    recipients.reset(appended);
  }
  const std::string from = "<" + m.from.email + ">";
  const bool tls_required = config_.starttls || StartsWithIgnoreCase(config_.url, "smtps://");
  const long timeout_ms = static_cast<long>(std::chrono::milliseconds(config_.timeout).count());
  Upload upload{data};
  char error_buffer[CURL_ERROR_SIZE] = {};

  CURL* h = curl.get();
  CURLcode set = CURLE_OK;
  auto option = [&](auto name, auto value) {
    if (set == CURLE_OK) set = curl_easy_setopt(h, name, value);
  };
  option(CURLOPT_ERRORBUFFER, error_buffer);
  option(CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for resolver timeouts: required with threads
  option(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  option(CURLOPT_URL, config_.url.c_str());
  option(CURLOPT_USE_SSL, static_cast<long>(tls_required ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  if (!config_.username.empty()) {
    option(CURLOPT_USERNAME, config_.username.c_str());
    option(CURLOPT_PASSWORD, config_.password.c_str());
  }
  option(CURLOPT_MAIL_FROM, from.c_str());
  option(CURLOPT_MAIL_RCPT, recipients.get());
  option(CURLOPT_UPLOAD, 1L);
  option(CURLOPT_READFUNCTION, &ReadUpload);
  option(CURLOPT_READDATA, &upload);
  option(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
  option(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  option(CURLOPT_TIMEOUT_MS, timeout_ms);
  if (set != CURLE_OK) return Error::Internal(std::string("smtp: curl set-up failed: ") + curl_easy_strerror(set));

  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return Ok();
  long response = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response);
  std::string message = "smtp: ";
  message += curl_easy_strerror(rc);
  if (error_buffer[0] != '\0') {
    message += ": ";
    message += error_buffer;
  }
  message += response != 0 ? " (server's last response: " + std::to_string(response) + ")"
                           : std::string(" (no response from the server)");
  return Error::Unavailable(std::move(message));
}

}  // namespace caredesk::mail
