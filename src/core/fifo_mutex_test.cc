#include "core/fifo_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace caredesk {
namespace {

// Waits (bounded) until `n` threads are queued on `m`.
bool WaitForQueue(const FifoMutex& m, std::size_t n) {
  for (int i = 0; i < 5000 && m.waiting() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return m.waiting() == n;
}

TEST(FifoMutex, GrantsWaitersInArrivalOrder) {
  FifoMutex m;
  m.lock();
  std::vector<int> order;
  std::mutex order_mu;
  std::vector<std::thread> threads;
  constexpr int kThreads = 8;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      std::lock_guard g(m);
      std::lock_guard o(order_mu);
      order.push_back(i);
    });
    // Thread i is queued before thread i+1 starts.
    ASSERT_TRUE(WaitForQueue(m, static_cast<std::size_t>(i + 1)));
  }
  m.unlock();
  for (auto& t : threads) t.join();
  std::vector<int> expected;
  for (int i = 0; i < kThreads; ++i) expected.push_back(i);
  EXPECT_EQ(order, expected);
  EXPECT_EQ(m.waiting(), 0u);
}

TEST(FifoMutex, TryLockFailsWhileHeldOrWhileOthersWait) {
  FifoMutex m;
  EXPECT_TRUE(m.try_lock());
  EXPECT_FALSE(m.try_lock());
  std::thread waiter([&] {
    m.lock();
    m.unlock();
  });
  ASSERT_TRUE(WaitForQueue(m, 1));
  m.unlock();  // hands the lock to the waiter, never back to a try_lock
  waiter.join();
  EXPECT_TRUE(m.try_lock());
  m.unlock();
}

TEST(FifoMutex, ExcludesUnderContention) {
  FifoMutex m;
  int counter = 0;  // guarded by m
  std::atomic<int> inside{0};
  std::atomic<bool> overlap{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        std::lock_guard g(m);
        if (inside.fetch_add(1) != 0) overlap = true;
        ++counter;
        inside.fetch_sub(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(overlap.load());
  EXPECT_EQ(counter, 6 * 2000);
}

}  // namespace
}  // namespace caredesk

namespace caredesk {
namespace {

TEST(FifoSemaphore, AdmitsAtMostItsPermitsAtOnce) {
  FifoSemaphore sem(2);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        FifoPermit permit(sem);
        int now = inside.fetch_add(1) + 1;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        inside.fetch_sub(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
  EXPECT_TRUE(sem.try_acquire());
  EXPECT_TRUE(sem.try_acquire());
  EXPECT_FALSE(sem.try_acquire());
}

}  // namespace
}  // namespace caredesk
