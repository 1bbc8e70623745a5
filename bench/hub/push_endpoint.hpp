#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "truc/http/server.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::bench {

using Clock = std::chrono::steady_clock;

// An agency's push endpoint in the benchmark's process: an HTTPS server (a certificate for
// "localhost" from the hub's test CA) that notes when each package's push arrived, keyed by the
// hub's package id (X-Truc-Package-Id), and answers 200. Arrival is when the body has been
// received whole, before the endpoint hashes it.
class PushEndpoint {
 public:
  struct Arrival {
    Clock::time_point at;
    std::string sha256;  // of the body received
  };

  PushEndpoint(testing::TestPki& pki, const testing::Issued& ca);
  ~PushEndpoint();
  PushEndpoint(const PushEndpoint&) = delete;
  PushEndpoint& operator=(const PushEndpoint&) = delete;

  std::string url() const;  // https://localhost:<port>/inbound

  // Waits until the push of `package_id` arrived; nothing at the timeout.
  std::optional<Arrival> wait_for(const std::string& package_id, std::chrono::seconds timeout);

 private:
  http::Response receive(http::Request& request);

  testing::TempDir spool_;
  testing::Issued certificate_;
  http::WorkerPool workers_{2, 64};
  http::HttpServer server_{workers_, 1};
  std::thread runner_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::map<std::string, Arrival> arrivals_;
};

}  // namespace truc::bench
