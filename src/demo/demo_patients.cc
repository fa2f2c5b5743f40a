#include "demo/demo_patients.h"

#include "demo/demo_demographics.h"
#include "domain/patients/name_match.h"

namespace caredesk::demo {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;
constexpr int64_t kMillisPerHour = 3'600'000;
constexpr int64_t kMillisPerMinute = 60'000;
// About one registration in fifty is the same person registered again.
constexpr double kDuplicateShare = 0.02;
constexpr size_t kRecentOriginals = 256;
// Registrations go back this far at most.
constexpr int64_t kOldestRegistrationDays = 12 * 365;
constexpr double kRecentRegistrationShare = 0.12;
constexpr int kPickAttempts = 8;

int64_t DayStartMs(const CivilDate& d) { return d.DaysSinceEpoch() * kMillisPerDay; }
CivilDate DateOfMs(int64_t ms) { return CivilDate::FromDaysSinceEpoch(ms >= 0 ? ms / kMillisPerDay : -1); }

// A weekday-ish office moment in [from, to): a day in range, 13:00-23:00 UTC
// (morning to evening in the US).
int64_t OfficeMomentBetween(int64_t from_ms, int64_t to_ms, Rng& rng) {
  if (to_ms <= from_ms) return from_ms;
  const int64_t first_day = from_ms / kMillisPerDay;
  const int64_t last_day = (to_ms - 1) / kMillisPerDay;
  const int64_t day = rng.Between(first_day, last_day);
  const int64_t moment = day * kMillisPerDay + 13 * kMillisPerHour + rng.Between(0, 10 * kMillisPerHour - 1);
  return std::clamp(moment, from_ms, to_ms - 1);
}

const Town& TownOf(const Site& site, Rng& rng) { return rng.Pick(site.towns); }

void AppendConsents(const Patient& p, db::RowBuffer& consents) {
  for (const Consent& c : p.consents) {
    consents.Int(p.id).Text(c.kind).Int(c.granted ? 1 : 0).Text(c.date.ToString());
  }
}

void AppendCoverages(const Patient& p, db::RowBuffer& coverages) {
  for (const Coverage& c : p.coverages) {
    coverages.Int(p.id).Text(c.payer).Text(c.member_id).Text(c.group_number).Text(c.relationship);
    if (c.start_date) {
      coverages.Text(c.start_date->ToString());
    } else {
      coverages.Null();
    }
    if (c.end_date) {
      coverages.Text(c.end_date->ToString());
    } else {
      coverages.Null();
    }
  }
}

void AppendPatient(const Patient& p, PatientRows& rows) {
  rows.patients.Int(p.id)
      .Text(p.mrn)
      .Text(p.given_name)
      .Text(p.middle_name)
      .Text(p.family_name)
      .Text(p.birth_date.ToString())
      .Text(p.sex)
      .Text(p.phone)
      .Text(p.email)
      .Text(p.address.line1)
      .Text(p.address.line2)
      .Text(p.address.city)
      .Text(p.address.state)
      .Text(p.address.postal_code)
      .Text(p.address.country)
      .Text(p.preferred_language)
      .Text(p.preferred_contact_method)
      .Text(p.emergency_contact.name)
      .Text(p.emergency_contact.relationship)
      .Text(p.emergency_contact.phone)
      .Int(p.created_at_ms)
      .Int(p.updated_at_ms)
      .Int(p.version)
      .Text(FoldToAscii(p.given_name))
      .Text(FoldToAscii(p.middle_name))
      .Text(FoldToAscii(p.family_name));
  AppendCoverages(p, rows.coverages);
  AppendConsents(p, rows.consents);
}

// Treatment and privacy notice at registration, and the channels the
// patient chose; some agree to (or decline) research.
std::vector<Consent> ConsentsAt(const Patient& p, Rng& rng) {
  const CivilDate day = DateOfMs(p.created_at_ms);
  std::vector<Consent> out = {{"treatment", true, day}, {"privacy_notice", true, day}};
  if (p.preferred_contact_method == "sms") out.push_back({"sms", true, day});
  if (p.preferred_contact_method == "email") out.push_back({"email", true, day});
  if (rng.Chance(0.08)) out.push_back({"research", rng.Chance(0.7), day});
  return out;
}

}  // namespace

// ---- Roster ----------------------------------------------------------------------------------

int AudienceGroup(const CivilDate& birth_date, std::string_view sex, const CivilDate& today) {
  const int age = AgeOn(birth_date, today);
  if (today.DaysSinceEpoch() - birth_date.DaysSinceEpoch() < 365) return 0;
  if (age < 18) return 1;
  if (age >= 65) return 4;
  return sex == "female" ? 2 : 3;
}

void PatientRoster::Add(int64_t id, size_t site, int group, int64_t registered_ms) {
  by_site_[site][static_cast<size_t>(group)].push_back(id);
  registered_.push_back(registered_ms);
}

std::optional<int64_t> PatientRoster::PickAt(size_t site, uint8_t audience, Rng& rng) const {
  std::array<double, kAudienceGroups> weights{};
  double total = 0;
  for (int g = 0; g < kAudienceGroups; ++g) {
    if ((audience & (1u << g)) == 0) continue;
    weights[static_cast<size_t>(g)] = static_cast<double>(by_site_[site][static_cast<size_t>(g)].size());
    total += weights[static_cast<size_t>(g)];
  }
  if (total == 0) return std::nullopt;
  const std::vector<int64_t>& ids = by_site_[site][rng.Weighted(weights)];
  return rng.Pick(ids);
}

std::optional<int64_t> PatientRoster::Pick(size_t site, uint8_t audience, int64_t not_after_ms, Rng& rng) const {
  for (int attempt = 0; attempt < kPickAttempts; ++attempt) {
    // Most patients live near the site they visit.
    const size_t from = attempt > 0 || rng.Chance(0.15) ? rng.Below(by_site_.size()) : site;
    std::optional<int64_t> id = PickAt(from, audience, rng);
    if (id && RegisteredAt(*id) <= not_after_ms) return id;
  }
  return std::nullopt;
}

// ---- Factory ---------------------------------------------------------------------------------

PatientFactory::PatientFactory(const Clinic& clinic, CivilDate today, int64_t recent_from_ms,
                               int64_t registered_before_ms, int64_t first_id, Rng rng)
    : clinic_(clinic),
      today_(today),
      recent_from_ms_(recent_from_ms),
      registered_before_ms_(registered_before_ms),
      next_id_(first_id),
      rng_(rng) {}

int64_t PatientFactory::RegistrationTime(const CivilDate& birth_date) {
  const int64_t earliest =
      std::max(DayStartMs(birth_date) + kMillisPerDay, registered_before_ms_ - kOldestRegistrationDays * kMillisPerDay);
  if (earliest >= recent_from_ms_ || rng_.Chance(kRecentRegistrationShare)) {
    return OfficeMomentBetween(std::max(earliest, recent_from_ms_), registered_before_ms_, rng_);
  }
  return OfficeMomentBetween(earliest, recent_from_ms_, rng_);
}

PatientFactory::Made PatientFactory::NewPerson(int64_t id) {
  std::array<double, kHeritageCount> shares{};
  std::vector<double> site_weights;
  for (const Site* site : clinic_.sites) site_weights.push_back(site->patient_share);
  const size_t site = rng_.Weighted(site_weights);
  const Site& where = *clinic_.sites[site];
  for (size_t h = 0; h < shares.size(); ++h) shares[h] = where.heritage_mix[h];
  const NamePool& pool = NamesOf(static_cast<Heritage>(rng_.Weighted(shares)));
  const Town& town = TownOf(where, rng_);

  Patient p;
  p.id = id;
  p.mrn = FormatMrn(id);
  p.sex = std::string(DrawSex(rng_));
  p.given_name = std::string(DrawGivenName(pool, p.sex, rng_));
  if (rng_.Chance(0.3)) {
    std::string middle(DrawGivenName(pool, p.sex, rng_));
    if (middle != p.given_name) p.middle_name = std::move(middle);
  }
  p.family_name = DrawFamilyName(pool, p.sex, rng_);
  p.birth_date = DrawBirthDate(today_, rng_);
  const int age = AgeOn(p.birth_date, today_);
  if (rng_.Chance(0.98)) p.phone = DrawPhone(town, rng_);
  const double email_share = age >= 13 ? 0.68 : 0.35;  // a parent's address for children
  if (rng_.Chance(email_share)) p.email = DrawEmail(p.given_name, p.family_name, p.birth_date, rng_);
  p.address = DrawAddress(town, rng_);
  p.preferred_language = DrawLanguage(pool, age, rng_);
  p.preferred_contact_method = DrawContactMethod(p, rng_);
  if (age < 18 || rng_.Chance(0.7)) p.emergency_contact = DrawEmergencyContact(p, pool, town, age, rng_);
  p.coverages = DrawCoverages(p, age, today_, rng_);
  p.created_at_ms = RegistrationTime(p.birth_date);
  p.updated_at_ms = p.created_at_ms;
  p.version = 1;
  p.consents = ConsentsAt(p, rng_);
  return {std::move(p), site};
}

PatientFactory::Made PatientFactory::DuplicateOf(const Made& original, int64_t id) {
  Made made = original;
  Patient& p = made.patient;
  p.id = id;
  p.mrn = FormatMrn(id);
  const Town& town = TownOf(*clinic_.sites[made.site], rng_);
  enum Slip { kTypo, kNickname, kSwappedDate, kNewPhone, kSwappedNames, kShortForm };
  static constexpr double kSlipWeights[] = {0.30, 0.20, 0.15, 0.20, 0.10, 0.05};
  Slip slip = static_cast<Slip>(rng_.Weighted(kSlipWeights));
  if (slip == kNickname) {
    std::string nickname = NicknameFor(p.given_name, rng_);
    if (nickname.empty()) {
      slip = kTypo;
    } else {
      p.given_name = std::move(nickname);
    }
  }
  if (slip == kSwappedDate) {
    if (p.birth_date.day <= 12 && p.birth_date.day != p.birth_date.month) {
      std::swap(p.birth_date.day, p.birth_date.month);
    } else {
      slip = kTypo;
    }
  }
  switch (slip) {
    case kTypo:
      if (rng_.Chance(0.6)) {
        p.family_name = MakeTypo(p.family_name, rng_);
      } else {
        p.given_name = MakeTypo(p.given_name, rng_);
      }
      break;
    case kNewPhone:
      p.phone = DrawPhone(town, rng_);
      if (rng_.Chance(0.3)) p.address = DrawAddress(town, rng_);
      break;
    case kSwappedNames: std::swap(p.given_name, p.family_name); break;
    case kShortForm: p.middle_name.clear(); break;
    case kNickname:
    case kSwappedDate: break;
  }
  if (slip != kNewPhone && rng_.Chance(0.5)) p.email.clear();
  if (rng_.Chance(0.5)) p.emergency_contact = {};
  if (rng_.Chance(0.3)) p.coverages.clear();  // no card at hand the second time
  p.preferred_contact_method = DrawContactMethod(p, rng_);
  p.created_at_ms = OfficeMomentBetween(original.patient.created_at_ms + kMillisPerDay, registered_before_ms_, rng_);
  if (p.created_at_ms <= original.patient.created_at_ms)
    p.created_at_ms = original.patient.created_at_ms + kMillisPerMinute;
  p.updated_at_ms = p.created_at_ms;
  p.consents = ConsentsAt(p, rng_);
  return made;
}

void PatientFactory::Next(PatientRows& rows, PatientRoster& roster) {
  const int64_t id = next_id_++;
  Made made;
  if (recent_originals_.size() >= kRecentOriginals / 4 && rng_.Chance(kDuplicateShare)) {
    const size_t which = rng_.Below(recent_originals_.size());
    made = DuplicateOf(recent_originals_[which], id);
    duplicate_pairs_.emplace_back(recent_originals_[which].patient.id, id);
    recent_originals_.erase(recent_originals_.begin() + static_cast<std::ptrdiff_t>(which));
  } else {
    made = NewPerson(id);
    recent_originals_.push_back(made);
    if (recent_originals_.size() > kRecentOriginals) recent_originals_.pop_front();
  }
  AppendPatient(made.patient, rows);
  roster.Add(id, made.site, AudienceGroup(made.patient.birth_date, made.patient.sex, today_),
             made.patient.created_at_ms);
}

}  // namespace caredesk::demo
