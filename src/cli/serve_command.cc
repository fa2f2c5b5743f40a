// caredesk serve: wires the runtime to the HTTP server and runs until
// SIGTERM or SIGINT.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "api/handler_support.h"
#include "cli/commands.h"
#include "cli/runtime.h"
#include "http/server.h"
#include "mllp/mllp_server.h"

namespace caredesk {
namespace {

// Runs `run` every `seconds` on its own thread (not at all when seconds <= 0), the first time after
// `first_after_seconds` (default: `seconds`), until destroyed; the destructor waits for a run in progress.
class PeriodicTask {
 public:
  PeriodicTask(int seconds, std::function<void()> run, int first_after_seconds = -1) {
    if (seconds <= 0) return;
    const auto first = std::chrono::seconds(first_after_seconds >= 0 ? first_after_seconds : seconds);
    thread_ = std::thread([this, first, every = std::chrono::seconds(seconds), run = std::move(run)] {
      std::unique_lock lock(mu_);
      for (auto wait = first; !cv_.wait_for(lock, wait, [&] { return stopping_; }); wait = every) {
        lock.unlock();
        run();
        lock.lock();
      }
    });
  }
  ~PeriodicTask() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// web/dist next to the build folder of this binary, or under the current
// folder.
std::string FindWebRoot() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> candidates;
  if (!ec) {
    candidates.push_back(exe.parent_path() / "web");
    candidates.push_back(exe.parent_path().parent_path() / "web" / "dist");
  }
  candidates.push_back(std::filesystem::current_path(ec) / "web" / "dist");
  for (const auto& c : candidates) {
    if (std::filesystem::exists(c / "index.html", ec)) return c.string();
  }
  return {};
}

// What the HL7 v2 listener does with each message: store it, apply it to CareDesk's records and
// answer its ACK (Hl7InboundService::Receive). The sender is recorded as address:port.
mllp::MessageHandler MllpHandler(Runtime& r) {
  Hl7InboundService* inbound = r.hl7.get();
  return [inbound](std::string_view message, const mllp::PeerInfo& peer) {
    return inbound->Receive(message, peer.address + ":" + std::to_string(peer.port));
  };
}

// The same for the messages a connection has waiting, in one call (Hl7InboundService::ReceiveAll):
// one sender's pipelined messages share the group commit while they are applied in order.
mllp::MessageBatchHandler MllpBatchHandler(Runtime& r) {
  Hl7InboundService* inbound = r.hl7.get();
  return [inbound](const std::vector<std::string>& messages, const mllp::PeerInfo& peer) {
    return inbound->ReceiveAll(messages, peer.address + ":" + std::to_string(peer.port));
  };
}

mllp::MllpServerOptions MllpOptions(const Config& config, const std::pair<std::string, uint16_t>& address,
                                    const Clock& clock) {
  mllp::MllpServerOptions options;
  options.host = address.first;
  options.port = address.second;
  options.worker_threads = config.worker_threads;
  options.max_frame_bytes = static_cast<size_t>(std::max<int64_t>(1024, config.mllp_max_frame_bytes));
  options.idle_timeout = std::chrono::seconds(std::max(1, config.mllp_idle_timeout_seconds));
  options.max_connections = static_cast<size_t>(std::max(1, config.mllp_max_connections));
  options.tls_cert_file = config.mllp_tls_cert;
  options.tls_key_file = config.mllp_tls_key;
  options.clock = &clock;
  return options;
}

// The listener's counters as Prometheus series, read at scrape time. `server` must outlive
// the scrapes (the HTTP server is stopped first).
void AddMllpMetrics(http::Metrics& metrics, const mllp::MllpServer& server) {
  const mllp::MllpServer* s = &server;
  auto count = [](uint64_t n) { return static_cast<double>(n); };
  metrics.AddGauge("caredesk_mllp_connections_open", "Open HL7 v2 (MLLP) connections",
                   [s, count] { return count(s->stats().connections_open); });
  const char* help = "HL7 v2 messages answered over MLLP, by the ACK code of the reply (CA, CE, CR counted with "
                     "AA, AE, AR; other: no reply or none of these)";
  metrics.AddCounter("caredesk_mllp_messages_total", help, [s, count] { return count(s->stats().acks_accept); },
                     "ack", "AA");
  metrics.AddCounter("caredesk_mllp_messages_total", help, [s, count] { return count(s->stats().acks_error); },
                     "ack", "AE");
  metrics.AddCounter("caredesk_mllp_messages_total", help, [s, count] { return count(s->stats().acks_reject); },
                     "ack", "AR");
  metrics.AddCounter("caredesk_mllp_messages_total", help, [s, count] { return count(s->stats().replies_other); },
                     "ack", "other");
  metrics.AddCounter("caredesk_mllp_frames_too_large_total", "MLLP frames over the size limit (answered AR, closed)",
                     [s, count] { return count(s->stats().frames_too_large); });
  metrics.AddCounter("caredesk_mllp_handler_failures_total", "HL7 v2 messages whose handler failed (answered AE)",
                     [s, count] { return count(s->stats().handler_failures); });
  metrics.AddCounter("caredesk_mllp_connections_refused_total", "MLLP connections closed at once: too many open",
                     [s, count] { return count(s->stats().connections_refused); });
}

}  // namespace

int RunServe(const Config& config) {
  auto address = config.ListenAddress();
  if (!address.ok()) {
    std::cerr << "error: " << address.error().message << "\n";
    return 2;
  }
  std::optional<std::pair<std::string, uint16_t>> mllp_address;
  if (!config.mllp.empty()) {
    auto parsed = config.MllpAddress();
    if (!parsed.ok()) {
      std::cerr << "error: " << parsed.error().message << "\n";
      return 2;
    }
    mllp_address = *parsed;
  }
  auto rt = OpenRuntime(config, config.db_pool);
  if (!rt.ok()) {
    std::cerr << "error: " << rt.error().message << "\n";
    return 1;
  }
  Runtime& r = **rt;
  ProgressBar bar;
  if (auto st = r.patients->LoadIndex([&](size_t n) { bar.Update("indexing patients", n, n); }); !st.ok()) {
    std::cerr << "error: cannot load the patient index: " << st.error().message << "\n";
    return 1;
  }
  bar.Finish();
  // Survey responses recorded before they were QuestionnaireResponses too (or by `caredesk demo`).
  if (auto n = r.fhir_survey_responses->Backfill(); !n.ok()) {
    std::cerr << "error: cannot write survey responses as QuestionnaireResponses: " << n.error().message << "\n";
    return 1;
  } else if (*n > 0) {
    spdlog::info("{} survey responses written as FHIR QuestionnaireResponses", *n);
  }
  r.flow_events->Start(*r.pool, std::chrono::milliseconds(2000));

  api::Services services = r.services();
  if (config.test_clock) {
    spdlog::warn("--test-clock: an admin may move this server's clock on; never use it in production");
    services.test_clock = &r.clock;
  }
  http::Router router;
  api::RegisterAllRoutes(router, services);

  http::Metrics metrics;
  db::Pool* pool = r.pool.get();
  metrics.AddGauge("caredesk_db_pool_size", "Database connections in the pool", [pool] { return pool->size(); });
  metrics.AddGauge("caredesk_db_pool_in_use", "Database connections in use", [pool] { return pool->in_use(); });
  if (pool->dialect() == db::Dialect::kSqlite) {
    metrics.AddGauge("caredesk_db_wal_restarts", "Times the checkpointer has started the SQLite WAL over",
                     [pool] { return static_cast<double>(pool->wal_restarts()); });
  }
  AuditLog* audit = r.audit.get();
  metrics.AddCounter("caredesk_audit_read_commits_total", "Transactions that wrote audit entries of reads",
                     [audit] { return static_cast<double>(audit->commit_stats().commits); });
  metrics.AddCounter("caredesk_audit_read_callers_total", "Audited reads those transactions carried",
                     [audit] { return static_cast<double>(audit->commit_stats().callers); });
  PatientService* patients = r.patients.get();
  metrics.AddGauge("caredesk_patients_indexed", "Patients in the search index",
                   [patients] { return static_cast<double>(patients->indexed()); });

  Hl7OutboundService* outbound = r.hl7_outbound.get();
  metrics.AddGauge("caredesk_hl7_outbound_pending", "Outbound HL7 v2 messages waiting to be sent",
                   [outbound] { return static_cast<double>(outbound->pending_gauge()); });
  metrics.AddGauge("caredesk_hl7_outbound_dead", "Outbound HL7 v2 messages given up (dead letters)",
                   [outbound] { return static_cast<double>(outbound->dead_gauge()); });

  // The HL7 v2 listener, when asked for; started before the HTTP server, stopped after it.
  std::optional<mllp::MllpServer> mllp;
  if (mllp_address) {
    mllp::MllpServerOptions options = MllpOptions(config, *mllp_address, r.clock);
    options.batch_handler = MllpBatchHandler(r);
    mllp.emplace(std::move(options), MllpHandler(r));
    if (auto st = mllp->Start(); !st.ok()) {
      std::cerr << "error: HL7 v2 listener: " << st.error().message << "\n";
      return 1;
    }
    AddMllpMetrics(metrics, *mllp);
    spdlog::info("HL7 v2 (MLLP{}) listening on {}:{}", mllp->tls() ? " over TLS" : "", mllp_address->first,
                 mllp->port());
  }

  http::ServerOptions options;
  options.host = address->first;
  options.port = address->second;
  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;
  options.body_limit = static_cast<size_t>(config.body_limit);
  options.bulk_body_paths = {"/fhir/R4/$import"};
  options.bulk_body_limit = static_cast<size_t>(config.import_body_limit);
  options.header_limit = static_cast<size_t>(config.header_limit);
  options.static_dir = config.web_root.empty() ? FindWebRoot() : config.web_root;
  options.access_log.enabled = config.access_log;
  options.access_log.path = config.access_log_path;
  http::Server server(options, router, metrics);
  if (auto st = server.Start(); !st.ok()) {
    std::cerr << "error: " << st.error().message << "\n";
    return 1;
  }
  server.HandleSignals();
  if (mllp) mllp->HandleSignals();  // SIGTERM and SIGINT stop both servers at once
  // Outbound HL7 v2: the dispatcher sends the queue to the configured peers until the server stops.
  outbound->Start();
  spdlog::info("CareDesk is serving http://{}:{}/ ({} patients indexed, database {}, UI from {})", options.host,
               server.port(), r.patients->indexed(), r.pool->description(),
               options.static_dir.empty() ? "nowhere: web/dist not built" : options.static_dir);
  {
    // Survey invitations and reminders every few minutes; new special causes on the metric charts every hour.
    PeriodicTask surveys(config.survey_dispatch_seconds, [&] {
      auto report = r.surveys->Dispatch();
      if (!report.ok()) {
        spdlog::warn("survey dispatch failed: {}", report.error().message);
      } else if (report->invited + report->emailed + report->reminded + report->failed > 0) {
        spdlog::info("surveys: {} invited ({} to print), {} emailed, {} reminded, {} failed", report->invited,
                     report->to_print, report->emailed, report->reminded, report->failed);
      }
    });
    // The metrics job: today's third-next-available reading where it is not taken yet, then the alert scan.
    // The first look soon after start, so a server that was down does not wait an hour to catch up.
    PeriodicTask alerts(config.metric_alert_seconds, [&] {
      if (auto taken = r.access->TakeDue(); !taken.ok()) {
        spdlog::warn("third next available reading failed: {}", taken.error().message);
      } else if (taken->days > 0) {
        spdlog::info("third next available: {} readings at {} locations", taken->readings, taken->locations);
      }
      auto report = r.metric_alerts->Scan();
      if (!report.ok()) {
        spdlog::warn("metric alert scan failed: {}", report.error().message);
      } else if (report->new_alerts + report->emailed + report->failed > 0) {
        spdlog::info("metric alerts: {} new, {} running on, {} emailed, {} failed", report->new_alerts,
                     report->continued, report->emailed, report->failed);
      }
    }, 30);
    server.Wait();
    if (mllp) {  // already stopping on a signal; Shutdown is for an HTTP server that stopped otherwise
      mllp->Shutdown();
      mllp->Wait();
    }
    outbound->Stop();
  }  // the tasks stop here
  r.flow_events->Stop();
  spdlog::info("CareDesk stopped");
  return 0;
}

}  // namespace caredesk
