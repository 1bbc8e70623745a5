#include "push_endpoint.hpp"

#include <stdexcept>

#include "truc/common/byte_stream.hpp"

namespace truc::bench {

PushEndpoint::PushEndpoint(testing::TestPki& pki, const testing::Issued& ca)
    : certificate_(pki.issue(ca, "push-endpoint",
                             {.common_name = "localhost",
                              .key_usage = "digitalSignature,keyEncipherment",
                              .extended_key_usage = "serverAuth",
                              .dns_names = {"localhost"}})) {
  http::Router routes;
  routes.add({"POST", "/inbound", http::BodyMode::spool,
              [this](http::Request& request) { return receive(request); }});
  http::ListenerSettings listener{
      .name = "push-endpoint",
      .host = "127.0.0.1",
      .tls = http::TlsSettings{certificate_.certificate, certificate_.key, {}},
      .spool_directory = spool_.path()};
  if (Status listening = server_.listen(listener, std::move(routes)); !listening) {
    throw std::runtime_error(listening.error().to_string());
  }
  runner_ = std::thread([this] { server_.run(); });
}

PushEndpoint::~PushEndpoint() {
  server_.drain(std::chrono::seconds(5));
  runner_.join();
}

std::string PushEndpoint::url() const {
  return "https://localhost:" + std::to_string(server_.port("push-endpoint")) + "/inbound";
}

http::Response PushEndpoint::receive(http::Request& request) {
  Arrival arrival{Clock::now(), {}};
  if (request.body_file) {
    auto file = FileSource::open(*request.body_file);
    if (!file) return http::Response::error(file.error());
    HashingSource hashing(*file);
    std::string buffer(1 << 16, '\0');
    while (true) {
      auto count = hashing.read(buffer);
      if (!count) return http::Response::error(count.error());
      if (*count == 0) break;
    }
    arrival.sha256 = hashing.sha256();
  }
  std::string package_id(request.header("x-truc-package-id").value_or(""));
  {
    std::lock_guard lock(mutex_);
    arrivals_.emplace(std::move(package_id), std::move(arrival));
  }
  arrived_.notify_all();
  return http::Response::json(200, R"({"received":true})");
}

std::optional<PushEndpoint::Arrival> PushEndpoint::wait_for(const std::string& package_id,
                                                            std::chrono::seconds timeout) {
  std::unique_lock lock(mutex_);
  if (!arrived_.wait_for(lock, timeout, [&] { return arrivals_.contains(package_id); })) {
    return std::nullopt;
  }
  return arrivals_.at(package_id);
}

}  // namespace truc::bench
