#include "render/letter_pdf.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace caredesk::render {
namespace {

LetterPdfOptions SampleOptions() {
  LetterPdfOptions options;
  options.title = "Grievance decision CD-2026-000123-8";
  options.organization = "Riverside Community Hospital";
  options.footer = "Reference CD-2026-000123-8";
  return options;
}

std::vector<std::string> SampleLetter() {
  return {
      "Anna Smith\n12 Rue de l\u2019\u00c9glise\nSpringfield, IL 62704",
      "Dear Café Müller,",
      "We write about the grievance you filed on 3 November 2026 \u2013 thank you for telling us. "
      "Señora Ibáñez, our patient advocate, reviewed the records of your stay, spoke with Dr. Győri and the "
      "nursing staff, and met with the pharmacy team \u2014 “the whole team” — to understand what happened.",
      "Sincerely,\nJordan Lee\nPatient Relations Manager",
  };
}

std::vector<std::string> LongLetter(int paragraphs) {
  std::vector<std::string> letter;
  for (int i = 0; i < paragraphs; ++i) {
    letter.push_back("Paragraph " + std::to_string(i + 1) +
                     ": the review found that the appointment was rescheduled twice without notice, and that the "
                     "reminder letters were sent to an old address. We have corrected the address and apologise.");
  }
  return letter;
}

// The number of page objects ("/Type /Page", not "/Type /Pages").
int CountPages(const std::string& pdf) {
  int pages = 0;
  const std::string needle = "/Type /Page";
  for (size_t at = pdf.find(needle); at != std::string::npos; at = pdf.find(needle, at + 1)) {
    if (at + needle.size() < pdf.size() && pdf[at + needle.size()] != 's') ++pages;
  }
  return pages;
}

// An ASCII string as a PDF hexadecimal string in UTF-16BE with a byte order mark, as libharu writes text strings.
std::string Utf16Hex(std::string_view ascii) {
  std::string hex = "<FEFF";
  for (char c : ascii) {
    char digits[8];
    std::snprintf(digits, sizeof digits, "%04X", static_cast<unsigned>(c));
    hex += digits;
  }
  return hex + ">";
}

bool HavePdftotext() { return std::system("command -v pdftotext >/dev/null 2>&1") == 0; }

// The text of `pdf` by pdftotext (poppler-utils), in reading order.
std::string ExtractText(const std::string& pdf) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto file = dir / ("caredesk-render-test-" + std::to_string(::getpid()) + "-" +
                           std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())) + ".pdf");
  {
    std::ofstream out(file, std::ios::binary);
    out << pdf;
  }
  std::string text;
  const std::string command = "pdftotext -q -enc UTF-8 '" + file.string() + "' - 2>/dev/null";
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
    ::pclose(pipe);
  }
  std::filesystem::remove(file);
  return text;
}

TEST(RenderLetterPdf, IsAPdfDocument) {
  auto pdf = RenderLetterPdf(SampleLetter(), SampleOptions());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  std::string end = *pdf;
  while (!end.empty() && (end.back() == '\n' || end.back() == '\r')) end.pop_back();
  ASSERT_GE(end.size(), 5U);
  EXPECT_EQ(end.substr(end.size() - 5), "%%EOF");
  EXPECT_EQ(CountPages(*pdf), 1);
  // The title is in the document information, the fonts embedded (FontFile2) and no creation date written.
  EXPECT_TRUE(pdf->find("(Grievance decision CD-2026-000123-8)") != std::string::npos ||
              pdf->find(Utf16Hex("Grievance decision CD-2026-000123-8")) != std::string::npos);
  EXPECT_NE(pdf->find("/FontFile2"), std::string::npos);
  EXPECT_EQ(pdf->find("/CreationDate"), std::string::npos);
}

TEST(RenderLetterPdf, SameInputGivesSameBytes) {
  auto first = RenderLetterPdf(SampleLetter(), SampleOptions());
  auto second = RenderLetterPdf(SampleLetter(), SampleOptions());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(*first == *second);
  auto other = RenderLetterPdf({"Something else entirely"}, SampleOptions());
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*first == *other);
}

TEST(RenderLetterPdf, ConcurrentRendersAgree) {
  auto expected = RenderLetterPdf(LongLetter(30), SampleOptions());
  ASSERT_TRUE(expected.ok());
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&result] {
      auto pdf = RenderLetterPdf(LongLetter(30), SampleOptions());
      result = pdf.ok() ? *pdf : pdf.error().message;
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_TRUE(result == *expected);
}

TEST(RenderLetterPdf, LongTextContinuesOnNewPages) {
  auto pdf = RenderLetterPdf(LongLetter(200), SampleOptions());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  // 200 paragraphs of 2 lines and a blank line: about 600 lines, 46 a page.
  EXPECT_GE(CountPages(*pdf), 12);
  EXPECT_LE(CountPages(*pdf), 15);
  auto shorter = RenderLetterPdf(LongLetter(20), SampleOptions());
  ASSERT_TRUE(shorter.ok());
  EXPECT_EQ(CountPages(*shorter), 2);
}

TEST(RenderLetterPdf, EmptyLetterIsOnePage) {
  auto pdf = RenderLetterPdf({}, LetterPdfOptions{});
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  EXPECT_EQ(CountPages(*pdf), 1);
  auto blank = RenderLetterPdf({"", "  \n \n"}, LetterPdfOptions{});
  ASSERT_TRUE(blank.ok()) << blank.error().message;
  EXPECT_EQ(CountPages(*blank), 1);
}

TEST(RenderLetterPdf, MissingFontIsAnError) {
  LetterPdfOptions options = SampleOptions();
  options.font_dir = "/nonexistent/fonts";
  auto pdf = RenderLetterPdf(SampleLetter(), options);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.error().code, ErrorCode::kInternal);
  EXPECT_NE(pdf.error().message.find("/nonexistent/fonts/LiberationSerif-Regular.ttf"), std::string::npos)
      << pdf.error().message;
}

TEST(RenderLetterPdf, FontThatIsNotTrueTypeIsAnError) {
  const auto dir = std::filesystem::temp_directory_path() / ("caredesk-render-fonts-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char* name : {"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"}) {
    std::ofstream(dir / name) << "not a font";
  }
  LetterPdfOptions options = SampleOptions();
  options.font_dir = dir.string();
  auto pdf = RenderLetterPdf(SampleLetter(), options);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.error().code, ErrorCode::kInternal);
  EXPECT_NE(pdf.error().message.find("LiberationSerif-Regular.ttf"), std::string::npos) << pdf.error().message;
}

TEST(RenderLetterPdf, TextIsInThePdf) {
  if (!HavePdftotext()) GTEST_SKIP() << "pdftotext not installed (Debian package poppler-utils)";
  auto pdf = RenderLetterPdf(SampleLetter(), SampleOptions());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  const std::string text = ExtractText(*pdf);
  EXPECT_NE(text.find("Riverside Community Hospital"), std::string::npos) << text;
  EXPECT_NE(text.find("Dear Café Müller,"), std::string::npos) << text;
  // The line breaks inside the address and the signature are kept.
  EXPECT_NE(text.find("Anna Smith\n12 Rue de l\u2019\u00c9glise\nSpringfield, IL 62704"), std::string::npos) << text;
  EXPECT_NE(text.find("Sincerely,\nJordan Lee\nPatient Relations Manager"), std::string::npos) << text;
  for (const char* word : {"Señora", "Ibáñez", "Győri", "\u2013", "\u2014", "“the whole team”"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word << "\n" << text;
  }
  EXPECT_NE(text.find("Reference CD-2026-000123-8"), std::string::npos) << text;
  EXPECT_NE(text.find("Page 1 of 1"), std::string::npos) << text;
}

TEST(RenderLetterPdf, LongParagraphsWrapAndPagesAreNumbered) {
  if (!HavePdftotext()) GTEST_SKIP() << "pdftotext not installed (Debian package poppler-utils)";
  auto pdf = RenderLetterPdf(LongLetter(20), SampleOptions());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  const std::string text = ExtractText(*pdf);
  // Each paragraph wraps: its first and last words are on different lines.
  const size_t start = text.find("Paragraph 1:");
  const size_t end = text.find("apologise.", start);
  ASSERT_NE(start, std::string::npos) << text;
  ASSERT_NE(end, std::string::npos) << text;
  EXPECT_NE(text.substr(start, end - start).find('\n'), std::string::npos);
  EXPECT_NE(text.find("Page 1 of 2"), std::string::npos) << text;
  EXPECT_NE(text.find("Page 2 of 2"), std::string::npos) << text;
  EXPECT_NE(text.find("Paragraph 20:"), std::string::npos) << text;
}

// The lines "<prefix>-1" to "<prefix>-<n>" as one paragraph.
std::string NumberedLines(const std::string& prefix, int n) {
  std::string paragraph;
  for (int i = 1; i <= n; ++i) paragraph += (i > 1 ? "\n" : "") + prefix + "-" + std::to_string(i);
  return paragraph;
}

TEST(RenderLetterPdf, ParagraphsLeaveNoLoneLineAtAPageBreak) {
  if (!HavePdftotext()) GTEST_SKIP() << "pdftotext not installed (Debian package poppler-utils)";
  // A page holds 46 lines without a letterhead; pdftotext ends each page with a form feed.
  auto page_one = [](const std::string& text) { return text.substr(0, text.find('\f')); };
  // 44 lines and a blank one leave room for one line: the next paragraph starts on page 2.
  auto orphan = RenderLetterPdf({NumberedLines("first", 44), NumberedLines("second", 3)}, LetterPdfOptions{});
  ASSERT_TRUE(orphan.ok());
  std::string text = ExtractText(*orphan);
  EXPECT_NE(page_one(text).find("first-44"), std::string::npos) << text;
  EXPECT_EQ(page_one(text).find("second-1"), std::string::npos) << text;
  EXPECT_NE(text.find("second-3"), std::string::npos) << text;
  // 42 lines and a blank one leave room for three: a 4-line paragraph puts two on each page, not 3 + 1.
  auto widow = RenderLetterPdf({NumberedLines("first", 42), NumberedLines("second", 4)}, LetterPdfOptions{});
  ASSERT_TRUE(widow.ok());
  text = ExtractText(*widow);
  EXPECT_NE(page_one(text).find("second-2"), std::string::npos) << text;
  EXPECT_EQ(page_one(text).find("second-3"), std::string::npos) << text;
  EXPECT_NE(text.find("second-4"), std::string::npos) << text;
  EXPECT_NE(text.find("Page 2 of 2"), std::string::npos) << text;
  // A paragraph longer than a page simply continues.
  auto long_paragraph = RenderLetterPdf({NumberedLines("line", 100)}, LetterPdfOptions{});
  ASSERT_TRUE(long_paragraph.ok());
  EXPECT_EQ(CountPages(*long_paragraph), 3);
  text = ExtractText(*long_paragraph);
  EXPECT_NE(page_one(text).find("line-46"), std::string::npos) << text;
  EXPECT_EQ(page_one(text).find("line-47"), std::string::npos) << text;
}

TEST(RenderLetterPdf, MissingGlyphsBecomeQuestionMarks) {
  if (!HavePdftotext()) GTEST_SKIP() << "pdftotext not installed (Debian package poppler-utils)";
  // U+4E2D (CJK) and U+1F600 (emoji) are not in Liberation Serif; "\xFF" is not UTF-8; a tab is a space.
  auto pdf = RenderLetterPdf({"A\u4E2DB \U0001F600 C\xFFz\tE"}, LetterPdfOptions{});
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  const std::string text = ExtractText(*pdf);
  EXPECT_NE(text.find("A?B ? C?z E"), std::string::npos) << text;
}

TEST(RenderLetterPdf, OverlongWordsAndFootersFit) {
  if (!HavePdftotext()) GTEST_SKIP() << "pdftotext not installed (Debian package poppler-utils)";
  LetterPdfOptions options;
  options.footer = std::string(300, 'f');
  auto pdf = RenderLetterPdf({std::string(400, 'x')}, options);
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  const std::string text = ExtractText(*pdf);
  // The word is split over several lines with nothing lost; the footer is shortened.
  std::string xs;
  for (char c : text) {
    if (c == 'x') xs += c;
  }
  EXPECT_EQ(xs.size(), 400U);
  EXPECT_NE(text.find("x\nx"), std::string::npos) << text;
  EXPECT_NE(text.find("f\u2026"), std::string::npos) << text;
  EXPECT_EQ(text.find(std::string(300, 'f')), std::string::npos) << text;
  EXPECT_NE(text.find("Page 1 of 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace caredesk::render
