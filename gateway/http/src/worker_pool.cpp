#include <cassert>

#include "truc/http/server.hpp"
#include "worker_queue.hpp"

namespace truc::http {

WorkerQueue::WorkerQueue(std::size_t threads, std::size_t queue_limit)
    : threads_(threads), queue_limit_(queue_limit), pool_(threads) {
  assert(threads > 0 && "a worker pool needs at least one thread");
}

WorkerQueue::~WorkerQueue() { pool_.join(); }

std::optional<WorkerQueue::Reservation> WorkerQueue::try_reserve() {
  std::lock_guard lock(mutex_);
  if (reserved_ >= threads_ + queue_limit_) {
    ++rejected_;
    return std::nullopt;
  }
  ++reserved_;
  return Reservation(*this);
}

void WorkerQueue::release_unused() {
  std::lock_guard lock(mutex_);
  assert(reserved_ > 0);
  --reserved_;
}

void WorkerQueue::job_started() {
  std::lock_guard lock(mutex_);
  ++busy_;
}

void WorkerQueue::job_finished() {
  std::lock_guard lock(mutex_);
  assert(busy_ > 0 && reserved_ > 0);
  --busy_;
  --reserved_;
}

WorkerPoolStats WorkerQueue::stats() const {
  std::lock_guard lock(mutex_);
  return WorkerPoolStats{threads_, busy_, reserved_ - busy_, rejected_};
}

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_limit)
    : state_(std::make_unique<State>(threads, queue_limit)) {}

WorkerPool::~WorkerPool() = default;

WorkerPoolStats WorkerPool::stats() const { return state_->stats(); }

}  // namespace truc::http
