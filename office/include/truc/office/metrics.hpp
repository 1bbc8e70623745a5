#pragma once

// The office's Prometheus metrics (truc_office_*), served on its monitor listener.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "truc/http/server.hpp"
#include "truc/office/hub_link.hpp"
#include "truc/store/database.hpp"

namespace truc::office {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Counts and times one request of either listener.
  void observe(const http::RequestRecord& request);
  // What the monitor reads at each scrape, beside the counters kept here.
  struct Snapshot {
    store::PoolStats database;
    http::WorkerPoolStats workers;
    std::size_t open_connections = 0;
    std::optional<HubLinkStats> hub_link;  // with [hub]
    // Statuses owed to senders and not yet accepted by the hub; nothing when unreadable.
    std::optional<std::int64_t> statuses_pending;
  };
  // The text exposition format.
  std::string render(const Snapshot& snapshot);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace truc::office
