#pragma once

// The machinery behind WorkerPool: threads for blocking handlers and a bounded number of places,
// so that a burst of requests is refused (503) instead of piling up in memory.

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

#include "truc/http/server.hpp"

namespace truc::http {

class WorkerQueue {
 public:
  WorkerQueue(std::size_t threads, std::size_t queue_limit);
  // Waits for the jobs already accepted.
  ~WorkerQueue();
  WorkerQueue(const WorkerQueue&) = delete;
  WorkerQueue& operator=(const WorkerQueue&) = delete;

  // A place for one job, taken before the request's body is read: a burst is refused (503)
  // before it costs the hub an upload. Given back if no job runs in it.
  class Reservation {
   public:
    Reservation(Reservation&& other) noexcept : queue_(std::exchange(other.queue_, nullptr)) {}
    Reservation& operator=(Reservation&&) = delete;
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    ~Reservation() {
      if (queue_ != nullptr) queue_->release_unused();
    }

   private:
    friend class WorkerQueue;
    explicit Reservation(WorkerQueue& queue) : queue_(&queue) {}
    WorkerQueue* queue_;
  };

  // A free thread or a queue slot; nothing (counted as rejected) when every thread is busy and
  // `queue_limit` jobs already wait.
  std::optional<Reservation> try_reserve();

  // Runs `job` on a worker thread in the place `reservation` holds. The awaiting coroutine is
  // suspended meanwhile and resumes on its own executor with the job's result; the I/O threads
  // never run the job. Jobs report failures in their result, hence noexcept.
  template <typename Job>
  boost::asio::awaitable<std::invoke_result_t<Job&>> run_reserved(Reservation reservation, Job job);

  WorkerPoolStats stats() const;

 private:
  void job_started();
  void job_finished();
  void release_unused();

  mutable std::mutex mutex_;
  const std::size_t threads_;
  const std::size_t queue_limit_;
  std::size_t reserved_ = 0;  // running + waiting
  std::size_t busy_ = 0;      // running
  std::uint64_t rejected_ = 0;
  boost::asio::thread_pool pool_;
};

template <typename Job>
boost::asio::awaitable<std::invoke_result_t<Job&>> WorkerQueue::run_reserved(
    Reservation reservation, Job job) {
  static_assert(std::is_nothrow_invocable_v<Job&>, "a worker job reports failures in its result");
  // From here the job owns the place: job_finished() gives it back.
  reservation.queue_ = nullptr;
  using JobResult = std::invoke_result_t<Job&>;
  namespace asio = boost::asio;
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(JobResult)>(
      [this](auto completion, Job work) {
        using Completion = decltype(completion);
        using IoWork = asio::executor_work_guard<asio::associated_executor_t<Completion>>;
        // Members are destroyed in reverse order: the I/O work guard and the coroutine's
        // handler go before the job, whose captures may tell the server (PendingJobs) that
        // nothing of this request refers to its io_context any more.
        struct Pending {
          Job work;
          Completion completion;
          IoWork io_work;  // keeps the I/O context's run() going while the coroutine waits
        };
        auto executor = asio::get_associated_executor(completion);
        auto pending = std::make_unique<Pending>(
            Pending{std::move(work), std::move(completion), asio::make_work_guard(executor)});
        asio::post(pool_, [this, pending = std::move(pending)]() mutable {
          job_started();
          JobResult result = pending->work();
          job_finished();
          // The awaitable's handler resumes the coroutine in the calling thread, so it must be
          // invoked on the coroutine's executor (its strand), never here.
          asio::post(pending->io_work.get_executor(), [completion = std::move(pending->completion),
                                                       result = std::move(result)]() mutable {
            std::move(completion)(std::move(result));
          });
          pending.reset();
        });
      },
      asio::use_awaitable, std::move(job));
}

// WorkerPool's public face hides Asio; HttpServer (a friend) reaches the queue through this.
struct WorkerPool::State : WorkerQueue {
  using WorkerQueue::WorkerQueue;
};

}  // namespace truc::http
