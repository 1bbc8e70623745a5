#include "hub_under_test.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "machine.hpp"

namespace truc::bench {
namespace {

using namespace std::chrono_literals;

// The whitespace-separated fields of /proc/<pid>/stat after the command name, which is in
// parentheses and may itself hold spaces: fields[0] is the state (field 3 in proc(5)).
std::vector<std::string> stat_fields(const std::filesystem::path& stat_file) {
  std::ifstream stream(stat_file);
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  std::vector<std::string> fields;
  auto name_end = text.rfind(')');
  if (name_end == std::string::npos) return fields;
  std::istringstream rest(text.substr(name_end + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// proc(5) field numbers, as indices into stat_fields().
constexpr std::size_t kParentPid = 4 - 3;
constexpr std::size_t kUserTicks = 14 - 3;
constexpr std::size_t kSystemTicks = 15 - 3;
constexpr std::size_t kWaitedChildrenUserTicks = 16 - 3;
constexpr std::size_t kWaitedChildrenSystemTicks = 17 - 3;

double ticks_to_seconds(const std::vector<std::string>& fields, std::size_t first,
                        std::size_t last) {
  if (fields.size() <= last) return 0;
  double ticks = 0;
  for (std::size_t index = first; index <= last; ++index) ticks += std::stod(fields[index]);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string postmaster_pid(const std::filesystem::path& data_directory) {
  std::ifstream pid_file(data_directory / "postmaster.pid");
  std::string pid;
  std::getline(pid_file, pid);
  if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("no postmaster pid in " +
                             (data_directory / "postmaster.pid").string());
  return pid;
}

// The postmaster's CPU, with its children's: those that exited were waited for by it and count
// in its own children fields; the living ones are summed one by one.
double postgres_cpu_seconds(const std::string& postmaster) {
  auto fields = stat_fields("/proc/" + postmaster + "/stat");
  if (fields.size() <= kWaitedChildrenSystemTicks)
    throw std::runtime_error("cannot read the postmaster's CPU time (/proc/" + postmaster +
                             "/stat)");
  double seconds = ticks_to_seconds(fields, kUserTicks, kWaitedChildrenSystemTicks);
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    auto child = stat_fields(entry.path() / "stat");
    if (child.size() > kSystemTicks && child[kParentPid] == postmaster)
      seconds += ticks_to_seconds(child, kUserTicks, kSystemTicks);
  }
  return seconds;
}

// The second field of /proc/<pid>/task/<tid>/schedstat, summed over trucd's threads: nanoseconds
// spent runnable on a run queue, waiting for a CPU.
double waiting_for_cpu_seconds(int pid) {
  double nanoseconds = 0;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    std::ifstream schedstat(task.path() / "schedstat");
    double running = 0, waiting = 0;
    if (schedstat >> running >> waiting) nanoseconds += waiting;
  }
  return nanoseconds / 1e9;
}

// The cluster's settings, once this process's soft RLIMIT_NOFILE is at its hard limit: the
// default soft limit (often 1,024) is below the idle-connections pass's count, for this process's
// sockets and for trucd's, which inherits it, as the cluster started next does.
testing::PostgresSettings durable_cluster_settings() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) throw std::runtime_error("getrlimit failed");
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) throw std::runtime_error("setrlimit failed");
  return {.durable_commits = true, .track_statements = true};
}

std::uint64_t status_kib(const std::string& status, std::string_view key) {
  auto position = status.find(std::string(key) + ":");
  if (position == std::string::npos) return 0;
  return std::stoull(status.substr(position + key.size() + 1));
}

}  // namespace

HubUnderTest::HubUnderTest(std::size_t max_connections, std::chrono::seconds idle_timeout)
    : cluster_(durable_cluster_settings()) {
  postmaster_pid_ = postmaster_pid(cluster_.directory() / "data");
  hub_ = std::make_unique<testing::HubProcess>(testing::HubOptions{
      .agency_api_config = "max_connections = " + std::to_string(max_connections) +
                           "\nidle_timeout_seconds = " + std::to_string(idle_timeout.count()) +
                           "\n",
      .cluster = &cluster_});
  hub_->start();
  push_endpoint_ = std::make_unique<PushEndpoint>(hub_->pki(), hub_->ca());
  hub_->enable_push(kPushRecipientAgency, push_endpoint_->url(), hub_->ca().certificate_pem);
  if (Status created = database().execute_script("CREATE EXTENSION pg_stat_statements"); !created) {
    throw std::runtime_error(created.error().to_string());
  }
  log_reader_ = std::thread([this] {
    while (!log_reader_stopping_) {
      // Lines are kept by ChildProcess; nothing here needs them, trucd just must not block.
      if (!hub_->process().next_line(200ms)) std::this_thread::sleep_for(10ms);
    }
  });
}

HubUnderTest::~HubUnderTest() { stop_reading_log(); }

void HubUnderTest::stop_reading_log() {
  log_reader_stopping_ = true;
  if (log_reader_.joinable()) log_reader_.join();
}

void HubUnderTest::stop() {
  // ChildProcess is not thread-safe: its stderr has one reader at a time, now stop()'s wait.
  stop_reading_log();
  int status = hub_->stop();
  if (status != 0) throw std::runtime_error("trucd exited with " + std::to_string(status));
}

https::ClientOptions HubUnderTest::client_options(std::size_t agency) const {
  auto url = parse_url(hub_->agency_url());
  if (!url) throw std::runtime_error(url.error().to_string());
  const testing::Issued& certificate = hub_->agency(agency).certificate;
  return {.url = *url,
          .ca_file = hub_->ca().certificate,
          .certificate_file = certificate.certificate,
          .key_file = certificate.key};
}

MemoryUsage HubUnderTest::trucd_memory() const {
  std::ifstream stream("/proc/" + std::to_string(hub_->process().pid()) + "/status");
  std::string status((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  return {status_kib(status, "VmRSS") * 1024, status_kib(status, "VmHWM") * 1024};
}

void HubUnderTest::reset_trucd_peak_memory() const {
  std::ofstream clear_refs("/proc/" + std::to_string(hub_->process().pid()) + "/clear_refs");
  clear_refs << "5";
  clear_refs.close();
  if (!clear_refs) throw std::runtime_error("cannot reset trucd's peak RSS (clear_refs)");
}

store::Connection& HubUnderTest::database() {
  if (database_) return *database_;
  std::string config = testing::read_file(hub_->config_file());
  std::smatch conninfo;
  if (!std::regex_search(config, conninfo, std::regex("conninfo = \"([^\"]*)\"")))
    throw std::runtime_error("no conninfo in " + hub_->config_file().string());
  auto opened = store::Connection::open(conninfo[1]);
  if (!opened) throw std::runtime_error(opened.error().to_string());
  database_ = std::move(*opened);
  return *database_;
}

void HubUnderTest::settle_pull_backlog() {
  auto settled = database().execute(
      "UPDATE deliveries SET state = 'acked', updated_at = now() "
      "WHERE state = 'pending' AND target_code = $1",
      {hub_->agency(kPullRecipientAgency).code});
  if (!settled) throw std::runtime_error(settled.error().to_string());
}

void HubUnderTest::add_pull_backlog(std::size_t count) {
  // Ids and digests of the form the hub writes (24 and 64 hex digits); no blob is behind them,
  // and nothing reads one during the benchmark. Each call's are its own (its number is in them):
  // a pass that ran out of packages runs again and adds its backlog a second time.
  const std::string batch = "backlog" + std::to_string(++backlogs_added_) + "-";
  auto added = database().execute(
      "WITH added AS (INSERT INTO packages (id, kind, sender_code, document_id, sha256, size, "
      "face, signature) SELECT left(md5($4 || n), 24), 'edoc', $1, "
      "$1 || ',2024/01/01,' || n || '/' || $4, md5($4 || n) || md5('blob' || n), 20000, "
      "'native', 'verified' FROM generate_series(1, $3::integer) AS n RETURNING id, seq) "
      "INSERT INTO deliveries (package_id, recipient_code, target_code, route, seq) "
      "SELECT id, $2, $2, 'local', seq FROM added",
      {hub_->agency(kSenderAgency).code, hub_->agency(kPullRecipientAgency).code,
       std::to_string(count), batch});
  if (!added) throw std::runtime_error(added.error().to_string());
}

void HubUnderTest::fill_store(std::size_t count) {
  const std::string codes = "ARRAY['" + hub_->agency(0).code + "', '" + hub_->agency(1).code +
                            "', '" + hub_->agency(2).code + "']";
  // Package n goes from agency n % 3 to agency (n + 1) % 3 (0-based, as kSenderAgency and the
  // others), received n seconds after the first, about eleven days ago for a million. The
  // pending ones are the n ≡ 2 (mod 99), whose recipient is then agency 0. Ids and digests of the
  // form the hub writes (24 and 64 hex digits); DocumentIds no load package has.
  const std::string total = std::to_string(count);
  const std::string packages =
      "SELECT n, left(md5('stored' || n), 24) AS id, (" + codes + ")[1 + n % 3] AS sender, (" +
      codes + ")[1 + (n + 1) % 3] AS recipient, now() - make_interval(secs => " + total +
      " - n) AS at, "
      "CASE WHEN n % 99 = 2 THEN 'pending' WHEN (n + 1) % 3 = 2 THEN 'pushed' ELSE 'acked' END "
      "AS state FROM generate_series(1, " +
      total + ") AS n";
  // One transaction. The rows are consistent by construction, so their foreign keys are not
  // checked one by one (session_replication_role = replica skips those triggers): checking
  // millions of them would take most of the fill's time and is no part of what is measured.
  Status filled = database().execute_script(
      "BEGIN; SET LOCAL session_replication_role = replica; SET LOCAL work_mem = '256MB'; "
      "WITH source AS MATERIALIZED (" +
      packages +
      "), added AS (INSERT INTO packages (id, kind, sender_code, document_id, sha256, size, "
      "received_at, face, signature, signer_subject) SELECT id, 'edoc', sender, sender || "
      "',2023/06/01,' || n || '/STORED', md5('stored' || n) || md5('blob' || n), 20000, at, "
      "'native', 'verified', 'CN=' || sender FROM source RETURNING id, seq) "
      "INSERT INTO deliveries (package_id, recipient_code, target_code, route, state, seq, "
      "created_at, updated_at, attempts) SELECT id, recipient, recipient, 'local', state, seq, at, "
      "at + interval '5 minutes', CASE WHEN state = 'pushed' THEN 1 ELSE 0 END "
      "FROM added JOIN source USING (id); "
      // What the hub records of each: received, routed, then fetched and acked (pulled) or
      // pushed.
      "INSERT INTO events (package_id, recipient_code, at, event, actor, detail) "
      "SELECT id, CASE WHEN step = 1 THEN NULL ELSE recipient END, "
      "at + step * interval '1 minute', "
      "CASE step WHEN 1 THEN 'received' WHEN 2 THEN 'routed' WHEN 3 THEN "
      "CASE WHEN state = 'pushed' THEN 'pushed' ELSE 'fetched' END ELSE 'acked' END, "
      "CASE step WHEN 1 THEN sender WHEN 2 THEN 'truc.e2e' WHEN 3 THEN "
      "CASE WHEN state = 'pushed' THEN 'hub' ELSE recipient END ELSE recipient END, "
      "CASE step WHEN 1 THEN 'via native, 20000 bytes, signature verified' WHEN 2 THEN 'local' "
      "ELSE '' END FROM (" +
      packages +
      ") AS source CROSS JOIN generate_series(1, 4) AS step "
      "WHERE step <= CASE state WHEN 'pending' THEN 2 WHEN 'pushed' THEN 3 ELSE 4 END; "
      "COMMIT");
  if (!filled) throw std::runtime_error(filled.error().to_string());
  if (Status vacuumed = database().execute_script("VACUUM ANALYZE"); !vacuumed)
    throw std::runtime_error(vacuumed.error().to_string());
}

void HubUnderTest::reset_statement_times() {
  auto reset = database().execute("SELECT pg_stat_statements_reset()");
  if (!reset) throw std::runtime_error(reset.error().to_string());
}

StatementTimes HubUnderTest::statement_times() {
  auto rows = database().execute(
      "SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 60), "
      "sum(total_exec_time) OVER () FROM pg_stat_statements "
      "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
      "ORDER BY total_exec_time DESC LIMIT 1");
  if (!rows) throw std::runtime_error(rows.error().to_string());
  if (rows->size() == 0) return {};
  return {std::stod(rows->text(0, 3)), std::stod(rows->text(0, 1)),
          static_cast<std::uint64_t>(rows->integer(0, 0)), rows->text(0, 2)};
}

CpuTimes HubUnderTest::cpu_times() const {
  int pid = hub_->process().pid();
  auto trucd = stat_fields("/proc/" + std::to_string(pid) + "/stat");
  return {ticks_to_seconds(trucd, kUserTicks, kSystemTicks), postgres_cpu_seconds(postmaster_pid_),
          cpu_seconds(RUSAGE_SELF), waiting_for_cpu_seconds(pid)};
}

}  // namespace truc::bench
