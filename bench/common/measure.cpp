#include "measure.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>

namespace truc::bench {
namespace {

using Clock = std::chrono::steady_clock;

// What the child sends back through a pipe: plain bytes, no allocation needed to read them.
struct ChildReport {
  std::uint64_t runs = 0;
  double seconds_per_run = 0;
  std::uint64_t peak_rss_growth_bytes = 0;
  char error[1024] = {};  // empty when the measurement succeeded
};

std::uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

// Makes the current RSS the baseline: memory the parent freed but the allocator kept would
// otherwise be reused without showing as growth, and the peak inherited at fork would hide any
// growth below it. Linux resets the peak on writing 5 to clear_refs (proc(5)).
Status reset_peak_rss() {
  malloc_trim(0);
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  clear_refs.close();
  if (!clear_refs) {
    return Error{"bench.peak_rss_reset", "cannot reset the peak RSS", "/proc/self/clear_refs"};
  }
  return ok_status();
}

ChildReport run_in_child(const std::function<Result<Operation>()>& set_up, Seconds duration) {
  ChildReport report;
  auto fail = [&report](const Error& error) {
    std::snprintf(report.error, sizeof report.error, "%s", error.to_string().c_str());
    return report;
  };
  auto operation = set_up();
  if (!operation) return fail(operation.error());
  if (Status reset = reset_peak_rss(); !reset) return fail(reset.error());
  std::uint64_t baseline = peak_rss_bytes();
  auto timing = time_repeatedly(*operation, Seconds(0), duration);
  if (!timing) return fail(timing.error());
  report.runs = timing->runs;
  report.seconds_per_run = timing->seconds_per_run;
  report.peak_rss_growth_bytes = peak_rss_bytes() - baseline;
  return report;
}

bool write_all(int descriptor, const char* bytes, std::size_t size) {
  while (size > 0) {
    ssize_t written = ::write(descriptor, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

std::size_t read_all(int descriptor, char* bytes, std::size_t size) {
  std::size_t total = 0;
  while (total < size) {
    ssize_t count = ::read(descriptor, bytes + total, size - total);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    total += static_cast<std::size_t>(count);
  }
  return total;
}

}  // namespace

Result<Timing> time_repeatedly(const Operation& operation, Seconds warm_up, Seconds duration) {
  for (auto start = Clock::now(); Clock::now() - start < warm_up;) TRUC_TRY(operation());
  Timing timing;
  timing.seconds_per_run = std::numeric_limits<double>::infinity();
  for (int round = 0; round < kTimingRounds; ++round) {
    std::uint64_t runs = 0;
    auto start = Clock::now();
    Seconds elapsed{0};
    do {
      TRUC_TRY(operation());
      ++runs;
      elapsed = Clock::now() - start;
    } while (elapsed < duration / kTimingRounds);
    timing.runs += runs;
    timing.seconds_per_run =
        std::min(timing.seconds_per_run, elapsed.count() / static_cast<double>(runs));
  }
  return timing;
}

Result<ChildMeasurement> measure_in_child(const std::function<Result<Operation>()>& set_up,
                                          Seconds duration) {
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0)
    return Error{"bench.fork", "cannot create a pipe", std::strerror(errno)};
  // Whatever is buffered would otherwise be printed twice, once by each process.
  std::cout.flush();
  std::cerr.flush();
  pid_t child = ::fork();
  if (child < 0) return Error{"bench.fork", "cannot fork", std::strerror(errno)};
  if (child == 0) {
    ::close(pipe_ends[0]);
    ChildReport report;
    try {
      report = run_in_child(set_up, duration);
    } catch (const std::exception& exception) {
      // Reported by the parent; unwinding further would run the parent's destructors here.
      std::snprintf(report.error, sizeof report.error, "%s", exception.what());
    }
    bool sent = write_all(pipe_ends[1], reinterpret_cast<const char*>(&report), sizeof report);
    // _exit: the parent's objects (its temporary directory above all) are not the child's to
    // clean up.
    ::_exit(sent ? 0 : 1);
  }

  ::close(pipe_ends[1]);
  ChildReport report;
  std::size_t received = read_all(pipe_ends[0], reinterpret_cast<char*>(&report), sizeof report);
  ::close(pipe_ends[0]);
  int wait_status = 0;
  while (::waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (received != sizeof report || !WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    return Error{"bench.child_failed", "the measuring child died",
                 "wait status " + std::to_string(wait_status)};
  }
  if (report.error[0] != '\0') return Error{"bench.child_failed", report.error, {}};
  return ChildMeasurement{{report.runs, report.seconds_per_run}, report.peak_rss_growth_bytes};
}

}  // namespace truc::bench
