#include "truc/ops/push_log.hpp"

#include "truc/common/log.hpp"

namespace truc::ops {

void PushLog::delivered(const store::PushJob& job, std::chrono::milliseconds duration) {
  metrics_.pushed(duration);
  log_event("info", "push.delivered",
            {{"id", job.package_id},
             {"recipient", job.recipient_code},
             {"attempt", std::to_string(job.attempts + 1)},
             {"duration_ms", std::to_string(duration.count())}});
}

void PushLog::failed(const store::PushJob& job, const Error& error, bool dead_lettered) {
  metrics_.push_failed(dead_lettered);
  // A dead letter needs an operator (truc admin deadletters replay); a retry does not yet.
  log_event(dead_lettered ? "error" : "warn", dead_lettered ? "push.dead_lettered" : "push.failed",
            {{"id", job.package_id},
             {"recipient", job.recipient_code},
             {"attempt", std::to_string(job.attempts + 1)},
             {"code", error.code},
             {"message", error.message}});
}

void PushLog::dispatch_failed(const Error& error) {
  // The database, most likely: the delivery is claimed again at the next poll or when its
  // claim expires, so nothing is lost, but an operator must see why pushes stall.
  log_event("error", "push.dispatch_failed",
            {{"code", error.code}, {"message", error.message}, {"detail", error.detail}});
}

}  // namespace truc::ops
