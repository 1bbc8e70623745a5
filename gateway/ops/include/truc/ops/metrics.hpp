#pragma once

// Prometheus metrics of the hub: counters the core and the HTTP server update as things happen,
// and gauges read at scrape time (queues, pools, certificate expiry). prometheus-cpp stays inside
// this file pair.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/time.hpp"
#include "truc/http/server.hpp"
#include "truc/hub/evidence_sealer.hpp"
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

// Revocation checking, with [revocation]: the CRLs in force, how fetching and OCSP fare, and
// what happens when neither answers for a signer.
struct RevocationSnapshot {
  std::size_t crls = 0;              // CRLs in force
  std::size_t urls = 0;              // CRL URLs watched
  std::size_t urls_without_crl = 0;  // watched URLs for which no CRL is held
  std::uint64_t fetches = 0;
  std::uint64_t fetch_failures = 0;
  bool ocsp = false;  // OCSP asked for signers no CRL covers
  std::uint64_t ocsp_requests = 0;
  std::uint64_t ocsp_cache_hits = 0;
  std::uint64_t ocsp_failures = 0;
  bool accept_unknown = false;         // when_unknown = "accept_and_flag"
  std::uint64_t unknown_accepted = 0;  // signers accepted without a revocation answer
};

// What the gauges show, gathered for one scrape.
struct ScrapeSnapshot {
  std::vector<store::QueueDepth> queues;
  store::PoolStats database;
  http::WorkerPoolStats workers;
  std::size_t open_connections = 0;
  std::int64_t dead_letters = 0;
  bool queues_readable = false;  // queues and dead_letters came from the database
  std::optional<RevocationSnapshot> revocation;
  Timestamp now;
};

class Metrics final : public hub::HubMetrics, public hub::EvidenceMetrics {
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
  void batch_sealed(std::int64_t entries) override;
  void batch_stamped() override;
  void stamp_failed() override;
  void unstamped_batches(std::int64_t count) override;

  // The Prometheus text exposition of every metric.
  std::string render(const ScrapeSnapshot& snapshot) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace truc::ops
