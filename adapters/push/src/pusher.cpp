#include "truc/push/pusher.hpp"

#include <map>
#include <mutex>
#include <vector>

#include "truc/common/url.hpp"
#include "truc/https/http_client.hpp"

namespace truc::push {
namespace {

// Connections are kept per endpoint and its trust settings.
std::string endpoint_key(const store::PushEndpoint& endpoint) {
  return endpoint.url + '\n' + endpoint.ca_pem.value_or("") + '\n' +
         endpoint.pinned_sha256.value_or("") + (endpoint.client_certificate ? "\n+" : "\n-");
}

}  // namespace

struct Pusher::State {
  PushSettings settings;
  // Idle clients per endpoint: a sender takes one out (or makes one) and puts it back after a
  // push that worked; one that failed is dropped, since the connection may be what failed.
  std::mutex mutex;
  std::map<std::string, std::vector<https::HttpClient>> idle;

  Result<https::HttpClient> take_client(const store::PushEndpoint& endpoint) {
    {
      std::lock_guard lock(mutex);
      auto& clients = idle[endpoint_key(endpoint)];
      if (!clients.empty()) {
        https::HttpClient client = std::move(clients.back());
        clients.pop_back();
        return client;
      }
    }
    auto url = parse_url(endpoint.url);
    if (!url) return std::move(url).error();
    https::ClientOptions options{.url = *url,
                                 .ca_pem = endpoint.ca_pem,
                                 .pinned_sha256 = endpoint.pinned_sha256,
                                 .operation_timeout = settings.timeout};
    if (endpoint.client_certificate) {
      if (!settings.client_certificate) {
        return Error{"push.no_client_certificate",
                     "the endpoint wants the hub's client certificate; none is configured",
                     "[push] client_certificate"};
      }
      options.certificate_file = settings.client_certificate;
      options.key_file = settings.client_key;
    }
    return https::HttpClient::create(options);
  }

  void give_back(const store::PushEndpoint& endpoint, https::HttpClient client) {
    std::lock_guard lock(mutex);
    idle[endpoint_key(endpoint)].push_back(std::move(client));
  }
};

Pusher::Pusher(PushSettings settings) : state_(std::make_unique<State>()) {
  state_->settings = std::move(settings);
}

Pusher::~Pusher() = default;

Status Pusher::send(const hub::OutboundPackage& package) {
  const store::PushJob& job = package.job;
  auto client = state_->take_client(job.endpoint);
  if (!client) return std::move(client).error();
  auto url = parse_url(job.endpoint.url);
  if (!url) return std::move(url).error();
  std::string target = url->base_path.empty() ? "/" : url->base_path;
  std::vector<https::Header> headers{{"X-Truc-Package-Id", job.package_id},
                                     {"X-Truc-Kind", std::string(store::to_string(job.kind))},
                                     {"X-Truc-Sender", job.sender_code},
                                     {"X-Truc-Recipient", job.recipient_code},
                                     {"X-Truc-Sha256", job.sha256}};
  auto sent = client->upload("POST", target, "application/xml", package.file, {}, headers);
  if (!sent) return std::move(sent).error();
  state_->give_back(job.endpoint, std::move(*client));
  return ok_status();
}

}  // namespace truc::push
