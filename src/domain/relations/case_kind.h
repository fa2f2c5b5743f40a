// The vocabulary of a patient-relations case: its kind (complaint, grievance
// or inquiry), the inquiry type, the channel it came through and its
// severity, with the names stored and spoken on the wire. Pure functions;
// thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::relations {

// A complaint becomes a grievance by the CMS rules (see triage.h); an inquiry
// is a question (billing, scheduling, records) with the same owner and
// deadline discipline.
enum class CaseKind { kComplaint, kGrievance, kInquiry };
enum class InquiryType { kBilling, kScheduling, kRecords, kGeneral };
enum class Channel { kPhone, kInPerson, kLetter, kEmail, kWebForm };
// Ordered: kLow < kMedium < kHigh < kCritical.
enum class Severity { kLow, kMedium, kHigh, kCritical };

// Wire names: "complaint", "grievance", "inquiry".
std::string_view CaseKindName(CaseKind kind);
// "billing", "scheduling", "records", "general".
std::string_view InquiryTypeName(InquiryType type);
// "phone", "in_person", "letter", "email", "web_form".
std::string_view ChannelName(Channel channel);
// "low", "medium", "high", "critical".
std::string_view SeverityName(Severity severity);

const std::vector<CaseKind>& AllCaseKinds();
const std::vector<InquiryType>& AllInquiryTypes();
const std::vector<Channel>& AllChannels();
const std::vector<Severity>& AllSeverities();

// Parse a wire name. An unknown name gives Error::Invalid on `field` with
// reason "unknown_kind", "unknown_inquiry_type", "unknown_channel" or
// "unknown_severity" and a message listing the accepted names.
Result<CaseKind> ParseCaseKind(std::string_view name, std::string_view field = "kind");
Result<InquiryType> ParseInquiryType(std::string_view name, std::string_view field = "inquiry_type");
Result<Channel> ParseChannel(std::string_view name, std::string_view field = "channel");
Result<Severity> ParseSeverity(std::string_view name, std::string_view field = "severity");

// True for the channels whose submissions are written: letter, email and the
// public web form. SOM A-0118 counts email and fax as "written", and a written
// complaint is always a grievance.
bool IsWrittenChannel(Channel channel);

}  // namespace caredesk::relations
