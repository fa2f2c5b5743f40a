#include "domain/patients/patient.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

constexpr CivilDate kToday{2025, 6, 15};

Patient ValidPatient() {
  Patient p;
  p.given_name = "John";
  p.family_name = "Smith";
  p.birth_date = {1980, 3, 4};
  p.sex = "male";
  p.phone = "(555) 123-4567";
  return p;
}

// The field and message of the error `p` fails with, or "" when it passes.
std::string FailingField(Patient p) {
  const Status s = ValidateAndNormalize(p, kToday);
  return s.ok() ? "" : s.error().field;
}

TEST(ValidateAndNormalize, AcceptsAMinimalPatient) {
  Patient p = ValidPatient();
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.phone, "5551234567");
  EXPECT_EQ(p.preferred_contact_method, "phone");
}

TEST(ValidateAndNormalize, TrimsNamesAndCollapsesInnerSpaces) {
  Patient p = ValidPatient();
  p.given_name = "  Mary \t  Ann ";
  p.middle_name = "   ";
  p.family_name = " de  la   Cruz ";
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.given_name, "Mary Ann");
  EXPECT_EQ(p.middle_name, "");
  EXPECT_EQ(p.family_name, "de la Cruz");
}

TEST(ValidateAndNormalize, RequiresGivenAndFamilyNames) {
  Patient p = ValidPatient();
  p.family_name = "  ";
  const Status s = ValidateAndNormalize(p, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "family_name");
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message, "family name is required");

  p = ValidPatient();
  p.given_name = "";
  EXPECT_EQ(FailingField(p), "given_name");
}

TEST(ValidateAndNormalize, LimitsNamesToOneHundredCharacters) {
  Patient p = ValidPatient();
  p.family_name = std::string(100, 'a');
  EXPECT_EQ(FailingField(p), "");
  p.family_name = std::string(101, 'a');
  EXPECT_EQ(FailingField(p), "family_name");
  // Characters, not bytes: 100 × "é" is 200 bytes.
  p.family_name.clear();
  for (int i = 0; i < 100; ++i) p.family_name += "é";
  EXPECT_EQ(FailingField(p), "");
}

TEST(ValidateAndNormalize, RejectsNamesWithoutLetters) {
  Patient p = ValidPatient();
  p.given_name = "1234";
  EXPECT_EQ(FailingField(p), "given_name");
  p.given_name = "Zoë";
  EXPECT_EQ(FailingField(p), "");
  p.given_name = "Иван";
  EXPECT_EQ(FailingField(p), "");
}

TEST(ValidateAndNormalize, ChecksSex) {
  Patient p = ValidPatient();
  p.sex = " Female ";
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.sex, "female");
  p.sex = "f";
  EXPECT_EQ(FailingField(p), "sex");
  p.sex = "";
  EXPECT_EQ(FailingField(p), "sex");
}

TEST(ValidateAndNormalize, NormalizesPhonesPeopleType) {
  for (const char* typed : {"(555) 123-4567", "555.123.4567", "555 123 4567", "5551234567"}) {
    Patient p = ValidPatient();
    p.phone = typed;
    ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok()) << typed;
    EXPECT_EQ(p.phone, "5551234567") << typed;
  }
  Patient p = ValidPatient();
  p.phone = "+44 20 7946 0958";
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.phone, "+442079460958");
}

TEST(ValidateAndNormalize, RejectsMalformedPhones) {
  Patient p = ValidPatient();
  p.phone = "555-1234x12";
  EXPECT_EQ(FailingField(p), "phone");
  p.phone = "123456";  // six digits
  EXPECT_EQ(FailingField(p), "phone");
  p.phone = "1234567890123456";  // sixteen
  EXPECT_EQ(FailingField(p), "phone");
  p.phone = "55+5123456";
  EXPECT_EQ(FailingField(p), "phone");
}

TEST(ValidateAndNormalize, LowercasesAndChecksEmail) {
  Patient p = ValidPatient();
  p.email = "  John.Smith@Example.ORG ";
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.email, "john.smith@example.org");
  for (const char* bad :
       {"john", "john@", "@example.org", "john@example", "jo hn@example.org", "john@@example.org",
        "john@example.c", "john..smith@example.org", "john@-example.org"}) {
    p = ValidPatient();
    p.email = bad;
    EXPECT_EQ(FailingField(p), "email") << bad;
  }
}

TEST(ValidateAndNormalize, RejectsBirthDatesInTheFutureOrBefore1900) {
  Patient p = ValidPatient();
  p.birth_date = kToday;
  EXPECT_EQ(FailingField(p), "");
  p.birth_date = kToday.AddDays(1);
  EXPECT_EQ(FailingField(p), "birth_date");
  p.birth_date = {1899, 12, 31};
  EXPECT_EQ(FailingField(p), "birth_date");
  p.birth_date = {1900, 1, 1};
  EXPECT_EQ(FailingField(p), "");
  p.birth_date = {2001, 2, 29};
  EXPECT_EQ(FailingField(p), "birth_date");
}

TEST(ValidateAndNormalize, DefaultsContactMethodAndChecksItIsUsable) {
  Patient p = ValidPatient();
  p.phone = "";
  EXPECT_EQ(FailingField(p), "");  // the default does not demand a phone

  p = ValidPatient();
  p.preferred_contact_method = "Email";
  EXPECT_EQ(FailingField(p), "email");
  p.email = "john@example.org";
  ASSERT_EQ(FailingField(p), "");

  p = ValidPatient();
  p.preferred_contact_method = "carrier pigeon";
  EXPECT_EQ(FailingField(p), "preferred_contact_method");

  p = ValidPatient();
  p.preferred_contact_method = "mail";
  EXPECT_EQ(FailingField(p), "address.line1");
}

TEST(ValidateAndNormalize, TheDefaultContactMethodIsUsableAndPassesAgain) {
  // Found by fuzz_fhir_patient: a patient without a phone was stored with "phone", and then refused
  // when sent back unchanged.
  Patient p = ValidPatient();
  p.phone = "";
  p.email = "john@example.org";
  ASSERT_EQ(FailingField(p), "");
  Patient normalized = p;
  ASSERT_TRUE(ValidateAndNormalize(normalized, kToday).ok());
  EXPECT_EQ(normalized.preferred_contact_method, "email");
  EXPECT_TRUE(ValidateAndNormalize(normalized, kToday).ok());

  p.email = "";
  normalized = p;
  ASSERT_TRUE(ValidateAndNormalize(normalized, kToday).ok());
  EXPECT_EQ(normalized.preferred_contact_method, "phone");  // nothing usable: the placeholder
  EXPECT_TRUE(ValidateAndNormalize(normalized, kToday).ok());
}

TEST(ValidateAndNormalize, CanonicalizesLanguageTags) {
  Patient p = ValidPatient();
  p.preferred_language = "PT_br";
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.preferred_language, "pt-BR");
  p.preferred_language = "zh-hant-tw";
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.preferred_language, "zh-Hant-TW");
  p.preferred_language = "es-419";
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  for (const char* bad : {"english", "e", "en-", "en-x", "12"}) {
    p = ValidPatient();
    p.preferred_language = bad;
    EXPECT_EQ(FailingField(p), "preferred_language") << bad;
  }
}

TEST(ValidateAndNormalize, NormalizesAddress) {
  Patient p = ValidPatient();
  p.address = {" 1 Main  St ", "", " Springfield ", "IL", " sw1a  1aa ", "gb"};
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.address.line1, "1 Main St");
  EXPECT_EQ(p.address.postal_code, "SW1A 1AA");
  EXPECT_EQ(p.address.country, "GB");
  p.address.country = "USA";
  EXPECT_EQ(FailingField(p), "address.country");
}

TEST(ValidateAndNormalize, RequiresNameAndPhoneOfAnEmergencyContact) {
  Patient p = ValidPatient();
  p.emergency_contact = {"Jane Smith", "spouse", ""};
  EXPECT_EQ(FailingField(p), "emergency_contact.phone");
  p.emergency_contact = {"", "", "555 987 6543"};
  EXPECT_EQ(FailingField(p), "emergency_contact.name");
  p.emergency_contact = {"Jane Smith", "spouse", "555-98"};
  EXPECT_EQ(FailingField(p), "emergency_contact.phone");
  p.emergency_contact = {" Jane  Smith ", "spouse", "555.987.6543"};
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.emergency_contact.name, "Jane Smith");
  EXPECT_EQ(p.emergency_contact.phone, "5559876543");
}

TEST(ValidateAndNormalize, NamesTheCoverageThatFails) {
  Patient p = ValidPatient();
  p.coverages.push_back({1, "Acme Health", "A123", "", "", CivilDate{2024, 1, 1}, std::nullopt});
  p.coverages.push_back(
      {2, "Beta Care", "B9", "G1", "Spouse", CivilDate{2024, 5, 1}, CivilDate{2024, 4, 30}});
  const Status s = ValidateAndNormalize(p, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "coverages[1].end_date");
  EXPECT_EQ(p.coverages[0].relationship, "self");  // defaulted
  EXPECT_EQ(p.coverages[1].relationship, "spouse");

  p.coverages[1].end_date = CivilDate{2024, 5, 1};
  EXPECT_EQ(FailingField(p), "");
  p.coverages[1].relationship = "cousin";
  EXPECT_EQ(FailingField(p), "coverages[1].relationship");
  p.coverages[1].relationship = "child";
  p.coverages[0].member_id = " ";
  EXPECT_EQ(FailingField(p), "coverages[0].member_id");
}

TEST(ValidateAndNormalize, ChecksConsents) {
  Patient p = ValidPatient();
  p.consents.push_back({"Treatment", true, {2025, 1, 2}});
  p.consents.push_back({"marketing", true, {2025, 1, 2}});
  EXPECT_EQ(FailingField(p), "consents[1].kind");
  p.consents[1] = {"research", false, kToday.AddDays(1)};
  EXPECT_EQ(FailingField(p), "consents[1].date");
  p.consents[1].date = kToday;
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.consents[0].kind, "treatment");
}

TEST(ValidateAndNormalize, AcceptsOnlySystemIssuedMrns) {
  Patient p = ValidPatient();
  p.mrn = "mrn00000018";
  ASSERT_TRUE(ValidateAndNormalize(p, kToday).ok());
  EXPECT_EQ(p.mrn, "MRN00000018");
  p.mrn = "MRN00000019";
  EXPECT_EQ(FailingField(p), "mrn");
}

TEST(FormatMrn, AppendsALuhnCheckDigit) {
  EXPECT_EQ(FormatMrn(0), "MRN00000000");
  EXPECT_EQ(FormatMrn(1), "MRN00000018");
  EXPECT_EQ(FormatMrn(1234567), "MRN12345674");
  EXPECT_EQ(FormatMrn(9999999).size(), 11u);
  EXPECT_EQ(FormatMrn(12345678), "MRN123456782");  // grows past seven digits
}

TEST(IsMrnShaped, AcceptsIssuedMrnsAndCatchesTypos) {
  for (int64_t seq : {0, 1, 42, 1234567, 9999999, 12345678}) {
    EXPECT_TRUE(IsMrnShaped(FormatMrn(seq))) << seq;
  }
  EXPECT_TRUE(IsMrnShaped("mrn00000018"));
  EXPECT_FALSE(IsMrnShaped("MRN00000017"));  // one digit off
  EXPECT_FALSE(IsMrnShaped("MRN00000081"));  // transposed
  EXPECT_FALSE(IsMrnShaped("MRN0000018"));   // too short
  EXPECT_FALSE(IsMrnShaped("ABC00000018"));
  EXPECT_FALSE(IsMrnShaped("MRN0000001A"));
}

TEST(NormalizePhone, NamesTheField) {
  const Result<std::string> r = NormalizePhone("12", "emergency_contact.phone");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "emergency_contact.phone");
  EXPECT_EQ(*NormalizePhone("  ", "phone"), "");
}

}  // namespace
}  // namespace caredesk
