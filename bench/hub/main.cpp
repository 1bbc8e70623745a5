// hub_bench: how many signed packages a real trucd accepts per second from concurrent agency
// systems, with what latency, how fast it pushes them on, and what a 100 MB package costs it in
// memory; next to PostgreSQL's own rate of durable single-row commits measured in the same run,
// on the same cluster, at the same concurrency. docs/performance.md describes the method and
// records the figures; scripts/bench builds and runs this.

#include <openssl/crypto.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "floor.hpp"
#include "hub_under_test.hpp"
#include "idle_connections.hpp"
#include "load.hpp"
#include "machine.hpp"
#include "packages.hpp"
#include "passes.hpp"
#include "pgbench.hpp"
#include "program.hpp"
#include "table.hpp"
#include "truc/testing/process.hpp"

namespace truc::bench {
namespace {

using namespace std::chrono_literals;

// The issue's targets.
constexpr double kTargetFloorRatio = 0.6;
constexpr double kTargetCpuMilliseconds = 1.0;
constexpr double kTargetP99Milliseconds = 20;
constexpr double kTargetStoredRatio = 0.8;
constexpr std::uint64_t kTargetIdleRssBytes = 300'000'000;
constexpr std::uint64_t kTargetRssGrowthBytes = 32ull << 20;
// Signed packages the floor's parse+validate+verify goes through in turn, and for how long.
constexpr std::size_t kFloorPackages = 16;
constexpr Seconds kFloorTiming{2};
// Long enough that no idle connection is closed by trucd before its memory is read.
constexpr std::chrono::seconds kIdleTimeout{900};
// Agency connections trucd accepts beyond the idle-connections pass's, for the load's clients.
constexpr std::size_t kConnectionsBeyondIdle = 512;
// Deliveries waiting for the pull recipient in the backlog pass: a day's packages for a
// district that collects once a day.
constexpr std::size_t kBacklogDeliveries = 20'000;
// The push pass's pace: a steady trickle, so that the latency is the path's, not a queue's.
constexpr double kPushRate = 20;

constexpr std::string_view kUsage =
    R"(usage: hub_bench [--seconds S] [--clients N,N,...] [--stored N] [--idle N]

Starts a PostgreSQL cluster with fsync and synchronous_commit on, and trucd on a database in it
(tests/support's HubProcess: generated PKI, three agencies, one with a push endpoint here), then
measures, printing one table:
  - push end to end: one client posting signed 20 kB packages at 20/s to the agency with the
    push endpoint, from each POST to its push's arrival;
  - a 100 MB attachment (134 MB package) accepted and pushed: times, and trucd's peak RSS growth;
  - for each N: N clients (keep-alive mutual TLS) posting signed 20 kB packages as fast as
    answers come: accepted/s, p50/p99 latency; then pgbench with N connections committing one
    row per transaction into the same cluster, for the same time;
  - one client through truc::https::HttpClient, the truc CLI's and trucd's pusher's client;
  - the N of the peak pass at half its rate, paced: p50/p99 latency from when each POST was due;
  - the N of the peak pass again, with 20,000 deliveries waiting for the pull recipient;
  - the machine's floor: CPUs ÷ (the CPU to parse, validate and verify one of the same packages,
    timed in this process as edxml_bench does, + PostgreSQL's CPU per pgbench commit at the
    peak's N), and the peak ÷ the floor;
  - --idle idle mutual-TLS agency connections held open at once: trucd's RSS with them;
  - --stored packages written into the store (rows, by SQL), VACUUM ANALYZE, then the N of the
    peak pass again: its rate ÷ the peak's;
  - for each pass: the CPU each process spent per package, and PostgreSQL's time in trucd's
    statements (pg_stat_statements) with the statement that took most of it.
Needs TRUC_BINARY_DIR (the build tree with gateway/trucd/trucd) and TRUC_SOURCE_DIR; scripts/bench
sets them. About 7 minutes with the defaults.

  --seconds S      measure each pass for S seconds after 1 s of warm-up (default 10)
  --clients LIST   the concurrencies of the closed-loop passes (default 1,2,4,8,16)
  --stored N       packages already stored for the last pass (default 1000000)
  --idle N         idle connections held open at once (default 5000)
)";

struct Options {
  Seconds duration{10};
  std::vector<std::size_t> clients{1, 2, 4, 8, 16};
  std::size_t stored = 1'000'000;
  std::size_t idle = 5'000;
};

std::optional<std::vector<std::size_t>> parse_client_list(std::string_view text) {
  std::vector<std::size_t> clients;
  std::istringstream items{std::string(text)};
  for (std::string item; std::getline(items, item, ',');) {
    char* end = nullptr;
    unsigned long count = std::strtoul(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || count == 0 || count > 256) return std::nullopt;
    clients.push_back(count);
  }
  if (clients.empty()) return std::nullopt;
  return clients;
}

// The options, or the exit status when there is nothing to measure (help, bad usage).
std::variant<Options, int> parse_options(std::span<char*> arguments) {
  Options options;
  for (std::size_t index = 1; index < arguments.size(); ++index) {
    std::string_view argument = arguments[index];
    if (argument == "--help" || argument == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (argument == "--seconds" && index + 1 < arguments.size()) {
      if (auto seconds = parse_number(arguments[++index]); seconds && *seconds >= 1) {
        options.duration = Seconds(std::round(*seconds));
        continue;
      }
    }
    if ((argument == "--stored" || argument == "--idle") && index + 1 < arguments.size()) {
      if (auto count = parse_number(arguments[++index]);
          count && *count >= 1 && *count <= 1e7 && *count == std::floor(*count)) {
        (argument == "--stored" ? options.stored : options.idle) = static_cast<std::size_t>(*count);
        continue;
      }
    }
    if (argument == "--clients" && index + 1 < arguments.size()) {
      if (auto clients = parse_client_list(arguments[++index])) {
        options.clients = std::move(*clients);
        continue;
      }
    }
    std::cerr << "hub_bench: bad argument '" << argument << "'\n" << kUsage;
    return 2;
  }
  return options;
}

void report_progress(std::string_view step) { std::cerr << "hub_bench: " << step << "\n"; }

std::string postgres_version() {
  auto run = testing::run_process({postgres_program("postgres").string(), "--version"});
  std::string version = run.out.substr(0, run.out.find('\n'));
  // "postgres (PostgreSQL) 15.20 (Debian ...)": the name once is enough.
  auto name = version.find("(PostgreSQL) ");
  return name == std::string::npos ? version : "PostgreSQL " + version.substr(name + 13);
}

// Makes sure the queue holds at least `count` packages; returns the size of one.
std::uint64_t fill(PackageQueue& queue, PackageFactory& factory, std::size_t count) {
  if (queue.remaining() >= count) return 0;
  std::size_t missing = count - queue.remaining();
  report_progress("signing " + std::to_string(missing) + " packages");
  auto made = factory.make_signed(missing, kSmallAttachmentBytes, 2);
  if (!made) throw std::runtime_error(made.error().to_string());
  std::uint64_t size = made->front().size();
  queue.add(std::move(*made));
  return size;
}

std::string clients_text(std::size_t clients) {
  return std::to_string(clients) + (clients == 1 ? " client" : " clients");
}

std::string format_ms(double milliseconds) { return format_number(milliseconds); }

std::string format_cpu(const CpuShare& cpu, bool with_trucd) {
  return (with_trucd ? format_number(cpu.trucd_ms) : std::string("-")) + " + " +
         format_number(cpu.postgres_ms) + " + " + format_number(cpu.client_ms);
}

// "met (12.3 ms)" or "MISSED by 2.1× (42.0 ms)".
std::string judge(bool met, double shortfall_factor, const std::string& figure) {
  return met ? "met (" + figure + ")"
             : "MISSED by " + format_ratio(shortfall_factor) + " (" + figure + ")";
}

// Appended to a pass's remark when its packages ran out before the end: its rate is then over a
// shorter window than the others'.
std::string ran_out_note(const LoadResult& load) {
  return load.ran_out
             ? "; packages ran out, measured over " + format_number(load.window.count()) + " s"
             : "";
}

void fail_on_errors(const LoadResult& load, const std::string& pass) {
  if (load.failed > 0) {
    throw std::runtime_error(pass + ": " + std::to_string(load.failed) +
                             " requests failed; the first: " + load.first_failure);
  }
}

struct Results {
  std::string sender;
  std::uint64_t document_bytes = 0;
  PushPass push;
  LargePackagePass large;
  std::vector<AcceptPass> accepts;
  std::vector<ReferencePass> references;
  std::size_t peak_index = 0;
  AcceptPass half_peak;
  AcceptPass truc_client;
  AcceptPass with_backlog;
  Floor floor;
  IdleConnectionsPass idle;
  std::size_t stored = 0;
  double fill_seconds = 0;
  AcceptPass with_stored;

  const AcceptPass& peak() const { return accepts[peak_index]; }
  double floor_ratio() const { return peak().load.accepted_per_second() / floor.per_second(); }
  double stored_ratio() const {
    return with_stored.load.accepted_per_second() / peak().load.accepted_per_second();
  }
};

// A pass of agency clients: its rate, latency and CPU, and what to read it with.
void add_accept_row(Table& table, const std::string& name, const AcceptPass& pass,
                    const std::string& remark) {
  table.add_row({name, std::to_string(pass.settings.clients),
                 format_number(pass.load.accepted_per_second()), format_ms(pass.latency.p50_ms),
                 format_ms(pass.latency.p99_ms), format_cpu(pass.cpu, true),
                 format_number(pass.cpu.cpus_busy), format_ms(pass.cpu.trucd_waiting_ms),
                 remark + ran_out_note(pass.load)});
}

void print_table(const Results& results) {
  Table table({{"measurement", Table::Align::left},
               {"clients"},
               {"per s"},
               {"p50 ms"},
               {"p99 ms"},
               {"CPU ms each: trucd+pg+client"},
               {"CPUs busy"},
               {"trucd waited ms"},
               {"compared with the reference", Table::Align::left}});
  const std::string accept_name =
      "hub: POST " + format_bytes(results.document_bytes) + " signed package";
  for (std::size_t index = 0; index < results.accepts.size(); ++index) {
    const AcceptPass& pass = results.accepts[index];
    double ratio = pass.load.accepted_per_second() /
                   results.references[index].measurement.transactions_per_second;
    add_accept_row(table, accept_name, pass,
                   format_ratio(ratio) + " of pgbench's tps" +
                       (index == results.peak_index ? " (the hub's peak)" : ""));
  }
  add_accept_row(table, "hub: the same, paced at 50% of peak", results.half_peak,
                 "latency from when each POST was due");
  add_accept_row(table,
                 "hub: the same, " +
                     format_number(static_cast<double>(results.with_backlog.backlog)) +
                     " deliveries waiting for pull",
                 results.with_backlog, "other passes start with none waiting");
  add_accept_row(table,
                 "hub: the same, " + format_number(static_cast<double>(results.stored)) +
                     " packages already stored",
                 results.with_stored,
                 format_ratio(results.stored_ratio()) + " of the peak's rate; stored by SQL in " +
                     format_number(results.fill_seconds) + " s with VACUUM ANALYZE");
  add_accept_row(table, "hub: the same via truc::https::HttpClient", results.truc_client,
                 "the truc CLI's and the pusher's client");
  const PushPass& push = results.push;
  table.add_row({"push: POST to the push's arrival", "1", format_number(push.rate),
                 format_ms(push.end_to_end.p50_ms), format_ms(push.end_to_end.p99_ms), "-", "-",
                 "-",
                 "after the receipt: p50 " + format_ms(push.after_receipt.p50_ms) + ", p99 " +
                     format_ms(push.after_receipt.p99_ms) + " ms"});
  const LargePackagePass& large = results.large;
  table.add_row({"hub: " + format_bytes(large.document_bytes) + " package, accept+push", "1", "-",
                 "-", "-", "-", "-", "-",
                 "receipt after " + format_number(large.seconds_to_receipt) + " s, pushed " +
                     format_number(large.seconds_to_push) + " s after the POST" +
                     (large.push_intact ? "" : "; THE PUSHED BYTES DIFFER")});
  const IdleConnectionsPass& idle = results.idle;
  table.add_row(
      {"hub: idle mutual-TLS connections held open", std::to_string(idle.opened), "-", "-", "-",
       "-", "-", "-",
       "trucd VmRSS " + format_bytes(idle.rss_with_bytes) + " (" +
           format_bytes(idle.rss_before_bytes) + " before, " +
           format_bytes(static_cast<std::uint64_t>(idle.rss_per_connection_bytes())) +
           " each); opened in " + format_number(idle.seconds_to_open) + " s" +
           (idle.opened < idle.requested ? "; " + std::to_string(idle.requested - idle.opened) +
                                               " failed, the first: " + idle.first_failure
                                         : "")});
  const Floor& floor = results.floor;
  table.add_row(
      {"floor: CPUs ÷ (parse+validate+verify + pg commit)", "-", format_number(floor.per_second()),
       "-", "-",
       format_number(floor.package_work_ms) + " + " + format_number(floor.commit_ms) + " + -", "-",
       "-",
       std::to_string(floor.cpus) +
           " CPUs; the work in this process on one thread, pg per pgbench commit at " +
           clients_text(floor.commit_clients)});
  for (const ReferencePass& reference : results.references) {
    const auto& measured = reference.measurement;
    table.add_row({"ref: pgbench 1-row INSERT commits", std::to_string(reference.clients),
                   format_number(measured.transactions_per_second),
                   format_ms(measured.latency.p50_ms), format_ms(measured.latency.p99_ms),
                   format_cpu(reference.cpu, false), format_number(reference.cpu.cpus_busy), "-",
                   measured.command});
  }
  table.print(std::cout);
}

void print_targets(const Results& results) {
  const AcceptPass& peak = results.peak();
  double ratio = results.floor_ratio();
  double cpu_ms = peak.cpu.trucd_ms + peak.cpu.postgres_ms;
  double p99 = results.half_peak.latency.p99_ms;
  double stored_ratio = results.stored_ratio();
  std::uint64_t idle_rss = results.idle.rss_with_bytes;
  bool all_idle = results.idle.opened == results.idle.requested;
  std::uint64_t growth = results.large.peak_rss_growth_bytes;
  std::cout
      << "\nTargets:\n"
      << "  accepted/s at the peak (" << clients_text(peak.settings.clients) << ") ÷ the floor ≥ "
      << kTargetFloorRatio << ": "
      << judge(ratio >= kTargetFloorRatio, kTargetFloorRatio / ratio,
               format_number(ratio) + ": " + format_number(peak.load.accepted_per_second()) +
                   " against " + format_number(results.floor.per_second()) + "/s")
      << "\n"
      << "  trucd + PostgreSQL CPU per accepted " << format_bytes(results.document_bytes)
      << " package at the peak ≤ " << format_number(kTargetCpuMilliseconds) << " ms: "
      << judge(cpu_ms <= kTargetCpuMilliseconds, cpu_ms / kTargetCpuMilliseconds,
               format_ms(cpu_ms) + " ms: " + format_ms(peak.cpu.trucd_ms) + " + " +
                   format_ms(peak.cpu.postgres_ms))
      << "\n"
      << "  p99 ≤ " << kTargetP99Milliseconds << " ms at half of peak: "
      << judge(p99 <= kTargetP99Milliseconds, p99 / kTargetP99Milliseconds, format_ms(p99) + " ms")
      << "\n"
      << "  accepted/s with " << format_number(static_cast<double>(results.stored))
      << " packages stored ÷ at the peak (a store of this run's packages only) ≥ "
      << kTargetStoredRatio << ": "
      << judge(stored_ratio >= kTargetStoredRatio, kTargetStoredRatio / stored_ratio,
               format_number(stored_ratio))
      << "\n"
      << "  trucd RSS with " << format_number(static_cast<double>(results.idle.requested))
      << " idle mutual-TLS agency connections ≤ " << format_bytes(kTargetIdleRssBytes) << ": "
      << (all_idle ? judge(idle_rss <= kTargetIdleRssBytes,
                           static_cast<double>(idle_rss) / static_cast<double>(kTargetIdleRssBytes),
                           format_bytes(idle_rss))
                   : "NOT MEASURED (" + std::to_string(results.idle.opened) + " opened)")
      << "\n"
      << "  100 MB attachment through the hub (accept and push) with trucd's RSS growth ≤ 32 MiB: "
      << judge(growth <= kTargetRssGrowthBytes,
               static_cast<double>(growth) / static_cast<double>(kTargetRssGrowthBytes),
               format_bytes(growth) + " over " + format_bytes(results.large.rss_before_bytes))
      << "\n"
      << "  (truc edxml verify against xmlsec1: edxml_bench's targets)\n";
}

// PostgreSQL's side of each pass, for the record of what limits the hub.
void print_statement_times(const Results& results) {
  std::cout << "\nPostgreSQL's time executing trucd's statements per package accepted "
               "(pg_stat_statements), and the\nstatement that took the most of it:\n";
  auto print = [](const std::string& pass, const AcceptPass& accepts) {
    const StatementTimes& times = accepts.statements;
    auto packages = static_cast<double>(std::max<std::uint64_t>(accepts.load.accepted_in_all, 1));
    std::cout << "  " << pass << ": " << format_ms(times.total_ms / packages) << " ms, "
              << format_percent(times.top_ms / std::max(times.total_ms, 1e-9)) << " in \""
              << times.top_query << "…\" ("
              << format_number(static_cast<double>(times.top_calls) / packages)
              << " runs per package, "
              << format_ms(times.top_ms /
                           static_cast<double>(std::max<std::uint64_t>(times.top_calls, 1)))
              << " ms each)\n";
  };
  for (const AcceptPass& pass : results.accepts) print(clients_text(pass.settings.clients), pass);
  print("50% of peak", results.half_peak);
  print("with " + format_number(static_cast<double>(results.with_backlog.backlog)) +
            " waiting for pull",
        results.with_backlog);
  print("with " + format_number(static_cast<double>(results.stored)) + " stored",
        results.with_stored);
}

void print_notes(const Results& results, const Options& options) {
  std::string seconds = std::to_string(std::lround(options.duration.count()));
  std::cout << "\n"
            << wrap_text(
                   "Each pass: 1 s of warm-up, then " + seconds + " s measured (pgbench: -T " +
                   seconds +
                   "). Clients: coroutines of this process, each with its own keep-alive "
                   "mutual-TLS connection (Beast, TCP_NODELAY), posting pre-signed packages with "
                   "unique DocumentIds as agency " +
                   results.sender +
                   " to an agency that pulls; every pass starts with none of its deliveries "
                   "pending (marked acknowledged in the database between passes) except the one "
                   "that says otherwise. p50/p99: nearest rank over the packages answered in the "
                   "measured time. CPU ms each: user+system CPU of trucd, of PostgreSQL "
                   "(postmaster and backends) and of the client (this process, or pgbench) per "
                   "package accepted or row committed; CPUs busy: their sum over the pass's wall "
                   "time; trucd waited: how long trucd's threads, summed, were ready to run but "
                   "waited for a CPU, per package (schedstat), which other work on the machine "
                   "lengthens. Floor: the machine's CPUs divided by what a package costs at the "
                   "least, the CPU to parse, validate and verify one (" +
                   std::to_string(kFloorPackages) +
                   " of the load's signed packages in turn, in this process, one thread, the "
                   "fastest of " +
                   std::to_string(kTimingRounds) + " rounds over " +
                   format_number(kFloorTiming.count()) +
                   " s after 0.5 s of warm-up, as edxml_bench times it) plus PostgreSQL's CPU per "
                   "pgbench commit at the peak's concurrency. Stored: that many packages, each "
                   "with its delivery and 2-4 events (about 1% pending, the rest collected), "
                   "inserted by SQL into trucd's tables, then VACUUM ANALYZE, before the pass; "
                   "its rate is compared with the peak pass's, whose store held only this run's "
                   "packages. Idle connections: opened " +
                   std::to_string(kIdleOpeningAtOnce) +
                   std::string(" at a time, each through its TLS handshake (the sender "
                               "agency's certificate) and one GET /v1/inbox, then left open; "
                               "trucd's VmRSS 1 s after the last, and before the first. ") +
                   "Push: the endpoint is an HTTPS server in this process; a push arrives "
                   "when its body has been received whole. RSS: trucd's VmHWM after the push "
                   "minus its VmRSS before the POST (peak reset through clear_refs). kB, MB = "
                   "10^3, 10^6 bytes. Load average at the end: " +
                   load_average() + ".")
            << "\n";
}

int run(const Options& options, const std::string& command_line) {
  std::cout << "Hub benchmark: " << command_line << "\n"
            << describe_machine() << "\n"
            << "trucd of this tree; " << postgres_version()
            << " with fsync=on, synchronous_commit=on; " << OpenSSL_version(OPENSSL_VERSION)
            << "\n\n";
  std::cout.flush();

  report_progress("starting PostgreSQL (fsync on), trucd and the push endpoint");
  HubUnderTest under_test(options.idle + kConnectionsBeyondIdle, kIdleTimeout);
  Results results;
  results.sender = under_test.hub().agency(kSenderAgency).code;
  auto directory = under_test.hub().directory() / "bench";
  PackageFactory to_pull(directory / "to-pull", under_test.hub().agency(kSenderAgency),
                         under_test.hub().agency(kPullRecipientAgency), "BENCH-PULL");
  PackageFactory to_push(directory / "to-push", under_test.hub().agency(kSenderAgency),
                         under_test.hub().agency(kPushRecipientAgency), "BENCH-PUSH");

  report_progress("push end to end, " + format_number(kPushRate) + " packages/s");
  results.push = run_push_pass(under_test, to_push, options.duration, kPushRate);
  if (results.push.failed > 0) {
    throw std::runtime_error("push pass: " + std::to_string(results.push.failed) +
                             " failures; the first: " + results.push.first_failure);
  }

  report_progress("a 100 MB attachment: signing, then accept and push");
  results.large = run_large_package_pass(under_test, to_push, kLargeAttachmentBytes);

  PgbenchReference reference(under_test.cluster(), directory / "pgbench");
  PackageQueue queue;
  const Seconds warm_up = 1s;
  auto packages_for = [&](double rate) {
    return static_cast<std::size_t>(rate * 1.3 * (warm_up + options.duration).count());
  };
  // Clients as fast as answers come, with packages for the rate the queue was filled for; when the
  // hub was faster (the machine is shared, its speed varies) and the queue ran dry, the pass runs
  // again with packages for 1.5 times the rate it reached.
  auto run_closed_loop = [&](std::size_t clients, std::size_t backlog) {
    const LoadSettings settings{
        .clients = clients, .warm_up = warm_up, .duration = options.duration};
    AcceptPass pass = run_accept_pass(under_test, queue, settings, backlog);
    if (pass.load.ran_out) {
      report_progress("the packages ran out after " + format_number(pass.load.window.count()) +
                      " s: again, with more");
      fill(queue, to_pull, packages_for(1.5 * pass.load.accepted_per_second()));
      pass = run_accept_pass(under_test, queue, settings, backlog);
    }
    fail_on_errors(pass.load,
                   std::to_string(clients) + " clients" + (backlog > 0 ? " with a backlog" : ""));
    return pass;
  };
  // Enough packages for each pass, from what the passes before it reached: doubling the clients
  // at most doubles the rate. The first guess comes from the push pass's one-client latency.
  double expected_rate = 1000 / std::max(results.push.accept.p50_ms, 0.1);
  std::size_t previous_clients = 1;
  for (std::size_t clients : options.clients) {
    expected_rate *= static_cast<double>(clients) / static_cast<double>(previous_clients);
    previous_clients = clients;
    std::uint64_t size = fill(queue, to_pull, packages_for(expected_rate));
    if (results.document_bytes == 0) results.document_bytes = size;
    report_progress(std::to_string(clients) + " client(s), as fast as answers come");
    AcceptPass pass = run_closed_loop(clients, 0);
    expected_rate = std::max(expected_rate / 2, pass.load.accepted_per_second());
    results.accepts.push_back(std::move(pass));

    report_progress("pgbench, " + std::to_string(clients) + " connections");
    results.references.push_back(run_reference_pass(under_test, reference, clients,
                                                    static_cast<int>(options.duration.count())));
  }

  auto peak = std::max_element(
      results.accepts.begin(), results.accepts.end(), [](const auto& left, const auto& right) {
        return left.load.accepted_per_second() < right.load.accepted_per_second();
      });
  results.peak_index = static_cast<std::size_t>(peak - results.accepts.begin());

  // The floor, while the hub is idle: the packages' own work here, PostgreSQL's commit from the
  // pgbench pass at the peak's concurrency.
  report_progress("the floor: parse+validate+verify of " + std::to_string(kFloorPackages) +
                  " packages, one thread");
  auto floor_packages = to_pull.make_signed(kFloorPackages, kSmallAttachmentBytes, 2);
  if (!floor_packages) throw std::runtime_error(floor_packages.error().to_string());
  results.floor = {
      cpu_count(),
      package_work_milliseconds(*floor_packages, under_test.hub().ca().certificate, kFloorTiming),
      results.references[results.peak_index].cpu.postgres_ms, peak->settings.clients};

  // The project's client library, one client: the same hub, its own client's cost.
  fill(queue, to_pull, packages_for(results.accepts.front().load.accepted_per_second()));
  report_progress("1 client through truc::https::HttpClient");
  results.truc_client = run_truc_client_pass(
      under_test, queue, {.clients = 1, .warm_up = warm_up, .duration = options.duration});
  fail_on_errors(results.truc_client.load, "truc::https::HttpClient");

  double half_rate = peak->load.accepted_per_second() / 2;
  fill(queue, to_pull,
       static_cast<std::size_t>(half_rate * 1.1 * (warm_up + options.duration).count()) + 10);
  report_progress(std::to_string(peak->settings.clients) + " client(s) paced at " +
                  format_number(half_rate) + " packages/s");
  results.half_peak = run_accept_pass(under_test, queue,
                                      {.clients = peak->settings.clients,
                                       .warm_up = warm_up,
                                       .duration = options.duration,
                                       .rate = half_rate});
  fail_on_errors(results.half_peak.load, "half of peak");

  // The same clients as at the peak, while the pull recipient has not collected for a while.
  fill(queue, to_pull, packages_for(peak->load.accepted_per_second()));
  report_progress(std::to_string(peak->settings.clients) + " client(s), " +
                  std::to_string(kBacklogDeliveries) + " deliveries waiting for pull");
  results.with_backlog = run_closed_loop(peak->settings.clients, kBacklogDeliveries);

  report_progress(std::to_string(options.idle) + " idle mutual-TLS connections");
  results.idle = run_idle_connections_pass(under_test, options.idle);

  // Last, since it leaves the store that large.
  report_progress("storing " + std::to_string(options.stored) + " packages by SQL");
  results.stored = options.stored;
  Clock::time_point fill_started = Clock::now();
  under_test.fill_store(options.stored);
  results.fill_seconds = Seconds(Clock::now() - fill_started).count();
  fill(queue, to_pull, packages_for(peak->load.accepted_per_second()));
  report_progress(std::to_string(peak->settings.clients) + " client(s), " +
                  std::to_string(options.stored) + " packages stored");
  results.with_stored = run_closed_loop(peak->settings.clients, 0);

  under_test.stop();
  print_table(results);
  print_targets(results);
  print_statement_times(results);
  print_notes(results, options);
  return 0;
}

}  // namespace
}  // namespace truc::bench

int main(int argc, char** argv) {
  return truc::bench::run_benchmark<truc::bench::Options>(
      "hub_bench", argc, argv, truc::bench::parse_options, truc::bench::run);
}
