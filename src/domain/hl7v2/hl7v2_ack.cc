#include "domain/hl7v2/hl7v2_ack.h"

#include <cassert>
#include <chrono>
#include <initializer_list>
#include <string>
#include <vector>

namespace caredesk::hl7v2 {
namespace {

const Delimiters kAckDelimiters;
constexpr std::string_view kErrorCodeTable = "HL70357";
// A salvaged header may lack MSH-11; an unmarked message is taken to be production traffic.
constexpr std::string_view kDefaultProcessingId = "P";
// The first versions with MSH-9.3 (message structure) and with ERR-2..ERR-8.
constexpr VersionId kMessageStructureSince{2, 3, 1};
constexpr VersionId kErrLocationSince{2, 5, 0};

std::string E(std::string_view text) { return Escape(text, kAckDelimiters); }

// `parts`, encoded already, joined by `sep`, trailing empty parts left out.
std::string Join(std::initializer_list<std::string_view> parts, char sep) {
  size_t kept = parts.size();
  while (kept > 0 && parts.begin()[kept - 1].empty()) --kept;
  std::string out;
  for (size_t i = 0; i < kept; ++i) {
    if (i > 0) out += sep;
    out += parts.begin()[i];
  }
  return out;
}

std::string Hd(const HierarchicDesignator& hd) {
  return Join({E(hd.namespace_id), E(hd.universal_id), E(hd.universal_id_type)}, kAckDelimiters.component);
}

// Appends a segment: `fields` (encoded already) after the segment id, trailing empty fields left
// out, then the CR that ends it.
void AppendSegment(std::string& out, std::string_view id, std::initializer_list<std::string_view> fields) {
  size_t kept = fields.size();
  while (kept > 0 && fields.begin()[kept - 1].empty()) --kept;
  out += id;
  for (size_t i = 0; i < kept; ++i) {
    out += kAckDelimiters.field;
    out += fields.begin()[i];
  }
  out += '\r';
}

void AppendPadded(std::string& out, long long value, size_t width) {
  const std::string digits = std::to_string(value);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

// HL7 DTM in UTC to the second: 20250310170000+0000.
std::string FormatDtm(TimePoint t) {
  using namespace std::chrono;
  const sys_days day = floor<days>(t);
  const year_month_day date(day);
  const hh_mm_ss time(floor<seconds>(t - day));
  std::string out;
  AppendPadded(out, static_cast<int>(date.year()), 4);
  AppendPadded(out, static_cast<unsigned>(date.month()), 2);
  AppendPadded(out, static_cast<unsigned>(date.day()), 2);
  AppendPadded(out, time.hours().count(), 2);
  AppendPadded(out, time.minutes().count(), 2);
  AppendPadded(out, time.seconds().count(), 2);
  out += "+0000";
  return out;
}

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
                 Hd(in.sending_application), Hd(in.sending_facility), FormatDtm(request.created_at), "", type,
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
