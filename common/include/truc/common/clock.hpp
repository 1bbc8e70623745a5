#pragma once

// The time a rule depends on (clock skew of signed requests, retry backoff, claim leases,
// certificate validity), injected so that tests can set it: production code takes a Clock&,
// never reads std::chrono's clocks itself for such rules.

#include <atomic>
#include <chrono>

#include "truc/common/time.hpp"

namespace truc {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

// The system's wall clock.
class SystemClock final : public Clock {
 public:
  Instant now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

// A clock the test moves; safe to read and move from several threads.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_(start.time_since_epoch().count()) {}
  Instant now() const override { return Instant(std::chrono::milliseconds(now_.load())); }
  void advance(std::chrono::milliseconds by) { now_ += by.count(); }
  void set(Instant to) { now_ = to.time_since_epoch().count(); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace truc
