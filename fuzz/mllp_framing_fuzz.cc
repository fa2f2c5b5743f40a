// The MLLP frame decoder on arbitrary byte streams: feeding the stream whole
// or in pieces (sizes taken from the input) must give the same messages and
// counts, and no message may hold a start or end byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "mllp/mllp_framing.h"

using caredesk::mllp::FrameDecoder;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 13;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr size_t kLimit = 512;

  FrameDecoder whole(kLimit);
  std::vector<std::string> a;
  const bool whole_ok = whole.Feed(stream, a).ok();

  FrameDecoder split(kLimit);
  std::vector<std::string> b;
  bool split_ok = true;
  for (size_t i = 0; i < stream.size() && split_ok; i += piece) split_ok = split.Feed(stream.substr(i, piece), b).ok();

  if (whole_ok != split_ok) std::abort();
  if (whole_ok) {
    if (a != b || whole.stray_bytes() != split.stray_bytes() || whole.in_frame() != split.in_frame() ||
        whole.frames_without_cr() != split.frames_without_cr()) {
      std::abort();
    }
  }
  for (const std::string& m : a) {
    if (m.find('\x0b') != std::string::npos || m.find('\x1c') != std::string::npos || m.size() > kLimit) std::abort();
  }
  return 0;
}
