#include "mllp/mllp_ack.h"

#include <fmt/format.h>

#include <random>

namespace caredesk::mllp {
namespace {

std::atomic<uint64_t> g_control_counter{0};

const std::string& ControlIdPrefix() {
  static const std::string prefix = [] {
    std::random_device random;
    const uint64_t bits = (static_cast<uint64_t>(random()) << 32 | random()) & 0xFFFFFFFFFFull;  // 40 bits
    return fmt::format("CD{:010x}-", bits);
  }();
  return prefix;
}

// AR when the sender's header cannot be trusted, AE when the message body is at fault.
hl7v2::AckCode CodeFor(const hl7v2::AckError& error) {
  const int condition = static_cast<int>(error.condition);
  if (condition >= 200 && condition < 300 && error.condition != hl7v2::ErrorCondition::kApplicationInternalError) {
    return hl7v2::AckCode::kReject;
  }
  if (error.location.segment_id == "MSH") return hl7v2::AckCode::kReject;
  return hl7v2::AckCode::kError;
}

}  // namespace

std::string NextControlId() {
  return ControlIdPrefix() + std::to_string(g_control_counter.fetch_add(1, std::memory_order_relaxed) + 1);
}

std::string_view AckCodeOf(std::string_view reply) {
  size_t at = 0;
  for (;;) {
    at = reply.find("MSA", at);
    if (at == std::string_view::npos) return {};
    if (at == 0 || reply[at - 1] == '\r' || reply[at - 1] == '\n') break;
    at += 3;
  }
  if (at + 3 >= reply.size()) return {};
  const char separator = reply[at + 3];
  const size_t begin = at + 4;
  size_t end = begin;
  while (end < reply.size() && reply[end] != separator && reply[end] != '\r' && reply[end] != '\n') ++end;
  return reply.substr(begin, end - begin);
}

std::string AckFactory::Ack(const hl7v2::MessageHeader& inbound, hl7v2::AckCode code,
                            std::vector<hl7v2::AckError> errors) const {
  hl7v2::AckRequest request;
  request.inbound = inbound;
  request.code = code;
  request.errors = std::move(errors);
  request.application = sender_.application;
  request.facility = sender_.facility;
  request.control_id = NextControlId();
  request.created_at = clock_.Now();
  return hl7v2::WriteAck(request);
}

std::string AckFactory::AcknowledgeParsed(std::string_view message) const {
  Result<hl7v2::MessageBatch> parsed = hl7v2::ParseBatchOrMessage(message);
  if (!parsed.ok()) {
    hl7v2::AckError error = hl7v2::AckErrorFrom(parsed.error());
    const hl7v2::AckCode code = CodeFor(error);
    return Ack(hl7v2::SalvageHeader(message), code, {std::move(error)});
  }
  if (parsed->messages.empty()) {  // an envelope with no message in it
    hl7v2::AckError error;
    error.condition = hl7v2::ErrorCondition::kSegmentSequenceError;
    error.text = "the batch holds no message";
    return Ack(hl7v2::SalvageHeader(message), hl7v2::AckCode::kError, {std::move(error)});
  }
  std::string reply;
  for (const hl7v2::Message& m : parsed->messages) reply += Ack(m.header(), hl7v2::AckCode::kAccept);
  return reply;
}

std::string AckFactory::RejectTooLarge(std::string_view frame_start, size_t limit) const {
  hl7v2::AckError error;
  error.condition = hl7v2::ErrorCondition::kApplicationInternalError;
  error.text = fmt::format("the message is longer than this receiver's limit of {} bytes", limit);
  return Ack(hl7v2::SalvageHeader(frame_start), hl7v2::AckCode::kReject, {std::move(error)});
}

std::string AckFactory::InternalError(std::string_view message) const {
  hl7v2::AckError error;
  error.condition = hl7v2::ErrorCondition::kApplicationInternalError;
  error.text = "the receiver failed to process the message";
  return Ack(hl7v2::SalvageHeader(message), hl7v2::AckCode::kError, {std::move(error)});
}

}  // namespace caredesk::mllp
