#include "run_control.hpp"

#include <exception>
#include <set>

namespace truc::crash {

void HubAddress::restarted(std::string url) {
  std::lock_guard lock(mutex_);
  url_ = std::move(url);
  ++generation_;
  changed_.notify_all();
}

HubAddress::Seen HubAddress::current() const {
  std::lock_guard lock(mutex_);
  return {url_, generation_};
}

void HubAddress::wait_for_restart(std::uint64_t generation,
                                  std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return generation_ != generation; });
}

bool RunControl::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void RunControl::stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  changed_.notify_all();
}

void RunControl::fail(const std::string& what) {
  std::lock_guard lock(mutex_);
  failures_.push_back(what);
  stopping_ = true;
  changed_.notify_all();
}

std::vector<std::string> RunControl::failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

void RunControl::pause(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, duration, [&] { return stopping_; });
}

std::thread RunControl::spawn(std::function<void()> body) {
  return std::thread([this, body = std::move(body)] {
    try {
      body();
    } catch (const std::exception& exception) {
      fail(exception.what());
    }
  });
}

bool is_transient(const Error& error) {
  static const std::set<std::string> kTransient{"client.connect_failed", "client.tls_failed",
                                                "client.timeout", "client.protocol", "server.busy"};
  return kTransient.contains(error.code) || error.code.starts_with("store.");
}

}  // namespace truc::crash
