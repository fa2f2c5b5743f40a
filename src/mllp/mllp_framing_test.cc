#include "mllp/mllp_framing.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace caredesk::mllp {
namespace {

const std::string kAdt = "MSH|^~\\&|A|B|C|D|20250101||ADT^A01|1|P|2.5\rPID|1||123\r";
const std::string kSiu = "MSH|^~\\&|A|B|C|D|20250101||SIU^S12|2|P|2.5\rSCH|1\r";

std::vector<std::string> FeedAll(FrameDecoder& d, std::string_view bytes) {
  std::vector<std::string> out;
  EXPECT_TRUE(d.Feed(bytes, out).ok());
  return out;
}

TEST(MllpFraming, FrameWrapsThePayload) {
  EXPECT_EQ(Frame("abc"), std::string("\x0b" "abc" "\x1c\x0d"));
  EXPECT_EQ(Frame(""), std::string("\x0b\x1c\x0d"));
}

TEST(MllpFraming, DecodesBackToBackFrames) {
  FrameDecoder d(1 << 20);
  EXPECT_EQ(FeedAll(d, Frame(kAdt) + Frame(kSiu)), (std::vector<std::string>{kAdt, kSiu}));
  EXPECT_FALSE(d.in_frame());
  EXPECT_EQ(d.stray_bytes(), 0u);
  EXPECT_EQ(d.frames_without_cr(), 0u);
}

TEST(MllpFraming, AnySplitOfTheStreamGivesTheSameMessages) {
  const std::string stream = Frame(kAdt) + Frame("") + Frame(kSiu);
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    FrameDecoder d(1 << 20);
    std::vector<std::string> got;
    size_t i = 0;
    while (i < stream.size()) {
      const size_t n = std::uniform_int_distribution<size_t>(1, 9)(rng);
      ASSERT_TRUE(d.Feed(std::string_view(stream).substr(i, n), got).ok());
      i += n;
    }
    ASSERT_EQ(got, (std::vector<std::string>{kAdt, "", kSiu})) << "round " << round;
    EXPECT_EQ(d.stray_bytes(), 0u);
  }
}

TEST(MllpFraming, PartialFrameWaitsForItsEnd) {
  FrameDecoder d(1 << 20);
  const std::string framed = Frame(kAdt);
  EXPECT_TRUE(FeedAll(d, framed.substr(0, 10)).empty());
  EXPECT_TRUE(d.in_frame());
  EXPECT_EQ(FeedAll(d, framed.substr(10)), std::vector<std::string>{kAdt});
  EXPECT_FALSE(d.in_frame());
}

TEST(MllpFraming, BytesOutsideFramesAreSkippedAndCounted) {
  FrameDecoder d(1 << 20);
  EXPECT_EQ(FeedAll(d, "noise\r\n" + Frame(kAdt) + "xy" + Frame(kSiu)), (std::vector<std::string>{kAdt, kSiu}));
  EXPECT_EQ(d.stray_bytes(), 9u);
  EXPECT_EQ(FeedAll(d, kAdt), std::vector<std::string>{});  // a bare message is not a frame
  EXPECT_EQ(d.stray_bytes(), 9u + kAdt.size());
}

TEST(MllpFraming, AnEndWithoutCarriageReturnIsAcceptedAndCounted) {
  FrameDecoder d(1 << 20);
  const std::string stream = std::string("\x0b") + kAdt + "\x1c" + Frame(kSiu);
  EXPECT_EQ(FeedAll(d, stream), (std::vector<std::string>{kAdt, kSiu}));
  EXPECT_EQ(d.frames_without_cr(), 1u);
  EXPECT_EQ(d.stray_bytes(), 0u);
}

TEST(MllpFraming, ANewStartAbandonsAnUnfinishedFrame) {
  FrameDecoder d(1 << 20);
  const std::string stream = std::string("\x0b") + "half a mess" + Frame(kSiu);
  EXPECT_EQ(FeedAll(d, stream), std::vector<std::string>{kSiu});
  EXPECT_EQ(d.stray_bytes(), 12u);  // the abandoned bytes and their start byte
}

// The decoder's rules one byte at a time, to check the block-copying decoder against.
struct ReferenceDecoder {
  std::vector<std::string> out;
  std::string current;
  bool in_frame = false;
  bool after_end = false;
  size_t stray = 0;
  size_t without_cr = 0;

  void Feed(std::string_view bytes) {
    for (char b : bytes) {
      if (in_frame) {
        if (b == kStartBlock) {
          stray += current.size() + 1;
          current.clear();
        } else if (b == kEndBlock) {
          out.push_back(std::move(current));
          current.clear();
          in_frame = false;
          after_end = true;
        } else {
          current.push_back(b);
        }
        continue;
      }
      if (after_end) {
        after_end = false;
        if (b == kCarriageReturn) continue;
        ++without_cr;
      }
      if (b == kStartBlock) {
        in_frame = true;
      } else {
        ++stray;
      }
    }
  }
};

TEST(MllpFraming, AgreesWithAByteAtATimeDecoderOnRandomStreams) {
  std::mt19937 rng(99);
  const std::string alphabet = std::string("\x0b\x1c\x0d", 3) + "ab|";
  for (int round = 0; round < 500; ++round) {
    std::string stream(std::uniform_int_distribution<size_t>(0, 400)(rng), 'a');
    for (char& c : stream) c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    ReferenceDecoder reference;
    reference.Feed(stream);
    FrameDecoder d(1 << 20);
    std::vector<std::string> got;
    for (size_t i = 0; i < stream.size();) {
      const size_t n = std::uniform_int_distribution<size_t>(1, 64)(rng);
      ASSERT_TRUE(d.Feed(std::string_view(stream).substr(i, n), got).ok());
      i += n;
    }
    ASSERT_EQ(got, reference.out) << "round " << round;
    EXPECT_EQ(d.stray_bytes(), reference.stray) << "round " << round;
    EXPECT_EQ(d.frames_without_cr(), reference.without_cr) << "round " << round;
    EXPECT_EQ(d.in_frame(), reference.in_frame) << "round " << round;
  }
}

TEST(MllpFraming, AFrameOverTheLimitFails) {
  FrameDecoder d(16);
  std::vector<std::string> out;
  EXPECT_TRUE(d.Feed(Frame(std::string(16, 'a')), out).ok());
  ASSERT_EQ(out.size(), 1u);
  Status s = d.Feed("\x0b" + std::string(17, 'b'), out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(s.error().reason, "frame_too_large");
  EXPECT_EQ(d.partial_frame(), std::string(16, 'b'));  // the frame's beginning, up to the limit
  // The limit also holds when the frame arrives in small pieces.
  FrameDecoder pieces(16);
  out.clear();
  Status last = Ok();
  for (int i = 0; i < 20 && last.ok(); ++i) last = pieces.Feed(i == 0 ? "\x0b" : "c", out);
  EXPECT_FALSE(last.ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(pieces.partial_frame(), std::string(16, 'c'));
}

}  // namespace
}  // namespace caredesk::mllp
