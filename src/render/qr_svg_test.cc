#include "render/qr_svg.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace caredesk::render {
namespace {

using Matrix = std::vector<std::vector<bool>>;

constexpr std::string_view kUrl = "https://example.org/s/abc";

// A finder pattern with its top-left module at (row, column): a dark 7x7
// ring, a light ring inside it and a dark 3x3 centre.
bool IsFinderPattern(const Matrix& m, size_t row, size_t column) {
  for (size_t r = 0; r < 7; ++r) {
    for (size_t c = 0; c < 7; ++c) {
      const bool outer = r == 0 || r == 6 || c == 0 || c == 6;
      const bool centre = r >= 2 && r <= 4 && c >= 2 && c <= 4;
      if (m[row + r][column + c] != (outer || centre)) return false;
    }
  }
  return true;
}

TEST(QrModules, HasAVersionSizeAndThreeFinderPatterns) {
  auto modules = QrModules(kUrl);
  ASSERT_TRUE(modules.ok()) << modules.error().message;
  const size_t size = modules->size();
  ASSERT_GE(size, 21U);
  EXPECT_EQ((size - 21) % 4, 0U);
  EXPECT_EQ(size, 25U);  // 25 bytes at level M need version 2
  for (const auto& row : *modules) ASSERT_EQ(row.size(), size);
  EXPECT_TRUE(IsFinderPattern(*modules, 0, 0));
  EXPECT_TRUE(IsFinderPattern(*modules, 0, size - 7));
  EXPECT_TRUE(IsFinderPattern(*modules, size - 7, 0));
  EXPECT_FALSE(IsFinderPattern(*modules, size - 7, size - 7));
  // Timing pattern: row 6 alternates between the finder patterns.
  for (size_t c = 8; c < size - 8; ++c) EXPECT_EQ((*modules)[6][c], c % 2 == 0) << c;
}

TEST(QrModules, LongerTextNeedsALargerVersion) {
  auto small = QrModules("a");
  auto large = QrModules(std::string(500, 'a'));
  ASSERT_TRUE(small.ok() && large.ok());
  EXPECT_EQ(small->size(), 21U);
  EXPECT_GT(large->size(), small->size());
  EXPECT_EQ((large->size() - 21) % 4, 0U);
}

TEST(QrModules, RefusesEmptyAndOverlongText) {
  auto empty = QrModules("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty.error().field, "text");
  EXPECT_EQ(empty.error().reason, "empty");

  EXPECT_TRUE(QrModules(std::string(2331, 'a')).ok());  // the largest, version 40
  auto too_long = QrModules(std::string(2332, 'a'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().field, "text");
  EXPECT_EQ(too_long.error().reason, "too_long");
  EXPECT_FALSE(QrModules(std::string(100000, 'a')).ok());
}

TEST(QrSvg, IsAnAccessibleSvgElement) {
  auto svg = QrSvg(kUrl, "Case status page", 4);
  ASSERT_TRUE(svg.ok()) << svg.error().message;
  EXPECT_EQ(svg->rfind("<svg ", 0), 0U);
  EXPECT_EQ(svg->substr(svg->size() - 6), "</svg>");
  EXPECT_NE(svg->find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(svg->find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg->find("<title>Case status page</title>"), std::string::npos);
  // 25 modules and a quiet zone of 4 on each side, 4 px a module.
  EXPECT_NE(svg->find("viewBox=\"0 0 33 33\""), std::string::npos) << *svg;
  EXPECT_NE(svg->find("width=\"132\" height=\"132\""), std::string::npos) << *svg;
  size_t paths = 0;
  for (size_t at = svg->find("<path"); at != std::string::npos; at = svg->find("<path", at + 1)) ++paths;
  EXPECT_EQ(paths, 1U);

  auto large = QrSvg(kUrl, "Case status page", 10);
  ASSERT_TRUE(large.ok());
  EXPECT_NE(large->find("width=\"330\" height=\"330\""), std::string::npos);
}

TEST(QrSvg, EscapesTheTitle) {
  auto svg = QrSvg(kUrl, "a<b & \"c\"");
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find("<title>a&lt;b &amp; &quot;c&quot;</title>"), std::string::npos) << *svg;
  EXPECT_EQ(svg->find("a<b"), std::string::npos);
  auto control = QrSvg(kUrl, "x\x01y\xFFz");
  ASSERT_TRUE(control.ok());
  EXPECT_NE(control->find("<title>x y\xEF\xBF\xBDz</title>"), std::string::npos) << *control;
}

TEST(QrSvg, PathCoversExactlyTheDarkModules) {
  auto modules = QrModules(kUrl);
  auto svg = QrSvg(kUrl, "alt", 1);
  ASSERT_TRUE(modules.ok() && svg.ok());
  const size_t size = modules->size();
  Matrix drawn(size, std::vector<bool>(size));
  const size_t d = svg->find(" d=\"");
  ASSERT_NE(d, std::string::npos);
  const std::string path = svg->substr(d + 4, svg->find('"', d + 4) - d - 4);
  const std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  size_t covered = 0;
  for (std::sregex_iterator it(path.begin(), path.end(), run), end; it != end; ++it) {
    const size_t x = std::stoul((*it)[1]) - kQrQuietZoneModules;
    const size_t y = std::stoul((*it)[2]) - kQrQuietZoneModules;
    const size_t length = std::stoul((*it)[3]);
    ASSERT_EQ(length, std::stoul((*it)[4]));
    for (size_t k = 0; k < length; ++k) {
      ASSERT_LT(x + k, size);
      ASSERT_FALSE(drawn[y][x + k]);
      drawn[y][x + k] = true;
    }
    covered += it->length();
  }
  EXPECT_EQ(covered, path.size()) << "the path holds only runs";
  EXPECT_EQ(drawn, *modules);
}

TEST(QrSvg, RefusesEmptyTextAndBadScale) {
  auto empty = QrSvg("", "alt");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty.error().field, "text");
  auto zero = QrSvg(kUrl, "alt", 0);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().field, "scale");
  EXPECT_FALSE(QrSvg(kUrl, "alt", kMaxQrScale + 1).ok());
}

}  // namespace
}  // namespace caredesk::render
