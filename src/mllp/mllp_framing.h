// MLLP framing (HL7 v2 Minimal Lower Layer Protocol, release 2): every message
// travels as 0x0B <message bytes> 0x1C 0x0D. This is the byte-level part of
// the MLLP listener, with no sockets, so that it can be tested and fuzzed on
// its own.
//
// FrameDecoder is fed whatever a read returned, in any pieces, and hands back
// each complete message. Bytes outside a frame (line noise, a peer that sends
// bare messages) are skipped up to the next start byte and counted, not
// treated as a message: an ACK cannot be addressed to a message whose
// beginning is unknown. A frame longer than the limit is an error that ends
// the connection, since the stream can no longer be trusted.
//
// Thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::mllp {

inline constexpr char kStartBlock = '\x0b';
inline constexpr char kEndBlock = '\x1c';
inline constexpr char kCarriageReturn = '\x0d';

// `payload` between the start and end bytes.
std::string Frame(std::string_view payload);

class FrameDecoder {
 public:
  explicit FrameDecoder(size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

  // Appends `bytes` and moves every message they complete to `out` (in
  // order). Fails with kTooLarge, reason "frame_too_large", when a frame grows
  // past the limit without ending; the decoder must not be fed again then.
  Status Feed(std::string_view bytes, std::vector<std::string>& out);

  // True while a frame has begun and not ended (a peer closing now loses it).
  bool in_frame() const { return in_frame_; }
  // The frame in progress, without its start byte: after a frame_too_large
  // failure, its first max_frame_bytes bytes (where the header is, to address
  // a rejection to the sender).
  std::string_view partial_frame() const { return current_; }
  // Bytes seen outside any frame, and frames whose end byte was not followed
  // by a carriage return (accepted; some senders omit it).
  size_t stray_bytes() const { return stray_bytes_; }
  size_t frames_without_cr() const { return frames_without_cr_; }

 private:
  size_t max_frame_bytes_;
  bool in_frame_ = false;
  bool after_end_ = false;  // an end byte was the last byte seen; a CR may follow
  std::string current_;
  size_t stray_bytes_ = 0;
  size_t frames_without_cr_ = 0;
};

}  // namespace caredesk::mllp
