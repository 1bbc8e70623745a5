#pragma once

// gateway/api/monitor: what operators' monitoring reads: /live, /ready and /metrics.

#include <functional>

#include "truc/http/http.hpp"
#include "truc/ops/metrics.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"

namespace truc::api {

struct MonitorSources {
  store::Pool& database;
  const store::BlobStore& blobs;
  const ops::Metrics& metrics;
  std::function<http::WorkerPoolStats()> workers;
  std::function<std::size_t()> open_connections;
  // With [revocation] configured; empty otherwise.
  std::function<ops::RevocationSnapshot()> revocation;
};

// /live (the process answers), /ready (database reachable with the current schema, blob store
// writable; revocation checking shown beside the checks, as a detail that does not make the
// node unready) and /metrics (Prometheus text).
void add_monitor_routes(http::Router& router, MonitorSources sources);

}  // namespace truc::api
