#pragma once

// Deliveries the hub sends on itself rather than leaving them to be pulled: the core claims a
// due delivery (FOR UPDATE SKIP LOCKED, so several workers and hub nodes share the queue; the
// claim is short and renewed while the push goes on, so a node that dies frees it soon), hands
// the stored package to the channel that reaches its collector, and records the outcome in one
// transaction: settled, retried with exponential backoff and jitter, or a dead letter an
// operator can replay. Pull keeps working beside it: whichever settles a delivery first ends it.
// Push delivery (adapters/push) is one channel; peer hubs and the national platform come next.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "truc/common/clock.hpp"
#include "truc/common/error.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"
#include "truc/store/repository.hpp"

namespace truc::hub {

// One delivery to send: what, to whom, which attempt, and the stored bytes.
struct OutboundPackage {
  const store::PushJob& job;
  const std::filesystem::path& file;
};

// The port an adapter implements: sends one package to the collector's endpoint, blocking,
// bounded by the adapter's own deadlines. Called from several dispatcher threads at once.
class DeliveryChannel {
 public:
  virtual ~DeliveryChannel() = default;
  virtual Status send(const OutboundPackage& package) = 0;
};

// Told of each outcome the dispatcher recorded (not of a delivery that an ack through pull
// settled meanwhile), and of the dispatcher's own failures (the database, mostly), which are
// retried at the next poll: the hub counts and logs them.
class DeliveryObserver {
 public:
  virtual ~DeliveryObserver() = default;
  virtual void delivered(const store::PushJob& job, std::chrono::milliseconds duration) = 0;
  virtual void failed(const store::PushJob& job, const Error& error, bool dead_lettered) = 0;
  virtual void dispatch_failed(const Error& error) = 0;
};

struct DispatchSettings {
  std::string hub_code;  // actor of the delivery events in traces
  std::size_t workers = 2;
  std::size_t max_attempts = 10;
  std::chrono::seconds first_retry{10};
  std::chrono::seconds max_retry{3600};
  std::chrono::seconds poll_interval{5};
  // Which node of the hub this is: its claims carry it. Unique among the nodes sharing the
  // database, and the same across a node's restarts, so that a restart frees what it held.
  std::string node_id = "node";
  // How long a claim holds a delivery unless renewed: renewed every third of it while the push
  // goes on, so a node that dies (or loses the database) frees its deliveries within a lease.
  std::chrono::seconds lease{30};
};

// The wait before attempt `attempt` + 1, after `attempt` failures: first_retry doubled each time,
// capped at max_retry, then scaled by a random factor in [0.5, 1] (jitter: agencies coming back
// after an outage are not hit by every retry at once).
std::chrono::milliseconds retry_delay(const DispatchSettings& settings, int attempt,
                                      double random_unit);

class Dispatcher {
 public:
  Dispatcher(DispatchSettings settings, store::Pool& database, const store::BlobStore& blobs,
             DeliveryChannel& channel, DeliveryObserver& observer, const Clock& clock);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Frees the claims this node held before it (re)started, then starts the workers.
  void start();
  // New or released deliveries may be due: look now rather than at the next poll.
  void wake();
  // Lets deliveries in flight finish, then returns; nothing runs afterwards.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace truc::hub
