#pragma once

// Push outcomes as operators see them: counted in /metrics and logged.

#include "truc/hub/dispatcher.hpp"
#include "truc/ops/metrics.hpp"

namespace truc::ops {

// The hub's DeliveryObserver: every recorded push outcome is counted in /metrics and logged with
// the package id and the recipient; a failure of the dispatcher itself is logged as an error.
class PushLog final : public hub::DeliveryObserver {
 public:
  explicit PushLog(Metrics& metrics) : metrics_(metrics) {}

  void delivered(const store::PushJob& job, std::chrono::milliseconds duration) override;
  void failed(const store::PushJob& job, const Error& error, bool dead_lettered) override;
  void dispatch_failed(const Error& error) override;

 private:
  Metrics& metrics_;
};

}  // namespace truc::ops
