#pragma once

// The office's Prometheus metrics (truc_office_*), served on its monitor listener.

#include <memory>
#include <string>

#include "truc/http/server.hpp"
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
  // The text exposition format, with the database pool's and the workers' figures as of now.
  std::string render(const store::PoolStats& database, const http::WorkerPoolStats& workers,
                     std::size_t open_connections);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace truc::office
