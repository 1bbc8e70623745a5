#include "truc/hub/dispatcher.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cmath>
#include <cstring>
#include <mutex>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "truc/common/log.hpp"
#include "truc/common/random.hpp"

namespace truc::hub {
namespace {

namespace asio = boost::asio;
using store::PushJob;

constexpr std::size_t kMaxErrorText = 500;

std::string error_text(const Error& error) {
  std::string text = error.to_string();
  if (text.size() > kMaxErrorText) text.resize(kMaxErrorText);
  return text;
}

// Jitter needs spread, not secrecy: seeded from the OS when it can, from the clock otherwise.
std::uint64_t jitter_seed(const Clock& clock) {
  std::uint64_t seed = static_cast<std::uint64_t>(clock.now().time_since_epoch().count());
  if (auto random = random_bytes(sizeof seed)) std::memcpy(&seed, random->data(), sizeof seed);
  return seed;
}

}  // namespace

std::chrono::milliseconds retry_delay(const DispatchSettings& settings, int attempt,
                                      double random_unit) {
  double base = std::chrono::duration<double, std::milli>(settings.first_retry).count() *
                std::pow(2.0, std::max(0, attempt - 1));
  double capped =
      std::min(base, std::chrono::duration<double, std::milli>(settings.max_retry).count());
  return std::chrono::milliseconds(static_cast<std::int64_t>(capped * (0.5 + 0.5 * random_unit)));
}

struct Dispatcher::State {
  // One worker claims, sends and records one delivery at a time, on its own strand; between
  // deliveries it waits on its timer for the poll interval or a wake-up (which cancels it).
  struct Worker {
    explicit Worker(asio::thread_pool& threads, std::uint64_t seed)
        : strand(asio::make_strand(threads)), idle(strand), random(seed) {}
    asio::strand<asio::thread_pool::executor_type> strand;
    asio::steady_timer idle;
    std::mt19937_64 random;
  };

  DispatchSettings settings;
  store::Pool& database;
  const store::BlobStore& blobs;
  DeliveryChannel& channel;
  DeliveryObserver& observer;
  const Clock& clock;
  std::atomic<bool> stopping{false};
  asio::thread_pool threads;
  std::vector<std::unique_ptr<Worker>> workers;
  // The deliveries this node is pushing (package id, recipient), whose claims the heartbeat
  // renews. A push blocks its worker's thread, so the heartbeat has a thread of its own.
  std::mutex in_flight_mutex;
  std::set<std::pair<std::string, std::string>> in_flight;
  std::atomic<bool> heartbeat_stopping{false};
  asio::thread_pool heartbeat_thread{1};
  asio::steady_timer heartbeat{heartbeat_thread};

  State(DispatchSettings settings_in, store::Pool& database_in, const store::BlobStore& blobs_in,
        DeliveryChannel& channel_in, DeliveryObserver& observer_in, const Clock& clock_in)
      : settings(std::move(settings_in)),
        database(database_in),
        blobs(blobs_in),
        channel(channel_in),
        observer(observer_in),
        clock(clock_in),
        threads(std::max<std::size_t>(1, settings.workers)) {
    for (std::size_t index = 0; index < settings.workers; ++index) {
      workers.push_back(std::make_unique<Worker>(threads, jitter_seed(clock)));
    }
  }

  void next_turn(Worker& worker) {
    asio::post(worker.strand, [this, &worker] { turn(worker); });
  }

  void turn(Worker& worker) {
    if (stopping) return;
    auto job = claim();
    if (!job) {
      observer.dispatch_failed(job.error());
      idle(worker);
      return;
    }
    if (!*job) {
      idle(worker);
      return;
    }
    deliver(worker, **job);
    next_turn(worker);
  }

  // Until the poll interval passes or wake() cancels the wait, whichever is first.
  void idle(Worker& worker) {
    worker.idle.expires_after(settings.poll_interval);
    worker.idle.async_wait([this, &worker](const boost::system::error_code&) { turn(worker); });
  }

  // The claims of this node's previous run: their pushes died with it.
  void release_own_claims() {
    auto lease = database.acquire();
    if (!lease) return observer.dispatch_failed(lease.error());
    auto released = store::Repository(**lease).release_push_claims(settings.node_id);
    if (!released) return observer.dispatch_failed(released.error());
    if (*released > 0) {
      log_event("info", "push.claims_released",
                {{"node", settings.node_id}, {"deliveries", std::to_string(*released)}});
    }
  }

  // Every third of a lease, so that one late or failed renewal leaves the claim standing.
  void beat() {
    heartbeat.expires_after(
        std::max(std::chrono::milliseconds(100), std::chrono::milliseconds(settings.lease) / 3));
    heartbeat.async_wait([this](const boost::system::error_code& error) {
      if (error || heartbeat_stopping) return;
      renew_claims();
      beat();
    });
  }

  void renew_claims() {
    std::vector<std::pair<std::string, std::string>> pushing;
    {
      std::lock_guard lock(in_flight_mutex);
      pushing.assign(in_flight.begin(), in_flight.end());
    }
    if (pushing.empty()) return;
    auto lease = database.acquire();
    if (!lease) return observer.dispatch_failed(lease.error());
    store::Repository repository(**lease);
    for (const auto& [package_id, recipient_code] : pushing) {
      // A claim lost meanwhile (an outage longer than the lease) may be pushed again by another
      // node: at least once, as ever; the first outcome recorded settles it.
      auto renewed =
          repository.renew_push_claim(package_id, recipient_code, settings.node_id, settings.lease);
      if (!renewed) observer.dispatch_failed(renewed.error());
    }
  }

  void stop_heartbeat() {
    heartbeat_stopping = true;
    asio::post(heartbeat_thread, [this] { heartbeat.cancel(); });
    heartbeat_thread.join();
  }

  Result<std::optional<PushJob>> claim() {
    auto lease = database.acquire();
    if (!lease) return std::move(lease).error();
    auto jobs = store::Repository(**lease).claim_push_jobs(1, settings.lease, settings.node_id);
    if (!jobs) return std::move(jobs).error();
    if (jobs->empty()) return std::optional<PushJob>();
    return std::optional<PushJob>(std::move(jobs->front()));
  }

  void deliver(Worker& worker, const PushJob& job) {
    auto started = std::chrono::steady_clock::now();
    std::filesystem::path file = blobs.path_of(job.sha256);
    std::pair<std::string, std::string> delivery{job.package_id, job.recipient_code};
    {
      std::lock_guard lock(in_flight_mutex);
      in_flight.insert(delivery);
    }
    Status outcome = channel.send({job, file});
    auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    bool dead = !outcome && static_cast<std::size_t>(job.attempts + 1) >= settings.max_attempts;
    auto recorded = record(job, outcome, worker.random);
    {
      // Recorded, the claim is gone; not recorded, it is left to expire.
      std::lock_guard lock(in_flight_mutex);
      in_flight.erase(delivery);
    }
    if (!recorded) {
      // The claim expires and the delivery is sent again: at least once, never lost.
      observer.dispatch_failed(recorded.error());
      return;
    }
    if (!*recorded) return;
    if (outcome) {
      observer.delivered(job, duration);
    } else {
      observer.failed(job, outcome.error(), dead);
    }
  }

  // Records what happened, with its event, in one transaction; false when the delivery was
  // settled meanwhile (an ack through pull), which it leaves as it is.
  Result<bool> record(const PushJob& job, const Status& outcome, std::mt19937_64& random) {
    auto lease = database.acquire();
    if (!lease) return std::move(lease).error();
    store::Repository repository(**lease);
    auto transaction = store::Transaction::begin(**lease);
    if (!transaction) return std::move(transaction).error();
    int attempt = job.attempts + 1;
    std::string detail = "attempt " + std::to_string(attempt);
    std::string event;
    Result<bool> moved = false;
    if (outcome) {
      moved = repository.record_push_success(job.package_id, job.recipient_code);
      event = "pushed";
      detail += ", to " + job.endpoint.url;
    } else {
      std::optional<Instant> retry_at;
      if (static_cast<std::size_t>(attempt) < settings.max_attempts) {
        double unit = std::uniform_real_distribution<double>(0.0, 1.0)(random);
        retry_at = clock.now() + retry_delay(settings, attempt, unit);
      }
      moved = repository.record_push_failure(job.package_id, job.recipient_code,
                                             error_text(outcome.error()), retry_at);
      event = retry_at ? "push_failed" : "dead_lettered";
      detail += ": " + error_text(outcome.error());
      if (retry_at) detail += "; next at " + format_iso8601(*retry_at);
    }
    if (!moved) return std::move(moved).error();
    if (!*moved) return false;
    TRUC_TRY(repository.add_event(
        {job.package_id, job.recipient_code, {}, event, settings.hub_code, detail}));
    // A retry to come is no outcome yet; a push that landed or gave up for good is.
    if (event != "push_failed") {
      auto recorded = repository.append_evidence(
          outcome ? evidence::kind::delivery_pushed : evidence::kind::delivery_dead_lettered,
          job.package_id, settings.hub_code, job.recipient_code);
      if (!recorded) return std::move(recorded).error();
    }
    TRUC_TRY(transaction->commit());
    return true;
  }
};

Dispatcher::Dispatcher(DispatchSettings settings, store::Pool& database,
                       const store::BlobStore& blobs, DeliveryChannel& channel,
                       DeliveryObserver& observer, const Clock& clock)
    : state_(std::make_unique<State>(std::move(settings), database, blobs, channel, observer,
                                     clock)) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::start() {
  state_->release_own_claims();
  state_->beat();
  for (auto& worker : state_->workers) state_->next_turn(*worker);
}

void Dispatcher::wake() {
  for (auto& worker : state_->workers) {
    asio::post(worker->strand, [&timer = worker->idle] { timer.cancel(); });
  }
}

void Dispatcher::stop() {
  state_->stopping = true;
  wake();
  // Returns once no handler runs and no timer waits: the cancels above end the waits.
  state_->threads.join();
  // The pushes that were in flight have ended: no claim is left to renew.
  state_->stop_heartbeat();
}

}  // namespace truc::hub
