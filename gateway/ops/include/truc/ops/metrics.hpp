#pragma once

// Prometheus metrics of the hub: counters the core and the HTTP server update as things happen,
// and gauges read at scrape time (queues, pools, certificate expiry). prometheus-cpp stays inside
// this file pair.

#include <memory>
#include <string>
#include <vector>

#include "truc/common/time.hpp"
#include "truc/http/server.hpp"
#include "truc/hub/hub.hpp"
#include "truc/store/database.hpp"
#include "truc/store/repository.hpp"

namespace truc::ops {

// A certificate the operators must renew in time.
struct WatchedCertificate {
  std::string role;  // "agency_api_tls", "monitor_tls", "signature_trust", "client_ca"
  std::string subject;
  Timestamp not_after;
};

// What the gauges show, gathered for one scrape.
struct ScrapeSnapshot {
  std::vector<store::QueueDepth> queues;
  store::PoolStats database;
  http::WorkerPoolStats workers;
  std::size_t open_connections = 0;
  std::int64_t dead_letters = 0;
  bool queues_readable = false;  // queues and dead_letters came from the database
  Timestamp now;
};

class Metrics final : public hub::HubMetrics {
 public:
  explicit Metrics(std::vector<WatchedCertificate> certificates);
  ~Metrics() override;

  void accepted(store::PackageKind kind, const std::string& face) override;
  void duplicate(const std::string& face) override;
  void rejected(const std::string& code, const std::string& face) override;
  void settled(store::DeliveryState outcome) override;
  void tolerated(const std::string& warning) override;
  void sha1_accepted(const std::string& agency_code) override;
  void observe(const http::RequestRecord& request);
  void pushed(std::chrono::milliseconds duration);
  void push_failed(bool dead_lettered);

  // The Prometheus text exposition of every metric.
  std::string render(const ScrapeSnapshot& snapshot) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace truc::ops
