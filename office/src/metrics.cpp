#include "truc/office/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <mutex>

namespace truc::office {

struct Metrics::State {
  std::mutex mutex;  // Family::Add is thread-safe; the gauges set at render are not shared
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("truc_office_http_requests_total")
          .Help("HTTP requests answered, by listener, route pattern, method and status")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& durations =
      prometheus::BuildHistogram()
          .Name("truc_office_http_request_duration_seconds")
          .Help("Time from a request's head to its answer, by listener and route pattern")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& database =
      prometheus::BuildGauge()
          .Name("truc_office_database_connections")
          .Help("Connections of the database pool in use, and its capacity")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& database_waits =
      prometheus::BuildCounter()
          .Name("truc_office_database_pool_waits_total")
          .Help("Acquisitions of a database connection that had to wait for one")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& workers =
      prometheus::BuildGauge()
          .Name("truc_office_workers")
          .Help("Request worker threads, by state, and requests queued for them")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& hub_link =
      prometheus::BuildCounter()
          .Name("truc_office_hub_link_total")
          .Help(
              "The hub link's work since start: packages pulled and acknowledged, statuses "
              "sent, retried and refused, pull failures")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& statuses_pending =
      prometheus::BuildGauge()
          .Name("truc_office_statuses_pending")
          .Help("Statuses owed to senders that the hub has not accepted yet")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& connections =
      prometheus::BuildGauge()
          .Name("truc_office_open_connections")
          .Help("Open client connections of every listener")
          .Register(registry);
};

Metrics::Metrics() : state_(std::make_unique<State>()) {}
Metrics::~Metrics() = default;

void Metrics::observe(const http::RequestRecord& request) {
  static const prometheus::Histogram::BucketBoundaries kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                                0.5,   1,    2.5,   5,    10};
  state_->requests
      .Add({{"listener", request.listener},
            {"route", request.route},
            {"method", request.method},
            {"status", std::to_string(request.status)}})
      .Increment();
  state_->durations.Add({{"listener", request.listener}, {"route", request.route}}, kBuckets)
      .Observe(std::chrono::duration<double>(request.duration).count());
}

namespace {

// A counter family member set to a total read elsewhere.
void set_total(prometheus::Counter& counter, std::uint64_t total) {
  counter.Increment(static_cast<double>(total) - counter.Value());
}

}  // namespace

std::string Metrics::render(const Snapshot& snapshot) {
  const store::PoolStats& database = snapshot.database;
  const http::WorkerPoolStats& workers = snapshot.workers;
  std::lock_guard lock(state_->mutex);
  if (snapshot.hub_link) {
    const HubLinkStats& link = *snapshot.hub_link;
    for (auto [event, total] : {std::pair{"packages_pulled", link.packages_pulled},
                                {"packages_acked", link.packages_acked},
                                {"pull_failures", link.pull_failures},
                                {"statuses_sent", link.statuses_sent},
                                {"status_retries", link.status_retries},
                                {"statuses_failed", link.statuses_failed}}) {
      set_total(state_->hub_link.Add({{"event", event}}), total);
    }
  }
  if (snapshot.statuses_pending) {
    state_->statuses_pending.Add({}).Set(static_cast<double>(*snapshot.statuses_pending));
  }
  state_->database.Add({{"state", "in_use"}}).Set(static_cast<double>(database.in_use));
  state_->database.Add({{"state", "capacity"}}).Set(static_cast<double>(database.size));
  set_total(state_->database_waits.Add({}), database.waits);
  state_->workers.Add({{"state", "busy"}}).Set(static_cast<double>(workers.busy));
  state_->workers.Add({{"state", "idle"}}).Set(static_cast<double>(workers.threads - workers.busy));
  state_->workers.Add({{"state", "queued"}}).Set(static_cast<double>(workers.queued));
  state_->connections.Add({}).Set(static_cast<double>(snapshot.open_connections));
  return prometheus::TextSerializer().Serialize(state_->registry.Collect());
}

}  // namespace truc::office
