#pragma once

#include "truc/ops/metrics.hpp"
#include "truc/push/pusher.hpp"

namespace truc::ops {

// The hub's PushObserver: every recorded push outcome is counted in /metrics and logged with the
// package id and the recipient.
class PushLog final : public push::PushObserver {
 public:
  explicit PushLog(Metrics& metrics) : metrics_(metrics) {}

  void pushed(const store::PushJob& job, std::chrono::milliseconds duration) override;
  void push_failed(const store::PushJob& job, const Error& error, bool dead_lettered) override;

 private:
  Metrics& metrics_;
};

}  // namespace truc::ops
