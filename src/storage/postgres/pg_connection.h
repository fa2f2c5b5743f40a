// PostgreSQL implementation of db::Connection over libpq. Statements are
// prepared once per connection and executed with text parameters; integer,
// float and boolean columns come back typed. Not thread-safe; the pool hands
// each connection to one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "storage/db.h"

struct pg_conn;

namespace caredesk::db {

class PgConnection final : public Connection {
 public:
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url);
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}  // takes ownership; use Open()
  ~PgConnection() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  Result<ResultSet> Query(std::string_view sql, Params params) override;
  Result<ResultSet> QueryBuilt(std::string_view sql, ParamList params) override;
  Result<int64_t> Exec(std::string_view sql, Params params) override;
  Status ExecScript(std::string_view sql) override;
  Status Begin(bool write) override;
  Status Commit() override;
  void Rollback() override;
  bool in_transaction() const override { return in_tx_; }

 private:
  struct Executed;
  // `keep`: prepare once under a name and reuse it (Query, Exec); otherwise an
  // unnamed statement for this call only (QueryBuilt).
  Result<Executed> Run(std::string_view sql, ParamList params, bool keep = true);
  Result<ResultSet> ReadAll(const Executed& ex);

  pg_conn* conn_;
  bool in_tx_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
};

}  // namespace caredesk::db
