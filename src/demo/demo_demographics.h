// The pieces of a demo registration, each drawn on its own: birth dates
// along an age pyramid, US phone numbers, e-mail addresses, street
// addresses, emergency contacts, coverages and the slips a front desk makes
// when it registers someone twice. Pure functions of their arguments and
// the Rng; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.h"
#include "demo/demo_names.h"
#include "demo/demo_places.h"
#include "demo/demo_random.h"
#include "domain/patients/patient.h"

namespace caredesk::demo {

// A birth date for someone alive on `today`, ages 0 to 100 weighted like a
// clinic's patients.
CivilDate DrawBirthDate(const CivilDate& today, Rng& rng);
// Whole years from `birth_date` to `today`.
int AgeOn(const CivilDate& birth_date, const CivilDate& today);

// "female", "male", rarely "other" or "unknown".
std::string_view DrawSex(Rng& rng);
// A given name of the pool for `sex` (either list for other/unknown).
std::string_view DrawGivenName(const NamePool& pool, std::string_view sex, Rng& rng);
// A family name of the pool, in its feminine form where the language has one.
std::string DrawFamilyName(const NamePool& pool, std::string_view sex, Rng& rng);

// Ten digits: one of the town's area codes, a valid exchange, a line.
std::string DrawPhone(const Town& town, Rng& rng);
// A plausible personal address built from the names ("maria.garcia84@gmail.com").
std::string DrawEmail(std::string_view given, std::string_view family, const CivilDate& birth_date, Rng& rng);
Address DrawAddress(const Town& town, Rng& rng);
// A BCP 47 tag: mostly "en", otherwise a language of the heritage; older
// people keep their first language more often.
std::string DrawLanguage(const NamePool& pool, int age, Rng& rng);
// phone, sms, email, portal or mail, always one the record makes usable.
std::string DrawContactMethod(const Patient& p, Rng& rng);

// Parent for a child, otherwise spouse, sibling, child or friend.
EmergencyContact DrawEmergencyContact(const Patient& p, const NamePool& pool, const Town& town, int age, Rng& rng);

// Medicare (with some supplements or Advantage plans) at 65 and over;
// otherwise Medicaid, a commercial plan of the state, or none (self-pay).
// Sometimes an earlier, ended plan too.
std::vector<Coverage> DrawCoverages(const Patient& p, int age, const CivilDate& today, Rng& rng);

// `name` with one typing slip (a letter swapped with its neighbour, dropped,
// doubled or mistyped), never at its first letter; unchanged when too short.
std::string MakeTypo(std::string_view name, Rng& rng);
// A nickname of the given name ("Robert" -> "Bob"), or "" when it has none.
std::string NicknameFor(std::string_view given, Rng& rng);

}  // namespace caredesk::demo
