#include "truc/ops/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>

namespace truc::ops {

using http::RequestRecord;

namespace {

std::string status_class(unsigned status) { return std::to_string(status / 100) + "xx"; }

// Figures kept by the security module since start: rendered as counters at each scrape.
void render_revocation(const RevocationSnapshot& revocation, prometheus::Registry& registry) {
  prometheus::BuildGauge()
      .Name("truc_revocation_crls")
      .Help("CRLs in force (files, cache and fetched)")
      .Register(registry)
      .Add({})
      .Set(static_cast<double>(revocation.crls));
  auto& urls = prometheus::BuildGauge()
                   .Name("truc_revocation_crl_urls")
                   .Help("CRL URLs watched, by whether a CRL from them is held")
                   .Register(registry);
  urls.Add({{"state", "with_crl"}})
      .Set(static_cast<double>(revocation.urls - revocation.urls_without_crl));
  urls.Add({{"state", "without_crl"}}).Set(static_cast<double>(revocation.urls_without_crl));
  auto& fetches = prometheus::BuildCounter()
                      .Name("truc_revocation_crl_fetches_total")
                      .Help("CRL fetches since start, by outcome")
                      .Register(registry);
  fetches.Add({{"outcome", "ok"}}).Increment(static_cast<double>(revocation.fetches));
  fetches.Add({{"outcome", "failed"}}).Increment(static_cast<double>(revocation.fetch_failures));
  if (revocation.ocsp) {
    auto& ocsp = prometheus::BuildCounter()
                     .Name("truc_revocation_ocsp_total")
                     .Help("OCSP lookups for signers since start: fetched, cached, failed")
                     .Register(registry);
    ocsp.Add({{"outcome", "fetched"}}).Increment(static_cast<double>(revocation.ocsp_requests));
    ocsp.Add({{"outcome", "cached"}}).Increment(static_cast<double>(revocation.ocsp_cache_hits));
    ocsp.Add({{"outcome", "failed"}}).Increment(static_cast<double>(revocation.ocsp_failures));
  }
  prometheus::BuildGauge()
      .Name("truc_revocation_when_unknown")
      .Help("What a signer gets when neither a CRL nor OCSP answers (1 for the policy in force)")
      .Register(registry)
      .Add({{"policy", revocation.accept_unknown ? "accept_and_flag" : "refuse"}})
      .Set(1.0);
  prometheus::BuildCounter()
      .Name("truc_revocation_unknown_accepted_total")
      .Help("Signers accepted without a revocation answer (when_unknown = accept_and_flag)")
      .Register(registry)
      .Add({})
      .Increment(static_cast<double>(revocation.unknown_accepted));
}

}  // namespace

struct Metrics::State {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& accepted =
      prometheus::BuildCounter()
          .Name("truc_packages_accepted_total")
          .Help("Packages and status packets accepted, by kind and API face")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& duplicates =
      prometheus::BuildCounter()
          .Name("truc_packages_duplicate_total")
          .Help("Submissions of bytes already accepted, answered with the earlier receipt")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& rejected =
      prometheus::BuildCounter()
          .Name("truc_packages_rejected_total")
          .Help("Submissions refused, by error code")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& tolerated =
      prometheus::BuildCounter()
          .Name("truc_tolerated_total")
          .Help("Variants of deployed senders accepted with a warning, by warning code")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& sha1_accepted =
      prometheus::BuildCounter()
          .Name("truc_signatures_sha1_accepted_total")
          .Help("SHA-1 signatures accepted because the sending agency is allowed them, by agency")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& deliveries = prometheus::BuildCounter()
                                                            .Name("truc_deliveries_total")
                                                            .Help("Deliveries settled, by outcome")
                                                            .Register(registry);
  prometheus::Family<prometheus::Histogram>& requests =
      prometheus::BuildHistogram()
          .Name("truc_http_request_duration_seconds")
          .Help("HTTP request latency, by listener, route and status class")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& pushes =
      prometheus::BuildCounter()
          .Name("truc_pushes_total")
          .Help("Push attempts, by outcome: delivered, retry (failed, will retry), dead_letter")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& push_duration =
      prometheus::BuildHistogram()
          .Name("truc_push_duration_seconds")
          .Help("Time to push one package to an agency endpoint (successful pushes)")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& evidence_batches =
      prometheus::BuildCounter()
          .Name("truc_evidence_batches_total")
          .Help("Evidence batches sealed and stamped, by step: sealed, stamped")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& evidence_entries =
      prometheus::BuildCounter()
          .Name("truc_evidence_entries_sealed_total")
          .Help("Evidence log entries sealed into batches")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& tsa_failures =
      prometheus::BuildCounter()
          .Name("truc_evidence_tsa_failures_total")
          .Help("Time-stamp requests the time-stamping authority did not grant (down or refusing)")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& unstamped =
      prometheus::BuildGauge()
          .Name("truc_evidence_unstamped_batches")
          .Help("Sealed evidence batches still waiting for a timestamp, after the last round")
          .Register(registry);
  std::vector<WatchedCertificate> certificates;
};

Metrics::Metrics(std::vector<WatchedCertificate> certificates) : state_(std::make_unique<State>()) {
  state_->certificates = std::move(certificates);
}

Metrics::~Metrics() = default;

void Metrics::accepted(store::PackageKind kind, const std::string& face) {
  state_->accepted.Add({{"kind", std::string(store::to_string(kind))}, {"face", face}}).Increment();
}

void Metrics::duplicate(const std::string& face) {
  state_->duplicates.Add({{"face", face}}).Increment();
}

void Metrics::rejected(const std::string& code, const std::string& face) {
  state_->rejected.Add({{"code", code}, {"face", face}}).Increment();
}

void Metrics::settled(store::DeliveryState outcome) {
  state_->deliveries.Add({{"outcome", std::string(store::to_string(outcome))}}).Increment();
}

void Metrics::tolerated(const std::string& warning) {
  state_->tolerated.Add({{"warning", warning}}).Increment();
}

void Metrics::sha1_accepted(const std::string& agency_code) {
  state_->sha1_accepted.Add({{"agency", agency_code}}).Increment();
}

void Metrics::observe(const RequestRecord& request) {
  static const prometheus::Histogram::BucketBoundaries kBuckets{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
  state_->requests
      .Add({{"listener", request.listener},
            {"route", request.method + " " + request.route},
            {"status", status_class(request.status)}},
           kBuckets)
      .Observe(std::chrono::duration<double>(request.duration).count());
}

void Metrics::pushed(std::chrono::milliseconds duration) {
  static const prometheus::Histogram::BucketBoundaries kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                                0.5,   1,    2.5,   5,    10,  60};
  state_->pushes.Add({{"outcome", "delivered"}}).Increment();
  state_->push_duration.Add({}, kBuckets).Observe(std::chrono::duration<double>(duration).count());
}

void Metrics::push_failed(bool dead_lettered) {
  state_->pushes.Add({{"outcome", dead_lettered ? "dead_letter" : "retry"}}).Increment();
}

void Metrics::batch_sealed(std::int64_t entries) {
  state_->evidence_batches.Add({{"step", "sealed"}}).Increment();
  state_->evidence_entries.Add({}).Increment(static_cast<double>(entries));
}

void Metrics::batch_stamped() { state_->evidence_batches.Add({{"step", "stamped"}}).Increment(); }

void Metrics::stamp_failed() { state_->tsa_failures.Add({}).Increment(); }

void Metrics::unstamped_batches(std::int64_t count) {
  state_->unstamped.Add({}).Set(static_cast<double>(count));
}

std::string Metrics::render(const ScrapeSnapshot& snapshot) const {
  // Scrape-time values go into a registry of their own, rebuilt each time, so that a queue that
  // emptied does not linger with its last value.
  prometheus::Registry gauges;
  auto& depth = prometheus::BuildGauge()
                    .Name("truc_queue_depth")
                    .Help("Deliveries waiting, by collector (agency or gateway)")
                    .Register(gauges);
  auto& oldest = prometheus::BuildGauge()
                     .Name("truc_queue_oldest_age_seconds")
                     .Help("Age of the oldest undelivered package, by collector")
                     .Register(gauges);
  for (const auto& queue : snapshot.queues) {
    depth.Add({{"collector", queue.target_code}}).Set(static_cast<double>(queue.pending));
    auto age = std::chrono::duration<double>(
        std::chrono::time_point_cast<std::chrono::milliseconds>(snapshot.now) - queue.oldest);
    oldest.Add({{"collector", queue.target_code}}).Set(age.count());
  }
  auto& pool = prometheus::BuildGauge()
                   .Name("truc_database_connections")
                   .Help("Database pool")
                   .Register(gauges);
  pool.Add({{"state", "in_use"}}).Set(static_cast<double>(snapshot.database.in_use));
  pool.Add({{"state", "capacity"}}).Set(static_cast<double>(snapshot.database.size));
  prometheus::BuildGauge()
      .Name("truc_database_pool_waits")
      .Help("Acquisitions that waited for a free connection, since start")
      .Register(gauges)
      .Add({})
      .Set(static_cast<double>(snapshot.database.waits));
  auto& workers =
      prometheus::BuildGauge().Name("truc_workers").Help("Blocking-work pool").Register(gauges);
  workers.Add({{"state", "busy"}}).Set(static_cast<double>(snapshot.workers.busy));
  workers.Add({{"state", "threads"}}).Set(static_cast<double>(snapshot.workers.threads));
  workers.Add({{"state", "queued"}}).Set(static_cast<double>(snapshot.workers.queued));
  prometheus::BuildGauge()
      .Name("truc_workers_rejected")
      .Help("Requests answered 503 because the worker queue was full, since start")
      .Register(gauges)
      .Add({})
      .Set(static_cast<double>(snapshot.workers.rejected));
  prometheus::BuildGauge()
      .Name("truc_queues_readable")
      .Help(
          "1 when this scrape read the queues and dead letters from the database, 0 when it "
          "could not (their gauges then show nothing, not zero)")
      .Register(gauges)
      .Add({})
      .Set(snapshot.queues_readable ? 1.0 : 0.0);
  if (snapshot.queues_readable) {
    prometheus::BuildGauge()
        .Name("truc_dead_letters")
        .Help("Deliveries whose push gave up, waiting for an operator (truc admin deadletters)")
        .Register(gauges)
        .Add({})
        .Set(static_cast<double>(snapshot.dead_letters));
  }
  prometheus::BuildGauge()
      .Name("truc_http_open_connections")
      .Help("Open client connections, all listeners")
      .Register(gauges)
      .Add({})
      .Set(static_cast<double>(snapshot.open_connections));
  auto& expiry =
      prometheus::BuildGauge()
          .Name("truc_certificate_expiry_days")
          .Help("Days until a certificate the hub depends on expires (negative: expired)")
          .Register(gauges);
  for (const auto& certificate : state_->certificates) {
    auto days =
        std::chrono::duration<double, std::ratio<86400>>(certificate.not_after - snapshot.now);
    expiry.Add({{"role", certificate.role}, {"subject", certificate.subject}}).Set(days.count());
  }

  if (snapshot.revocation) render_revocation(*snapshot.revocation, gauges);

  std::ostringstream text;
  prometheus::TextSerializer serializer;
  serializer.Serialize(text, state_->registry.Collect());
  serializer.Serialize(text, gauges.Collect());
  return text.str();
}

}  // namespace truc::ops
