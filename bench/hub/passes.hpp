#pragma once

#include <cstdint>
#include <string>

#include "hub_under_test.hpp"
#include "load.hpp"
#include "packages.hpp"
#include "pgbench.hpp"

namespace truc::bench {

// CPU each process spent per accepted package (or committed transaction), and how many of the
// machine's CPUs were busy with them on average over the pass.
struct CpuShare {
  double trucd_ms = 0;
  double postgres_ms = 0;
  double client_ms = 0;  // this process (hub passes) or pgbench
  double cpus_busy = 0;
  double trucd_waiting_ms = 0;  // trucd's threads waiting for a CPU (CpuTimes)
};

// One closed-loop or paced pass of agency systems posting 20 kB packages to the pull recipient,
// which has `backlog` deliveries waiting when the pass starts (HubUnderTest::add_pull_backlog).
struct AcceptPass {
  LoadSettings settings;
  std::size_t backlog = 0;
  LoadResult load;
  Percentiles latency;
  CpuShare cpu;
  StatementTimes statements;
};

AcceptPass run_accept_pass(HubUnderTest& under_test, PackageQueue& packages,
                           const LoadSettings& settings, std::size_t backlog = 0);
// The same with one client through truc::https::HttpClient (see run_load_with_truc_client).
AcceptPass run_truc_client_pass(HubUnderTest& under_test, PackageQueue& packages,
                                const LoadSettings& settings);

// pgbench at the same concurrency, for the same time, against the same cluster.
struct ReferencePass {
  std::size_t clients = 0;
  PgbenchReference::Measurement measurement;
  CpuShare cpu;
};

ReferencePass run_reference_pass(HubUnderTest& under_test, const PgbenchReference& reference,
                                 std::size_t clients, int seconds);

// Packages to the recipient with a push endpoint, one client at a fixed rate; the latency is from
// the moment the POST was due (its start, at this rate) to the push's arrival at the endpoint.
struct PushPass {
  double rate = 0;
  Percentiles accept;  // the POSTs' own latency, one client at a time
  std::uint64_t pushed = 0;
  Percentiles end_to_end;     // from the POST's start
  Percentiles after_receipt;  // from the receipt's arrival at the sender
  std::uint64_t failed = 0;   // POSTs refused or pushes that did not come within a minute
  std::string first_failure;
};

PushPass run_push_pass(HubUnderTest& under_test, PackageFactory& to_push, Seconds duration,
                       double rate);

// One package with a large attachment, sent (streamed from a file) to the recipient with a push
// endpoint, after trucd's peak RSS was reset: the time to the receipt, the time until the push
// arrived whole, and trucd's peak RSS over that, above its RSS before.
struct LargePackagePass {
  std::uint64_t document_bytes = 0;
  double seconds_to_receipt = 0;
  double seconds_to_push = 0;  // from the POST's start
  std::uint64_t rss_before_bytes = 0;
  std::uint64_t peak_rss_growth_bytes = 0;
  bool push_intact = false;  // the endpoint received the receipt's SHA-256
};

LargePackagePass run_large_package_pass(HubUnderTest& under_test, PackageFactory& to_push,
                                        std::uint64_t attachment_bytes);

}  // namespace truc::bench
