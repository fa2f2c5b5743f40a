#include "demo/demo_demographics.h"

#include <array>

#include "demo/demo_text.h"
#include "domain/patients/name_match.h"

namespace caredesk::demo {
namespace {

struct AgeBand {
  int first;
  int last;
  double weight;
};
// Roughly the US population, leaning older as a clinic's patients do.
constexpr AgeBand kAgeBands[] = {
    {0, 0, 0.012},  {1, 4, 0.045},  {5, 17, 0.15},  {18, 24, 0.085}, {25, 34, 0.13},   {35, 44, 0.125},
    {45, 54, 0.12}, {55, 64, 0.13}, {65, 74, 0.11}, {75, 84, 0.065}, {85, 100, 0.028},
};

constexpr int kDaysPerYear = 365;
constexpr int kMedicareAge = 65;

struct Domain {
  std::string_view name;
  double weight;
};
constexpr Domain kEmailDomains[] = {
    {"gmail.com", 0.42}, {"yahoo.com", 0.14},   {"outlook.com", 0.10}, {"hotmail.com", 0.08}, {"icloud.com", 0.10},
    {"aol.com", 0.04},   {"comcast.net", 0.04}, {"att.net", 0.03},     {"msn.com", 0.03},     {"proton.me", 0.02},
};

constexpr std::string_view kDirections[] = {"N", "S", "E", "W"};
constexpr std::string_view kUnitWords[] = {"Apt", "Apt", "Apt", "Unit", "Suite", "#"};

constexpr std::string_view kKeyboardNeighbours = "qwertyuiopasdfghjklzxcvbnm";

template <size_t N>
std::array<double, N> Weights(const Domain (&items)[N]) {
  std::array<double, N> w{};
  for (size_t i = 0; i < N; ++i) w[i] = items[i].weight;
  return w;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string Capitalized(std::string_view lower) {
  std::string s(lower);
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// The Medicare Beneficiary Identifier format: 11 characters, letters from a
// set without S, L, O, I, B and Z.
std::string MedicareId(Rng& rng) {
  constexpr std::string_view kLetters = "ACDEFGHJKMNPQRTUVWXY";
  constexpr std::string_view kDigits = "0123456789";
  const auto letter = [&] { return rng.Pick(kLetters); };
  const auto digit = [&] { return rng.Pick(kDigits); };
  const auto either = [&] { return rng.Chance(0.5) ? letter() : digit(); };
  std::string id;
  id += static_cast<char>('1' + rng.Below(9));
  id += letter();
  id += either();
  id += digit();
  id += letter();
  id += either();
  id += digit();
  id += letter();
  id += letter();
  id += digit();
  id += digit();
  return id;
}

std::string Digits(int n, Rng& rng) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng.Below(10));
  return s;
}

std::string Letters(int n, Rng& rng) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('A' + rng.Below(26));
  return s;
}

// Member ids shaped like the payer's cards.
std::string MemberId(std::string_view payer, Rng& rng) {
  if (payer.find("Blue") != std::string_view::npos) return Letters(3, rng) + Digits(9, rng);
  if (payer.starts_with("Aetna")) return "W" + Digits(9, rng);
  if (payer.starts_with("Cigna")) return "U" + Digits(8, rng) + "01";
  if (payer.starts_with("UnitedHealthcare") || payer.starts_with("AARP")) return Digits(9, rng) + "-0" + Digits(1, rng);
  if (payer.starts_with("Humana")) return "H" + Digits(8, rng);
  return Letters(2, rng) + Digits(8, rng);
}

CivilDate FirstOfMonth(CivilDate d) { return {d.year, d.month, 1}; }

Coverage Plan(std::string_view payer, std::string member_id, std::string group, std::string_view relationship,
              CivilDate start) {
  Coverage c;
  c.payer = std::string(payer);
  c.member_id = std::move(member_id);
  c.group_number = std::move(group);
  c.relationship = std::string(relationship);
  c.start_date = start;
  return c;
}

std::vector<Coverage> SeniorCoverages(const Patient& p, const CivilDate& today, Rng& rng) {
  const CivilDate eligible = FirstOfMonth({p.birth_date.year + kMedicareAge, p.birth_date.month, 1});
  std::vector<Coverage> out;
  if (rng.Chance(0.3)) {
    const std::string_view plan = rng.Pick(MedicareAdvantagePlans());
    const CivilDate start{std::max(eligible.year, today.year - static_cast<int>(rng.Below(4))), 1, 1};
    out.push_back(Plan(plan, MemberId(plan, rng), Digits(5, rng), "self", std::max(start, eligible)));
    return out;
  }
  out.push_back(Plan("Medicare", MedicareId(rng), "", "self", eligible));
  if (rng.Chance(0.25)) {
    out.push_back(Plan("AARP Medicare Supplement", MemberId("AARP", rng), "", "self", eligible));
  }
  return out;
}

std::vector<Coverage> UnderSixtyFiveCoverages(const Patient& p, int age, const CivilDate& today, Rng& rng) {
  const StatePlans& plans = PlansFor(p.address.state);
  const double draw = rng.Unit();
  const double self_pay = 0.08;
  const double medicaid = age < 18 ? 0.35 : 0.17;
  std::vector<Coverage> out;
  if (draw < self_pay) return out;
  const CivilDate earliest = std::max(p.birth_date, CivilDate{today.year - 6, 1, 1});
  if (draw < self_pay + medicaid) {
    const CivilDate start = std::max(FirstOfMonth(today.AddDays(-static_cast<int64_t>(rng.Below(3 * kDaysPerYear)))),
                                     FirstOfMonth(p.birth_date));
    out.push_back(Plan(plans.medicaid, Letters(2, rng) + Digits(5, rng) + Letters(1, rng), "", "self", start));
    return out;
  }
  const double which = rng.Unit();
  std::string_view payer = which < 0.3    ? plans.blue_cross
                           : which < 0.45 ? plans.regional
                                          : rng.Pick(CommercialPayers());
  const std::string_view relationship = age < 26 && rng.Chance(0.75)    ? "child"
                                        : age >= 26 && rng.Chance(0.25) ? "spouse"
                                                                        : "self";
  const CivilDate start = std::max(CivilDate{today.year - static_cast<int>(rng.Below(6)), 1, 1}, earliest);
  if (age >= 24 && rng.Chance(0.06)) {
    // An earlier employer's plan, ended when the current one began.
    const std::string_view before = rng.Pick(CommercialPayers());
    const CivilDate old_start{start.year - 1 - static_cast<int>(rng.Below(5)), 1, 1};
    Coverage old = Plan(before, MemberId(before, rng), Digits(6, rng), relationship, old_start);
    old.end_date = start.AddDays(-1);
    out.push_back(std::move(old));
  }
  out.push_back(Plan(payer, MemberId(payer, rng), Digits(rng.Chance(0.5) ? 6 : 8, rng), relationship, start));
  return out;
}

}  // namespace

CivilDate DrawBirthDate(const CivilDate& today, Rng& rng) {
  std::array<double, std::size(kAgeBands)> weights{};
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = kAgeBands[i].weight;
  const AgeBand& band = kAgeBands[rng.Weighted(weights)];
  const int64_t age = rng.Between(band.first, band.last);
  const int64_t days_old = age * kDaysPerYear + age / 4 + static_cast<int64_t>(rng.Below(kDaysPerYear));
  return today.AddDays(-days_old);
}

int AgeOn(const CivilDate& birth_date, const CivilDate& today) {
  int age = today.year - birth_date.year;
  if (std::pair(today.month, today.day) < std::pair(birth_date.month, birth_date.day)) --age;
  return std::max(age, 0);
}

std::string_view DrawSex(Rng& rng) {
  const double draw = rng.Unit();
  return draw < 0.51 ? "female" : draw < 0.995 ? "male" : draw < 0.998 ? "other" : "unknown";
}

std::string_view DrawGivenName(const NamePool& pool, std::string_view sex, Rng& rng) {
  const bool female = sex == "female" || (sex != "male" && rng.Chance(0.5));
  return rng.Pick(female ? pool.female : pool.male);
}

std::string DrawFamilyName(const NamePool& pool, std::string_view sex, Rng& rng) {
  std::string family(rng.Pick(pool.family));
  if (!pool.gendered_family_names || sex != "female") return family;
  if (family.ends_with("ski") || family.ends_with("cki")) {
    family.back() = 'a';
  } else if (family.ends_with("ov") || family.ends_with("ev") || family.ends_with("in")) {
    family += 'a';
  }
  return family;
}

std::string DrawPhone(const Town& town, Rng& rng) {
  int64_t exchange = 0;
  do {
    exchange = rng.Between(201, 999);
  } while (exchange % 100 == 11 || exchange == 555);  // N11 codes are services; 555 is for fiction
  return std::string(rng.Pick(town.area_codes)) + ZeroPadded(exchange, 3) + ZeroPadded(rng.Between(0, 9999), 4);
}

std::string DrawEmail(std::string_view given, std::string_view family, const CivilDate& birth_date, Rng& rng) {
  std::string g = LowerAsciiAlnum(given);
  std::string f = LowerAsciiAlnum(family);
  if (g.empty()) g = "patient";
  if (f.empty()) f = "mail";
  const std::string year = ZeroPadded(birth_date.year % 100, 2);
  std::string local;
  switch (rng.Below(7)) {
    case 0: local = g + "." + f; break;
    case 1: local = g + f; break;
    case 2: local = g.substr(0, 1) + f; break;
    case 3: local = g + "_" + f; break;
    case 4: local = f + g.substr(0, 1); break;
    case 5: local = g + "." + f + year; break;
    default: local = g + f + std::to_string(rng.Between(1, 999)); break;
  }
  static const auto weights = Weights(kEmailDomains);
  return local + "@" + std::string(kEmailDomains[rng.Weighted(weights)].name);
}

Address DrawAddress(const Town& town, Rng& rng) {
  Address a;
  const int64_t number = rng.Chance(0.6) ? rng.Between(1, 999) : rng.Between(1000, 9999);
  a.line1 = std::to_string(number) + " ";
  if (rng.Chance(0.25)) a.line1 += std::string(rng.Pick(kDirections)) + " ";
  a.line1 += std::string(rng.Pick(StreetNames())) + " " + std::string(rng.Pick(StreetSuffixes()));
  if (rng.Chance(0.22)) {
    const std::string_view word = rng.Pick(kUnitWords);
    a.line2 = std::string(word) + (word == "#" ? "" : " ") + std::to_string(rng.Between(1, 40));
    if (rng.Chance(0.4)) a.line2 += static_cast<char>('A' + rng.Below(6));
  }
  a.city = std::string(town.name);
  a.state = std::string(town.state);
  a.postal_code = ZeroPadded(rng.Between(town.zip_first, town.zip_last), 5);
  a.country = "US";
  return a;
}

std::string DrawLanguage(const NamePool& pool, int age, Rng& rng) {
  const double share = pool.language_share * (age >= kMedicareAge ? 1.6 : age < 18 ? 0.4 : 1.0);
  if (pool.languages.empty() || !rng.Chance(share)) return "en";
  return std::string(rng.Pick(pool.languages));
}

std::string DrawContactMethod(const Patient& p, Rng& rng) {
  static constexpr std::string_view kMethods[] = {"phone", "sms", "email", "portal", "mail"};
  static constexpr double kWeights[] = {0.40, 0.28, 0.17, 0.08, 0.07};
  const std::string_view method = kMethods[rng.Weighted(kWeights)];
  const bool usable = (method != "phone" && method != "sms") || !p.phone.empty();
  if (!usable || (method == "email" && p.email.empty())) return p.phone.empty() ? "mail" : "phone";
  return std::string(method);
}

EmergencyContact DrawEmergencyContact(const Patient& p, const NamePool& pool, const Town& town, int age, Rng& rng) {
  EmergencyContact c;
  std::string_view relative_sex;
  std::string family = p.family_name;
  if (age < 18) {
    const bool mother = rng.Chance(0.65);
    c.relationship = mother ? "mother" : "father";
    relative_sex = mother ? "female" : "male";
    if (rng.Chance(0.25)) family = DrawFamilyName(pool, relative_sex, rng);
  } else {
    static constexpr std::string_view kAdultRelations[] = {"spouse", "partner", "mother",  "father", "daughter",
                                                           "son",    "sister",  "brother", "friend", "neighbor"};
    const double weights[] = {age >= 22 ? 0.40 : 0.02,
                              0.08,
                              age < 50 ? 0.07 : 0.0,
                              age < 50 ? 0.05 : 0.0,
                              age >= 45 ? 0.09 : 0.0,
                              age >= 45 ? 0.06 : 0.0,
                              0.07,
                              0.05,
                              0.06,
                              0.02};
    c.relationship = std::string(kAdultRelations[rng.Weighted(weights)]);
    const bool partner = c.relationship == "spouse" || c.relationship == "partner";
    relative_sex = partner ? (p.sex == "female" ? "male" : "female")
                   : (c.relationship == "mother" || c.relationship == "daughter" || c.relationship == "sister")
                       ? "female"
                       : "male";
    const bool same_family = c.relationship != "friend" && c.relationship != "neighbor" && rng.Chance(0.7);
    if (!same_family) family = DrawFamilyName(pool, relative_sex, rng);
  }
  c.name = std::string(DrawGivenName(pool, relative_sex, rng)) + " " + family;
  c.phone = DrawPhone(town, rng);
  return c;
}

std::vector<Coverage> DrawCoverages(const Patient& p, int age, const CivilDate& today, Rng& rng) {
  return age >= kMedicareAge ? SeniorCoverages(p, today, rng) : UnderSixtyFiveCoverages(p, age, today, rng);
}

std::string MakeTypo(std::string_view name, Rng& rng) {
  // Positions 1.. whose letter and right neighbour are plain ASCII letters.
  std::vector<size_t> positions;
  for (size_t i = 1; i + 1 < name.size(); ++i) {
    if (IsAsciiLetter(name[i]) && IsAsciiLetter(name[i + 1])) positions.push_back(i);
  }
  std::string out(name);
  if (positions.empty()) return out;
  const size_t i = rng.Pick(positions);
  switch (rng.Below(4)) {
    case 0: std::swap(out[i], out[i + 1]); break;
    case 1: out.erase(i, 1); break;
    case 2: out.insert(i, 1, out[i]); break;
    default: {
      char c = rng.Pick(kKeyboardNeighbours);
      if (c == out[i]) c = c == 'e' ? 'a' : 'e';
      out[i] = c;
    }
  }
  return out == name ? out + "e" : out;
}

std::string NicknameFor(std::string_view given, Rng& rng) {
  const std::string key = LowerAsciiAlnum(given);
  const std::vector<std::string_view> variants = NicknameVariants(key);
  if (variants.empty()) return {};
  return Capitalized(rng.Pick(variants));
}

}  // namespace caredesk::demo
