#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "push_endpoint.hpp"
#include "truc/https/http_client.hpp"
#include "truc/store/database.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::bench {

// Which of the HubProcess's agencies play which part. The load goes to a recipient that pulls,
// so that pushing does not compete with accepting; the push measurements go to the other one.
inline constexpr std::size_t kSenderAgency = 0;
inline constexpr std::size_t kPullRecipientAgency = 1;
inline constexpr std::size_t kPushRecipientAgency = 2;

// trucd's memory as /proc/<pid>/status reports it.
struct MemoryUsage {
  std::uint64_t resident_bytes = 0;       // VmRSS
  std::uint64_t peak_resident_bytes = 0;  // VmHWM
};

// CPU time consumed so far (user + system), for the share of a run each process took.
struct CpuTimes {
  double trucd_seconds = 0;
  double postgres_seconds = 0;   // the postmaster and all its backends, living or gone
  double benchmark_seconds = 0;  // this process: the load generator and the push endpoint
  // How long trucd's threads were ready to run but waited for a CPU (schedstat): where other work
  // on the machine delays the hub.
  double trucd_waiting_seconds = 0;
};

// Where PostgreSQL's time went while trucd worked (pg_stat_statements, trucd's database only).
struct StatementTimes {
  double total_ms = 0;  // executing every statement
  // The statement that took the most of it, how often it ran, and its text (shortened).
  double top_ms = 0;
  std::uint64_t top_calls = 0;
  std::string top_query;
};

// Everything the benchmark measures against, started in order: a PostgreSQL cluster with
// durable commits (fsync and synchronous_commit on) and pg_stat_statements, trucd on a fresh
// database in it (tests' HubProcess: generated PKI, three agencies), the push endpoint of
// kPushRecipientAgency. trucd's log (JSON lines on stderr, two per request at the default level) is
// read continuously on a thread of its own, since trucd would block on a full pipe.
class HubUnderTest {
 public:
  // trucd accepts up to `max_connections` agency connections and keeps an idle one open for up to
  // `idle_timeout`; this process's soft RLIMIT_NOFILE is raised to its hard limit first, for its
  // own connections and because the cluster and trucd inherit it.
  HubUnderTest(std::size_t max_connections, std::chrono::seconds idle_timeout);
  ~HubUnderTest();
  HubUnderTest(const HubUnderTest&) = delete;
  HubUnderTest& operator=(const HubUnderTest&) = delete;

  testing::HubProcess& hub() { return *hub_; }
  testing::PostgresCluster& cluster() { return cluster_; }
  PushEndpoint& push_endpoint() { return *push_endpoint_; }

  // An HTTPS client of the agency API as `agency` (its certificate), keep-alive.
  https::ClientOptions client_options(std::size_t agency) const;

  MemoryUsage trucd_memory() const;
  // Makes trucd's current RSS its peak (proc(5), clear_refs), so that VmHWM afterwards is the
  // peak of what follows.
  void reset_trucd_peak_memory() const;
  CpuTimes cpu_times() const;

  // The pull recipient's state between passes, written to trucd's database directly (a benchmark
  // shortcut, not an API): every pending delivery to it marked acknowledged, as if it had
  // collected them, so that each pass starts from the same state; or `count` deliveries to it
  // added as pending, with packages of their own, as if it had not collected for a while.
  void settle_pull_backlog();
  void add_pull_backlog(std::size_t count);
  // A store that has been in service for a while: `count` packages already accepted, as rows
  // written directly (a benchmark shortcut, no blob files behind them: accepting a package never
  // reads another's), each from one of the three agencies to the next with its delivery and
  // events; almost all collected (acked, or pushed to the push recipient), about 1% still pending
  // for the sender agency, which never collects during the benchmark. Then VACUUM ANALYZE, as
  // autovacuum would have done by then.
  void fill_store(std::size_t count);

  void reset_statement_times();
  StatementTimes statement_times();

  // SIGTERM and the drain, then the cluster stops with the object.
  void stop();

 private:
  void stop_reading_log();
  store::Connection& database();

  testing::PostgresCluster cluster_;
  std::string postmaster_pid_;
  std::unique_ptr<testing::HubProcess> hub_;
  std::unique_ptr<PushEndpoint> push_endpoint_;
  std::unique_ptr<store::Connection> database_;
  std::size_t backlogs_added_ = 0;
  std::atomic<bool> log_reader_stopping_{false};
  std::thread log_reader_;
};

}  // namespace truc::bench
