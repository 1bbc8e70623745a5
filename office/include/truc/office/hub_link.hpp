#pragma once

// The office's link with the hub, as an agency system of it (docs/design.md, "Deliveries"): for
// every served agency that has a hub certificate, a pull that reconciles its hub inbox with what
// the office stored (whatever push brought), and a sender of the statuses the office owes. Both
// talk to the hub's /v1 agency API only, with the agency's own client certificate.
//
// Each runs on a thread of its own: the hub client and libpq block, and the link must never hold
// up the web listener's I/O threads. The sender shares the outgoing_statuses table with other
// office nodes through row locks (FOR UPDATE SKIP LOCKED): a row is sent by one node at a time,
// so the sender holds one pooled connection, in the claiming transaction, while it sends.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "truc/common/error.hpp"

namespace truc::edxml {
class Parser;
}
namespace truc::store {
class BlobStore;
class Pool;
}  // namespace truc::store

namespace truc::office {

class Inbox;

struct HubLinkSettings {
  std::string hub_url;                        // https://host:port of the hub's agency API
  std::vector<std::filesystem::path> hub_ca;  // CAs the hub's TLS certificate chains to
  std::chrono::seconds poll_interval{60};     // pull reconcile period
  std::chrono::seconds timeout{30};           // per HTTP step
  // Status sending backoff: after the n-th failure the next attempt waits first_retry × 2ⁿ⁻¹,
  // capped at max_retry.
  std::chrono::seconds first_retry{10}, max_retry{3600};
};

// Counters since start, for the monitor listener.
struct HubLinkStats {
  std::uint64_t packages_pulled = 0;  // stored by a pull (new to the office)
  std::uint64_t packages_acked = 0;   // acknowledged on the hub after being stored
  std::uint64_t pull_failures = 0;    // an inbox page, a fetch, a store or an ack that failed
  std::uint64_t statuses_sent = 0;    // accepted by the hub (201, or 200 for a repeat)
  std::uint64_t status_retries = 0;   // attempts that failed and will be tried again
  std::uint64_t statuses_failed = 0;  // refused by the hub for good
};

// What one reconcile round did, over every agency.
struct PullReport {
  std::size_t stored = 0;   // packages new to the office
  std::size_t already = 0;  // packages the office had (a push, or an earlier pull not acked)
  std::size_t acked = 0;
  std::size_t failures = 0;
};

// What one round of the status sender did.
struct SendReport {
  std::size_t sent = 0;
  std::size_t retried = 0;  // failed, left pending for a later attempt
  std::size_t failed = 0;   // refused by the hub, state 'failed'
};

class HubLink {
 public:
  // Checks the settings: hub_link.invalid_url (not an https URL), hub_link.no_ca (no CA given),
  // io.* when a CA file cannot be read. The references must outlive the link.
  static Result<std::unique_ptr<HubLink>> create(HubLinkSettings settings, store::Pool& database,
                                                 const store::BlobStore& blobs,
                                                 const edxml::Parser& parser, Inbox& inbox);
  ~HubLink();  // stop()
  HubLink(const HubLink&) = delete;
  HubLink& operator=(const HubLink&) = delete;

  // Starts the puller and the status sender threads; each does a first round at once.
  void start();
  // Wakes both threads now: a pull round, and a look for due statuses.
  void wake();
  // Wakes the status sender only: the API calls it after committing an outgoing status.
  void wake_status_sender();
  // Lets the round in progress finish its current HTTP step, then joins the threads. Idempotent;
  // a link never started stops at once.
  void stop();

  // One round of each, on the caller's thread (the threads call them; so do tests and tools).
  // Failures are logged and counted, never thrown: the next round tries again. After stop()
  // they do nothing.
  PullReport reconcile();
  SendReport send_due_statuses();

  HubLinkStats stats() const;

 private:
  struct Impl;
  explicit HubLink(std::unique_ptr<Impl> impl);

  // A thread's loop: a round at once, then again after the wait the round returns or a wake-up,
  // until stop().
  struct Loop {
    std::mutex mutex;
    std::condition_variable wakeup;
    bool woken = false;
    std::thread thread;
  };
  void run(Loop& loop, const std::function<std::chrono::milliseconds()>& round);
  static void poke(Loop& loop);

  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stopping_{false};
  Loop puller_;
  Loop sender_;
};

}  // namespace truc::office
