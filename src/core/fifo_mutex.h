// FifoSemaphore and FifoMutex: a counting semaphore and a mutex that hand
// permits to waiters strictly in arrival order.
//
// std::mutex lets whichever thread runs first take a released lock, so on a
// busy machine a thread can wait behind many later arrivals. Where many
// threads take turns — SQLite's single writer, the few CPU slots a 2-core
// server has for CPU-bound requests — that unfairness sets the tail latency.
// These queue their waiters and release() passes the permit to the oldest one
// directly, each waiter sleeping on its own condition variable, so a release
// wakes exactly one thread.
//
// Thread-safe. FifoMutex meets the Lockable requirements (lock, try_lock,
// unlock) and is not recursive.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace caredesk {

class FifoSemaphore {
 public:
  explicit FifoSemaphore(std::size_t permits) : available_(permits) {}
  FifoSemaphore(const FifoSemaphore&) = delete;
  FifoSemaphore& operator=(const FifoSemaphore&) = delete;

  void acquire();
  // Takes a permit only if one is free and nobody is queued for it.
  bool try_acquire();
  void release();

  // Threads queued in acquire() right now (for metrics and tests).
  std::size_t waiting() const;

 private:
  struct Waiter {
    std::condition_variable cv;
    bool granted = false;
    Waiter* next = nullptr;
  };

  mutable std::mutex mu_;
  std::size_t available_;    // guarded by mu_
  Waiter* head_ = nullptr;   // guarded by mu_; oldest waiter
  Waiter* tail_ = nullptr;   // guarded by mu_
  std::size_t waiting_ = 0;  // guarded by mu_
};

class FifoMutex {
 public:
  void lock() { sem_.acquire(); }
  bool try_lock() { return sem_.try_acquire(); }
  void unlock() { sem_.release(); }
  std::size_t waiting() const { return sem_.waiting(); }

 private:
  FifoSemaphore sem_{1};
};

// Holds one permit of a FifoSemaphore for its lifetime.
class FifoPermit {
 public:
  explicit FifoPermit(FifoSemaphore& sem) : sem_(sem) { sem_.acquire(); }
  ~FifoPermit() { sem_.release(); }
  FifoPermit(const FifoPermit&) = delete;
  FifoPermit& operator=(const FifoPermit&) = delete;

 private:
  FifoSemaphore& sem_;
};

}  // namespace caredesk
