#include "domain/relations/case_kind.h"

#include <array>
#include <cstddef>
#include <string>

namespace caredesk::relations {
namespace {

constexpr std::array<std::string_view, 3> kKindNames = {"complaint", "grievance", "inquiry"};
constexpr std::array<std::string_view, 4> kInquiryTypeNames = {"billing", "scheduling", "records", "general"};
constexpr std::array<std::string_view, 5> kChannelNames = {"phone", "in_person", "letter", "email", "web_form"};
constexpr std::array<std::string_view, 4> kSeverityNames = {"low", "medium", "high", "critical"};

// Enumerators are declared in the order of their names' table.
template <class E, size_t N>
Result<E> ParseName(std::string_view name, const std::array<std::string_view, N>& names, std::string_view field,
                    std::string_view reason) {
  std::string accepted;
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
    if (i > 0) accepted += ", ";
    accepted += names[i];
  }
  return Error::Invalid(std::string(field),
                        std::string(field) + " must be one of " + accepted + " (got '" + std::string(name) + "')",
                        std::string(reason));
}

template <class E, size_t N>
std::vector<E> AllOf() {
  std::vector<E> out;
  for (size_t i = 0; i < N; ++i) out.push_back(static_cast<E>(i));
  return out;
}

}  // namespace

std::string_view CaseKindName(CaseKind kind) { return kKindNames[static_cast<size_t>(kind)]; }
std::string_view InquiryTypeName(InquiryType type) { return kInquiryTypeNames[static_cast<size_t>(type)]; }
std::string_view ChannelName(Channel channel) { return kChannelNames[static_cast<size_t>(channel)]; }
std::string_view SeverityName(Severity severity) { return kSeverityNames[static_cast<size_t>(severity)]; }

const std::vector<CaseKind>& AllCaseKinds() {
  static const std::vector<CaseKind> kAll = AllOf<CaseKind, kKindNames.size()>();
  return kAll;
}
const std::vector<InquiryType>& AllInquiryTypes() {
  static const std::vector<InquiryType> kAll = AllOf<InquiryType, kInquiryTypeNames.size()>();
  return kAll;
}
const std::vector<Channel>& AllChannels() {
  static const std::vector<Channel> kAll = AllOf<Channel, kChannelNames.size()>();
  return kAll;
}
const std::vector<Severity>& AllSeverities() {
  static const std::vector<Severity> kAll = AllOf<Severity, kSeverityNames.size()>();
  return kAll;
}

Result<CaseKind> ParseCaseKind(std::string_view name, std::string_view field) {
  return ParseName<CaseKind>(name, kKindNames, field, "unknown_kind");
}
Result<InquiryType> ParseInquiryType(std::string_view name, std::string_view field) {
  return ParseName<InquiryType>(name, kInquiryTypeNames, field, "unknown_inquiry_type");
}
Result<Channel> ParseChannel(std::string_view name, std::string_view field) {
  return ParseName<Channel>(name, kChannelNames, field, "unknown_channel");
}
Result<Severity> ParseSeverity(std::string_view name, std::string_view field) {
  return ParseName<Severity>(name, kSeverityNames, field, "unknown_severity");
}

bool IsWrittenChannel(Channel channel) {
  return channel == Channel::kLetter || channel == Channel::kEmail || channel == Channel::kWebForm;
}

}  // namespace caredesk::relations
