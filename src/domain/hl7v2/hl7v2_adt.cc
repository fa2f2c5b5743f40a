#include "domain/hl7v2/hl7v2_adt.h"

#include <array>
#include <cctype>
#include <utility>

#include "domain/hl7v2/hl7v2_reading.h"

namespace caredesk::hl7v2 {
namespace {

constexpr std::array<std::pair<AdtEvent, std::string_view>, 7> kEvents = {{
    {AdtEvent::kA01, "A01"},
    {AdtEvent::kA03, "A03"},
    {AdtEvent::kA04, "A04"},
    {AdtEvent::kA08, "A08"},
    {AdtEvent::kA11, "A11"},
    {AdtEvent::kA13, "A13"},
    {AdtEvent::kA40, "A40"},
}};

using reading::Value;

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int Digits(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

Error BadValue(std::string_view location, std::string_view text, std::string_view expected) {
  return Error::Invalid(std::string(location),
                        std::string(location) + " must be " + std::string(expected) + ", not '" + std::string(text) +
                            "'",
                        std::string(adt_reason::kInvalidValue));
}

// The rest of a DTM after its digits: [.fraction][+/-ZZZZ]. Sets the offset in minutes.
bool ReadTail(std::string_view tail, int& offset_minutes) {
  offset_minutes = 0;
  if (!tail.empty() && tail.front() == '.') {
    size_t end = 1;
    while (end < tail.size() && std::isdigit(static_cast<unsigned char>(tail[end])) != 0) ++end;
    if (end == 1 || end > 5) return false;
    tail.remove_prefix(end);
  }
  if (tail.empty()) return true;
  if ((tail.front() != '+' && tail.front() != '-') || tail.size() != 5 || !AllDigits(tail.substr(1))) return false;
  int hh = Digits(tail.substr(1, 2));
  int mm = Digits(tail.substr(3, 2));
  if (hh > 14 || mm > 59) return false;
  offset_minutes = (hh * 60 + mm) * (tail.front() == '-' ? -1 : 1);
  return true;
}

// The leading run of digits of a DTM and what follows it.
std::pair<std::string_view, std::string_view> SplitDigits(std::string_view text) {
  size_t n = 0;
  while (n < text.size() && std::isdigit(static_cast<unsigned char>(text[n])) != 0) ++n;
  return {text.substr(0, n), text.substr(n)};
}

std::optional<CivilDate> RealDate(int y, int m, int d) {
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  CivilDate date{y, m, d};
  if (CivilDate::FromDaysSinceEpoch(date.DaysSinceEpoch()) != date) return std::nullopt;
  return date;
}

// The system (assigning authority) of repetition `rep` of CX field `field`.
std::string IdentifierSystem(const Segment& seg, size_t field, size_t rep, const MessageHeader& header) {
  for (size_t comp : {size_t{4}, size_t{6}}) {
    std::string ns = Value(seg, field, rep, comp, 1);
    if (!ns.empty()) return ns;
    std::string universal = Value(seg, field, rep, comp, 2);
    if (!universal.empty()) return universal;
  }
  if (!header.sending_facility.namespace_id.empty()) return header.sending_facility.namespace_id;
  return header.sending_facility.universal_id;
}

std::vector<AdtIdentifier> Identifiers(const Segment& seg, size_t field, const MessageHeader& header) {
  std::vector<AdtIdentifier> out;
  for (size_t rep = 0; rep < seg.RepetitionCount(field); ++rep) {
    std::string value = Value(seg, field, rep, 1);
    if (value.empty()) continue;
    out.push_back(AdtIdentifier{IdentifierSystem(seg, field, rep, header), std::move(value),
                                Value(seg, field, rep, 5)});
  }
  return out;
}

// The legal name (XPN-7 "L") when it has a family and a given name, else the first with a family name.
void ReadName(const Segment& pid, AdtPatient& p) {
  std::optional<size_t> chosen;
  for (size_t rep = 0; rep < pid.RepetitionCount(5); ++rep) {
    if (Value(pid, 5, rep, 7) == "L" && !Value(pid, 5, rep, 1, 1).empty() && !Value(pid, 5, rep, 2).empty()) {
      chosen = rep;
      break;
    }
  }
  for (size_t rep = 0; !chosen && rep < pid.RepetitionCount(5); ++rep) {
    if (!Value(pid, 5, rep, 1, 1).empty()) chosen = rep;
  }
  size_t rep = chosen.value_or(0);
  p.family_name = Value(pid, 5, rep, 1, 1);
  p.given_name = Value(pid, 5, rep, 2);
  p.middle_name = Value(pid, 5, rep, 3);
}

// XAD-1 (SAD): street or mailing address, street name, dwelling number, the parts sent joined by spaces.
std::string StreetLine(const Segment& pid) {
  std::string out;
  for (size_t sub = 1; sub <= 3; ++sub) {
    std::string part = Value(pid, 11, 0, 1, sub);
    if (part.empty()) continue;
    if (!out.empty()) out += ' ';
    out += part;
  }
  return out;
}

void ReadTelecoms(const Segment& pid, AdtPatient& p) {
  for (size_t rep = 0; rep < pid.RepetitionCount(13); ++rep) {
    std::string use = Value(pid, 13, rep, 2);
    std::string equipment = Value(pid, 13, rep, 3);
    if (equipment == "Internet" || equipment == "X.400" || use == "NET") {
      if (p.email.empty()) p.email = Value(pid, 13, rep, 4);
      continue;
    }
    if (!p.phone.empty() || equipment == "FX" || equipment == "BP") continue;
    std::string number = Value(pid, 13, rep, 1);
    if (number.empty()) number = Value(pid, 13, rep, 5) + Value(pid, 13, rep, 6) + Value(pid, 13, rep, 7);
    p.phone = std::move(number);
  }
}

std::string JoinParts(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += " / ";
    out += part;
  }
  return out;
}

Result<std::optional<TimePoint>> OptionalInstant(const Segment& seg, size_t field, std::string_view location) {
  std::string text = Value(seg, field, 0, 1);
  if (text.empty()) return std::optional<TimePoint>();
  CD_ASSIGN_OR_RETURN(TimePoint t, ParseHl7Instant(text, location));
  return std::optional<TimePoint>(t);
}

Result<AdtVisit> ReadVisit(const Segment& pv1) {
  AdtVisit v;
  v.patient_class = Value(pv1, 2);
  v.location = JoinParts({Value(pv1, 3, 0, 1), Value(pv1, 3, 0, 2), Value(pv1, 3, 0, 3), Value(pv1, 3, 0, 4)});
  v.attending_id = Value(pv1, 7, 0, 1);
  std::string given = Value(pv1, 7, 0, 3);
  std::string family = Value(pv1, 7, 0, 2, 1);
  v.attending_name = given.empty() ? family : family.empty() ? given : given + " " + family;
  v.visit_number = Value(pv1, 19, 0, 1);
  CD_ASSIGN_OR_RETURN(v.admit_at, OptionalInstant(pv1, 44, "PV1-44"));
  CD_ASSIGN_OR_RETURN(v.discharge_at, OptionalInstant(pv1, 45, "PV1-45"));
  return v;
}

}  // namespace

std::string_view AdtEventCode(AdtEvent event) {
  for (const auto& [e, code] : kEvents) {
    if (e == event) return code;
  }
  return "";
}

std::optional<AdtEvent> ParseAdtEvent(std::string_view trigger) {
  for (const auto& [e, code] : kEvents) {
    if (code == trigger) return e;
  }
  return std::nullopt;
}

ErrorCondition AdtConditionOf(const Error& error) {
  if (error.reason == adt_reason::kNotAdt) return ErrorCondition::kUnsupportedMessageType;
  if (error.reason == adt_reason::kUnsupportedEvent) return ErrorCondition::kUnsupportedEventCode;
  if (error.reason == adt_reason::kRequiredFieldMissing) return ErrorCondition::kRequiredFieldMissing;
  if (error.reason == adt_reason::kInvalidValue) return ErrorCondition::kDataTypeError;
  if (error.reason == adt_reason::kUnknownCode) return ErrorCondition::kTableValueNotFound;
  return ConditionOf(error);
}

std::optional<std::string> SexFromHl7(std::string_view code) {
  if (code.size() != 1) return std::nullopt;
  switch (std::toupper(static_cast<unsigned char>(code[0]))) {
    case 'F':
      return "female";
    case 'M':
      return "male";
    case 'O':
    case 'A':
    case 'N':
    case 'X':
      return "other";
    case 'U':
      return "unknown";
    default:
      return std::nullopt;
  }
}

Result<CivilDate> ParseHl7Date(std::string_view text, std::string_view location) {
  constexpr std::string_view kExpected = "an HL7 date YYYYMMDD (a time and offset may follow)";
  auto [digits, tail] = SplitDigits(text);
  int offset = 0;
  if (digits.size() < 8 || digits.size() > 14 || digits.size() % 2 != 0 || !ReadTail(tail, offset)) {
    return BadValue(location, text, kExpected);
  }
  auto date = RealDate(Digits(digits.substr(0, 4)), Digits(digits.substr(4, 2)), Digits(digits.substr(6, 2)));
  if (!date) return BadValue(location, text, "a real calendar date (YYYYMMDD)");
  return *date;
}

Result<TimePoint> ParseHl7Instant(std::string_view text, std::string_view location) {
  constexpr std::string_view kExpected = "an HL7 date and time YYYYMMDDHHMM[SS][+/-ZZZZ]";
  auto [digits, tail] = SplitDigits(text);
  int offset = 0;
  if ((digits.size() != 12 && digits.size() != 14) || !ReadTail(tail, offset)) {
    return BadValue(location, text, kExpected);
  }
  auto date = RealDate(Digits(digits.substr(0, 4)), Digits(digits.substr(4, 2)), Digits(digits.substr(6, 2)));
  int hour = Digits(digits.substr(8, 2));
  int minute = Digits(digits.substr(10, 2));
  int second = digits.size() == 14 ? Digits(digits.substr(12, 2)) : 0;
  if (!date || hour > 23 || minute > 59 || second > 59) return BadValue(location, text, kExpected);
  int64_t seconds = date->DaysSinceEpoch() * 86400 + hour * 3600 + minute * 60 + second - int64_t{offset} * 60;
  return FromMillis(seconds * 1000);
}

Result<AdtPatient> ReadPid(const Segment& pid, const MessageHeader& header) {
  AdtPatient p;
  p.identifiers = Identifiers(pid, 3, header);
  ReadName(pid, p);
  if (std::string birth = Value(pid, 7, 0, 1); !birth.empty()) {
    CD_ASSIGN_OR_RETURN(CivilDate d, ParseHl7Date(birth, "PID-7"));
    p.birth_date = d;
  }
  if (std::string sex = Value(pid, 8); !sex.empty()) {
    auto mapped = SexFromHl7(sex);
    if (!mapped) {
      return Error::Invalid("PID-8", "PID-8 (administrative sex) '" + sex + "' is not in HL7 table 0001 (F, M, O, U, A, N)",
                            std::string(adt_reason::kUnknownCode));
    }
    p.sex = *mapped;
  }
  p.address = AdtAddress{StreetLine(pid), Value(pid, 11, 0, 2), Value(pid, 11, 0, 3),
                         Value(pid, 11, 0, 4), Value(pid, 11, 0, 5), Value(pid, 11, 0, 6)};
  ReadTelecoms(pid, p);
  p.language = Value(pid, 15, 0, 1);
  return p;
}

Result<AdtMessage> ReadAdt(const Message& message) {
  const MessageHeader& header = message.header();
  if (header.type.code != "ADT") {
    return Error::Invalid("MSH-9", "not an ADT message: " + header.type.code, std::string(adt_reason::kNotAdt));
  }
  std::string trigger = header.type.trigger;
  if (trigger.empty()) trigger = message.Get("EVN", 1);
  auto event = ParseAdtEvent(trigger);
  if (!event) {
    return Error::Invalid("MSH-9", "ADT event " + (trigger.empty() ? std::string("(none)") : trigger) +
                                       " is not one CareDesk reads (A01, A03, A04, A08, A11, A13, A40)",
                          std::string(adt_reason::kUnsupportedEvent));
  }
  AdtMessage out;
  out.event = *event;
  auto pid = message.Find("PID");
  if (!pid) {
    return Error::Invalid("PID", "the message has no PID segment", std::string(adt_reason::kRequiredFieldMissing));
  }
  CD_ASSIGN_OR_RETURN(out.patient, ReadPid(*pid, header));
  if (out.patient.identifiers.empty()) {
    return Error::Invalid("PID-3", "PID-3 (patient identifier list) holds no identifier",
                          std::string(adt_reason::kRequiredFieldMissing));
  }
  if (auto pv1 = message.Find("PV1")) {
    CD_ASSIGN_OR_RETURN(AdtVisit visit, ReadVisit(*pv1));
    out.visit = std::move(visit);
  }
  if (auto mrg = message.Find("MRG")) out.prior_identifiers = Identifiers(*mrg, 1, header);
  const std::vector<Segment> pids = message.Segments("PID");
  if (out.event != AdtEvent::kA40) {
    if (pids.size() > 1) out.warnings.push_back("PID[2]: only the first patient of the message is read");
    return out;
  }
  // A40: patient groups of PID [PD1] MRG [PV1], each PID paired with the MRG after it.
  const std::vector<Segment> mrgs = message.Segments("MRG");
  if (mrgs.size() != pids.size()) {
    return Error::Invalid("MRG", "an A40 merge needs one MRG segment after each PID (" + std::to_string(pids.size()) +
                                     " PID, " + std::to_string(mrgs.size()) + " MRG)",
                          std::string(adt_reason::kRequiredFieldMissing));
  }
  for (size_t i = 0; i < pids.size(); ++i) {
    AdtMerge merge;
    CD_ASSIGN_OR_RETURN(merge.survivor, ReadPid(pids[i], header));
    if (merge.survivor.identifiers.empty()) {
      return Error::Invalid("PID-3", "PID-3 of patient group " + std::to_string(i + 1) + " holds no identifier",
                            std::string(adt_reason::kRequiredFieldMissing));
    }
    merge.prior_identifiers = Identifiers(mrgs[i], 1, header);
    if (merge.prior_identifiers.empty()) {
      return Error::Invalid("MRG-1", "an A40 merge needs the prior identifiers in MRG-1 (patient group " +
                                         std::to_string(i + 1) + ")",
                            std::string(adt_reason::kRequiredFieldMissing));
    }
    out.merges.push_back(std::move(merge));
  }
  return out;
}

}  // namespace caredesk::hl7v2
