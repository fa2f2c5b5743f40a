#include "http/static_files.h"

#include <fstream>
#include <random>

#include <gtest/gtest.h>

namespace caredesk::http {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A built SPA in a fresh temporary directory, plus a secret beside it.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("caredesk_static_" + std::to_string(std::random_device{}()));
    fs::remove_all(base_);
    root_ = base_ / "dist";
    WriteFile(root_ / "index.html", "<!doctype html><title>CareDesk</title>");
    WriteFile(root_ / "assets" / "app-1f3a.js", "console.log(1)");
    WriteFile(root_ / "favicon.ico", "ico");
    WriteFile(base_ / "secret.txt", "do not serve");
    fs::create_directory_symlink(base_, root_ / "escape");
    auto files = StaticFiles::Open(root_);
    ASSERT_TRUE(files.ok());
    files_ = std::move(files).value();
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
  fs::path root_;
  std::unique_ptr<StaticFiles> files_;
};

TEST_F(StaticFilesTest, ServesAssetsImmutable) {
  auto file = files_->Load("/assets/app-1f3a.js");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(*file->body, "console.log(1)");
  EXPECT_EQ(file->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(file->cache_control, "public, max-age=31536000, immutable");
}

TEST_F(StaticFilesTest, ServesIndexForRootAndClientRoutes) {
  for (std::string_view path : {"/", "/index.html", "/patients/42", "/schedule"}) {
    auto file = files_->Load(path);
    ASSERT_TRUE(file.ok()) << path;
    EXPECT_EQ(*file->body, "<!doctype html><title>CareDesk</title>") << path;
    EXPECT_EQ(file->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(file->cache_control, "no-cache");
  }
}

TEST_F(StaticFilesTest, MissingAssetIsNotFoundRatherThanHtml) {
  auto file = files_->Load("/assets/missing.js");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code, ErrorCode::kNotFound);
}

TEST_F(StaticFilesTest, RefusesTraversal) {
  for (std::string_view path : {"/../secret.txt", "/assets/../../secret.txt", "/..", "/escape/secret.txt",
                                "/a\\..\\secret.txt"}) {
    auto file = files_->Load(path);
    ASSERT_FALSE(file.ok()) << path;
    EXPECT_EQ(file.error().code, ErrorCode::kNotFound) << path;
  }
}

TEST_F(StaticFilesTest, CachesFilesAfterFirstReadUnderTheirNormalPath) {
  EXPECT_EQ(files_->FindCached("/favicon.ico"), nullptr);
  ASSERT_TRUE(files_->Load("/favicon.ico").ok());
  const StaticFiles::File* cached = files_->FindCached("/favicon.ico");
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached->content_type, "image/x-icon");
  fs::remove(root_ / "favicon.ico");
  EXPECT_EQ(*files_->Load("/favicon.ico")->body, "ico");

  ASSERT_TRUE(files_->Load("/./assets//app-1f3a.js").ok());
  EXPECT_EQ(files_->FindCached("/./assets//app-1f3a.js"), nullptr);
}

TEST_F(StaticFilesTest, OnlyGetAndHeadOutsideTheApiAreStatic) {
  EXPECT_TRUE(StaticFiles::Handles("GET", "/patients"));
  EXPECT_TRUE(StaticFiles::Handles("HEAD", "/"));
  EXPECT_FALSE(StaticFiles::Handles("POST", "/patients"));
  EXPECT_FALSE(StaticFiles::Handles("GET", "/api/v1/patients"));
  EXPECT_FALSE(StaticFiles::Handles("GET", "/fhir/R4/Patient"));
  EXPECT_FALSE(StaticFiles::Handles("GET", "/fhir"));
  EXPECT_TRUE(StaticFiles::Handles("GET", "/fhirish"));
  EXPECT_FALSE(StaticFiles::Handles("GET", "/healthz"));
  EXPECT_FALSE(StaticFiles::Handles("GET", "/metrics"));
}

TEST(StaticFiles, OpenRefusesAMissingDirectory) {
  EXPECT_FALSE(StaticFiles::Open("/nonexistent/caredesk/dist").ok());
}

TEST(StaticFiles, KnowsTheContentTypesOfAViteBuild) {
  EXPECT_EQ(StaticFiles::ContentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeFor("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentTypeFor("a.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::ContentTypeFor("a.js.map"), "application/json");
  EXPECT_EQ(StaticFiles::ContentTypeFor("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace caredesk::http
