#pragma once

// PostgreSQL through libpq behind a small RAII layer: a bounded connection pool, transactions that
// roll back unless committed, statements prepared once per connection, text-format parameters.
// Every call blocks: run it on the blocking pool, never on an I/O thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "truc/common/error.hpp"

struct pg_conn;
struct pg_result;

namespace truc::store {

// A statement parameter: text, or SQL NULL.
using Parameter = std::optional<std::string>;

// Rows of a query result (text format). Column access by index; values are copied out.
class Rows {
 public:
  Rows() = default;
  explicit Rows(pg_result* result);

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  bool is_null(std::size_t row, std::size_t column) const;
  std::string text(std::size_t row, std::size_t column) const;
  std::optional<std::string> optional_text(std::size_t row, std::size_t column) const;
  std::int64_t integer(std::size_t row, std::size_t column) const;
  bool boolean(std::size_t row, std::size_t column) const;
  // Rows affected by an INSERT/UPDATE/DELETE.
  std::uint64_t affected() const;

 private:
  struct ResultDeleter {
    void operator()(pg_result* result) const;
  };
  std::shared_ptr<pg_result> result_;
};

// One libpq connection. Error codes: store.connection_failed, store.query_failed,
// store.unique_violation (SQLSTATE 23505), store.foreign_key_violation (23503),
// store.check_violation (23514), store.serialization_failure (40001/40P01),
// store.permission_denied (42501: the role lacks a privilege, or does not own the object).
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs a statement, prepared on this connection the first time its `sql` is seen.
  Result<Rows> execute(std::string_view sql, const std::vector<Parameter>& parameters = {});
  // Runs a script (several statements, no parameters), e.g. a migration.
  Status execute_script(std::string_view sql);
  // `name` as an SQL identifier, double-quoted (PQescapeIdentifier), for statements such as GRANT
  // that take no parameters. store.query_failed when libpq refuses it (e.g. invalid encoding).
  Result<std::string> quote_identifier(std::string_view name);
  bool healthy() const;

 private:
  explicit Connection(pg_conn* connection) : connection_(connection) {}
  pg_conn* connection_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

// Rolls back on destruction unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& connection);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Result<Rows> execute(std::string_view sql, const std::vector<Parameter>& parameters = {}) {
    return connection_->execute(sql, parameters);
  }
  Status commit();

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}
  Connection* connection_;
  bool open_ = true;
};

struct PoolStats {
  std::size_t size = 0;
  std::size_t in_use = 0;
  std::uint64_t waits = 0;  // acquisitions that had to wait for a free connection
  std::size_t waiting = 0;  // acquisitions waiting for one now
};

// A bounded pool. acquire() waits up to the timeout for a free connection, reconnecting broken
// ones; the lease returns the connection when destroyed.
class Pool {
 public:
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  Pool(std::string conninfo, std::size_t size, std::chrono::milliseconds acquire_timeout);
  Result<Lease> acquire();
  PoolStats stats() const;

 private:
  void release(std::unique_ptr<Connection> connection);

  const std::string conninfo_;
  const std::size_t size_;
  const std::chrono::milliseconds acquire_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t in_use_ = 0;
  std::uint64_t waits_ = 0;
  std::size_t waiting_ = 0;
};

}  // namespace truc::store
