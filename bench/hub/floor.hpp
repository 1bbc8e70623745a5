#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "measure.hpp"

namespace truc::bench {

// What accepting a package costs at the least on this machine: the CPU to parse, validate and
// verify it, which no hub can skip, and PostgreSQL's CPU for one durable commit (pgbench's, at
// the same concurrency). The floor is the rate at which the machine's CPUs would accept packages
// if nothing else cost anything: CPUs ÷ (both), a ceiling for the hub rather than a goal.
struct Floor {
  int cpus = 0;
  double package_work_ms = 0;  // parse+validate+verify of one package, one thread
  double commit_ms = 0;        // PostgreSQL's CPU per pgbench commit
  std::size_t commit_clients = 0;

  double per_second() const { return cpus * 1000.0 / (package_work_ms + commit_ms); }
};

// The time per package to parse, validate and verify `packages` (signed documents as the load
// sends them, in turn), trusting the CA in `ca_file` as trucd does: what bench/edxml's memory rows
// measure, with its method (one thread, 0.5 s of warm-up, the fastest of kTimingRounds rounds over
// `duration`), so that other work on the machine moves a round rather than the figure. On one
// thread and undisturbed, that time is the work's CPU time.
double package_work_milliseconds(const std::vector<std::string>& packages,
                                 const std::filesystem::path& ca_file, Seconds duration);

}  // namespace truc::bench
