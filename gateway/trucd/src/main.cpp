// trucd: the hub daemon's composition root. It reads the configuration, builds the modules, wires
// the API faces to the core and runs until SIGTERM, then drains.

#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "truc/common/clock.hpp"
#include "truc/common/log.hpp"
#include "truc/conf/config.hpp"
#include "truc/http/server.hpp"
#include "truc/hub/directory.hpp"
#include "truc/hub/dispatcher.hpp"
#include "truc/hub/evidence_sealer.hpp"
#include "truc/hub/hub.hpp"
#include "truc/ops/metrics.hpp"
#include "truc/ops/push_log.hpp"
#include "truc/push/pusher.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/crl_set.hpp"
#include "truc/security/ocsp.hpp"
#include "truc/security/revocation_source.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/store/migrate.hpp"
#include "truc/trucd/routes.hpp"
#include "truc/tsa/http_timestamp_authority.hpp"

namespace truc::trucd {

using http::HttpServer;
using http::ListenerSettings;
using http::RequestRecord;
using http::TlsSettings;
using http::WorkerPool;
using hub::Directory;
using hub::Dispatcher;
using hub::Hub;
using ops::Metrics;
using ops::PushLog;
using ops::WatchedCertificate;

namespace {

constexpr const char* kHelp = R"(trucd: the Trục liaison hub daemon

usage:
  trucd --config FILE            run the hub (SIGTERM or SIGINT drain it and stop)
  trucd --check-config FILE      check the configuration and its files, then exit
  trucd migrate --config FILE    apply the database migrations this binary carries (as
                                 database.migration_conninfo), then grant database.service_role
                                 what the hub needs
  trucd --help

The configuration is one TOML file, documented key by key in conf/trucd.example.toml.
Exit status: 0 ok, 1 failure (the first line on stderr is "error: <code>: <message>"), 2 usage.
)";

constexpr std::chrono::seconds kDrainGrace{30};

int fail(const Error& error) {
  std::cerr << "error: " << error.to_string() << "\n";
  return 1;
}

// The certificates the hub depends on, for the expiry gauges; also proves they load.
Result<std::vector<WatchedCertificate>> watched_certificates(const conf::HubConfig& config) {
  std::vector<WatchedCertificate> watched;
  auto add = [&](const std::filesystem::path& file, const std::string& role) -> Status {
    auto certificates = security::Certificate::load_pem_file(file);
    if (!certificates) return std::move(certificates).error();
    for (const auto& certificate : *certificates) {
      watched.push_back({role, certificate.subject(), certificate.not_after()});
    }
    return ok_status();
  };
  TRUC_TRY(add(config.agency_api.tls.certificate, "agency_api_tls"));
  if (config.monitor.tls) TRUC_TRY(add(config.monitor.tls->certificate, "monitor_tls"));
  for (const auto& file : config.agency_api.client_ca) TRUC_TRY(add(file, "client_ca"));
  for (const auto& file : config.signatures.trust_ca) TRUC_TRY(add(file, "signature_trust"));
  return watched;
}

Status check_key_pair(const conf::TlsFiles& tls) {
  auto pair = security::load_key_pair(tls.certificate, tls.private_key, "the TLS private key");
  if (!pair) return std::move(pair).error();
  return ok_status();
}

// With [revocation]: its CRL files and those of signatures.crl, and CRLs fetched from the
// configured URLs and the distribution points of the trusted CA certificates. Null otherwise.
Result<std::unique_ptr<security::RevocationSource>> revocation_source(
    const conf::HubConfig& config) {
  if (!config.revocation) return std::unique_ptr<security::RevocationSource>();
  const conf::RevocationConfig& settings = *config.revocation;
  security::RevocationSourceOptions options;
  options.crl_files = settings.crl;
  options.crl_files.insert(options.crl_files.end(), config.signatures.crl.begin(),
                           config.signatures.crl.end());
  options.crl_urls = settings.crl_urls;
  std::vector<std::filesystem::path> ca_files = config.signatures.trust_ca;
  ca_files.insert(ca_files.end(), config.agency_api.client_ca.begin(),
                  config.agency_api.client_ca.end());
  for (const auto& file : ca_files) {
    auto certificates = security::Certificate::load_pem_file(file);
    if (!certificates) return std::move(certificates).error();
    for (auto& certificate : *certificates) options.certificates.push_back(std::move(certificate));
  }
  options.cache_directory = settings.cache_directory;
  options.refresh_interval = settings.refresh_interval;
  options.fetch_timeout = settings.fetch_timeout;
  return security::RevocationSource::open(std::move(options));
}

// With [evidence]: the seal key and its certificate chain, checked to belong together.
Result<std::optional<hub::SealerSettings>> sealer_settings(const conf::HubConfig& config) {
  if (!config.evidence) return std::optional<hub::SealerSettings>();
  auto pair = security::load_key_pair(config.evidence->signing_certificate,
                                      config.evidence->signing_key, "evidence.signing_key");
  if (!pair) return std::move(pair).error();
  return std::optional<hub::SealerSettings>(hub::SealerSettings{
      std::move(pair->key), std::move(pair->chain), config.evidence->seal_interval});
}

// With [revocation]: the fetched CRLs, OCSP when configured and the when_unknown policy.
Result<security::TrustStore> signer_trust(const conf::HubConfig& config,
                                          std::shared_ptr<const security::CurrentCrls> crls,
                                          std::shared_ptr<security::OcspChecker> ocsp) {
  if (crls == nullptr)
    return security::TrustStore::load({config.signatures.trust_ca, {}, config.signatures.crl});
  return security::TrustStore::load(
      {.ca_files = config.signatures.trust_ca,
       .current_crls = std::move(crls),
       .ocsp = std::move(ocsp),
       .when_unknown = config.revocation->accept_unknown
                           ? security::RevocationPolicy::accept_and_flag
                           : security::RevocationPolicy::refuse});
}

ops::RevocationSnapshot revocation_snapshot(const conf::RevocationConfig& settings,
                                            const security::RevocationSource& source,
                                            const security::OcspChecker* ocsp,
                                            const security::TrustStore& trust) {
  security::RevocationSourceStats crls = source.stats();
  ops::RevocationSnapshot snapshot{.crls = crls.crls,
                                   .urls = crls.urls,
                                   .urls_without_crl = crls.urls_without_crl,
                                   .fetches = crls.fetches,
                                   .fetch_failures = crls.fetch_failures,
                                   .ocsp = ocsp != nullptr,
                                   .accept_unknown = settings.accept_unknown,
                                   .unknown_accepted = trust.accepted_without_revocation()};
  if (ocsp != nullptr) {
    security::OcspStats answers = ocsp->stats();
    snapshot.ocsp_requests = answers.requests;
    snapshot.ocsp_cache_hits = answers.cache_hits;
    snapshot.ocsp_failures = answers.failures;
  }
  return snapshot;
}

// Everything --check-config can verify without starting: the file, the certificates and keys,
// the trust store, the admin token.
Result<conf::HubConfig> checked_config(const std::filesystem::path& file) {
  auto config = conf::load_config(file);
  if (!config) return std::move(config).error();
  TRUC_TRY(check_key_pair(config->agency_api.tls));
  if (config->monitor.tls) TRUC_TRY(check_key_pair(*config->monitor.tls));
  auto watched = watched_certificates(*config);
  if (!watched) return std::move(watched).error();
  // The CRL files must load; fetching waits for the start.
  if (config->revocation) {
    auto crls = security::CrlSet::load_files(config->revocation->crl);
    if (!crls) return std::move(crls).error();
  }
  auto trust = signer_trust(*config, nullptr, nullptr);
  if (!trust) return std::move(trust).error();
  auto sealing = sealer_settings(*config);
  if (!sealing) return std::move(sealing).error();
  auto token = conf::read_secret_file(config->monitor.admin_token_file);
  if (!token) return std::move(token).error();
  if (token->size() < 32) {
    return Error{"config.invalid", "the admin token must be at least 32 characters",
                 config->monitor.admin_token_file.string()};
  }
  if (config->compat) {
    auto key = conf::read_key_file(config->compat->secret_key_file);
    if (!key) return std::move(key).error();
  }
  return config;
}

int migrate(const std::filesystem::path& file) {
  auto config = conf::load_config(file);
  if (!config) return fail(config.error());
  auto conninfo = conf::migration_conninfo(config->database);
  if (!conninfo) return fail(conninfo.error());
  auto connection = store::Connection::open(*conninfo);
  if (!connection) return fail(connection.error());
  auto version = store::migrate(**connection, store::hub_schema(), config->database.service_role);
  if (!version) return fail(version.error());
  std::cout << "migrated: database schema at version " << version->applied << "\n";
  if (config->database.service_role) {
    std::cout << "granted: " << *config->database.service_role
              << " may read and write rows, and change no table\n";
  }
  return 0;
}

// Runs `on_hangup` on its own thread at each SIGHUP, while it lives.
class HangupWatch {
 public:
  explicit HangupWatch(std::function<void()> on_hangup)
      : signals_(io_, SIGHUP), on_hangup_(std::move(on_hangup)) {
    arm();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~HangupWatch() {
    io_.stop();
    thread_.join();
  }
  HangupWatch(const HangupWatch&) = delete;
  HangupWatch& operator=(const HangupWatch&) = delete;

 private:
  void arm() {
    signals_.async_wait([this](const boost::system::error_code& error, int) {
      if (error) return;
      on_hangup_();
      arm();
    });
  }

  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  std::function<void()> on_hangup_;
  std::thread thread_;
};

TlsSettings tls_settings(const conf::TlsFiles& files,
                         std::vector<std::filesystem::path> client_ca) {
  return TlsSettings{files.certificate, files.private_key, std::move(client_ca)};
}

int run(const std::filesystem::path& file) {
  auto config = checked_config(file);
  if (!config) return fail(config.error());
  set_log_level(config->log_level);
  auto conninfo = conf::database_conninfo(config->database);
  if (!conninfo) return fail(conninfo.error());
  store::Pool database(*conninfo, config->database.pool_size, config->database.acquire_timeout);
  {
    auto lease = database.acquire();
    if (!lease) return fail(lease.error());
    auto schema = store::check_schema(**lease, store::hub_schema());
    if (!schema) return fail(schema.error());
  }
  auto blobs = store::BlobStore::open(config->blob_directory);
  if (!blobs) return fail(blobs.error());
  auto revocation = revocation_source(*config);
  if (!revocation) return fail(revocation.error());
  std::shared_ptr<const security::CurrentCrls> crls;
  if (*revocation) {
    crls = (*revocation)->crls();
    auto stats = (*revocation)->stats();
    log_event("info", "revocation_loaded",
              {{"crls", std::to_string(stats.crls)},
               {"urls", std::to_string(stats.urls)},
               {"urls_without_crl", std::to_string(stats.urls_without_crl)}});
    (*revocation)->start();
  }
  std::shared_ptr<security::OcspChecker> ocsp;
  if (config->revocation && config->revocation->ocsp) {
    ocsp = std::make_shared<security::OcspChecker>(security::OcspOptions{
        .max_age = config->revocation->ocsp_max_age, .timeout = config->revocation->ocsp_timeout});
  }
  auto trust = signer_trust(*config, crls, ocsp);
  if (!trust) return fail(trust.error());
  auto token = conf::read_secret_file(config->monitor.admin_token_file);
  if (!token) return fail(token.error());
  auto watched = watched_certificates(*config);
  if (!watched) return fail(watched.error());

  // The one clock the time rules read: the compat face's timestamp skew, the admin traffic
  // report's default period, push retry times.
  SystemClock clock;
  Metrics metrics(std::move(*watched));
  PushLog push_log(metrics);
  edxml::ParseOptions parse;
  parse.limits.max_document_bytes = config->agency_api.max_body_bytes;
  const auto& push = config->push;
  push::Pusher pusher(
      {.timeout = push.timeout,
       .client_certificate = push.client_certificate
                                 ? std::optional(push.client_certificate->certificate)
                                 : std::nullopt,
       .client_key = push.client_certificate ? std::optional(push.client_certificate->private_key)
                                             : std::nullopt});
  Dispatcher dispatcher({.hub_code = config->hub_code,
                         .workers = push.workers,
                         .max_attempts = push.max_attempts,
                         .first_retry = push.first_retry,
                         .max_retry = push.max_retry,
                         .poll_interval = push.poll_interval,
                         .node_id = config->node_id,
                         .lease = push.claim_lease},
                        database, *blobs, pusher, push_log, clock);
  Hub hub({config->hub_code, parse, config->signatures.forbid_sha1,
           [&dispatcher] { dispatcher.wake(); }},
          database, *blobs, *trust, metrics);
  Directory directory(database);
  auto sealing = sealer_settings(*config);
  if (!sealing) return fail(sealing.error());
  std::optional<tsa::HttpTimestampAuthority> authority;
  std::optional<hub::EvidenceSealer> sealer;
  if (*sealing) {
    authority.emplace(config->evidence->tsa_url, config->evidence->tsa_timeout);
    sealer.emplace(std::move(**sealing), database, *authority, metrics);
  }
  WorkerPool workers(config->workers.threads, config->workers.queue_limit);
  HttpServer server(workers, config->workers.io_threads);
  server.drain_on_signals({SIGTERM, SIGINT}, kDrainGrace, [](int signal) {
    log_event("info", "draining", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  });
  // SIGHUP: fetch every CRL now.
  std::optional<HangupWatch> hangup;
  if (*revocation) {
    hangup.emplace([source = revocation->get()] {
      log_event("info", "revocation_refresh", {{"signal", "SIGHUP"}});
      source->refresh_soon();
    });
  }

  std::optional<api::CompatSettings> compat;
  if (config->compat) {
    auto key = conf::read_key_file(config->compat->secret_key_file);
    if (!key) return fail(key.error());
    compat.emplace(api::CompatSettings{clock, *key, config->compat->max_clock_skew,
                                       blobs->temporary_directory()});
  }
  std::function<ops::RevocationSnapshot()> revocation_view;
  if (*revocation) {
    revocation_view = [&settings = *config->revocation, &source = **revocation, ocsp = ocsp.get(),
                       &trust = *trust] {
      return revocation_snapshot(settings, source, ocsp, trust);
    };
  }
  Routes routes =
      make_routes({.hub = hub,
                   .directory = directory,
                   .monitor = {database, *blobs, metrics, [&workers] { return workers.stats(); },
                               [&server] { return server.open_connections(); }, revocation_view},
                   .admin_token = *token,
                   .clock = clock,
                   .compat = std::move(compat)});

  server.on_request([&metrics](const RequestRecord& request) {
    metrics.observe(request);
    log_event(
        "info", "request",
        {{"listener", request.listener},
         {"method", request.method},
         {"route", request.route},
         {"status", std::to_string(request.status)},
         {"duration_ms",
          std::to_string(std::chrono::duration<double, std::milli>(request.duration).count())},
         {"request_id", request.request_id},
         {"peer", request.peer}});
  });

  const auto& api = config->agency_api;
  ListenerSettings agency_listener{.name = "agency",
                                   .host = api.listen.host,
                                   .port = api.listen.port,
                                   .tls = tls_settings(api.tls, api.client_ca),
                                   .max_body_bytes = api.max_body_bytes,
                                   .io_timeout = api.io_timeout,
                                   .idle_timeout = api.idle_timeout,
                                   .first_request_timeout = api.first_request_timeout,
                                   .max_connections = api.max_connections,
                                   .max_connections_per_address = api.max_connections_per_address,
                                   .reserved_connections = api.reserved_connections,
                                   .spool_directory = blobs->temporary_directory()};
  if (config->revocation && config->revocation->check_client_certificates)
    agency_listener.tls->client_crls = crls;
  if (Status listening = server.listen(agency_listener, std::move(routes.agency)); !listening) {
    return fail(listening.error());
  }
  ListenerSettings monitor_listener{"monitor", config->monitor.listen.host,
                                    config->monitor.listen.port};
  if (config->monitor.tls) monitor_listener.tls = tls_settings(*config->monitor.tls, {});
  monitor_listener.spool_directory = blobs->temporary_directory();
  monitor_listener.max_memory_body_bytes = 16 << 20;  // agency CSV imports
  if (Status listening = server.listen(monitor_listener, std::move(routes.monitor)); !listening) {
    return fail(listening.error());
  }
  log_event("info", "listening",
            {{"hub", config->hub_code},
             {"agency_port", std::to_string(server.port("agency"))},
             {"monitor_port", std::to_string(server.port("monitor"))}});

  dispatcher.start();
  if (sealer) sealer->start();
  server.run();
  if (sealer) sealer->stop();
  dispatcher.stop();
  log_event("info", "stopped", {});
  return 0;
}

}  // namespace
}  // namespace truc::trucd

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto usage = [] {
    std::cerr << "usage: see `trucd --help`\n";
    return 2;
  };
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << truc::trucd::kHelp;
    return 0;
  }
  if (args.size() == 2 && args[0] == "--config") return truc::trucd::run(args[1]);
  if (args.size() == 2 && args[0] == "--check-config") {
    auto config = truc::trucd::checked_config(args[1]);
    if (!config) return truc::trucd::fail(config.error());
    std::cout << "ok: " << args[1] << " is a valid configuration\n";
    return 0;
  }
  if (args.size() == 3 && args[0] == "migrate" && args[1] == "--config")
    return truc::trucd::migrate(args[2]);
  return usage();
}
