// HL7 v2 messages come from other systems: the parser must answer any bytes with messages or an
// error, never crash, and whatever it reads must come back unchanged through the ACK it answers
// with. Traps on a broken property:
//   - ParseMessage accepting the input means ParseBatchOrMessage reads the same single message;
//   - the ACK of a parsed message, or of the header salvaged from a rejected one, parses and
//     echoes MSH-10 and the sender;
//   - Unescape(Escape(x)) == x under the default delimiters and the message's own.
// A parsed message is also read as ADT and as SIU (what the inbound service applies): any answer
// or error, never a crash.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/hl7v2/hl7v2_ack.h"
#include "domain/hl7v2/hl7v2_adt.h"
#include "domain/hl7v2/hl7v2_message.h"
#include "domain/hl7v2/hl7v2_siu.h"

namespace hl7 = caredesk::hl7v2;

namespace {

void Check(bool property) {
  if (!property) __builtin_trap();
}

// Reads every position of every segment, and one past the end of each level, decoded.
void ReadEverything(const hl7::Message& m) {
  for (size_t s = 0; s < m.segment_count(); ++s) {
    const hl7::Segment segment = m.segment(s);
    for (size_t f = 0; f <= segment.field_count() + 1; ++f) {
      for (size_t r = 0; r <= segment.RepetitionCount(f); ++r) {
        for (size_t c = 0; c <= segment.ComponentCount(f, r) + 1; ++c) {
          for (size_t sub = 0; sub <= 2; ++sub) (void)segment.Get(f, r, c, sub);
        }
      }
    }
  }
}

// Acknowledges `inbound` and checks that the ACK parses and answers it.
void CheckAck(const hl7::MessageHeader& inbound, hl7::AckCode code, std::vector<hl7::AckError> errors) {
  hl7::AckRequest request;
  request.inbound = inbound;
  request.code = code;
  request.errors = std::move(errors);
  request.application = {"CAREDESK", "", ""};
  request.control_id = "ACK1";
  request.created_at = caredesk::TimePoint(std::chrono::milliseconds(1741626000000));
  const caredesk::Result<hl7::Message> ack = hl7::ParseMessage(hl7::WriteAck(request));
  Check(ack.ok());
  Check(ack->Get("MSA", 2) == inbound.control_id);
  Check(ack->header().receiving_application == inbound.sending_application);
  Check(ack->header().receiving_facility == inbound.sending_facility);
  Check(ack->header().type.trigger == inbound.type.trigger);
}

void CheckEscapeRoundTrip(std::string_view text, const hl7::Delimiters& d) {
  Check(hl7::Unescape(hl7::Escape(text, d), d) == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckEscapeRoundTrip(text, hl7::Delimiters());

  const caredesk::Result<hl7::Message> message = hl7::ParseMessage(text);
  const caredesk::Result<hl7::MessageBatch> batch = hl7::ParseBatchOrMessage(text);
  (void)hl7::ParseBatchOrMessage(text, hl7::BatchOptions{.strict_envelope = true});
  if (message.ok()) {
    Check(batch.ok() && batch->messages.size() == 1);
    Check(batch->messages[0].segment_count() == message->segment_count());
    ReadEverything(*message);
    (void)message->GetPath(text.substr(0, 16));
    CheckEscapeRoundTrip(text, message->delimiters());
    CheckAck(message->header(), hl7::AckCode::kAccept, {});
    if (const auto adt = hl7::ReadAdt(*message); !adt.ok()) (void)hl7::AdtConditionOf(adt.error());
    (void)hl7::ReadSiu(*message);
  } else {
    (void)hl7::ConditionOf(message.error());
    CheckAck(hl7::SalvageHeader(text), hl7::AckCode::kReject, {hl7::AckErrorFrom(message.error())});
  }
  if (batch.ok()) {
    for (const hl7::Message& m : batch->messages) CheckAck(m.header(), hl7::AckCode::kAccept, {});
    const hl7::Envelope& envelope = batch->envelope;
    for (const hl7::BatchInfo& b : envelope.batches()) {
      Check(b.first_message + b.message_count <= batch->messages.size());
      if (b.header) (void)envelope.segment(*b.header).Get(11);
      if (b.trailer) (void)envelope.segment(*b.trailer).Get(1);
    }
  }
  return 0;
}
