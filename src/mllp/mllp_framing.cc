#include "mllp/mllp_framing.h"

namespace caredesk::mllp {

std::string Frame(std::string_view payload) {
  std::string framed;
  framed.reserve(payload.size() + 3);
  framed.push_back(kStartBlock);
  framed.append(payload);
  framed.push_back(kEndBlock);
  framed.push_back(kCarriageReturn);
  return framed;
}

Status FrameDecoder::Feed(std::string_view bytes, std::vector<std::string>& out) {
  size_t i = 0;
  // The first end byte at or after i once looked for (npos: none in the rest
  // of `bytes`), so that each byte is searched for it once however many
  // start bytes come before it.
  size_t next_end = 0;
  bool next_end_known = false;
  while (i < bytes.size()) {
    if (in_frame_) {
      // Copy up to the next control byte in one piece: messages are long and
      // the control bytes few. memchr scans rather than find_first_of, which
      // tests each byte against the set one call at a time and was most of
      // the listener's I/O thread.
      if (!next_end_known || (next_end != std::string_view::npos && next_end < i)) {
        next_end = bytes.find(kEndBlock, i);
        next_end_known = true;
      }
      const size_t start_block =
          bytes.substr(0, next_end == std::string_view::npos ? bytes.size() : next_end).find(kStartBlock, i);
      const size_t stop = start_block != std::string_view::npos ? start_block : next_end;
      const size_t end = stop == std::string_view::npos ? bytes.size() : stop;
      if (current_.size() + (end - i) > max_frame_bytes_) {
        current_.append(bytes.substr(i, max_frame_bytes_ - current_.size()));  // for partial_frame()
        return Error{ErrorCode::kTooLarge, "frame_too_large",
                     "an MLLP frame grew past " + std::to_string(max_frame_bytes_) + " bytes without ending", ""};
      }
      current_.append(bytes.substr(i, end - i));
      i = end;
      if (stop == std::string_view::npos) break;
      if (bytes[i] == kStartBlock) {
        // A new frame before this one ended: the sender gave up on it.
        stray_bytes_ += current_.size() + 1;
        current_.clear();
      } else {
        out.push_back(std::move(current_));
        current_.clear();
        in_frame_ = false;
        after_end_ = true;
      }
      ++i;
      continue;
    }
    if (after_end_) {
      after_end_ = false;
      if (bytes[i] == kCarriageReturn) {
        ++i;
        continue;
      }
      ++frames_without_cr_;
    }
    if (bytes[i] == kStartBlock) {
      in_frame_ = true;
      ++i;
      continue;
    }
    // Outside a frame: skip to the next start byte.
    const size_t start = bytes.find(kStartBlock, i);
    const size_t end = start == std::string_view::npos ? bytes.size() : start;
    stray_bytes_ += end - i;
    i = end;
  }
  return Ok();
}

}  // namespace caredesk::mllp
