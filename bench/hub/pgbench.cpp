#include "pgbench.hpp"

#include <sys/resource.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "machine.hpp"
#include "truc/store/database.hpp"
#include "truc/testing/process.hpp"

namespace truc::bench {
namespace {

// Each line of pgbench's per-transaction log (-l): "client_id transaction_no time script_no
// time_epoch time_us", where time is the transaction's latency in microseconds.
std::vector<double> logged_latencies_ms(const std::filesystem::path& directory,
                                        const std::string& prefix) {
  std::vector<double> latencies;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (!entry.path().filename().string().starts_with(prefix)) continue;
    std::ifstream log(entry.path());
    for (std::string line; std::getline(log, line);) {
      std::istringstream fields(line);
      long client = 0, transaction = 0;
      double microseconds = 0;
      if (fields >> client >> transaction >> microseconds) latencies.push_back(microseconds / 1e3);
    }
    std::filesystem::remove(entry.path());
  }
  return latencies;
}

// pgbench's script: one transaction per run of it.
constexpr std::string_view kInsertStatement =
    "INSERT INTO package_rows (id, payload) VALUES (gen_random_uuid()::text, repeat('x', 200));";

}  // namespace

std::filesystem::path postgres_program(std::string_view name) {
  // The same override as the test cluster's (tests/support/src/postgres.cpp).
  const char* overridden = std::getenv("TRUC_PG_BINDIR");
  return std::filesystem::path(overridden != nullptr ? overridden : "/usr/lib/postgresql/15/bin") /
         name;
}

PgbenchReference::PgbenchReference(testing::PostgresCluster& cluster,
                                   std::filesystem::path directory)
    : conninfo_(cluster.create_database()),
      directory_(std::move(directory)),
      script_(directory_ / "insert.sql") {
  std::filesystem::create_directories(directory_);
  auto connection = store::Connection::open(conninfo_);
  if (!connection) throw std::runtime_error(connection.error().to_string());
  // Like the hub's package row: a random text key (the hub's ids are random hex), a timestamp,
  // a few hundred bytes.
  Status created = (*connection)
                       ->execute_script(
                           "CREATE TABLE package_rows (id text PRIMARY KEY, received_at "
                           "timestamptz NOT NULL DEFAULT "
                           "now(), payload text NOT NULL)");
  if (!created) throw std::runtime_error(created.error().to_string());
  std::ofstream(script_) << kInsertStatement << "\n";
}

Result<PgbenchReference::Measurement> PgbenchReference::measure(std::size_t clients,
                                                                int seconds) const {
  std::string log_prefix = "log-" + std::to_string(clients);
  std::vector<std::string> arguments{postgres_program("pgbench").string(),
                                     "-n",
                                     "-f",
                                     script_.string(),
                                     "-c",
                                     std::to_string(clients),
                                     "-j",
                                     std::to_string(clients),
                                     "-T",
                                     std::to_string(seconds),
                                     "-l",
                                     "--log-prefix=" + (directory_ / log_prefix).string(),
                                     conninfo_};
  double cpu_before = cpu_seconds(RUSAGE_CHILDREN);
  auto run = testing::run_process(arguments, {.timeout = std::chrono::seconds(seconds + 60)});
  double cpu = cpu_seconds(RUSAGE_CHILDREN) - cpu_before;
  std::string command = "pgbench -n -f insert.sql -c " + std::to_string(clients) + " -j " +
                        std::to_string(clients) + " -T " + std::to_string(seconds) + " -l";
  if (run.exit_status != 0) {
    return Error{"bench.pgbench_failed", "pgbench failed", command + ": " + run.out + run.err};
  }
  std::smatch tps;
  if (!std::regex_search(run.out, tps, std::regex(R"(tps = ([0-9.]+) \(without initial)"))) {
    return Error{"bench.pgbench_failed", "no tps line in pgbench's output", run.out};
  }
  return Measurement{std::stod(tps[1]), percentiles(logged_latencies_ms(directory_, log_prefix)),
                     cpu, command};
}

}  // namespace truc::bench
