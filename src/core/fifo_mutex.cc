#include "core/fifo_mutex.h"

namespace caredesk {

void FifoSemaphore::acquire() {
  std::unique_lock lock(mu_);
  if (available_ > 0 && head_ == nullptr) {
    --available_;
    return;
  }
  Waiter self;  // lives on this stack until release() has granted it
  if (tail_ != nullptr) {
    tail_->next = &self;
  } else {
    head_ = &self;
  }
  tail_ = &self;
  ++waiting_;
  self.cv.wait(lock, [&] { return self.granted; });
  // release() unlinked us and passed its permit to us without returning it.
}

bool FifoSemaphore::try_acquire() {
  std::lock_guard lock(mu_);
  if (available_ == 0 || head_ != nullptr) return false;
  --available_;
  return true;
}

void FifoSemaphore::release() {
  std::lock_guard lock(mu_);
  Waiter* next = head_;
  if (next == nullptr) {
    ++available_;
    return;
  }
  head_ = next->next;
  if (head_ == nullptr) tail_ = nullptr;
  --waiting_;
  next->granted = true;  // the permit passes directly
  // Notify under mu_: once mu_ is released the waiter may return and its
  // stack frame (and cv) be gone.
  next->cv.notify_one();
}

std::size_t FifoSemaphore::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

}  // namespace caredesk
