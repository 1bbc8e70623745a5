#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace truc::testing {

struct PostgresSettings {
  // fsync and synchronous_commit on, as in production, for benchmarks that count durable commits.
  // Off by default: tests crash processes, not the machine, and the page cache survives those.
  bool durable_commits = false;
  // pg_stat_statements loaded, for benchmarks that say where the server's time went.
  bool track_statements = false;
};

// A throwaway PostgreSQL 15 cluster for tests: initdb and pg_ctl in a new temporary directory,
// listening only on a Unix socket there (no TCP port, nothing shared with the machine). When the
// tests run as root the server runs as the `postgres` system user, since PostgreSQL refuses root.
class PostgresCluster {
 public:
  explicit PostgresCluster(PostgresSettings settings = {});
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  std::string conninfo(const std::string& database = "postgres") const;
  // A new, empty database, owned by `owner` when given (a role that exists) and else by the
  // superuser; returns its conninfo (as the superuser).
  std::string create_database(const std::string& owner = "");
  // A new database with the production migrations applied (cloned from a migrated template).
  std::string create_migrated_database();

  void start();
  void stop();
  // Stops without a clean shutdown (pg_ctl -m immediate), as a crash would, and starts again.
  void crash_and_restart();

  const std::filesystem::path& directory() const { return directory_; }

  // Runs a script as the superuser in the `postgres` database, e.g. CREATE ROLE (roles belong to
  // the whole cluster: tests sharing it give theirs unique names). Throws when it fails.
  void run_sql(const std::string& sql) const;

 private:
  void run_as_owner(const std::vector<std::string>& command) const;

  PostgresSettings settings_;
  std::filesystem::path directory_;
  bool running_ = false;
  int next_database_ = 0;
  bool template_ready_ = false;
};

// One cluster per test binary, started on first use and stopped at exit.
PostgresCluster& shared_postgres();

}  // namespace truc::testing
