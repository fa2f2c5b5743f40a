#include "http/event_channel.h"

#include <algorithm>
#include <utility>

namespace caredesk::http {

EventChannel::EventChannel(std::shared_ptr<EventStream> stream, size_t max_backlog, std::function<void()> wake)
    : stream_(std::move(stream)), max_backlog_(max_backlog), wake_(std::move(wake)) {}

EventChannel::~EventChannel() { Close(); }

std::function<bool(std::string)> EventChannel::MakeSender() {
  // Weak: a producer holding `send` after Stop must not keep the channel (and
  // through it the stream) alive.
  return [weak = weak_from_this()](std::string chunk) {
    auto channel = weak.lock();
    return channel != nullptr && channel->Send(std::move(chunk));
  };
}

void EventChannel::RunStart() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    starting_ = true;
  }
  stream_->Start(MakeSender());
  bool stop_now = false;
  {
    std::lock_guard lock(mu_);
    starting_ = false;
    stop_now = closed_ && !stopped_;
    stopped_ = stopped_ || stop_now;
  }
  if (stop_now) stream_->Stop();
}

bool EventChannel::Send(std::string chunk) {
  bool accepted = false;
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (closed_ || overflowed_) return false;
    if (backlog_ + chunk.size() > max_backlog_) {
      overflowed_ = true;
      wake = true;
    } else {
      accepted = true;
      backlog_ += chunk.size();
      if (queued_.empty()) {
        queued_ = std::move(chunk);
      } else {
        queued_ += chunk;
      }
      wake = !wake_pending_;
      wake_pending_ = true;
    }
  }
  if (wake) wake_();
  return accepted;
}

bool EventChannel::overflowed() const {
  std::lock_guard lock(mu_);
  return overflowed_;
}

void EventChannel::TakeQueued(std::string& out) {
  out.clear();
  std::lock_guard lock(mu_);
  out.swap(queued_);
  wake_pending_ = false;
}

void EventChannel::Written(size_t bytes) {
  std::lock_guard lock(mu_);
  backlog_ -= std::min(bytes, backlog_);
}

void EventChannel::Close() {
  bool stop_now = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    stop_now = !starting_ && !stopped_;
    stopped_ = stopped_ || stop_now;
  }
  if (stop_now) stream_->Stop();
}

}  // namespace caredesk::http
