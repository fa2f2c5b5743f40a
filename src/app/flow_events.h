// Tells flow-board watchers that a location's board changed. Services
// publish after they commit; each live board stream subscribes to its
// location. Changes made by another server process on the same database are
// noticed by Poll, which main calls every few seconds. Thread-safe; callbacks
// run on the publishing thread and must not block for long.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include "storage/pool.h"

namespace caredesk {

class FlowEvents {
 public:
  using Callback = std::function<void()>;

  int64_t Subscribe(int64_t location_id, Callback cb);
  void Unsubscribe(int64_t subscription);
  void Publish(int64_t location_id);
  void PublishAll();

  // Publishes to every board when the database's latest transition differs
  // from the last one seen (a change from another process).
  void Poll(db::Pool& pool);
  void NoteLatest(int64_t transition_id);

 private:
  std::mutex mu_;
  int64_t next_id_ = 1;                                            // guarded by mu_
  std::map<int64_t, std::pair<int64_t, Callback>> subscribers_;   // guarded by mu_
  int64_t latest_seen_ = -1;                                       // guarded by mu_
};

}  // namespace caredesk
