// The connection-side end of a server-sent event stream: a bounded queue
// between the EventStream's producers (any thread) and the connection that
// writes to the socket (its strand), plus the Start/Stop bookkeeping.
//
// Contract kept towards EventStream:
//   - Start runs at most once, on a worker thread (it may block, e.g. to load
//     the first event from the database);
//   - Stop runs exactly once per channel, also when Start never ran, and never
//     while Start is still running (it is deferred until Start returns);
//   - the `send` given to Start returns false once the channel is closed or the
//     client fell more than `max_backlog` bytes behind.
// Stop may run on an I/O thread: it must be quick (unsubscribe, no I/O).
//
// Thread-safety: all members are thread-safe. `wake` is called without
// internal locks held.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "http/request.h"

namespace caredesk::http {

class EventChannel : public std::enable_shared_from_this<EventChannel> {
 public:
  // `wake` asks the connection to come and TakeQueued (it should post to the
  // connection's strand, not write inline); it is called once per batch of
  // Sends and once on overflow.
  EventChannel(std::shared_ptr<EventStream> stream, size_t max_backlog, std::function<void()> wake);
  ~EventChannel();  // Closes if still open, so Stop is never skipped.

  EventChannel(const EventChannel&) = delete;
  EventChannel& operator=(const EventChannel&) = delete;

  // Calls stream->Start(sender) unless already closed. Blocking is allowed.
  void RunStart();

  // Producer side: queues `chunk`. False if closed, overflowed, or this send
  // would put more than max_backlog bytes behind the client (then the channel
  // is marked overflowed and the connection woken to drop the client).
  bool Send(std::string chunk);

  // Connection side: moves everything queued into `out` (replacing its
  // contents, keeping both buffers' capacity). The bytes count as backlog
  // until Written reports them.
  void TakeQueued(std::string& out);
  void Written(size_t bytes);

  // Closes the channel and stops the stream (see the contract above).
  // Idempotent.
  void Close();

  bool overflowed() const;

 private:
  std::function<bool(std::string)> MakeSender();

  const std::shared_ptr<EventStream> stream_;
  const size_t max_backlog_;
  const std::function<void()> wake_;

  mutable std::mutex mu_;
  std::string queued_;       // guarded by mu_
  size_t backlog_ = 0;       // queued + being written; guarded by mu_
  bool wake_pending_ = false;
  bool closed_ = false;
  bool overflowed_ = false;
  bool starting_ = false;    // Start is running
  bool stopped_ = false;     // Stop has been called
};

}  // namespace caredesk::http
