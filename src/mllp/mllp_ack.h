// The acknowledgements the MLLP layer writes itself: the listener's own
// rejections (a frame over the size limit, a handler that failed) and the
// default message handler of `caredesk serve --mllp`, which parses each
// message and acknowledges it without storing anything (AA when it parses, AE
// or AR with ERR segments saying what is wrong when it does not).
//
// Thread-safe: every member may be called from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "domain/hl7v2/hl7v2_ack.h"
#include "domain/hl7v2/hl7v2_message.h"

namespace caredesk::mllp {

// Who we are in the ACKs' MSH-3 and MSH-4.
struct AckSender {
  hl7v2::HierarchicDesignator application{"CAREDESK", "", ""};
  hl7v2::HierarchicDesignator facility;
};

// A fresh MSH-10 for an outgoing message: "CD", 40 random bits drawn once per
// process in hex, "-", and a process-wide counter from 1 (at most 20
// characters, the v2.5 length of MSH-10, for the first 10^7 messages). Unique
// within a process, and between processes but for a 2^-40 chance.
std::string NextControlId();

// The MSA-1 of `reply`, an ACK as written by hl7v2::WriteAck (or any message
// whose MSA segment starts a line): "AA", "AE", "AR", "CA", ...; empty when
// `reply` has no MSA segment.
std::string_view AckCodeOf(std::string_view reply);

class AckFactory {
 public:
  // `clock` must outlive the factory.
  AckFactory(const Clock& clock, AckSender sender) : clock_(clock), sender_(std::move(sender)) {}

  // An ACK of `inbound` with a fresh control id and the current time.
  std::string Ack(const hl7v2::MessageHeader& inbound, hl7v2::AckCode code,
                  std::vector<hl7v2::AckError> errors = {}) const;

  // The default handler: parses `message` with hl7v2::ParseBatchOrMessage.
  //   - one well-formed message: AA echoing its MSH-10;
  //   - a well-formed batch of several messages: one ACK per message, in
  //     order, each AA (concatenated; each is a complete message);
  //   - a parse error: AR when the header itself is unusable (an error in
  //     MSH, or a table 0357 condition in the 2xx range such as an
  //     unsupported version), else AE; with an ERR naming the condition and
  //     where it is. The ACK is addressed from hl7v2::SalvageHeader, so MSA-2
  //     echoes MSH-10 whenever MSH-10 can be read at all.
  std::string AcknowledgeParsed(std::string_view message) const;

  // AR for a frame longer than `limit` bytes, addressed from the start of the
  // frame (`frame_start`, which may be cut anywhere).
  std::string RejectTooLarge(std::string_view frame_start, size_t limit) const;

  // AE, application internal error, for a message whose handler failed.
  std::string InternalError(std::string_view message) const;

 private:
  const Clock& clock_;
  const AckSender sender_;
};

}  // namespace caredesk::mllp
