#include "domain/relations/case_intake.h"

#include <array>
#include <utility>

namespace caredesk::relations {
namespace {

constexpr std::array<std::string_view, 4> kContactPreferenceNames = {"phone", "email", "letter", "none"};

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos; }

Status CheckLength(std::string_view field, std::string_view value, size_t max_bytes) {
  if (value.size() <= max_bytes) return Ok();
  return Error::Invalid(std::string(field),
                        std::string(field) + " is limited to " + std::to_string(max_bytes) + " bytes", "too_long");
}

Status CheckId(std::string_view field, const std::optional<int64_t>& id) {
  if (!id || *id > 0) return Ok();
  return Error::Invalid(std::string(field), std::string(field) + " must be a positive id", "invalid_id");
}

}  // namespace

std::string_view ContactPreferenceName(ContactPreference preference) {
  return kContactPreferenceNames[static_cast<size_t>(preference)];
}

Result<ContactPreference> ParseContactPreference(std::string_view name, std::string_view field) {
  for (size_t i = 0; i < kContactPreferenceNames.size(); ++i) {
    if (kContactPreferenceNames[i] == name) return static_cast<ContactPreference>(i);
  }
  return Error::Invalid(
      std::string(field),
      std::string(field) + " must be one of phone, email, letter, none (got '" + std::string(name) + "')",
      "unknown_contact_preference");
}

Status ValidateIntake(const CaseIntake& intake, const CaseCategories& categories) {
  if (intake.kind == CaseKind::kInquiry && !intake.inquiry_type) {
    return Error::Invalid("inquiry_type", "an inquiry needs its type: billing, scheduling, records or general",
                          "required");
  }
  if (intake.kind != CaseKind::kInquiry && intake.inquiry_type) {
    return Error::Invalid("inquiry_type", "inquiry_type applies to inquiries only", "not_applicable");
  }
  CD_RETURN_IF_ERROR(categories.Check(intake.category, "category"));
  if (IsBlank(intake.description)) {
    return Error::Invalid("description", "describe the concern in a few words", "required");
  }
  CD_RETURN_IF_ERROR(CheckLength("description", intake.description, kMaxDescriptionLength));
  CD_RETURN_IF_ERROR(CheckLength("desired_outcome", intake.desired_outcome, kMaxDesiredOutcomeLength));
  CD_RETURN_IF_ERROR(CheckId("patient_id", intake.patient_id));
  CD_RETURN_IF_ERROR(CheckId("encounter_id", intake.encounter_id));
  CD_RETURN_IF_ERROR(CheckId("department_id", intake.department_id));
  CD_RETURN_IF_ERROR(CheckId("staff_id", intake.staff_id));
  return Ok();
}

}  // namespace caredesk::relations
