// Tells flow-board watchers that a location's board changed. Services
// publish after they commit; each live board stream subscribes to its
// location. Once Start()ed, callbacks run on a dispatcher thread of this
// object's own (coalescing bursts), so a publisher holding a database
// connection never waits on a watcher that needs one; the same thread
// notices changes made by another server process by polling the latest
// transition id. Without Start (tests), Publish calls back synchronously.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "storage/pool.h"

namespace caredesk {

class FlowEvents {
 public:
  using Callback = std::function<void()>;

  FlowEvents() = default;
  ~FlowEvents();
  FlowEvents(const FlowEvents&) = delete;
  FlowEvents& operator=(const FlowEvents&) = delete;

  // Starts the dispatcher; it polls `pool` every `poll_every`.
  void Start(db::Pool& pool, std::chrono::milliseconds poll_every);
  void Stop();

  int64_t Subscribe(int64_t location_id, Callback cb);
  void Unsubscribe(int64_t subscription);
  void Publish(int64_t location_id);
  // Records the newest transition this process wrote, so polling does not
  // mistake it for another process's change.
  void NoteLatest(int64_t transition_id);

 private:
  void Deliver(const std::set<int64_t>& locations, bool all);
  void Run(db::Pool& pool, std::chrono::milliseconds poll_every);
  void Poll(db::Pool& pool);

  std::mutex mu_;
  std::condition_variable cv_;
  int64_t next_id_ = 1;                                           // guarded by mu_
  std::map<int64_t, std::pair<int64_t, Callback>> subscribers_;  // guarded by mu_
  std::set<int64_t> dirty_;                                       // guarded by mu_
  int64_t latest_seen_ = -1;                                      // guarded by mu_
  bool running_ = false;                                          // guarded by mu_
  bool stopping_ = false;                                         // guarded by mu_
  std::thread thread_;
};

}  // namespace caredesk
