#pragma once

// Push delivery: the hub's channel to agencies with a push endpoint in the directory. It POSTs
// the stored package byte for byte, with X-Truc-* headers, trusting the endpoint through its CA
// or a pinned certificate, presenting the hub's client certificate when the endpoint asks for
// one. Which delivery to send, retries and dead letters are the core's (truc/hub/dispatcher.hpp).

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "truc/hub/dispatcher.hpp"

namespace truc::push {

struct PushSettings {
  std::chrono::seconds timeout{60};  // longest wait on one step (connect, write, read)
  // The hub's client certificate and key (PEM files), for endpoints that ask for one.
  std::optional<std::filesystem::path> client_certificate;
  std::optional<std::filesystem::path> client_key;
};

class Pusher final : public hub::DeliveryChannel {
 public:
  explicit Pusher(PushSettings settings);
  ~Pusher() override;
  Pusher(const Pusher&) = delete;
  Pusher& operator=(const Pusher&) = delete;

  // Errors: push.no_client_certificate, client.* (the endpoint could not be reached or answered
  // other than 2xx).
  Status send(const hub::OutboundPackage& package) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace truc::push
