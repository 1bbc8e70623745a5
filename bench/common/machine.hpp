#pragma once

#include <string>

namespace truc::bench {

// The one-minute load average: figures taken while other work competes for the CPUs are lower,
// and the references measured at a different moment may not have competed as much.
std::string load_average();

// The CPUs this process may run on (what nproc prints).
int cpu_count();

// "2026-11-25 13:47 UTC, 2 CPUs (AMD EPYC), load average 2.70 at start": the time, the CPUs this
// process may run on (what nproc prints), their model and the load, for the record.
std::string describe_machine();

// User + system CPU time, in seconds, of this process (RUSAGE_SELF) or of its children that have
// been waited for (RUSAGE_CHILDREN).
double cpu_seconds(int who);

}  // namespace truc::bench
