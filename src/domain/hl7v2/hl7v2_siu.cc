#include "domain/hl7v2/hl7v2_siu.h"

#include <array>
#include <cctype>
#include <cmath>
#include <utility>

#include "core/text.h"
#include "domain/hl7v2/hl7v2_reading.h"

namespace caredesk::hl7v2 {
namespace {

constexpr std::array<std::pair<SiuEvent, std::string_view>, 6> kEvents = {{
    {SiuEvent::kS12, "S12"},
    {SiuEvent::kS13, "S13"},
    {SiuEvent::kS14, "S14"},
    {SiuEvent::kS15, "S15"},
    {SiuEvent::kS17, "S17"},
    {SiuEvent::kS26, "S26"},
}};

using reading::Value;

// "AIS[2]-3" for the second AIS; "SCH-8" for a segment a message holds once.
std::string Where(std::string_view segment, size_t occurrence, size_t field, bool repeats) {
  std::string out(segment);
  if (repeats) out += "[" + std::to_string(occurrence + 1) + "]";
  return out + "-" + std::to_string(field);
}

std::optional<SiuAppointmentId> AppointmentId(const Segment& sch, size_t field, const MessageHeader& header) {
  std::string value = Value(sch, field, 0, 1);
  if (value.empty()) return std::nullopt;
  std::string system = Value(sch, field, 0, 2);
  if (system.empty()) system = Value(sch, field, 0, 3);
  if (system.empty()) {
    system = header.sending_facility.namespace_id.empty() ? header.sending_facility.universal_id
                                                          : header.sending_facility.namespace_id;
  }
  return SiuAppointmentId{std::move(system), std::move(value), "SCH-" + std::to_string(field)};
}

SiuCode Code(const Segment& seg, size_t field, std::string location) {
  return SiuCode{Value(seg, field, 0, 1), Value(seg, field, 0, 2), Value(seg, field, 0, 4), Value(seg, field, 0, 5),
                 std::move(location)};
}

// Minutes per unit of a duration unit (CNE/CE code or text, ISO+ or UCUM or plain words); 0 when unknown.
double MinutesPerUnit(std::string_view unit) {
  std::string u = AsciiLower(TrimSpace(unit));
  if (u.empty() || u == "min" || u == "mins" || u == "minute" || u == "minutes" || u == "m" || u == "mn") return 1;
  if (u == "s" || u == "sec" || u == "secs" || u == "second" || u == "seconds") return 1.0 / 60;
  if (u == "h" || u == "hr" || u == "hrs" || u == "hour" || u == "hours") return 60;
  if (u == "d" || u == "day" || u == "days") return 1440;
  return 0;
}

// A duration `amount` in `unit` (code, else text) as whole minutes, or a warning.
std::optional<int> Minutes(std::string_view amount, std::string_view unit_code, std::string_view unit_text,
                           std::string_view location, std::vector<std::string>& warnings) {
  char* end = nullptr;
  std::string text(amount);
  double n = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0' || !(n > 0) || n > 1e6) {
    warnings.push_back(std::string(location) + ": duration '" + text + "' is not a positive number; left out");
    return std::nullopt;
  }
  double per = MinutesPerUnit(unit_code);
  if (per == 0 && !unit_text.empty()) per = MinutesPerUnit(unit_text);
  if (per == 0) {
    warnings.push_back(std::string(location) + ": duration unit '" +
                       std::string(unit_code.empty() ? unit_text : unit_code) + "' is not one CareDesk reads; left out");
    return std::nullopt;
  }
  return static_cast<int>(std::ceil(n * per - 1e-9));
}

// One candidate source of the start: a DTM at (segment, field, component) and, optionally, its end.
struct TimeSource {
  std::string_view segment;
  size_t field;
  size_t comp;
  size_t end_field;  // 0: no end in this source
  size_t end_comp;
};

// The start and (when the same source carries an end) the duration.
Status ReadTiming(const Message& message, SiuMessage& out) {
  auto version = ParseVersionId(message.header().version);
  bool tq1_first = version && *version >= VersionId{2, 6, 0};
  const TimeSource sch11{"SCH", 11, 4, 11, 5};
  const TimeSource tq1{"TQ1", 7, 1, 8, 1};
  std::vector<TimeSource> sources;
  if (tq1_first) {
    sources = {tq1, sch11};
  } else {
    sources = {sch11, tq1};
  }
  sources.push_back({"AIS", 4, 1, 0, 0});
  sources.push_back({"AIL", 6, 1, 0, 0});
  sources.push_back({"AIP", 6, 1, 0, 0});
  for (const TimeSource& src : sources) {
    auto seg = message.Find(src.segment);
    if (!seg) continue;
    std::string text = Value(*seg, src.field, 0, src.comp);
    if (text.empty()) continue;
    std::string location = std::string(src.segment) + "-" + std::to_string(src.field);
    CD_ASSIGN_OR_RETURN(TimePoint start, ParseHl7Instant(text, location));
    out.start = start;
    out.start_location = location;
    if (src.end_field != 0) {
      std::string end_text = Value(*seg, src.end_field, 0, src.end_comp);
      std::string end_location = std::string(src.segment) + "-" + std::to_string(src.end_field);
      if (!end_text.empty()) {
        auto end = ParseHl7Instant(end_text, end_location);
        if (!end.ok()) {
          out.warnings.push_back(end.error().message + "; the end is left out");
        } else if (*end <= start) {
          out.warnings.push_back(end_location + ": the end is not after the start; left out");
        } else {
          auto ms = ToMillis(*end) - ToMillis(start);
          out.duration_minutes = static_cast<int>((ms + 59'999) / 60'000);
          out.duration_location = end_location;
        }
      }
    }
    break;
  }
  if (out.duration_minutes) return Ok();
  if (auto ais = message.Find("AIS"); ais && !Value(*ais, 7).empty()) {
    out.duration_minutes = Minutes(Value(*ais, 7), Value(*ais, 8, 0, 1), Value(*ais, 8, 0, 2), "AIS-7", out.warnings);
    if (out.duration_minutes) out.duration_location = "AIS-7";
    return Ok();
  }
  if (auto sch = message.Find("SCH"); sch && !Value(*sch, 9).empty()) {
    out.duration_minutes = Minutes(Value(*sch, 9), Value(*sch, 10, 0, 1), Value(*sch, 10, 0, 2), "SCH-9", out.warnings);
    if (out.duration_minutes) out.duration_location = "SCH-9";
  }
  return Ok();
}

// The NTE segments right after SCH (and its TQ1s): the appointment's own notes.
std::vector<std::string> AppointmentNotes(const Message& message) {
  std::vector<std::string> notes;
  bool after_sch = false;
  for (size_t i = 0; i < message.segment_count(); ++i) {
    Segment seg = message.segment(i);
    if (seg.id() == "SCH") {
      after_sch = true;
      continue;
    }
    if (!after_sch) continue;
    if (seg.id() == "TQ1" || seg.id() == "TQ2") continue;
    if (seg.id() != "NTE") break;
    for (size_t rep = 0; rep < seg.RepetitionCount(3); ++rep) {
      std::string text = Value(seg, 3, rep);
      if (!text.empty()) notes.push_back(std::move(text));
    }
  }
  return notes;
}

void ReadResources(const Message& message, SiuMessage& out) {
  auto ais = message.Segments("AIS");
  for (size_t i = 0; i < ais.size(); ++i) {
    SiuCode code = Code(ais[i], 3, Where("AIS", i, 3, ais.size() > 1));
    if (!code.empty()) out.services.push_back(std::move(code));
  }
  auto aip = message.Segments("AIP");
  for (size_t i = 0; i < aip.size(); ++i) {
    SiuPersonnel p{Value(aip[i], 3, 0, 1), Value(aip[i], 3, 0, 2, 1), Value(aip[i], 3, 0, 3),
                   Value(aip[i], 3, 0, 4), Value(aip[i], 4, 0, 2), Where("AIP", i, 3, aip.size() > 1)};
    if (p.role.empty()) p.role = Value(aip[i], 4, 0, 1);
    if (p.id.empty() && p.family_name.empty() && p.given_name.empty()) continue;
    out.personnel.push_back(std::move(p));
  }
  auto ail = message.Segments("AIL");
  for (size_t i = 0; i < ail.size(); ++i) {
    SiuPlace p;
    p.point_of_care = Value(ail[i], 3, 0, 1, 1);
    p.room = Value(ail[i], 3, 0, 2);
    p.bed = Value(ail[i], 3, 0, 3);
    p.facility = Value(ail[i], 3, 0, 4, 1);
    if (p.facility.empty()) p.facility = Value(ail[i], 3, 0, 4, 2);
    p.name = Value(ail[i], 3, 0, 9);
    if (p.name.empty()) p.name = Value(ail[i], 3, 0, 1, 2);
    p.location = Where("AIL", i, 3, ail.size() > 1);
    if (p.point_of_care.empty() && p.room.empty() && p.facility.empty() && p.name.empty()) continue;
    out.places.push_back(std::move(p));
  }
  auto aig = message.Segments("AIG");
  for (size_t i = 0; i < aig.size(); ++i) {
    SiuResource r{Value(aig[i], 3, 0, 1), Value(aig[i], 3, 0, 2), Where("AIG", i, 3, aig.size() > 1)};
    if (r.id.empty() && r.name.empty()) continue;
    out.resources.push_back(std::move(r));
  }
}

}  // namespace

std::string_view SiuEventCode(SiuEvent event) {
  for (const auto& [e, code] : kEvents) {
    if (e == event) return code;
  }
  return "";
}

std::optional<SiuEvent> ParseSiuEvent(std::string_view trigger) {
  for (const auto& [e, code] : kEvents) {
    if (code == trigger) return e;
  }
  return std::nullopt;
}

ErrorCondition SiuConditionOf(const Error& error) {
  if (error.reason == siu_reason::kNotSiu) return ErrorCondition::kUnsupportedMessageType;
  return AdtConditionOf(error);
}

Result<SiuMessage> ReadSiu(const Message& message) {
  const MessageHeader& header = message.header();
  if (header.type.code != "SIU") {
    return Error::Invalid("MSH-9", "MSH-9: not an SIU message: " + header.type.code, std::string(siu_reason::kNotSiu));
  }
  auto event = ParseSiuEvent(header.type.trigger);
  if (!event) {
    return Error::Invalid("MSH-9",
                          "MSH-9: SIU event " + (header.type.trigger.empty() ? std::string("(none)") : header.type.trigger) +
                              " is not one CareDesk reads (S12, S13, S14, S15, S17, S26)",
                          std::string(adt_reason::kUnsupportedEvent));
  }
  SiuMessage out;
  out.event = *event;
  auto sch = message.Find("SCH");
  if (!sch) {
    return Error::Invalid("SCH", "SCH: the message has no SCH segment", std::string(adt_reason::kRequiredFieldMissing));
  }
  out.placer_id = AppointmentId(*sch, 1, header);
  out.filler_id = AppointmentId(*sch, 2, header);
  out.event_reason = Value(*sch, 6, 0, 2);
  if (out.event_reason.empty()) out.event_reason = Value(*sch, 6, 0, 1);
  out.reason = Code(*sch, 7, "SCH-7");
  out.appointment_type = Code(*sch, 8, "SCH-8");
  out.filler_status = Value(*sch, 25, 0, 1);
  CD_RETURN_IF_ERROR(ReadTiming(message, out));
  out.notes = AppointmentNotes(message);
  if (auto pid = message.Find("PID")) {
    CD_ASSIGN_OR_RETURN(AdtPatient patient, ReadPid(*pid, header));
    out.patient = std::move(patient);
  }
  ReadResources(message, out);
  return out;
}

}  // namespace caredesk::hl7v2
