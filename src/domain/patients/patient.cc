#include "domain/patients/patient.h"

#include <algorithm>
#include <cassert>

#include "core/text.h"

namespace caredesk {
namespace {

constexpr size_t kMrnPayloadDigits = 7;
constexpr size_t kMaxAddressLineLength = 200;
constexpr size_t kMaxPostalCodeLength = 16;
constexpr size_t kMaxEmailLength = 254;
constexpr size_t kMaxEmailLocalPart = 64;
constexpr size_t kMaxDomainLabel = 63;
constexpr size_t kMinPhoneDigits = 7;
constexpr size_t kMaxPhoneDigits = 15;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}
std::string ToUpper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Upper);
  return out;
}

// Trims and collapses runs of whitespace to one space.
std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char c : TrimSpace(s)) {
    if (IsSpace(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// Characters, not bytes, of UTF-8 text.
size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

template <size_t N>
bool OneOf(std::string_view value, const std::array<std::string_view, N>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

template <size_t N>
std::string Listing(const std::array<std::string_view, N>& allowed) {
  std::string out;
  for (std::string_view v : allowed) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

std::string Indexed(std::string_view list, size_t i, std::string_view field) {
  return std::string(list) + "[" + std::to_string(i) + "]." + std::string(field);
}

// Normalizes a person's name in place; `required` names may not be empty.
Status NormalizePersonName(std::string& name, std::string_view field, std::string_view label,
                           bool required) {
  name = CollapseSpaces(name);
  if (name.empty()) {
    if (!required) return Ok();
    return Error::Invalid(std::string(field), std::string(label) + " is required");
  }
  if (CodePoints(name) > kMaxNameLength) {
    return Error::Invalid(std::string(field), std::string(label) + " must be at most " +
                                                  std::to_string(kMaxNameLength) + " characters");
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return Error::Invalid(std::string(field),
                            std::string(label) + " must not contain control characters");
    }
  }
  // Non-ASCII bytes belong to letters of other scripts or accented Latin letters.
  const bool has_letter = std::any_of(name.begin(), name.end(), [](char c) {
    return IsAlpha(c) || static_cast<unsigned char>(c) >= 0x80;
  });
  if (!has_letter) {
    return Error::Invalid(std::string(field), std::string(label) + " must contain a letter");
  }
  return Ok();
}

bool IsEmailLocalChar(char c) {
  return IsAlpha(c) || IsDigit(c) ||
         std::string_view("!#$%&'*+/=?^_`{|}~-.").find(c) != std::string_view::npos;
}

bool LooksLikeEmail(std::string_view email) {
  if (email.size() > kMaxEmailLength) return false;
  const size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  if (local.empty() || local.size() > kMaxEmailLocalPart || local.front() == '.' ||
      local.back() == '.' || local.find("..") != std::string_view::npos ||
      !std::all_of(local.begin(), local.end(), IsEmailLocalChar)) {
    return false;
  }
  size_t labels = 0;
  std::string_view rest = domain;
  std::string_view last_label;
  while (true) {
    const size_t dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.empty() || label.size() > kMaxDomainLabel || label.front() == '-' ||
        label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-') return false;
    }
    ++labels;
    last_label = label;
    if (dot == std::string_view::npos) break;
    rest = rest.substr(dot + 1);
  }
  return labels >= 2 && last_label.size() >= 2 &&
         std::all_of(last_label.begin(), last_label.end(), IsAlpha);
}

// Canonical case for a BCP 47 language[-Script][-REGION][-variant] tag; nullopt when malformed.
std::optional<std::string> CanonicalLanguageTag(std::string_view tag) {
  std::string out;
  size_t index = 0;
  while (!tag.empty()) {
    const size_t sep = tag.find_first_of("-_");
    std::string_view sub = tag.substr(0, sep);
    tag = sep == std::string_view::npos ? std::string_view{} : tag.substr(sep + 1);
    if (sep != std::string_view::npos && tag.empty()) return std::nullopt;  // trailing separator
    const bool alpha = std::all_of(sub.begin(), sub.end(), IsAlpha);
    const bool digits = std::all_of(sub.begin(), sub.end(), IsDigit);
    const bool alnum =
        std::all_of(sub.begin(), sub.end(), [](char c) { return IsAlpha(c) || IsDigit(c); });
    std::string canonical;
    if (index == 0) {
      if (!alpha || sub.size() < 2 || sub.size() > 3) return std::nullopt;
      canonical = ToLower(sub);
    } else if (alpha && sub.size() == 4) {  // script: Latn, Hant
      canonical = ToLower(sub);
      canonical[0] = Upper(canonical[0]);
    } else if ((alpha && sub.size() == 2) || (digits && sub.size() == 3)) {  // region: BR, 419
      canonical = ToUpper(sub);
    } else if (alnum && sub.size() >= 5 && sub.size() <= 8) {  // variant
      canonical = ToLower(sub);
    } else {
      return std::nullopt;
    }
    if (index > 0) out.push_back('-');
    out += canonical;
    ++index;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

Status ValidateDate(const CivilDate& d, std::string_view field) {
  if (!IsRealDate(d)) {
    return Error::Invalid(std::string(field), d.ToString() + " is not a real calendar date",
                          "invalid_date");
  }
  return Ok();
}

Status NormalizeAddress(Address& a) {
  struct Line {
    std::string* value;
    const char* field;
  };
  for (Line line : {Line{&a.line1, "address.line1"}, Line{&a.line2, "address.line2"},
                    Line{&a.city, "address.city"}, Line{&a.state, "address.state"}}) {
    *line.value = CollapseSpaces(*line.value);
    if (CodePoints(*line.value) > kMaxAddressLineLength) {
      return Error::Invalid(
          line.field, "must be at most " + std::to_string(kMaxAddressLineLength) + " characters");
    }
  }
  a.postal_code = ToUpper(CollapseSpaces(a.postal_code));
  if (a.postal_code.size() > kMaxPostalCodeLength) {
    return Error::Invalid(
        "address.postal_code",
        "postal code must be at most " + std::to_string(kMaxPostalCodeLength) + " characters");
  }
  a.country = ToUpper(TrimSpace(a.country));
  if (!a.country.empty() &&
      (a.country.size() != 2 || !std::all_of(a.country.begin(), a.country.end(), IsAlpha))) {
    return Error::Invalid("address.country",
                          "country must be a two-letter ISO 3166-1 code such as \"US\"");
  }
  return Ok();
}

Status NormalizeEmergencyContact(EmergencyContact& c) {
  c.name = CollapseSpaces(c.name);
  c.relationship = CollapseSpaces(c.relationship);
  const bool any = !c.name.empty() || !c.relationship.empty() || !TrimSpace(c.phone).empty();
  if (!any) {
    c.phone.clear();
    return Ok();
  }
  CD_RETURN_IF_ERROR(NormalizePersonName(c.name, "emergency_contact.name", "emergency contact name",
                                         /*required=*/true));
  CD_ASSIGN_OR_RETURN(c.phone, NormalizePhone(c.phone, "emergency_contact.phone"));
  if (c.phone.empty()) {
    return Error::Invalid("emergency_contact.phone", "an emergency contact needs a phone number");
  }
  return Ok();
}

Status NormalizeCoverage(Coverage& c, size_t i) {
  c.payer = CollapseSpaces(c.payer);
  c.member_id = std::string(TrimSpace(c.member_id));
  c.group_number = std::string(TrimSpace(c.group_number));
  c.relationship = ToLower(TrimSpace(c.relationship));
  if (c.payer.empty()) return Error::Invalid(Indexed("coverages", i, "payer"), "payer is required");
  if (c.member_id.empty()) {
    return Error::Invalid(Indexed("coverages", i, "member_id"), "member id is required");
  }
  if (c.relationship.empty()) c.relationship = "self";
  if (!OneOf(c.relationship, kCoverageRelationships)) {
    return Error::Invalid(Indexed("coverages", i, "relationship"),
                          "relationship must be one of " + Listing(kCoverageRelationships));
  }
  if (c.start_date) {
    CD_RETURN_IF_ERROR(ValidateDate(*c.start_date, Indexed("coverages", i, "start_date")));
  }
  if (c.end_date) {
    CD_RETURN_IF_ERROR(ValidateDate(*c.end_date, Indexed("coverages", i, "end_date")));
  }
  if (c.start_date && c.end_date && *c.end_date < *c.start_date) {
    return Error::Invalid(Indexed("coverages", i, "end_date"),
                          "coverage ends (" + c.end_date->ToString() + ") before it starts (" +
                              c.start_date->ToString() + ")");
  }
  return Ok();
}

Status NormalizeConsent(Consent& c, size_t i, CivilDate today) {
  c.kind = ToLower(TrimSpace(c.kind));
  if (!OneOf(c.kind, kConsentKinds)) {
    return Error::Invalid(Indexed("consents", i, "kind"),
                          "consent kind must be one of " + Listing(kConsentKinds));
  }
  CD_RETURN_IF_ERROR(ValidateDate(c.date, Indexed("consents", i, "date")));
  if (today < c.date) {
    return Error::Invalid(Indexed("consents", i, "date"), "consent date is in the future");
  }
  return Ok();
}

int LuhnCheckDigit(std::string_view digits) {
  int sum = 0;
  bool double_it = true;  // the rightmost payload digit sits next to the check digit
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return (10 - sum % 10) % 10;
}

}  // namespace

bool IsRealDate(const CivilDate& d) {
  if (d.month < 1 || d.month > 12 || d.day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  const int last = kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  return d.day <= last;
}

Result<std::string> NormalizePhone(std::string_view text, std::string_view field) {
  text = TrimSpace(text);
  std::string digits;
  bool plus = false;
  for (char c : text) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return Error::Invalid(std::string(field),
                            "a phone number may contain only digits, spaces and + - . ( )");
    }
  }
  if (digits.empty() && !plus) return std::string();
  if (digits.size() < kMinPhoneDigits || digits.size() > kMaxPhoneDigits) {
    return Error::Invalid(std::string(field), "a phone number must have 7 to 15 digits (found " +
                                                  std::to_string(digits.size()) + ")");
  }
  return plus ? "+" + digits : digits;
}

bool PhoneTailsMatch(std::string_view a, std::string_view b) {
  const size_t shorter = std::min(a.size(), b.size());
  if (shorter < kMinPhoneDigits) return false;
  size_t common = 0;
  while (common < shorter && a[a.size() - 1 - common] == b[b.size() - 1 - common]) ++common;
  return common >= kMinPhoneDigits && common + 1 >= shorter;
}

std::string FormatMrn(int64_t seq) {
  assert(seq >= 0 && "MRN sequence numbers are non-negative");
  std::string digits = std::to_string(seq);
  if (digits.size() < kMrnPayloadDigits) {
    digits.insert(0, kMrnPayloadDigits - digits.size(), '0');
  }
  return "MRN" + digits + static_cast<char>('0' + LuhnCheckDigit(digits));
}

bool IsMrnShaped(std::string_view text) {
  if (text.size() < 3 + kMrnPayloadDigits + 1 || ToUpper(text.substr(0, 3)) != "MRN") return false;
  const std::string_view digits = text.substr(3);
  if (!std::all_of(digits.begin(), digits.end(), IsDigit)) return false;
  return LuhnCheckDigit(digits.substr(0, digits.size() - 1)) == digits.back() - '0';
}

Status ValidateAndNormalize(Patient& p, CivilDate today) {
  p.mrn = ToUpper(TrimSpace(p.mrn));
  if (!p.mrn.empty() && !IsMrnShaped(p.mrn)) {
    return Error::Invalid("mrn", "\"" + p.mrn + "\" is not an MRN issued by this system");
  }
  CD_RETURN_IF_ERROR(NormalizePersonName(p.given_name, "given_name", "given name", true));
  CD_RETURN_IF_ERROR(NormalizePersonName(p.middle_name, "middle_name", "middle name", false));
  CD_RETURN_IF_ERROR(NormalizePersonName(p.family_name, "family_name", "family name", true));

  CD_RETURN_IF_ERROR(ValidateDate(p.birth_date, "birth_date"));
  if (today < p.birth_date) {
    return Error::Invalid("birth_date",
                          "birth date " + p.birth_date.ToString() + " is in the future");
  }
  if (p.birth_date < kEarliestBirthDate) {
    return Error::Invalid("birth_date",
                          "birth date must not be before " + kEarliestBirthDate.ToString());
  }

  p.sex = ToLower(TrimSpace(p.sex));
  if (!OneOf(p.sex, kSexValues)) {
    return Error::Invalid(
        "sex", "sex must be one of " + Listing(kSexValues) + " (use \"unknown\" when not known)");
  }

  CD_ASSIGN_OR_RETURN(p.phone, NormalizePhone(p.phone, "phone"));
  p.email = ToLower(TrimSpace(p.email));
  if (!p.email.empty() && !LooksLikeEmail(p.email)) {
    return Error::Invalid("email", "\"" + p.email + "\" is not an email address");
  }

  CD_RETURN_IF_ERROR(NormalizeAddress(p.address));

  p.preferred_language = std::string(TrimSpace(p.preferred_language));
  if (!p.preferred_language.empty()) {
    std::optional<std::string> tag = CanonicalLanguageTag(p.preferred_language);
    if (!tag) {
      return Error::Invalid("preferred_language",
                            "preferred language must be a language tag such as \"en\", \"es\" or "
                            "\"pt-BR\"");
    }
    p.preferred_language = std::move(*tag);
  }

  p.preferred_contact_method = ToLower(TrimSpace(p.preferred_contact_method));
  // Without a choice: the first usable of phone, email and mail; "phone" when none is. A patient with no
  // phone, email or postal address at all cannot be contacted whatever the method says, so then it is not
  // checked: the stored default must pass this check again when the record is sent back unchanged.
  const bool reachable = !p.phone.empty() || !p.email.empty() || !p.address.line1.empty();
  const bool method_chosen = !p.preferred_contact_method.empty() && reachable;
  if (p.preferred_contact_method.empty()) {
    p.preferred_contact_method = !p.phone.empty() ? "phone" : !p.email.empty() ? "email"
                                 : !p.address.line1.empty() ? "mail" : "phone";
  }
  if (!OneOf(p.preferred_contact_method, kContactMethods)) {
    return Error::Invalid("preferred_contact_method",
                          "preferred contact method must be one of " + Listing(kContactMethods));
  }
  // A method someone chose must be usable; the default does not block registering a patient
  // who has no phone.
  const std::string& method = p.preferred_contact_method;
  if (method_chosen) {
    if ((method == "phone" || method == "sms") && p.phone.empty()) {
      return Error::Invalid("phone",
                            "a phone number is needed to contact the patient by " + method);
    }
    if (method == "email" && p.email.empty()) {
      return Error::Invalid("email", "an email address is needed to contact the patient by email");
    }
    if (method == "mail" && p.address.line1.empty()) {
      return Error::Invalid("address.line1",
                            "a postal address is needed to contact the patient by mail");
    }
  }

  CD_RETURN_IF_ERROR(NormalizeEmergencyContact(p.emergency_contact));
  for (size_t i = 0; i < p.coverages.size(); ++i) {
    CD_RETURN_IF_ERROR(NormalizeCoverage(p.coverages[i], i));
  }
  for (size_t i = 0; i < p.consents.size(); ++i) {
    CD_RETURN_IF_ERROR(NormalizeConsent(p.consents[i], i, today));
  }
  return Ok();
}

}  // namespace caredesk
