#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "load.hpp"
#include "truc/common/error.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::bench {

// A program of the PostgreSQL installation the test clusters use (TRUC_PG_BINDIR overrides it).
std::filesystem::path postgres_program(std::string_view name);

// PostgreSQL's own rate for what the hub needs at least once per package: one small row
// inserted and committed, durably. pgbench runs a custom script (one single-row INSERT per
// transaction into a table shaped like the hub's package row) against a database of its own in
// the cluster the hub uses, with as many connections (and pgbench threads) as the hub had
// clients.
class PgbenchReference {
 public:
  // Creates the database and its table in `cluster`, and the script in `directory`.
  PgbenchReference(testing::PostgresCluster& cluster, std::filesystem::path directory);

  struct Measurement {
    double transactions_per_second = 0;  // pgbench's "tps = ... (without initial connection time)"
    Percentiles latency;                 // from pgbench's per-transaction log
    double pgbench_cpu_seconds = 0;      // the pgbench process's own CPU (user + system)
    std::string command;                 // as run, with the paths shortened
  };
  Result<Measurement> measure(std::size_t clients, int seconds) const;

 private:
  std::string conninfo_;
  std::filesystem::path directory_;
  std::filesystem::path script_;
};

}  // namespace truc::bench
