#include "storage/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>

namespace caredesk::db {
namespace {

// Type OIDs from pg_type.h.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

Error ResultError(PGresult* res, pg_conn* conn, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  std::string_view sqlstate = state ? state : "";
  if (sqlstate == "23505") return Error{ErrorCode::kConflict, "unique_violation", msg, ""};
  if (sqlstate.starts_with("23")) return Error{ErrorCode::kConflict, "constraint_violation", msg, ""};
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate.starts_with("08") || sqlstate == "57P01") {
    return Error::Unavailable(msg);
  }
  if (PQstatus(conn) != CONNECTION_OK) return Error::Unavailable(msg);
  return Error::Internal(msg);
}

}  // namespace

struct PgConnection::Executed {
  std::unique_ptr<PGresult, void (*)(PGresult*)> res{nullptr, PQclear};
};

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url) {
  pg_conn* c = PQconnectdb(url.c_str());
  if (c == nullptr || PQstatus(c) != CONNECTION_OK) {
    std::string msg = c ? PQerrorMessage(c) : "out of memory";
    PQfinish(c);
    return Error::Unavailable("cannot connect to PostgreSQL: " + msg);
  }
  auto conn = std::make_unique<PgConnection>(c);
  CD_RETURN_IF_ERROR(conn->ExecScript("SET client_min_messages = warning; SET TIME ZONE 'UTC'"));
  return conn;
}

PgConnection::~PgConnection() {
  if (in_tx_) Rollback();
  PQfinish(conn_);
}

Result<PgConnection::Executed> PgConnection::Run(std::string_view sql, ParamList params, bool keep) {
  std::string key(sql);
  auto it = prepared_.end();
  if (keep) it = prepared_.find(key);
  if (keep && it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    PGresult* res = PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      Error e = ResultError(res, conn_, "prepare");
      PQclear(res);
      return e;
    }
    PQclear(res);
    it = prepared_.emplace(key, std::move(name)).first;
  }
  // Text parameters; numbers formatted into a small local arena.
  std::vector<std::string> owned;
  owned.reserve(params.size());
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.size());
  lengths.reserve(params.size());
  for (const Param& p : params) {
    const auto& v = p.value();
    if (auto* n = std::get_if<int64_t>(&v)) {
      owned.push_back(std::to_string(*n));
      values.push_back(owned.back().c_str());
      lengths.push_back(static_cast<int>(owned.back().size()));
    } else if (auto* d = std::get_if<double>(&v)) {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
      owned.emplace_back(buf, end);
      values.push_back(owned.back().c_str());
      lengths.push_back(static_cast<int>(owned.back().size()));
    } else if (auto* s = std::get_if<std::string_view>(&v)) {
      owned.emplace_back(*s);
      values.push_back(owned.back().c_str());
      lengths.push_back(static_cast<int>(owned.back().size()));
    } else {
      values.push_back(nullptr);
      lengths.push_back(0);
    }
  }
  Executed ex;
  if (keep) {
    ex.res.reset(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()), values.data(),
                                lengths.data(), nullptr, 0));
  } else {
    ex.res.reset(PQexecParams(conn_, key.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                              lengths.data(), nullptr, 0));
  }
  auto status = PQresultStatus(ex.res.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error e = ResultError(ex.res.get(), conn_, "query");
    if (PQstatus(conn_) != CONNECTION_OK) {
      PQreset(conn_);
      prepared_.clear();
    }
    return e;
  }
  return ex;
}

Result<ResultSet> PgConnection::Query(std::string_view sql, Params params) {
  CD_ASSIGN_OR_RETURN(Executed ex, Run(sql, ParamList(params.begin(), params.size())));
  return ReadAll(ex);
}

Result<ResultSet> PgConnection::QueryBuilt(std::string_view sql, ParamList params) {
  CD_ASSIGN_OR_RETURN(Executed ex, Run(sql, params, /*keep=*/false));
  return ReadAll(ex);
}

Result<ResultSet> PgConnection::ReadAll(const Executed& ex) {
  PGresult* res = ex.res.get();
  int rows = PQntuples(res);
  int cols = PQnfields(res);
  std::vector<Cell> cells;
  cells.reserve(static_cast<size_t>(rows) * cols);
  std::vector<Oid> types(cols);
  for (int c = 0; c < cols; ++c) types[c] = PQftype(res, c);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      if (PQgetisnull(res, r, c)) {
        cells.emplace_back(std::monostate{});
        continue;
      }
      const char* v = PQgetvalue(res, r, c);
      int len = PQgetlength(res, r, c);
      switch (types[c]) {
        case kInt8Oid:
        case kInt4Oid:
        case kInt2Oid: {
          int64_t n = 0;
          std::from_chars(v, v + len, n);
          cells.emplace_back(n);
          break;
        }
        case kBoolOid: cells.emplace_back(int64_t{v[0] == 't' ? 1 : 0}); break;
        case kFloat4Oid:
        case kFloat8Oid:
        case kNumericOid: cells.emplace_back(std::strtod(v, nullptr)); break;
        default: cells.emplace_back(std::string(v, len));
      }
    }
  }
  return ResultSet(cols, std::move(cells));
}

Result<int64_t> PgConnection::Exec(std::string_view sql, Params params) {
  CD_ASSIGN_OR_RETURN(Executed ex, Run(sql, ParamList(params.begin(), params.size())));
  const char* n = PQcmdTuples(ex.res.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : int64_t{0};
}

Status PgConnection::ExecScript(std::string_view sql) {
  std::string s(sql);
  PGresult* res = PQexec(conn_, s.c_str());
  auto status = PQresultStatus(res);
  // A script of comments only (a migration for the other engine) is empty, not an error; SQLite agrees.
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    Error e = ResultError(res, conn_, "script");
    PQclear(res);
    return e;
  }
  PQclear(res);
  return Ok();
}

Status PgConnection::Begin(bool /*write*/) {
  CD_RETURN_IF_ERROR(ExecScript("BEGIN"));
  in_tx_ = true;
  return Ok();
}

Status PgConnection::Commit() {
  in_tx_ = false;
  return ExecScript("COMMIT");
}

void PgConnection::Rollback() {
  in_tx_ = false;
  (void)ExecScript("ROLLBACK");
}

}  // namespace caredesk::db
