#include "domain/hl7v2/hl7v2_ack.h"

#include <cassert>
#include <string>
#include <vector>

#include "domain/hl7v2/hl7v2_writing.h"

namespace caredesk::hl7v2 {
namespace {

using writing::AppendSegment;
using writing::Hd;
using writing::Join;
const Delimiters& kAckDelimiters = writing::kDelimiters;

std::string E(std::string_view text) { return writing::Esc(text); }

constexpr std::string_view kErrorCodeTable = "HL70357";
// A salvaged header may lack MSH-11; an unmarked message is taken to be production traffic.
constexpr std::string_view kDefaultProcessingId = "P";
// The first versions with MSH-9.3 (message structure) and with ERR-2..ERR-8.
constexpr VersionId kMessageStructureSince{2, 3, 1};
constexpr VersionId kErrLocationSince{2, 5, 0};

std::string_view SeverityText(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "E";
    case Severity::kWarning:
      return "W";
    case Severity::kInformation:
      return "I";
  }
  return "E";
}

std::string Number(size_t n) { return n > 0 ? std::to_string(n) : std::string(); }

std::string ConditionCode(ErrorCondition condition) { return std::to_string(static_cast<int>(condition)); }

// ERL: <segment>^<sequence>^<field>, empty without a segment.
std::string Location(const ErrorLocation& at) {
  if (at.segment_id.empty()) return {};
  return Join({E(at.segment_id), Number(at.segment_sequence), Number(at.field)}, kAckDelimiters.component);
}

// v2.5+: ERR||<location>|<code>^<table 0357 text>^HL70357|<severity>||||<text>, one per error.
void AppendErrSegments(std::string& out, const std::vector<AckError>& errors) {
  for (const AckError& e : errors) {
    const std::string code =
        Join({ConditionCode(e.condition), E(ConditionText(e.condition)), kErrorCodeTable}, kAckDelimiters.component);
    AppendSegment(out, "ERR", {"", Location(e.location), code, SeverityText(e.severity), "", "", "", E(e.text)});
  }
}

// v2.3 and v2.4 allow one ERR; its ERR-1 (ELD) repeats
// <segment>^<sequence>^<field>^<code>&<text>&HL70357, the location components positional.
void AppendLegacyErrSegment(std::string& out, const std::vector<AckError>& errors) {
  if (errors.empty()) return;
  std::string elements;
  for (const AckError& e : errors) {
    if (!elements.empty()) elements += kAckDelimiters.repetition;
    const ErrorLocation& at = e.location;
    const std::string_view text = e.text.empty() ? ConditionText(e.condition) : std::string_view(e.text);
    const std::string code = Join({ConditionCode(e.condition), E(text), kErrorCodeTable}, kAckDelimiters.subcomponent);
    const bool located = !at.segment_id.empty();
    elements +=
        Join({E(at.segment_id), located ? Number(at.segment_sequence) : "", located ? Number(at.field) : "", code},
             kAckDelimiters.component);
  }
  AppendSegment(out, "ERR", {elements});
}

}  // namespace

std::string_view AckCodeText(AckCode code) {
  switch (code) {
    case AckCode::kAccept:
      return "AA";
    case AckCode::kError:
      return "AE";
    case AckCode::kReject:
      return "AR";
  }
  return "AR";
}

AckError AckErrorFrom(const Error& error) {
  return AckError{ConditionOf(error), LocationOf(error), error.message, Severity::kError};
}

std::string WriteAck(const AckRequest& request) {
  assert(!request.control_id.empty());
  const MessageHeader& in = request.inbound;
  const std::string_view version_text =
      IsSupportedVersion(in.version) ? std::string_view(in.version) : kFallbackAckVersion;
  const VersionId version = *ParseVersionId(version_text);

  const std::string type =
      Join({"ACK", E(in.type.trigger), version >= kMessageStructureSince ? "ACK" : ""}, kAckDelimiters.component);
  const std::string processing = Join(
      {E(in.processing_id.empty() ? kDefaultProcessingId : std::string_view(in.processing_id)), E(in.processing_mode)},
      kAckDelimiters.component);
  std::string out;
  AppendSegment(out, "MSH",
                {kAckDelimiters.EncodingCharacters(), Hd(request.application), Hd(request.facility),
                 Hd(in.sending_application), Hd(in.sending_facility), writing::DtmUtc(request.created_at), "", type,
                 E(request.control_id), processing, E(version_text)});
  AppendSegment(out, "MSA", {AckCodeText(request.code), E(in.control_id)});
  if (version >= kErrLocationSince) {
    AppendErrSegments(out, request.errors);
  } else {
    AppendLegacyErrSegment(out, request.errors);
  }
  return out;
}

}  // namespace caredesk::hl7v2
