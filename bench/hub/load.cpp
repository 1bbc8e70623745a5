#include "load.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <cmath>
#include <stdexcept>

#include "agency_connection.hpp"

namespace truc::bench {
namespace {

namespace asio = boost::asio;

// What one client saw.
struct ClientOutcome {
  std::vector<Submission> submissions;
  std::uint64_t failed = 0;
  std::string first_failure;
  std::optional<Clock::time_point> ran_out_at;

  void fail(std::string what) {
    if (failed++ == 0) first_failure = std::move(what);
  }
  // Notes the answer to a POST started at `started`.
  void answered(unsigned status, const std::string& body, Clock::time_point started);
};

Result<std::string> receipt_id(const std::string& body) {
  boost::system::error_code error;
  auto receipt = boost::json::parse(body, error);
  const auto* object = error ? nullptr : receipt.if_object();
  const auto* id = object != nullptr ? object->if_contains("id") : nullptr;
  if (id == nullptr || !id->is_string())
    return Error{"bench.bad_receipt", "a 201 answer without a receipt id", body};
  return std::string(id->get_string());
}

void ClientOutcome::answered(unsigned status, const std::string& body, Clock::time_point started) {
  Clock::time_point now = Clock::now();
  if (status != 201) return fail("HTTP " + std::to_string(status) + ": " + body);
  auto id = receipt_id(body);
  if (!id) return fail(id.error().to_string());
  submissions.push_back({std::move(*id), started, now});
}

// The measured window of a run: from the end of the warm-up to the end of the run, or to where
// the first client found the queue dry.
struct Window {
  Clock::time_point start;
  Clock::time_point end;
};

LoadResult collect(std::vector<ClientOutcome>& outcomes, Window window) {
  Clock::time_point end = window.end;
  for (const auto& outcome : outcomes) {
    if (outcome.ran_out_at) end = std::min(end, *outcome.ran_out_at);
  }
  LoadResult result;
  result.ran_out = end < window.end;
  result.window = end - window.start;
  for (auto& outcome : outcomes) {
    if (outcome.failed > 0 && result.failed == 0) result.first_failure = outcome.first_failure;
    result.failed += outcome.failed;
    result.accepted_in_all += outcome.submissions.size();
    for (auto& submission : outcome.submissions) {
      if (submission.answered < window.start || submission.answered > end) continue;
      result.submissions.push_back(std::move(submission));
    }
  }
  result.accepted = result.submissions.size();
  return result;
}

Window window_after(Clock::time_point start, const LoadSettings& settings) {
  auto window_start = start + std::chrono::duration_cast<Clock::duration>(settings.warm_up);
  return {window_start,
          window_start + std::chrono::duration_cast<Clock::duration>(settings.duration)};
}

// The clients of one run, all on one thread: they spend their time waiting for the hub.
class LoadRun {
 public:
  LoadRun(const https::ClientOptions& client, PackageQueue& packages, const LoadSettings& settings)
      : client_(client),
        packages_(packages),
        settings_(settings),
        target_(make_target(client.url, {"v1", "packages"})),
        start_(Clock::now()),
        window_(window_after(start_, settings)) {
    auto tls = make_agency_tls(client);
    if (!tls) throw std::runtime_error(tls.error().to_string());
    tls_.emplace(std::move(*tls));
  }

  LoadResult run() {
    std::vector<ClientOutcome> outcomes(settings_.clients);
    for (auto& outcome : outcomes) {
      asio::co_spawn(io_, run_client(outcome), [](std::exception_ptr failure) {
        if (failure) std::rethrow_exception(failure);
      });
    }
    io_.run();
    return collect(outcomes, window_);
  }

 private:
  // When this client's next request starts (waiting for it when paced); nothing once the run is
  // over.
  asio::awaitable<std::optional<Clock::time_point>> next_start(asio::steady_timer& timer) {
    if (!settings_.rate) {
      Clock::time_point now = Clock::now();
      co_return now < window_.end ? std::optional(now) : std::nullopt;
    }
    auto due = start_ + std::chrono::duration_cast<Clock::duration>(
                            Seconds(static_cast<double>(next_due_++) / *settings_.rate));
    if (due >= window_.end) co_return std::nullopt;
    timer.expires_at(due);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return due;
  }

  asio::awaitable<void> run_client(ClientOutcome& outcome) {
    AgencyConnection connection(io_.get_executor(), *tls_, client_.url);
    asio::steady_timer timer(io_);
    while (auto started = co_await next_start(timer)) {
      const std::string* package = packages_.next();
      if (package == nullptr) {
        outcome.ran_out_at = Clock::now();
        co_return;
      }
      auto answer = co_await connection.post(target_, "application/xml", *package);
      if (!answer) {
        outcome.fail(answer.error().to_string());
        continue;
      }
      outcome.answered(answer->status, answer->body, *started);
    }
  }

  const https::ClientOptions& client_;
  PackageQueue& packages_;
  const LoadSettings& settings_;
  const std::string target_;
  const Clock::time_point start_;
  const Window window_;
  std::optional<asio::ssl::context> tls_;
  asio::io_context io_;
  std::uint64_t next_due_ = 0;
};

}  // namespace

void PackageQueue::add(std::vector<std::string> packages) {
  packages_.insert(packages_.end(), std::make_move_iterator(packages.begin()),
                   std::make_move_iterator(packages.end()));
}

const std::string* PackageQueue::next() {
  return next_ < packages_.size() ? &packages_[next_++] : nullptr;
}

std::size_t PackageQueue::remaining() const { return packages_.size() - next_; }

void PackageQueue::drop_used() {
  packages_.erase(packages_.begin(), packages_.begin() + static_cast<std::ptrdiff_t>(next_));
  next_ = 0;
}

LoadResult run_load(const https::ClientOptions& client, PackageQueue& packages,
                    const LoadSettings& settings) {
  return LoadRun(client, packages, settings).run();
}

LoadResult run_load_with_truc_client(const https::ClientOptions& client, PackageQueue& packages,
                                     Seconds warm_up, Seconds duration) {
  Window window = window_after(Clock::now(), {.warm_up = warm_up, .duration = duration});
  std::vector<ClientOutcome> outcomes(1);
  ClientOutcome& outcome = outcomes.front();
  auto http = https::HttpClient::create(client);
  if (!http) throw std::runtime_error(http.error().to_string());
  const std::string target = make_target(client.url, {"v1", "packages"});
  for (Clock::time_point started = Clock::now(); started < window.end; started = Clock::now()) {
    const std::string* package = packages.next();
    if (package == nullptr) {
      outcome.ran_out_at = started;
      break;
    }
    auto answer = http->request("POST", target, "application/xml", *package);
    if (!answer) {
      outcome.fail(answer.error().to_string());
      continue;
    }
    outcome.answered(answer->status, answer->body, started);
  }
  return collect(outcomes, window);
}

Percentiles percentiles(std::vector<double> milliseconds) {
  Percentiles result;
  result.count = milliseconds.size();
  if (milliseconds.empty()) return result;
  std::sort(milliseconds.begin(), milliseconds.end());
  auto rank = [&](double fraction) {
    auto index =
        static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(milliseconds.size())));
    return milliseconds[std::max<std::size_t>(index, 1) - 1];
  };
  result.p50_ms = rank(0.50);
  result.p99_ms = rank(0.99);
  return result;
}

Percentiles latency_of(const std::vector<Submission>& submissions) {
  std::vector<double> milliseconds;
  milliseconds.reserve(submissions.size());
  for (const auto& submission : submissions) {
    milliseconds.push_back(
        std::chrono::duration<double, std::milli>(submission.answered - submission.started)
            .count());
  }
  return percentiles(std::move(milliseconds));
}

}  // namespace truc::bench
