#pragma once

// What the threads of a crash run share: where the hub listens now (it moves at each restart),
// the stop flag with the failures that set it, and the retry loop with which every client rides
// out a crash. The agency faces, the ledger and the fixture all depend on these.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "truc/common/error.hpp"

namespace truc::crash {

// Where the hub listens now: each restart binds new ports (port 0). A client that lost the hub
// waits here for the next start.
class HubAddress {
 public:
  struct Seen {
    std::string url;
    std::uint64_t generation = 0;
  };

  void restarted(std::string url);
  Seen current() const;
  // Returns once the hub restarted after `generation`, or after `timeout`: a dropped connection
  // or a refused request does not always mean a restart.
  void wait_for_restart(std::uint64_t generation, std::chrono::milliseconds timeout) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::string url_;
  std::uint64_t generation_ = 0;
};

// What every thread of the run shares: the stop flag and the first unexpected error.
class RunControl {
 public:
  bool stopping() const;
  void stop();
  void fail(const std::string& what);
  std::vector<std::string> failures() const;
  // Waits `duration`, or less if the run stops.
  void pause(std::chrono::milliseconds duration);
  // Runs `body` on a new thread; an exception fails the run instead of ending the process.
  std::thread spawn(std::function<void()> body);

  std::atomic<std::uint64_t> retries{0};

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::vector<std::string> failures_;
};

// Errors an agency's software meets while the hub or its database is down: it waits and tries
// again. Any other error is a finding.
bool is_transient(const Error& error);

// Calls `call` (which returns a Result) until it succeeds or the run stops.
template <typename Call>
auto retrying(RunControl& run, const HubAddress& address, const std::string& what, Call call)
    -> std::optional<std::remove_cvref_t<decltype(*call())>> {
  while (!run.stopping()) {
    auto generation = address.current().generation;
    auto result = call();
    if (result) return std::move(*result);
    if (!is_transient(result.error())) {
      run.fail(what + ": " + result.error().to_string());
      return std::nullopt;
    }
    ++run.retries;
    address.wait_for_restart(generation, std::chrono::milliseconds(200));
  }
  return std::nullopt;
}

}  // namespace truc::crash
