#include "cli/config.h"
#include "cli/malloc_tuning.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace caredesk {
namespace {

TEST(Config, ListenAddressSplitsHostAndPort) {
  Config c;
  c.listen = "127.0.0.1:18080";
  auto a = c.ListenAddress();
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->first, "127.0.0.1");
  EXPECT_EQ(a->second, 18080);
  c.listen = "[::1]:9000";
  EXPECT_EQ(c.ListenAddress()->first, "::1");
  c.listen = "localhost";
  EXPECT_EQ(c.ListenAddress().error().field, "listen");
  c.listen = "h:99999";
  EXPECT_FALSE(c.ListenAddress().ok());
}

TEST(Config, FileThenEnvironmentInOrder) {
  auto path = std::filesystem::temp_directory_path() / "caredesk-config-test.toml";
  {
    std::ofstream out(path);
    out << "db = \"/tmp/from-file.db\"\nlisten = \"127.0.0.1:7000\"\nworker_threads = 3\naccess_log = false\n";
  }
  Config c;
  ASSERT_TRUE(LoadConfigFile(path.string(), c).ok());
  EXPECT_EQ(c.db, "/tmp/from-file.db");
  EXPECT_EQ(c.worker_threads, 3);
  EXPECT_FALSE(c.access_log);
  setenv("CAREDESK_DB", "/tmp/from-env.db", 1);
  setenv("CAREDESK_WORKER_THREADS", "5", 1);
  ASSERT_TRUE(ApplyEnvironment(c).ok());
  EXPECT_EQ(c.db, "/tmp/from-env.db");
  EXPECT_EQ(c.worker_threads, 5);
  EXPECT_EQ(c.listen, "127.0.0.1:7000");
  setenv("CAREDESK_WORKER_THREADS", "many", 1);
  EXPECT_FALSE(ApplyEnvironment(c).ok());
  unsetenv("CAREDESK_DB");
  unsetenv("CAREDESK_WORKER_THREADS");
  std::filesystem::remove(path);
}

TEST(Config, AlertAndMailSettingsComeFromTheFileAndTheEnvironment) {
  auto path = std::filesystem::temp_directory_path() / "caredesk-config-alerts.toml";
  {
    std::ofstream out(path);
    out << "metric_alert_seconds = 600\npublic_url = \"https://caredesk.clinic.example\"\n"
           "mail_from = \"alerts@clinic.example\"\n";
  }
  Config c;
  EXPECT_EQ(c.metric_alert_seconds, 3600);
  ASSERT_TRUE(LoadConfigFile(path.string(), c).ok());
  EXPECT_EQ(c.metric_alert_seconds, 600);
  EXPECT_EQ(c.public_url, "https://caredesk.clinic.example");
  EXPECT_EQ(c.mail_from, "alerts@clinic.example");
  setenv("CAREDESK_PUBLIC_URL", "https://desk.example", 1);
  setenv("CAREDESK_MAIL_FROM", "desk@clinic.example", 1);
  ASSERT_TRUE(ApplyEnvironment(c).ok());
  EXPECT_EQ(c.public_url, "https://desk.example");
  EXPECT_EQ(c.mail_from, "desk@clinic.example");
  unsetenv("CAREDESK_PUBLIC_URL");
  unsetenv("CAREDESK_MAIL_FROM");
  std::filesystem::remove(path);
}

TEST(Config, MllpSettingsComeFromTheFileAndTheEnvironment) {
  Config c;
  EXPECT_TRUE(c.mllp.empty());  // off unless asked for
  EXPECT_EQ(c.mllp_max_frame_bytes, 1 << 20);
  auto path = std::filesystem::temp_directory_path() / "caredesk-config-mllp.toml";
  {
    std::ofstream out(path);
    out << "mllp = \"127.0.0.1:2575\"\nmllp_tls_cert = \"/etc/cd/cert.pem\"\nmllp_max_connections = 32\n"
           "mllp_idle_timeout_seconds = 60\n";
  }
  ASSERT_TRUE(LoadConfigFile(path.string(), c).ok());
  EXPECT_EQ(c.mllp_tls_cert, "/etc/cd/cert.pem");
  EXPECT_EQ(c.mllp_max_connections, 32);
  EXPECT_EQ(c.mllp_idle_timeout_seconds, 60);
  ASSERT_TRUE(c.MllpAddress().ok());
  EXPECT_EQ(c.MllpAddress()->second, 2575);
  setenv("CAREDESK_MLLP", "0.0.0.0:2576", 1);
  setenv("CAREDESK_MLLP_TLS_KEY", "/etc/cd/key.pem", 1);
  setenv("CAREDESK_MLLP_MAX_FRAME_BYTES", "65536", 1);
  ASSERT_TRUE(ApplyEnvironment(c).ok());
  EXPECT_EQ(c.MllpAddress()->first, "0.0.0.0");
  EXPECT_EQ(c.MllpAddress()->second, 2576);
  EXPECT_EQ(c.mllp_tls_key, "/etc/cd/key.pem");
  EXPECT_EQ(c.mllp_max_frame_bytes, 65536);
  c.mllp = "2575";
  EXPECT_EQ(c.MllpAddress().error().field, "mllp");
  unsetenv("CAREDESK_MLLP");
  unsetenv("CAREDESK_MLLP_TLS_KEY");
  unsetenv("CAREDESK_MLLP_MAX_FRAME_BYTES");
  std::filesystem::remove(path);
}

TEST(Config, BadFileIsAnError) {
  auto path = std::filesystem::temp_directory_path() / "caredesk-bad.toml";
  {
    std::ofstream out(path);
    out << "db = \n";
  }
  Config c;
  EXPECT_FALSE(LoadConfigFile(path.string(), c).ok());
  std::filesystem::remove(path);
}

TEST(BulkMallocTunablesTest, AddsHugePagesUnlessTheEnvironmentChoseThem) {
  EXPECT_EQ(BulkMallocTunables(std::nullopt), std::string(kBulkMallocTunables));
  EXPECT_EQ(BulkMallocTunables(""), std::string(kBulkMallocTunables));
  EXPECT_EQ(BulkMallocTunables("glibc.malloc.arena_max=2"),
            std::string("glibc.malloc.arena_max=2:") + kBulkMallocTunables);
  EXPECT_EQ(BulkMallocTunables("glibc.malloc.hugetlb=0"), std::nullopt) << "the operator's choice stands";
}

}  // namespace
}  // namespace caredesk
