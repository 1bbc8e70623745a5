#include "push_receiver.hpp"

#include <algorithm>
#include <stdexcept>

#include "truc/common/byte_stream.hpp"
#include "truc/common/digest.hpp"

namespace truc::testing {

PushReceiver::PushReceiver(TestPki& pki, const Issued& ca, const std::string& name,
                           const std::optional<Issued>& client_ca)
    : certificate_(pki.issue(ca, name,
                             {.common_name = "localhost",
                              .key_usage = "digitalSignature,keyEncipherment",
                              .extended_key_usage = "serverAuth",
                              .dns_names = {"localhost"}})) {
  std::vector<std::filesystem::path> client_cas;
  if (client_ca) client_cas.push_back(client_ca->certificate);
  requires_client_certificate_ = client_ca.has_value();
  http::Router routes;
  routes.add({"POST", "/inbound", http::BodyMode::spool,
              [this](http::Request& request) { return receive(request); }});
  http::ListenerSettings listener{
      .name = "receiver",
      .host = "127.0.0.1",
      .tls = http::TlsSettings{certificate_.certificate, certificate_.key, client_cas},
      .spool_directory = spool_.path()};
  if (Status listening = server_.listen(listener, std::move(routes)); !listening) {
    throw std::runtime_error(listening.error().to_string());
  }
  runner_ = std::thread([this] { server_.run(); });
}

PushReceiver::~PushReceiver() {
  release_held();
  server_.drain(std::chrono::seconds(5));
  runner_.join();
}

std::string PushReceiver::url() const {
  return "https://localhost:" + std::to_string(server_.port("receiver")) + "/inbound";
}

void PushReceiver::fail_next(int count) {
  std::lock_guard lock(mutex_);
  failures_left_ = count;
}

void PushReceiver::hold_next() {
  std::lock_guard lock(mutex_);
  hold_next_ = true;
}

void PushReceiver::release_held() {
  {
    std::lock_guard lock(mutex_);
    holding_ = false;
  }
  changed_.notify_all();
}

http::Response PushReceiver::receive(http::Request& request) {
  std::string sha256;
  if (request.body_file) {
    auto source = FileSource::open(*request.body_file);
    HashingSource hashing(*source);
    char buffer[65536];
    while (true) {
      auto count = hashing.read(buffer);
      if (!count || *count == 0) break;
    }
    sha256 = hashing.sha256();
  }
  std::string package_id(request.header("x-truc-package-id").value_or(""));
  std::unique_lock lock(mutex_);
  ++attempts_;
  attempted_.push_back(package_id);
  changed_.notify_all();
  if (hold_next_) {
    hold_next_ = false;
    holding_ = true;
    changed_.wait(lock, [this] { return !holding_; });
    return http::Response::error({"server.busy", "held, then let go", {}});
  }
  if (requires_client_certificate_ && !request.peer_certificate) {
    return http::Response::error(
        {"auth.client_certificate_required", "this endpoint needs a client certificate", {}});
  }
  if (failures_left_ != 0) {
    if (failures_left_ > 0) --failures_left_;
    return http::Response::error(
        {"server.busy", "the agency's system is down for maintenance", {}});
  }
  std::filesystem::path kept;
  if (request.body_file) {
    kept = kept_.path() / std::to_string(attempts_);
    std::filesystem::rename(*request.body_file, kept);
  }
  deliveries_.push_back({package_id, std::string(request.header("x-truc-recipient").value_or("")),
                         std::string(request.header("x-truc-kind").value_or("")), sha256,
                         std::string(request.header("x-truc-sha256").value_or("")),
                         request.body_size, kept,
                         request.peer_certificate ? request.peer_certificate->subject : ""});
  changed_.notify_all();
  return http::Response::json(200, R"({"received":true})");
}

bool PushReceiver::wait_for_attempts(std::size_t count, std::chrono::seconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return attempts_ >= count; });
}

bool PushReceiver::wait_for_deliveries(std::size_t count, std::chrono::seconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return deliveries_.size() >= count; });
}

bool PushReceiver::wait_for_attempt_of(const std::string& package_id,
                                       std::chrono::seconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return std::find(attempted_.begin(), attempted_.end(), package_id) != attempted_.end();
  });
}

std::size_t PushReceiver::attempts_of(const std::string& package_id) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count(attempted_.begin(), attempted_.end(), package_id));
}

std::vector<PushReceiver::Delivery> PushReceiver::deliveries() const {
  std::lock_guard lock(mutex_);
  return deliveries_;
}

std::size_t PushReceiver::attempts() const {
  std::lock_guard lock(mutex_);
  return attempts_;
}

}  // namespace truc::testing
