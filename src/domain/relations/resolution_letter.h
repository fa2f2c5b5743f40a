// The written decision on a grievance (42 CFR 482.13(a)(2)(iii); SOM A-0123):
// the content it must carry, its validation, the default template and its
// rendering to plain-text paragraphs. Pure functions over value types;
// thread-safe.
//
// The rule requires the name of the hospital contact person, the steps taken
// on the patient's behalf to investigate the grievance, the results of the
// grievance process and the date of its completion. CareDesk also requires a
// title and telephone number for the contact person and the addressee,
// sender and dates the letter itself needs.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/civil_time.h"
#include "core/status.h"
#include "domain/relations/letter_template.h"

namespace caredesk::relations {

struct ResolutionLetter {
  // Required.
  std::string patient_name;
  std::string organization_name;
  std::string contact_name;
  std::string contact_title;
  std::string contact_phone;
  std::string investigation_steps;
  std::string results;
  std::optional<CivilDate> received_date;
  std::optional<CivilDate> completion_date;
  std::optional<CivilDate> letter_date;
  // Optional: rendered empty when absent.
  std::string reference_number;
  // Where else the patient may turn (State survey agency, QIO), when offered.
  std::string further_recourse;
};

inline constexpr size_t kMaxLetterLineField = 200;     // names, titles, phone
inline constexpr size_t kMaxLetterTextField = 20'000;  // steps, results, recourse

// Every placeholder a resolution-letter template may use: the field names of
// ResolutionLetter.
inline constexpr std::array<std::string_view, 12> kResolutionLetterPlaceholders = {
    "patient_name", "organization_name", "contact_name",    "contact_title", "contact_phone",    "investigation_steps",
    "results",      "received_date",     "completion_date", "letter_date",   "reference_number", "further_recourse"};

// The elements 42 CFR 482.13(a)(2)(iii) requires; a template must use each.
inline constexpr std::array<std::string_view, 6> kRequiredResolutionPlaceholders = {
    "contact_name", "contact_title", "contact_phone", "investigation_steps", "results", "completion_date"};

// Ok() or the first problem as Error::Invalid on the field's name: reason
// "required" (missing or blank), "too_long", "invalid_phone" (7 to 15 digits
// with spaces, + - ( ) . and an optional extension "x123" or "ext 123"),
// "invalid_date", or for completion_date "before_received" or
// "after_letter_date".
Status ValidateResolutionLetter(const ResolutionLetter& letter);

// "March 10, 2026".
std::string FormatLetterDate(const CivilDate& date);

// The placeholder values of a letter (dates as FormatLetterDate, absent
// optional fields empty). Call on a letter that validates.
TemplateValues ResolutionLetterValues(const ResolutionLetter& letter);

// The template CareDesk ships; a manager edits a copy.
std::string_view DefaultResolutionLetterTemplate();

// LetterTemplate::Parse over kResolutionLetterPlaceholders, then a check that
// each required element appears: otherwise Error::Invalid on field
// "template", reason "missing_required_placeholder", naming it.
Result<LetterTemplate> ParseResolutionLetterTemplate(std::string_view text);

// Validates the letter, then renders it with `tmpl`.
Result<RenderedText> RenderResolutionLetter(const LetterTemplate& tmpl, const ResolutionLetter& letter);

}  // namespace caredesk::relations
