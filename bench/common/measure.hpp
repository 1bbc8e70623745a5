#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "truc/common/error.hpp"

namespace truc::bench {

// One unit of work being measured, e.g. parsing and verifying one document.
using Operation = std::function<Status()>;
using Seconds = std::chrono::duration<double>;

// Timed runs are grouped in this many rounds and the fastest round stands for the measurement:
// other work on the machine can only slow a round down, so the fastest is the closest to what the
// code costs, and a burst of someone else's build moves one round, not the figure.
inline constexpr int kTimingRounds = 5;

struct Timing {
  std::uint64_t runs = 0;
  double seconds_per_run = 0;  // mean within the fastest round
};

// Runs `operation` repeatedly for `warm_up` (caches, allocator, lazily built tables), then in
// kTimingRounds rounds of at least duration / kTimingRounds and one run each. The first failure is
// returned instead: a benchmark of an operation that fails measures nothing.
Result<Timing> time_repeatedly(const Operation& operation, Seconds warm_up, Seconds duration);

struct ChildMeasurement {
  Timing timing;
  // ru_maxrss at the end minus ru_maxrss right before the first run.
  std::uint64_t peak_rss_growth_bytes = 0;
};

// Measures an operation's peak memory in a forked child, so that neither the phases run before
// (whose freed memory the allocator would hand back) nor the parent's own peak hide or inflate
// it. In the child: `set_up` builds the operation (loading libraries and trust stores, which are
// not the operation's cost), free heap memory is returned to the kernel, the peak RSS is reset to
// the current RSS and taken as the baseline, then the operation is timed as time_repeatedly does,
// without warm-up: the peak is the first run's.
Result<ChildMeasurement> measure_in_child(const std::function<Result<Operation>()>& set_up,
                                          Seconds duration);

}  // namespace truc::bench
