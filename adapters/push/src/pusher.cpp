#include "truc/push/pusher.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "truc/https/http_client.hpp"
#include "truc/store/repository.hpp"

namespace truc::push {
namespace {

using store::PushJob;

constexpr std::size_t kMaxErrorText = 500;

std::string error_text(const Error& error) {
  std::string text = error.to_string();
  if (text.size() > kMaxErrorText) text.resize(kMaxErrorText);
  return text;
}

Instant now_instant() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace

std::chrono::milliseconds retry_delay(const PushSettings& settings, int attempt,
                                      double random_unit) {
  double base = std::chrono::duration<double, std::milli>(settings.first_retry).count() *
                std::pow(2.0, std::max(0, attempt - 1));
  double capped =
      std::min(base, std::chrono::duration<double, std::milli>(settings.max_retry).count());
  return std::chrono::milliseconds(static_cast<std::int64_t>(capped * (0.5 + 0.5 * random_unit)));
}

struct Pusher::State {
  PushSettings settings;
  store::Pool& database;
  const store::BlobStore& blobs;
  PushObserver& observer;

  std::mutex mutex;
  std::condition_variable woken;
  std::uint64_t wake_generation = 0;
  bool stopping = false;
  std::vector<std::thread> workers;

  State(PushSettings settings_in, store::Pool& database_in, const store::BlobStore& blobs_in,
        PushObserver& observer_in)
      : settings(std::move(settings_in)),
        database(database_in),
        blobs(blobs_in),
        observer(observer_in) {}

  // Sleeps until woken, stopped, or the poll interval passed since `seen`.
  void wait(std::uint64_t seen) {
    std::unique_lock lock(mutex);
    woken.wait_for(lock, settings.poll_interval,
                   [&] { return stopping || wake_generation != seen; });
  }

  bool stopped() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  std::uint64_t generation() {
    std::lock_guard lock(mutex);
    return wake_generation;
  }

  Result<std::optional<PushJob>> claim() {
    auto lease = database.acquire();
    if (!lease) return std::move(lease).error();
    // The claim outlives any single push: each of its steps is bounded by the timeout.
    auto jobs = store::Repository(**lease).claim_push_jobs(1, settings.timeout * 10);
    if (!jobs) return std::move(jobs).error();
    if (jobs->empty()) return std::optional<PushJob>();
    return std::optional<PushJob>(std::move(jobs->front()));
  }

  // Connections are kept per endpoint (and its trust settings) for the worker's lifetime.
  using Clients = std::map<std::string, https::HttpClient>;

  static std::string endpoint_key(const store::PushEndpoint& endpoint) {
    return endpoint.url + '\n' + endpoint.ca_pem.value_or("") + '\n' +
           endpoint.pinned_sha256.value_or("") + (endpoint.client_certificate ? "\n+" : "\n-");
  }

  Result<https::HttpClient*> client_for(Clients& clients, const store::PushEndpoint& endpoint) {
    std::string key = endpoint_key(endpoint);
    if (auto found = clients.find(key); found != clients.end()) return &found->second;
    auto url = parse_url(endpoint.url);
    if (!url) return std::move(url).error();
    https::ClientOptions options{.url = *url,
                                 .ca_pem = endpoint.ca_pem,
                                 .pinned_sha256 = endpoint.pinned_sha256,
                                 .operation_timeout = settings.timeout};
    if (endpoint.client_certificate) {
      if (!settings.client_certificate) {
        return Error{"push.no_client_certificate",
                     "the endpoint wants the hub's client certificate; none is configured",
                     "[push] client_certificate"};
      }
      options.certificate_file = settings.client_certificate;
      options.key_file = settings.client_key;
    }
    auto created = https::HttpClient::create(options);
    if (!created) return std::move(created).error();
    return &clients.emplace(key, std::move(*created)).first->second;
  }

  Status send(Clients& clients, const PushJob& job) {
    auto http = client_for(clients, job.endpoint);
    if (!http) return std::move(http).error();
    auto url = parse_url(job.endpoint.url);
    std::string target = url->base_path.empty() ? "/" : url->base_path;
    std::vector<https::Header> headers{{"X-Truc-Package-Id", job.package_id},
                                       {"X-Truc-Kind", std::string(store::to_string(job.kind))},
                                       {"X-Truc-Sender", job.sender_code},
                                       {"X-Truc-Recipient", job.recipient_code},
                                       {"X-Truc-Sha256", job.sha256}};
    auto sent =
        (*http)->upload("POST", target, "application/xml", blobs.path_of(job.sha256), {}, headers);
    if (!sent) {
      // Start afresh next time: the connection may be what failed.
      clients.erase(endpoint_key(job.endpoint));
      return std::move(sent).error();
    }
    return ok_status();
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
        retry_at = now_instant() + retry_delay(settings, attempt, unit);
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
    TRUC_TRY(transaction->commit());
    return true;
  }

  void work() {
    Clients clients;
    std::mt19937_64 random(std::random_device{}());
    while (!stopped()) {
      std::uint64_t seen = generation();
      auto job = claim();
      if (!job || !*job) {
        wait(seen);
        continue;
      }
      auto started = std::chrono::steady_clock::now();
      Status outcome = send(clients, **job);
      auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      bool dead =
          !outcome && static_cast<std::size_t>((*job)->attempts + 1) >= settings.max_attempts;
      auto recorded = record(**job, outcome, random);
      if (!recorded) {
        // The claim expires and the delivery is pushed again: at least once, never lost.
        wait(seen);
        continue;
      }
      if (!*recorded) continue;
      if (outcome) {
        observer.pushed(**job, duration);
      } else {
        observer.push_failed(**job, outcome.error(), dead);
      }
    }
  }
};

Pusher::Pusher(PushSettings settings, store::Pool& database, const store::BlobStore& blobs,
               PushObserver& observer)
    : state_(std::make_unique<State>(std::move(settings), database, blobs, observer)) {}

Pusher::~Pusher() { stop(); }

void Pusher::start() {
  for (std::size_t index = 0; index < state_->settings.workers; ++index) {
    state_->workers.emplace_back([this] { state_->work(); });
  }
}

void Pusher::wake() {
  {
    std::lock_guard lock(state_->mutex);
    ++state_->wake_generation;
  }
  state_->woken.notify_all();
}

void Pusher::stop() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->woken.notify_all();
  for (auto& worker : state_->workers) {
    if (worker.joinable()) worker.join();
  }
  state_->workers.clear();
}

}  // namespace truc::push
