#pragma once

// Push delivery: worker threads claim due deliveries for agencies with a push endpoint
// (FOR UPDATE SKIP LOCKED, so several workers and hub nodes share the queue), POST the package
// byte for byte, and record the outcome. A 2xx answer settles the delivery; a failure is retried
// with exponential backoff and jitter, then becomes a dead letter an operator can replay. Pull
// keeps working beside push: whichever settles a delivery first ends it.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"
#include "truc/store/repository.hpp"

namespace truc::push {

struct PushSettings {
  std::string hub_code;  // actor of the push events in traces
  std::size_t workers = 2;
  std::size_t max_attempts = 10;
  std::chrono::seconds first_retry{10};
  std::chrono::seconds max_retry{3600};
  std::chrono::seconds timeout{60};
  std::chrono::seconds poll_interval{5};
  // The hub's client certificate and key (PEM files), for endpoints that ask for one.
  std::optional<std::filesystem::path> client_certificate;
  std::optional<std::filesystem::path> client_key;
};

// Told of each push outcome the pusher recorded (not of one that found the delivery settled
// meanwhile, by an ack through pull): the hub counts and logs them.
class PushObserver {
 public:
  virtual ~PushObserver() = default;
  virtual void pushed(const store::PushJob& job, std::chrono::milliseconds duration) = 0;
  virtual void push_failed(const store::PushJob& job, const Error& error, bool dead_lettered) = 0;
};

// The wait before attempt `attempt` + 1, after `attempt` failures: first_retry doubled each time,
// capped at max_retry, then scaled by a random factor in [0.5, 1] (jitter: agencies coming back
// after an outage are not hit by every retry at once).
std::chrono::milliseconds retry_delay(const PushSettings& settings, int attempt,
                                      double random_unit);

class Pusher {
 public:
  Pusher(PushSettings settings, store::Pool& database, const store::BlobStore& blobs,
         PushObserver& observer);
  ~Pusher();
  Pusher(const Pusher&) = delete;
  Pusher& operator=(const Pusher&) = delete;

  void start();
  // New or released deliveries may be due: look now rather than at the next poll.
  void wake();
  // Lets pushes in flight finish, then joins the workers.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace truc::push
