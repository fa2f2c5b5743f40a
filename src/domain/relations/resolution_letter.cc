#include "domain/relations/resolution_letter.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/text.h"

namespace caredesk::relations {
namespace {

constexpr size_t kMinPhoneDigits = 7;
constexpr size_t kMaxPhoneDigits = 15;
constexpr size_t kMaxExtensionDigits = 6;

constexpr std::string_view kDefaultTemplate =
    R"({{letter_date}}

{{patient_name}}

Re: your grievance {{reference_number}}

Dear {{patient_name}},

Thank you for telling {{organization_name}} about your concern, which we received on {{received_date}}. We have completed our review, and this letter is our written decision.

What we did to investigate:

{{investigation_steps}}

What we found and what we have done:

{{results}}

Our grievance process was completed on {{completion_date}}.

If you have questions about this decision, please contact {{contact_name}}, {{contact_title}}, at {{contact_phone}}.

{{further_recourse}}

Sincerely,
{{contact_name}}
{{contact_title}}
{{organization_name}}
)";

Status RequireText(std::string_view field, std::string_view value, size_t max_bytes) {
  if (TrimSpace(value).empty()) {
    return Error::Invalid(std::string(field), std::string(field) + " is required in a resolution letter", "required");
  }
  if (value.size() > max_bytes) {
    return Error::Invalid(std::string(field),
                          std::string(field) + " is limited to " + std::to_string(max_bytes) + " bytes", "too_long");
  }
  return Ok();
}

bool IsRealDate(const CivilDate& d) {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return false;
  return CivilDate::FromDaysSinceEpoch(d.DaysSinceEpoch()) == d;
}

Status RequireDate(std::string_view field, const std::optional<CivilDate>& date) {
  if (!date) {
    return Error::Invalid(std::string(field), std::string(field) + " is required in a resolution letter", "required");
  }
  if (!IsRealDate(*date)) {
    return Error::Invalid(std::string(field), date->ToString() + " is not a real calendar date", "invalid_date");
  }
  return Ok();
}

// A number of 7..15 digits written with spaces, + - ( ) . and an optional
// extension "x123", "ext 123" or "ext. 123".
bool IsPhone(std::string_view phone) {
  std::string lower;
  for (char c : TrimSpace(phone)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view main = lower;
  std::string_view ext;
  size_t x = main.find_first_of("ex");
  if (x != std::string_view::npos) {
    ext = main.substr(x);
    main = main.substr(0, x);
    if (ext.starts_with("ext")) {
      ext.remove_prefix(3);
    } else if (ext.starts_with("x")) {
      ext.remove_prefix(1);
    } else {
      return false;
    }
    if (ext.starts_with(".")) ext.remove_prefix(1);
    ext = TrimSpace(ext);
    if (ext.empty() || ext.size() > kMaxExtensionDigits ||
        !std::all_of(ext.begin(), ext.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
  }
  size_t digits = 0;
  for (char c : main) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (std::string_view(" +-().").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return digits >= kMinPhoneDigits && digits <= kMaxPhoneDigits;
}

}  // namespace

Status ValidateResolutionLetter(const ResolutionLetter& l) {
  CD_RETURN_IF_ERROR(RequireText("patient_name", l.patient_name, kMaxLetterLineField));
  CD_RETURN_IF_ERROR(RequireText("organization_name", l.organization_name, kMaxLetterLineField));
  CD_RETURN_IF_ERROR(RequireText("contact_name", l.contact_name, kMaxLetterLineField));
  CD_RETURN_IF_ERROR(RequireText("contact_title", l.contact_title, kMaxLetterLineField));
  CD_RETURN_IF_ERROR(RequireText("contact_phone", l.contact_phone, kMaxLetterLineField));
  if (!IsPhone(l.contact_phone)) {
    return Error::Invalid("contact_phone",
                          "contact_phone must be a telephone number of 7 to 15 digits, such as (555) 010-4477 x12",
                          "invalid_phone");
  }
  CD_RETURN_IF_ERROR(RequireText("investigation_steps", l.investigation_steps, kMaxLetterTextField));
  CD_RETURN_IF_ERROR(RequireText("results", l.results, kMaxLetterTextField));
  CD_RETURN_IF_ERROR(RequireDate("received_date", l.received_date));
  CD_RETURN_IF_ERROR(RequireDate("completion_date", l.completion_date));
  CD_RETURN_IF_ERROR(RequireDate("letter_date", l.letter_date));
  if (*l.completion_date < *l.received_date) {
    return Error::Invalid("completion_date", "completion_date is earlier than received_date", "before_received");
  }
  if (*l.completion_date > *l.letter_date) {
    return Error::Invalid("completion_date", "completion_date is later than letter_date", "after_letter_date");
  }
  if (l.reference_number.size() > kMaxLetterLineField) {
    return Error::Invalid("reference_number", "reference_number is too long", "too_long");
  }
  if (l.further_recourse.size() > kMaxLetterTextField) {
    return Error::Invalid("further_recourse",
                          "further_recourse is limited to " + std::to_string(kMaxLetterTextField) + " bytes",
                          "too_long");
  }
  return Ok();
}

std::string FormatLetterDate(const CivilDate& date) {
  static constexpr std::array<std::string_view, 12> kMonths = {"January",   "February", "March",    "April",
                                                               "May",       "June",     "July",     "August",
                                                               "September", "October",  "November", "December"};
  const size_t month = static_cast<size_t>(std::clamp(date.month, 1, 12) - 1);
  return std::string(kMonths[month]) + " " + std::to_string(date.day) + ", " + std::to_string(date.year);
}

TemplateValues ResolutionLetterValues(const ResolutionLetter& l) {
  auto date = [](const std::optional<CivilDate>& d) { return d ? FormatLetterDate(*d) : std::string(); };
  auto text = [](std::string_view s) { return std::string(TrimSpace(s)); };
  return TemplateValues{
      {"patient_name", text(l.patient_name)},
      {"organization_name", text(l.organization_name)},
      {"contact_name", text(l.contact_name)},
      {"contact_title", text(l.contact_title)},
      {"contact_phone", text(l.contact_phone)},
      {"investigation_steps", text(l.investigation_steps)},
      {"results", text(l.results)},
      {"received_date", date(l.received_date)},
      {"completion_date", date(l.completion_date)},
      {"letter_date", date(l.letter_date)},
      {"reference_number", text(l.reference_number)},
      {"further_recourse", text(l.further_recourse)},
  };
}

std::string_view DefaultResolutionLetterTemplate() { return kDefaultTemplate; }

Result<LetterTemplate> ParseResolutionLetterTemplate(std::string_view text) {
  CD_ASSIGN_OR_RETURN(LetterTemplate tmpl, LetterTemplate::Parse(text, kResolutionLetterPlaceholders));
  for (std::string_view required : kRequiredResolutionPlaceholders) {
    if (!tmpl.Uses(required)) {
      return Error::Invalid("template",
                            "the resolution letter must include {{" + std::string(required) +
                                "}}: 42 CFR 482.13(a)(2)(iii) requires the contact person, the steps taken to "
                                "investigate, the results and the date of completion",
                            "missing_required_placeholder");
    }
  }
  return tmpl;
}

Result<RenderedText> RenderResolutionLetter(const LetterTemplate& tmpl, const ResolutionLetter& letter) {
  CD_RETURN_IF_ERROR(ValidateResolutionLetter(letter));
  return tmpl.Render(ResolutionLetterValues(letter));
}

}  // namespace caredesk::relations
