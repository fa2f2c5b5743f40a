#include "storage/testing/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "storage/migrations.h"
#include "storage/postgres/pg_connection.h"

namespace caredesk::testing {
namespace {

std::atomic<int> g_counter{0};

std::string WithDatabase(const std::string& url, const std::string& name) {
  // postgresql://user@host:port/db?opts -> replace the path.
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  auto query = url.find('?');
  std::string base = slash == std::string::npos ? url : url.substr(0, slash);
  std::string opts = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + name + opts;
}

}  // namespace

std::string BackendName(Backend b) { return b == Backend::kSqlite ? "sqlite" : "postgres"; }

std::vector<Backend> AllBackends() {
  const char* only = std::getenv("CAREDESK_TEST_SQLITE_ONLY");
  if (only != nullptr && std::string(only) == "1") return {Backend::kSqlite};
  return {Backend::kSqlite, Backend::kPostgres};
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::Create(Backend backend, int pool_size) {
  auto t = std::make_unique<TestDatabase>();
  int n = g_counter.fetch_add(1);
  if (backend == Backend::kSqlite) {
    auto dir = std::filesystem::temp_directory_path() /
               ("caredesk-test-" + std::to_string(getpid()) + "-" + std::to_string(n));
    std::filesystem::create_directories(dir);
    t->temp_dir_ = dir.string();
    t->target_ = (dir / "test.db").string();
  } else {
    const char* url = std::getenv("CAREDESK_TEST_PG_URL");
    if (url == nullptr || *url == '\0') {
      return Error::Unavailable(
          "CAREDESK_TEST_PG_URL is not set: PostgreSQL tests need a server (make test starts one; "
          "set CAREDESK_TEST_SQLITE_ONLY=1 to run only the SQLite cases)");
    }
    t->admin_url_ = url;
    t->db_name_ = "cd_test_" + std::to_string(getpid()) + "_" + std::to_string(n);
    CD_ASSIGN_OR_RETURN(auto admin, db::PgConnection::Open(t->admin_url_));
    (void)admin->ExecScript("DROP DATABASE IF EXISTS " + t->db_name_);
    CD_RETURN_IF_ERROR(admin->ExecScript("CREATE DATABASE " + t->db_name_));
    t->target_ = WithDatabase(t->admin_url_, t->db_name_);
  }
  CD_ASSIGN_OR_RETURN(t->pool_, db::Pool::Open(t->target_, pool_size));
  {
    auto conn = t->pool_->Acquire();
    CD_ASSIGN_OR_RETURN(auto report, db::ApplyMigrations(*conn, db::EmbeddedMigrations(), 0));
    (void)report;
  }
  return t;
}

TestDatabase::~TestDatabase() {
  pool_.reset();
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
  if (!db_name_.empty()) {
    if (auto admin = db::PgConnection::Open(admin_url_); admin.ok()) {
      (void)(*admin)->ExecScript("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
    }
  }
}

}  // namespace caredesk::testing
