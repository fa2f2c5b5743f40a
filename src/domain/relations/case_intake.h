// What is recorded when a complaint, grievance or inquiry is taken, by staff
// or through the public web form, and its validation. Value type; the
// function is pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/relations/case_categories.h"
#include "domain/relations/case_kind.h"

namespace caredesk::relations {

enum class ContactPreference { kPhone, kEmail, kLetter, kNone };
// "phone", "email", "letter", "none".
std::string_view ContactPreferenceName(ContactPreference preference);
// Unknown name: Error::Invalid on `field`, reason "unknown_contact_preference".
Result<ContactPreference> ParseContactPreference(std::string_view name, std::string_view field = "contact_preference");

inline constexpr size_t kMaxDescriptionLength = 10'000;
inline constexpr size_t kMaxDesiredOutcomeLength = 2'000;

struct CaseIntake {
  CaseKind kind = CaseKind::kComplaint;
  std::optional<InquiryType> inquiry_type;  // for inquiries, and only for them
  Channel channel = Channel::kPhone;
  std::string category;
  Severity severity = Severity::kMedium;
  std::string description;
  std::string desired_outcome;  // optional
  // Optional links to records elsewhere in CareDesk.
  std::optional<int64_t> patient_id;
  std::optional<int64_t> encounter_id;
  std::optional<int64_t> department_id;
  std::optional<int64_t> staff_id;
  ContactPreference contact_preference = ContactPreference::kNone;
};

// Ok() or the first problem as Error::Invalid naming the field:
// "inquiry_type" (reason "required" for an inquiry, "not_applicable"
// otherwise), "category" (as CaseCategories::Check), "description"
// ("required", "too_long"), "desired_outcome" ("too_long"), "patient_id",
// "encounter_id", "department_id", "staff_id" ("invalid_id": not positive).
Status ValidateIntake(const CaseIntake& intake, const CaseCategories& categories);

}  // namespace caredesk::relations
