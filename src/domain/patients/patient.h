// The patient record as registration keeps it — demographics, contacts, coverages and consents —
// its validation, and the medical record number (MRN) the system issues. Value types;
// thread-compatible. Functions are pure and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.h"
#include "core/status.h"

namespace caredesk {

inline constexpr std::array<std::string_view, 4> kSexValues = {"female", "male", "other",
                                                               "unknown"};
inline constexpr std::array<std::string_view, 5> kContactMethods = {"phone", "sms", "email", "mail",
                                                                    "portal"};
inline constexpr std::array<std::string_view, 4> kCoverageRelationships = {"self", "spouse",
                                                                           "child", "other"};
inline constexpr std::array<std::string_view, 5> kConsentKinds = {"treatment", "privacy_notice",
                                                                  "sms", "email", "research"};

// The longest given, middle or family name accepted, in characters.
inline constexpr size_t kMaxNameLength = 100;
// The earliest birth date accepted.
inline constexpr CivilDate kEarliestBirthDate{1900, 1, 1};

struct Address {
  std::string line1;
  std::string line2;
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country;  // ISO 3166-1 alpha-2 ("US"), or empty
};

struct EmergencyContact {
  std::string name;
  std::string relationship;  // free text ("mother", "neighbour")
  std::string phone;
};

struct Coverage {
  int64_t id = 0;
  std::string payer;
  std::string member_id;
  std::string group_number;
  std::string relationship;  // of the patient to the subscriber: self|spouse|child|other
  std::optional<CivilDate> start_date;
  std::optional<CivilDate> end_date;
};

struct Consent {
  std::string kind;  // treatment|privacy_notice|sms|email|research
  bool granted = false;
  CivilDate date;  // when it was given or withdrawn
};

struct Patient {
  int64_t id = 0;
  std::string mrn;  // issued by the system (FormatMrn); empty until issued
  std::string given_name;
  std::string middle_name;
  std::string family_name;
  CivilDate birth_date;
  std::string sex;  // female|male|other|unknown
  std::string phone;
  std::string email;
  Address address;
  std::string preferred_language;        // BCP 47 tag ("en", "es", "pt-BR"), or empty
  std::string preferred_contact_method;  // phone|sms|email|mail|portal
  EmergencyContact emergency_contact;
  std::vector<Coverage> coverages;
  std::vector<Consent> consents;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t version = 0;
  // Set when this record was merged into another (a duplicate cleaned up): the record that stays. Kept by
  // the merge, not by registration; read-only here.
  std::optional<int64_t> merged_into;
};

// Checks `p` and brings it to canonical form in place. Checks run in declaration order and the
// first failure is returned as Error::Invalid(<field path>, <message>), with paths such as
// "family_name", "coverages[0].end_date" and "emergency_contact.phone"; `p` may then be partly
// normalized. On success:
//  - names are trimmed with inner whitespace collapsed to one space; given and family names are
//    required, every name is at most kMaxNameLength characters and contains a letter;
//  - mrn, when present, is an upper-case IsMrnShaped MRN;
//  - birth_date is a real date between kEarliestBirthDate and `today`;
//  - sex is one of kSexValues (lower case);
//  - phone (and emergency_contact.phone) is NormalizePhone'd; email is lower case and
//    email-shaped;
//  - address fields are trimmed, country is two upper-case letters, postal code upper case;
//  - preferred_language is a BCP 47 language[-Script][-REGION] tag in canonical case ("pt-BR");
//  - preferred_contact_method is one of kContactMethods (when empty, the first usable of phone, email
//    and mail, else "phone"); a method that was chosen must be usable (a phone for phone/sms, an email
//    for email, address.line1 for mail) unless the patient has none of the three; so a normalized
//    patient passes again unchanged;
//  - an emergency contact, when any of its fields is set, has a name and a phone;
//  - each coverage has a payer and member id, a relationship from kCoverageRelationships
//    ("self" when empty) and end_date ≥ start_date;
//  - each consent has a kind from kConsentKinds and a real date not after `today`.
Status ValidateAndNormalize(Patient& p, CivilDate today);

// Normalizes a phone number for storage: keeps the digits and a leading '+', drops the
// separators people type ("(555) 123-4567", "555.123.4567", "+44 20 7946 0958"). Fails, naming
// `field`, on any other character or when there are not 7–15 digits. Empty input gives "".
Result<std::string> NormalizePhone(std::string_view text, std::string_view field);

// True when two phone numbers, as digits, are one number written with more or less of its
// prefix: they end alike over at least 7 digits and over all of the shorter one except perhaps
// its first digit (a national trunk "0"). "5551234567" matches "15551234567" and "1234567";
// "02079460958" matches "442079460958"; "5551234567" does not match "5561234567".
bool PhoneTailsMatch(std::string_view a_digits, std::string_view b_digits);

// The MRN issued for sequence number `seq` (≥ 0): "MRN", the sequence zero-padded to 7 digits,
// then one Luhn (mod 10) check digit over those digits — "MRN00000018" for 1, "MRN12345674" for
// 1234567. Sequences of 10,000,000 and above simply take more digits. The check digit catches
// every single-digit typo and most adjacent transpositions at the front desk.
std::string FormatMrn(int64_t seq);

// True when `text` is an MRN as FormatMrn makes them: "MRN" (any case), at least 8 digits,
// the last being the Luhn check digit of the others.
bool IsMrnShaped(std::string_view text);

// True when `d` names a real calendar day (no 2025-02-30).
bool IsRealDate(const CivilDate& d);

}  // namespace caredesk
