#include "http/event_channel.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace caredesk::http {
namespace {

class FakeStream : public EventStream {
 public:
  void Start(std::function<bool(std::string)> send) override {
    ++starts;
    if (on_start) on_start();
    send_ = std::move(send);
    send_("data: hello\n\n");
  }
  void Stop() override {
    ++stops;
    stopped_while_starting = stopped_while_starting || in_start;
  }
  bool Send(std::string chunk) { return send_(std::move(chunk)); }

  std::atomic<int> starts{0};
  std::atomic<int> stops{0};
  std::atomic<bool> in_start{false};
  std::atomic<bool> stopped_while_starting{false};
  std::function<void()> on_start;

 private:
  std::function<bool(std::string)> send_;
};

TEST(EventChannel, QueuesEventsAndWakesOncePerBatch) {
  auto stream = std::make_shared<FakeStream>();
  int wakes = 0;
  auto channel = std::make_shared<EventChannel>(stream, 1024, [&] { ++wakes; });
  channel->RunStart();
  EXPECT_TRUE(stream->Send("data: two\n\n"));
  EXPECT_EQ(wakes, 1);
  std::string out;
  channel->TakeQueued(out);
  EXPECT_EQ(out, "data: hello\n\ndata: two\n\n");
  EXPECT_TRUE(stream->Send("x"));
  EXPECT_EQ(wakes, 2);
}

TEST(EventChannel, RefusesAndFlagsAClientTooFarBehind) {
  auto stream = std::make_shared<FakeStream>();
  auto channel = std::make_shared<EventChannel>(stream, 20, [] {});
  channel->RunStart();  // 13 bytes queued
  std::string out;
  channel->TakeQueued(out);  // still 13 bytes behind until Written
  EXPECT_FALSE(stream->Send("0123456789"));
  EXPECT_TRUE(channel->overflowed());
  EXPECT_FALSE(stream->Send("x"));
}

TEST(EventChannel, WrittenBytesFreeTheBacklog) {
  auto stream = std::make_shared<FakeStream>();
  auto channel = std::make_shared<EventChannel>(stream, 20, [] {});
  channel->RunStart();
  std::string out;
  channel->TakeQueued(out);
  channel->Written(out.size());
  EXPECT_TRUE(stream->Send("0123456789"));
}

TEST(EventChannel, StopsExactlyOnceAndNotWithoutClosing) {
  auto stream = std::make_shared<FakeStream>();
  auto channel = std::make_shared<EventChannel>(stream, 1024, [] {});
  channel->RunStart();
  EXPECT_EQ(stream->stops, 0);
  channel->Close();
  channel->Close();
  EXPECT_EQ(stream->stops, 1);
  EXPECT_FALSE(stream->Send("late"));
  channel.reset();
  EXPECT_EQ(stream->stops, 1);
}

TEST(EventChannel, StopsEvenIfNeverStarted) {
  auto stream = std::make_shared<FakeStream>();
  auto channel = std::make_shared<EventChannel>(stream, 1024, [] {});
  channel->Close();
  channel->RunStart();
  EXPECT_EQ(stream->starts, 0);
  EXPECT_EQ(stream->stops, 1);
}

TEST(EventChannel, DefersStopUntilStartReturns) {
  auto stream = std::make_shared<FakeStream>();
  auto channel = std::make_shared<EventChannel>(stream, 1024, [] {});
  std::atomic<bool> closed{false};
  stream->on_start = [&] {
    stream->in_start = true;
    std::thread([&] {
      channel->Close();
      closed = true;
    }).join();
    stream->in_start = false;
  };
  channel->RunStart();
  EXPECT_TRUE(closed);
  EXPECT_EQ(stream->stops, 1);
  EXPECT_FALSE(stream->stopped_while_starting);
}

}  // namespace
}  // namespace caredesk::http
