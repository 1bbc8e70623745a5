#pragma once

#include <functional>

#include "metrics.hpp"
#include "truc/gateway/http.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"

namespace truc::gateway {

struct MonitorSources {
  store::Pool& database;
  const store::BlobStore& blobs;
  const Metrics& metrics;
  std::function<WorkerPoolStats()> workers;
  std::function<std::size_t()> open_connections;
};

// /live (the process answers), /ready (database reachable with the current schema, blob store
// writable) and /metrics (Prometheus text).
void add_monitor_routes(Router& router, MonitorSources sources);

}  // namespace truc::gateway
