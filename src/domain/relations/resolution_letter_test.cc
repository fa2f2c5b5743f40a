#include "domain/relations/resolution_letter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace caredesk::relations {
namespace {

ResolutionLetter Complete() {
  ResolutionLetter l;
  l.patient_name = "Ana Silva";
  l.organization_name = "Riverside Clinic";
  l.contact_name = "Jordan Lee";
  l.contact_title = "Patient Relations Manager";
  l.contact_phone = "(555) 010-4477 ext. 12";
  l.investigation_steps = "We reviewed your record.\n\nWe interviewed the staff on duty.";
  l.results = "Your discharge instructions were incomplete; the unit has changed its checklist.";
  l.received_date = CivilDate{2026, 3, 2};
  l.completion_date = CivilDate{2026, 3, 20};
  l.letter_date = CivilDate{2026, 3, 23};
  l.reference_number = "CD-2026-000123-8";
  return l;
}

LetterTemplate DefaultTemplate() {
  auto t = ParseResolutionLetterTemplate(DefaultResolutionLetterTemplate());
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return *t;
}

TEST(ResolutionLetter, CompleteLetterRendersEveryRequiredElement) {
  auto r = RenderResolutionLetter(DefaultTemplate(), Complete());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string text = r->ToPlainText();
  for (std::string_view element :
       {"Jordan Lee", "Patient Relations Manager", "(555) 010-4477 ext. 12", "We reviewed your record.",
        "We interviewed the staff on duty.", "the unit has changed its checklist", "completed on March 20, 2026",
        "received on March 2, 2026", "March 23, 2026", "CD-2026-000123-8"}) {
    EXPECT_NE(text.find(element), std::string::npos) << element;
  }
  EXPECT_EQ(text.find("{{"), std::string::npos);
  EXPECT_EQ(text.find('<'), std::string::npos);
  // The investigation steps stay two paragraphs.
  EXPECT_NE(std::find(r->paragraphs.begin(), r->paragraphs.end(), "We interviewed the staff on duty."),
            r->paragraphs.end());
}

TEST(ResolutionLetter, EmptyOptionalRecourseLeavesNoBlankParagraph) {
  ResolutionLetter with = Complete();
  with.further_recourse = "You may also contact the State Department of Health or Livanta, the QIO.";
  auto a = RenderResolutionLetter(DefaultTemplate(), Complete());
  auto b = RenderResolutionLetter(DefaultTemplate(), with);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->paragraphs.size(), a->paragraphs.size() + 1);
  for (const std::string& p : a->paragraphs) EXPECT_FALSE(p.empty());
}

TEST(ResolutionLetter, ValidationNamesTheMissingField) {
  struct Case {
    std::string field;
    std::function<void(ResolutionLetter&)> clear;
  };
  const std::vector<Case> cases = {
      {"patient_name", [](ResolutionLetter& l) { l.patient_name.clear(); }},
      {"organization_name", [](ResolutionLetter& l) { l.organization_name = "  "; }},
      {"contact_name", [](ResolutionLetter& l) { l.contact_name.clear(); }},
      {"contact_title", [](ResolutionLetter& l) { l.contact_title.clear(); }},
      {"contact_phone", [](ResolutionLetter& l) { l.contact_phone.clear(); }},
      {"investigation_steps", [](ResolutionLetter& l) { l.investigation_steps = "\n\n"; }},
      {"results", [](ResolutionLetter& l) { l.results.clear(); }},
      {"received_date", [](ResolutionLetter& l) { l.received_date.reset(); }},
      {"completion_date", [](ResolutionLetter& l) { l.completion_date.reset(); }},
      {"letter_date", [](ResolutionLetter& l) { l.letter_date.reset(); }},
  };
  for (const Case& c : cases) {
    ResolutionLetter l = Complete();
    c.clear(l);
    auto st = ValidateResolutionLetter(l);
    ASSERT_FALSE(st.ok()) << c.field;
    EXPECT_EQ(st.error().field, c.field);
    EXPECT_EQ(st.error().reason, "required") << c.field;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(RenderResolutionLetter(DefaultTemplate(), l).ok());
  }
  ResolutionLetter no_reference = Complete();
  no_reference.reference_number.clear();
  EXPECT_TRUE(ValidateResolutionLetter(no_reference).ok());
}

TEST(ResolutionLetter, ChecksPhoneAndDates) {
  for (std::string_view good : {"555-010-4477", "+1 (555) 010 4477", "555.010.4477 x12", "+44 20 7946 0958"}) {
    ResolutionLetter l = Complete();
    l.contact_phone = std::string(good);
    EXPECT_TRUE(ValidateResolutionLetter(l).ok()) << good;
  }
  for (std::string_view bad : {"call the desk", "12345", "555-010-4477 ext", "555 010 4477 ext 1234567"}) {
    ResolutionLetter l = Complete();
    l.contact_phone = std::string(bad);
    auto st = ValidateResolutionLetter(l);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().field, "contact_phone");
    EXPECT_EQ(st.error().reason, "invalid_phone");
  }

  ResolutionLetter early = Complete();
  early.completion_date = CivilDate{2026, 3, 1};
  EXPECT_EQ(ValidateResolutionLetter(early).error().reason, "before_received");
  EXPECT_EQ(ValidateResolutionLetter(early).error().field, "completion_date");

  ResolutionLetter after = Complete();
  after.completion_date = CivilDate{2026, 3, 24};
  EXPECT_EQ(ValidateResolutionLetter(after).error().reason, "after_letter_date");

  ResolutionLetter impossible = Complete();
  impossible.letter_date = CivilDate{2026, 2, 30};
  EXPECT_EQ(ValidateResolutionLetter(impossible).error().field, "letter_date");
  EXPECT_EQ(ValidateResolutionLetter(impossible).error().reason, "invalid_date");

  ResolutionLetter long_results = Complete();
  long_results.results = std::string(kMaxLetterTextField + 1, 'x');
  EXPECT_EQ(ValidateResolutionLetter(long_results).error().reason, "too_long");
}

TEST(ResolutionLetter, TemplateMustKeepEveryRequiredElement) {
  std::string edited(DefaultResolutionLetterTemplate());
  const std::string steps = "{{investigation_steps}}";
  edited.replace(edited.find(steps), steps.size(), "(see attached)");
  auto t = ParseResolutionLetterTemplate(edited);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().field, "template");
  EXPECT_EQ(t.error().reason, "missing_required_placeholder");
  EXPECT_NE(t.error().message.find("{{investigation_steps}}"), std::string::npos);
}

TEST(ResolutionLetter, ManagerEditedTemplateRenders) {
  auto t = ParseResolutionLetterTemplate(
      "{{letter_date}}\n\nDear {{patient_name}},\n\nWe looked into it:\n{{investigation_steps}}\n\n"
      "Outcome: {{results}}\n\nClosed {{completion_date}}. Questions: {{contact_name}} ({{contact_title}}), "
      "{{contact_phone}}.");
  ASSERT_TRUE(t.ok());
  auto r = RenderResolutionLetter(*t, Complete());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->paragraphs.front(), "March 23, 2026");
  EXPECT_EQ(r->paragraphs.back(),
            "Closed March 20, 2026. Questions: Jordan Lee (Patient Relations Manager), (555) 010-4477 ext. 12.");

  auto unknown = ParseResolutionLetterTemplate("{{patient_ssn}} {{contact_name}}");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().reason, "unknown_placeholder");
  EXPECT_NE(unknown.error().message.find("patient_ssn"), std::string::npos);
}

TEST(ResolutionLetter, FormatsDatesForPeople) {
  EXPECT_EQ(FormatLetterDate(CivilDate{2026, 3, 10}), "March 10, 2026");
  EXPECT_EQ(FormatLetterDate(CivilDate{2025, 12, 1}), "December 1, 2025");
}

}  // namespace
}  // namespace caredesk::relations
