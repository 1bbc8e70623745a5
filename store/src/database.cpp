#include "truc/store/database.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <utility>

namespace truc::store {
namespace {

Error query_error(PGconn* connection, const PGresult* result) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state != nullptr ? state : "";
  std::string message =
      result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(connection);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (PQstatus(connection) != CONNECTION_OK) {
    return Error{"store.connection_failed", "the database connection was lost", message};
  }
  if (sqlstate == "23505") {
    return Error{"store.unique_violation", "a unique constraint was violated", message};
  }
  if (sqlstate == "23503") {
    return Error{"store.foreign_key_violation", "the row is referenced by, or references, another",
                 message};
  }
  if (sqlstate == "23514") {
    return Error{"store.check_violation", "a check constraint was violated", message};
  }
  if (sqlstate == "42501") {
    return Error{"store.permission_denied", "the database role lacks a privilege", message};
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return Error{"store.serialization_failure", "the transaction conflicted with another; retry",
                 message};
  }
  return Error{"store.query_failed", "a database statement failed",
               "SQLSTATE " + sqlstate + ": " + message};
}

}  // namespace

void Rows::ResultDeleter::operator()(pg_result* result) const { PQclear(result); }

Rows::Rows(pg_result* result) : result_(result, ResultDeleter{}) {}

std::size_t Rows::size() const {
  return result_ ? static_cast<std::size_t>(PQntuples(result_.get())) : 0;
}

bool Rows::is_null(std::size_t row, std::size_t column) const {
  return PQgetisnull(result_.get(), static_cast<int>(row), static_cast<int>(column)) != 0;
}

std::string Rows::text(std::size_t row, std::size_t column) const {
  const char* value = PQgetvalue(result_.get(), static_cast<int>(row), static_cast<int>(column));
  auto length = PQgetlength(result_.get(), static_cast<int>(row), static_cast<int>(column));
  return std::string(value, static_cast<std::size_t>(length));
}

std::optional<std::string> Rows::optional_text(std::size_t row, std::size_t column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::int64_t Rows::integer(std::size_t row, std::size_t column) const {
  return std::strtoll(PQgetvalue(result_.get(), static_cast<int>(row), static_cast<int>(column)),
                      nullptr, 10);
}

bool Rows::boolean(std::size_t row, std::size_t column) const {
  return PQgetvalue(result_.get(), static_cast<int>(row), static_cast<int>(column))[0] == 't';
}

std::uint64_t Rows::affected() const {
  const char* count = result_ ? PQcmdTuples(result_.get()) : "";
  return count[0] == '\0' ? 0 : std::strtoull(count, nullptr, 10);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string reason = PQerrorMessage(connection);
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    PQfinish(connection);
    return Error{"store.connection_failed", "cannot connect to PostgreSQL", reason};
  }
  return std::unique_ptr<Connection>(new Connection(connection));
}

Connection::~Connection() { PQfinish(connection_); }

bool Connection::healthy() const {
  return PQstatus(connection_) == CONNECTION_OK && PQtransactionStatus(connection_) == PQTRANS_IDLE;
}

Result<Rows> Connection::execute(std::string_view sql, const std::vector<Parameter>& parameters) {
  std::string text(sql);
  auto found = prepared_.find(text);
  if (found == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size());
    PGresult* prepared = PQprepare(connection_, name.c_str(), text.c_str(),
                                   static_cast<int>(parameters.size()), nullptr);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) {
      Error error = query_error(connection_, prepared);
      PQclear(prepared);
      return error;
    }
    PQclear(prepared);
    found = prepared_.emplace(std::move(text), std::move(name)).first;
  }
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& parameter : parameters)
    values.push_back(parameter ? parameter->c_str() : nullptr);
  PGresult* result =
      PQexecPrepared(connection_, found->second.c_str(), static_cast<int>(values.size()),
                     values.data(), nullptr, nullptr, 0);
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = query_error(connection_, result);
    PQclear(result);
    return error;
  }
  return Rows(result);
}

Status Connection::execute_script(std::string_view sql) {
  std::string text(sql);
  PGresult* result = PQexec(connection_, text.c_str());
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = query_error(connection_, result);
    PQclear(result);
    return error;
  }
  PQclear(result);
  return ok_status();
}

Result<std::string> Connection::quote_identifier(std::string_view name) {
  char* quoted = PQescapeIdentifier(connection_, name.data(), name.size());
  if (quoted == nullptr) {
    std::string reason = PQerrorMessage(connection_);
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    return Error{"store.query_failed", "cannot quote an SQL identifier", reason};
  }
  std::string result(quoted);
  PQfreemem(quoted);
  return result;
}

Result<Transaction> Transaction::begin(Connection& connection) {
  TRUC_TRY(connection.execute_script("BEGIN"));
  return Transaction(connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(other.connection_), open_(std::exchange(other.open_, false)) {}

Transaction::~Transaction() {
  if (open_) (void)connection_->execute_script("ROLLBACK");
}

Status Transaction::commit() {
  open_ = false;
  return connection_->execute_script("COMMIT");
}

Pool::Lease::~Lease() {
  if (connection_) pool_->release(std::move(connection_));
}

Pool::Pool(std::string conninfo, std::size_t size, std::chrono::milliseconds acquire_timeout)
    : conninfo_(std::move(conninfo)), size_(size), acquire_timeout_(acquire_timeout) {}

Result<Pool::Lease> Pool::acquire() {
  std::unique_lock lock(mutex_);
  bool waited = false;
  bool obtained = available_.wait_for(lock, acquire_timeout_, [&] {
    bool now_free = !idle_.empty() || in_use_ + idle_.size() < size_;
    if (!now_free && !waited) {
      waited = true;
      ++waiting_;
    }
    return now_free;
  });
  if (waited) --waiting_;
  if (!obtained) {
    return Error{"store.pool_exhausted", "no database connection became free in time",
                 std::to_string(size_) + " connections in use"};
  }
  if (waited) ++waits_;
  ++in_use_;
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  lock.unlock();
  auto connection = Connection::open(conninfo_);
  if (!connection) {
    lock.lock();
    --in_use_;
    available_.notify_one();
    return std::move(connection).error();
  }
  return Lease(*this, std::move(*connection));
}

void Pool::release(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  --in_use_;
  // A broken connection (server restarted, transaction left open by a bug) is dropped; the next
  // acquire() opens a fresh one.
  if (connection->healthy()) idle_.push_back(std::move(connection));
  available_.notify_one();
}

PoolStats Pool::stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{size_, in_use_, waits_, waiting_};
}

}  // namespace truc::store
