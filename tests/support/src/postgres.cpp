#include "truc/testing/postgres.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "truc/store/database.hpp"
#include "truc/store/migrate.hpp"
#include "truc/testing/process.hpp"

namespace truc::testing {
namespace {

std::filesystem::path bin_dir() {
  const char* overridden = std::getenv("TRUC_PG_BINDIR");
  return overridden != nullptr ? overridden : "/usr/lib/postgresql/15/bin";
}

bool running_as_root() { return ::geteuid() == 0; }

}  // namespace

PostgresCluster::PostgresCluster(PostgresSettings settings) : settings_(settings) {
  std::string pattern = (std::filesystem::temp_directory_path() / "truc-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  directory_ = pattern;
  if (running_as_root()) {
    const passwd* owner = ::getpwnam("postgres");
    if (owner == nullptr)
      throw std::runtime_error("running as root needs the postgres system user");
    if (::chown(directory_.c_str(), owner->pw_uid, owner->pw_gid) != 0)
      throw std::runtime_error("chown failed");
  }
  run_as_owner({(bin_dir() / "initdb").string(), "-D", (directory_ / "data").string(), "-U", "truc",
                "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"});
  start();
}

PostgresCluster::~PostgresCluster() {
  try {
    if (running_) stop();
  } catch (const std::exception&) {
    // The directory is removed below; a server that did not stop dies with its files.
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void PostgresCluster::run_as_owner(const std::vector<std::string>& command) const {
  std::vector<std::string> argv;
  if (running_as_root()) argv = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  argv.insert(argv.end(), command.begin(), command.end());
  auto result = run_process(argv, {.timeout = std::chrono::seconds(120)});
  if (result.exit_status != 0) {
    throw std::runtime_error("'" + command[0] + "' failed: " + result.out + result.err);
  }
}

void PostgresCluster::start() {
  std::string options = "-c listen_addresses='' -c unix_socket_directories='" +
                        directory_.string() + "' -c max_connections=200 -c shared_buffers=32MB";
  options += settings_.durable_commits ? " -c fsync=on -c synchronous_commit=on" : " -c fsync=off";
  if (settings_.track_statements) options += " -c shared_preload_libraries=pg_stat_statements";
  run_as_owner({(bin_dir() / "pg_ctl").string(), "-D", (directory_ / "data").string(), "-l",
                (directory_ / "server.log").string(), "-w", "-o", options, "start"});
  running_ = true;
}

void PostgresCluster::stop() {
  run_as_owner({(bin_dir() / "pg_ctl").string(), "-D", (directory_ / "data").string(), "-w", "-m",
                "fast", "stop"});
  running_ = false;
}

void PostgresCluster::crash_and_restart() {
  run_as_owner({(bin_dir() / "pg_ctl").string(), "-D", (directory_ / "data").string(), "-w", "-m",
                "immediate", "stop"});
  running_ = false;
  start();
}

std::string PostgresCluster::conninfo(const std::string& database) const {
  return "host=" + directory_.string() + " user=truc dbname=" + database;
}

void PostgresCluster::run_sql(const std::string& sql) const {
  auto connection = store::Connection::open(conninfo());
  if (!connection) throw std::runtime_error(connection.error().to_string());
  if (Status done = (*connection)->execute_script(sql); !done)
    throw std::runtime_error(done.error().to_string());
}

std::string PostgresCluster::create_database(const std::string& owner) {
  std::string name = "test_" + std::to_string(next_database_++);
  run_sql("CREATE DATABASE " + name + (owner.empty() ? "" : " OWNER " + owner));
  return conninfo(name);
}

std::string PostgresCluster::create_migrated_database() {
  if (!template_ready_) {
    run_sql("CREATE DATABASE migrated_template");
    auto connection = store::Connection::open(conninfo("migrated_template"));
    if (!connection) throw std::runtime_error(connection.error().to_string());
    auto migrated = store::migrate(**connection, store::hub_schema());
    if (!migrated) throw std::runtime_error(migrated.error().to_string());
    template_ready_ = true;
  }
  std::string name = "test_" + std::to_string(next_database_++);
  run_sql("CREATE DATABASE " + name + " TEMPLATE migrated_template");
  return conninfo(name);
}

PostgresCluster& shared_postgres() {
  static PostgresCluster cluster;
  return cluster;
}

}  // namespace truc::testing
