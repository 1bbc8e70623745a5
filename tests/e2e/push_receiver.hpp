#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "truc/http/server.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::testing {

// An agency's push endpoint for end-to-end tests: an HTTPS server (certificate for "localhost"
// from the given CA) that records every POST, keeping the bodies it accepts, and answers 200, or
// 503 while told to fail.
class PushReceiver {
 public:
  struct Delivery {
    std::string package_id;
    std::string recipient;
    std::string kind;
    std::string sha256;  // of the body received
    std::string declared_sha256;
    std::uint64_t size = 0;
    std::filesystem::path body_file;  // the body as received, kept until the receiver goes
    std::string client_subject;       // of the certificate the hub presented, if any
  };

  // With `client_ca`, the endpoint asks for a client certificate chaining to it and refuses a
  // request without one (403).
  PushReceiver(TestPki& pki, const Issued& ca, const std::string& name,
               const std::optional<Issued>& client_ca = std::nullopt);
  ~PushReceiver();

  std::string url() const;  // https://localhost:<port>/inbound
  const Issued& certificate() const { return certificate_; }
  // The next `count` requests (and all, with a negative count, until heal()) answer 503.
  void fail_next(int count);
  void heal() { fail_next(0); }
  // The next request is held unanswered until release_held() (or the receiver goes), then
  // answered 503: a push in flight, for a test to kill the node that sends it.
  void hold_next();
  void release_held();

  // Waits until at least `count` requests (successful or not) arrived.
  bool wait_for_attempts(std::size_t count, std::chrono::seconds timeout);
  // Waits until a request (successful or not) for the package arrived.
  bool wait_for_attempt_of(const std::string& package_id, std::chrono::seconds timeout);
  // How many requests (successful or not) came for the package.
  std::size_t attempts_of(const std::string& package_id) const;
  // Waits until at least `count` packages were accepted (200).
  bool wait_for_deliveries(std::size_t count, std::chrono::seconds timeout);
  std::vector<Delivery> deliveries() const;
  std::size_t attempts() const;

 private:
  http::Response receive(http::Request& request);

  TempDir spool_;
  TempDir kept_;
  Issued certificate_;
  http::WorkerPool workers_{2, 64};
  http::HttpServer server_{workers_, 1};
  std::thread runner_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool requires_client_certificate_ = false;
  int failures_left_ = 0;
  bool hold_next_ = false;
  bool holding_ = false;
  std::size_t attempts_ = 0;
  std::vector<std::string> attempted_;  // the package id of every request, as it arrived
  std::vector<Delivery> deliveries_;
};

}  // namespace truc::testing
