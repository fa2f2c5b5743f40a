// Sends email through one configured SMTP server (a relay or a submission
// service) with libcurl: EHLO, optional STARTTLS and AUTH, MAIL FROM, one
// RCPT TO per recipient, DATA. The message text comes from FormatMessage
// (mail_message.h); libcurl does the dot-stuffing of DATA. A recipient the
// server refuses fails the whole send before DATA, so nothing is delivered
// and a retry cannot duplicate. Server certificates are verified (system CA
// store) on smtps:// and with STARTTLS.
//
// Thread-safe: each Send uses its own curl easy handle; curl_global_init runs
// once per process (std::call_once) and curl_global_cleanup never runs.
#pragma once

#include <chrono>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "mail/mail_message.h"

namespace caredesk::mail {

struct SmtpConfig {
  // "smtp://host:port" or "smtps://host:port" (TLS from the start); empty = mail disabled. A path names the EHLO
  // domain ("smtp://relay:25/clinic.example"); without one libcurl sends this machine's host name.
  std::string url;
  std::string username, password;    // optional AUTH (SASL mechanisms the server offers); empty = no AUTH
  bool starttls = false;             // require STARTTLS on smtp:// (the send fails when the server lacks it)
  std::chrono::seconds timeout{20};  // the whole send, connecting included
};

class SmtpSender {
 public:
  // `clock` (the Date header) must outlive the sender.
  explicit SmtpSender(SmtpConfig config, const Clock& clock);

  // Ok, or Error::Invalid on field "url" (not smtp:// or smtps:// with a host) or "timeout" (not positive). An
  // empty url is valid: mail is disabled.
  static Status ValidateConfig(const SmtpConfig& config);

  bool enabled() const { return !config_.url.empty(); }

  // Sends one message with a fresh random Message-ID and the clock's time as Date.
  //   Error::Invalid from ValidateMessage for a bad message (nothing is sent);
  //   Error::Unavailable("smtp: <curl error text> (server's last response: <code>)") when the server is
  //     unreachable, times out, refuses (a 4xx or 5xx to any command, e.g. 550 to RCPT TO) or TLS fails — a
  //     caller may retry later; also when the sender is not enabled();
  //   Error::Internal for an invalid configuration (see ValidateConfig) or a libcurl set-up failure.
  Status Send(const MailMessage& m);

 private:
  SmtpConfig config_;
  const Clock& clock_;
};

}  // namespace caredesk::mail
