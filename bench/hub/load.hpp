#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "push_endpoint.hpp"
#include "truc/https/http_client.hpp"

namespace truc::bench {

using Seconds = std::chrono::duration<double>;

// Packages made before a run, handed out once each to whichever client asks next (clients run
// on one thread).
class PackageQueue {
 public:
  void add(std::vector<std::string> packages);
  // The next package, or null when all have been handed out.
  const std::string* next();
  std::size_t remaining() const;
  // Forgets the packages handed out (their memory goes back).
  void drop_used();

 private:
  std::vector<std::string> packages_;
  std::size_t next_ = 0;
};

struct LoadSettings {
  std::size_t clients = 1;
  // Requests before `warm_up` has passed are not counted: connections and TLS sessions open then.
  Seconds warm_up{1};
  Seconds duration{10};
  // Requests per second from all clients together, on a fixed schedule (request k is due at
  // k / rate), so that a slow answer delays the requests after it and its delay is counted in
  // their latency too. Without it, each client sends its next request as soon as it has the
  // answer to the previous one.
  std::optional<double> rate;
};

// One accepted package, as its client saw it.
struct Submission {
  std::string package_id;     // from the receipt
  Clock::time_point started;  // when it was due (paced) or sent (unpaced)
  Clock::time_point answered;
};

struct LoadResult {
  // Packages accepted (201) whose answer came within the measured window, and the window.
  std::uint64_t accepted = 0;
  Seconds window{0};
  std::vector<Submission> submissions;  // those same packages
  // Every package accepted, warm-up included: what the processes' CPU time was spent on.
  std::uint64_t accepted_in_all = 0;
  // Requests that failed or were refused, and the first such error.
  std::uint64_t failed = 0;
  std::string first_failure;
  // The queue ran dry before the end: the window was cut short there.
  bool ran_out = false;

  double accepted_per_second() const { return static_cast<double>(accepted) / window.count(); }
};

// Agency systems posting packages: `settings.clients` coroutines on one thread, each with its
// own keep-alive mutual-TLS connection (AgencyConnection: Beast, TCP_NODELAY), POSTing the
// queue's packages to /v1/packages as agency `client` (its certificate).
LoadResult run_load(const https::ClientOptions& client, PackageQueue& packages,
                    const LoadSettings& settings);

// The same with one client, unpaced, through the project's own client library
// (truc::https::HttpClient, which the truc CLI and trucd's pusher use), to show what it adds.
LoadResult run_load_with_truc_client(const https::ClientOptions& client, PackageQueue& packages,
                                     Seconds warm_up, Seconds duration);

// Nearest-rank percentiles of durations, in milliseconds.
struct Percentiles {
  double p50_ms = 0;
  double p99_ms = 0;
  std::size_t count = 0;
};
Percentiles percentiles(std::vector<double> milliseconds);
// answered - started of every submission.
Percentiles latency_of(const std::vector<Submission>& submissions);

}  // namespace truc::bench
