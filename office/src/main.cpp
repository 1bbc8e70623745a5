// truc-office: the document office daemon's composition root and its command line. It reads the
// configuration, opens the database, serves the web listener (the web app and /office/api/v1)
// and the monitor listener (/live, /ready, /metrics), and runs until SIGTERM, then drains.

#include <signal.h>

#include <algorithm>
#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/log.hpp"
#include "truc/conf/office_config.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/http/server.hpp"
#include "truc/office/accounts.hpp"
#include "truc/office/api.hpp"
#include "truc/office/assignments.hpp"
#include "truc/office/catalogues.hpp"
#include "truc/office/hub_link.hpp"
#include "truc/office/inbox.hpp"
#include "truc/office/incoming.hpp"
#include "truc/office/metrics.hpp"
#include "truc/office/push_endpoint.hpp"
#include "truc/office/register_book.hpp"
#include "truc/office/schema.hpp"
#include "truc/office/uploads.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

constexpr const char* kHelp = R"(truc-office: the Trục document office (văn phòng điện tử)

usage:
  truc-office --config FILE            run the office (SIGTERM or SIGINT drain it and stop)
  truc-office --check-config FILE      check the configuration and its files, then exit
  truc-office migrate --config FILE    apply the database migrations this binary carries (as
                                       database.migration_conninfo), then grant
                                       database.service_role what the office needs
  truc-office admin create-agency --config FILE --code CODE --name NAME
                                [--certificate FILE --private-key FILE]
                                       add an agency the office serves, with its catalogues
                                       (document types of Decree 30, this year's registers);
                                       with its certificate and key (PEM; the key mode 0600) it
                                       exchanges documents through the hub
  truc-office admin create-user --config FILE --agency CODE --username NAME
                                --full-name "FULL NAME" --role ROLE --password-file FILE
                                [--department NAME]
                                       add an account; ROLE is one of clerk, leader, deputy,
                                       head, specialist, admin. The password is read from the
                                       file (mode 0600), never from the command line.
  truc-office --help

The configuration is one TOML file, documented key by key in conf/truc-office.example.toml.
Exit status: 0 ok, 1 failure (the first line on stderr is "error: <code>: <message>"), 2 usage.
)";

constexpr std::chrono::seconds kDrainGrace{30};
// The largest package the office takes from the hub: the hub's own default limit.
constexpr std::uint64_t kMaxPackageBytes = 150ull << 20;

int fail(const Error& error) {
  std::cerr << "error: " << error.to_string() << "\n";
  return 1;
}

int usage(const std::string& problem) {
  std::cerr << "usage: " << problem << " (see `truc-office --help`)\n";
  return 2;
}

SignInPolicy sign_in_policy(const conf::OfficeConfig& config) {
  return {config.lockout.max_failed_attempts, config.lockout.duration, config.sessions.idle_timeout,
          config.sessions.lifetime};
}

std::optional<http::TlsSettings> tls_settings(const std::optional<conf::TlsFiles>& files) {
  if (!files) return std::nullopt;
  return http::TlsSettings{files->certificate, files->private_key, {}};
}

// The database as the daemon's service role, its schema current.
Result<std::unique_ptr<store::Pool>> open_database(const conf::OfficeConfig& config) {
  auto conninfo = conf::database_conninfo(config.database);
  if (!conninfo) return std::move(conninfo).error();
  auto pool = std::make_unique<store::Pool>(*conninfo, config.database.pool_size,
                                            config.database.acquire_timeout);
  auto lease = pool->acquire();
  if (!lease) return std::move(lease).error();
  TRUC_TRY(store::check_schema(**lease, office_schema()));
  return pool;
}

int migrate(const conf::OfficeConfig& config) {
  auto conninfo = conf::migration_conninfo(config.database);
  if (!conninfo) return fail(conninfo.error());
  auto connection = store::Connection::open(*conninfo);
  if (!connection) return fail(connection.error());
  auto version = store::migrate(**connection, office_schema(), config.database.service_role);
  if (!version) return fail(version.error());
  std::cout << "migrated: office database schema at version " << version->applied << "\n";
  if (config.database.service_role) {
    std::cout << "granted: " << *config.database.service_role
              << " may read and write rows, and change no table\n";
  }
  return 0;
}

// The agency's key must be a secret file and belong to its certificate.
Status check_credentials(const HubCredentials& credentials) {
  TRUC_TRY(conf::read_secret_file(credentials.private_key));
  auto pair =
      security::load_key_pair(credentials.certificate, credentials.private_key, "the private key");
  if (!pair) return std::move(pair).error();
  return ok_status();
}

// `--name value` pairs after the subcommand; a flag given twice or without a value is a usage
// error.
std::optional<std::map<std::string, std::string>> options(const std::vector<std::string>& args,
                                                          std::size_t first) {
  std::map<std::string, std::string> found;
  for (std::size_t index = first; index < args.size(); index += 2) {
    if (!args[index].starts_with("--") || index + 1 >= args.size()) return std::nullopt;
    if (!found.emplace(args[index].substr(2), args[index + 1]).second) return std::nullopt;
  }
  return found;
}

int admin(const std::vector<std::string>& args) {
  auto given = options(args, 2);
  if (!given || !given->contains("config"))
    return usage("truc-office admin COMMAND --config FILE ...");
  auto config = conf::load_office_config(given->at("config"));
  if (!config) return fail(config.error());
  auto database = open_database(*config);
  if (!database) return fail(database.error());
  Accounts accounts(**database, sign_in_policy(*config));
  const Actor operator_at_console{std::nullopt, ""};
  auto required = [&](std::initializer_list<const char*> names) {
    for (const char* name : names) {
      if (!given->contains(name)) return false;
    }
    return true;
  };

  if (args[1] == "create-agency") {
    const bool with_credentials = given->contains("certificate");
    if (!required({"code", "name"}) || (with_credentials != given->contains("private-key")) ||
        given->size() != (with_credentials ? 5u : 3u)) {
      return usage(
          "truc-office admin create-agency --config FILE --code CODE --name NAME "
          "[--certificate FILE --private-key FILE]");
    }
    std::optional<HubCredentials> credentials;
    if (with_credentials) {
      credentials = HubCredentials{given->at("certificate"), given->at("private-key")};
      if (Status usable = check_credentials(*credentials); !usable) return fail(usable.error());
    }
    auto agency = accounts.create_agency(given->at("code"), given->at("name"), credentials,
                                         operator_at_console);
    if (!agency) return fail(agency.error());
    std::cout << "created: agency " << agency->code << " (" << agency->name
              << ") with the catalogues of Decree 30 and this year's registers"
              << (credentials ? ", linked to the hub with its certificate"
                              : ", not linked to the hub")
              << "\n";
    return 0;
  }
  if (args[1] == "create-user") {
    const std::size_t optional_count = given->contains("department") ? 1 : 0;
    if (!required({"agency", "username", "full-name", "role", "password-file"}) ||
        given->size() != 6 + optional_count) {
      return usage(
          "truc-office admin create-user --config FILE --agency CODE --username NAME "
          "--full-name NAME --role ROLE --password-file FILE [--department NAME]");
    }
    auto role = role_from_name(given->at("role"));
    if (!role) return usage("--role is one of clerk, leader, deputy, head, specialist, admin");
    auto password = conf::read_secret_file(given->at("password-file"));
    if (!password) return fail(password.error());
    auto agency = accounts.agency(given->at("agency"));
    if (!agency) return fail(agency.error());
    NewUser user{given->at("username"), given->at("full-name"), *role, *password,
                 given->contains("department") ? given->at("department") : ""};
    auto created = accounts.create_user(agency->id, user, operator_at_console);
    if (!created) return fail(created.error());
    std::cout << "created: user " << created->username << " (" << role_name(created->role)
              << ") of " << agency->code << "\n";
    return 0;
  }
  return usage("truc-office admin create-agency|create-user ...");
}

http::Router monitor_routes(store::Pool& database, const store::BlobStore& blobs, Metrics& metrics,
                            const HubLink* hub_link, http::WorkerPool& workers,
                            http::HttpServer& server,
                            const std::filesystem::path& static_directory) {
  namespace json = boost::json;
  using http::BodyMode;
  using http::Request;
  using http::Response;
  http::Router router;
  router.add({"GET", "/live", BodyMode::none,
              [](Request&) { return Response::json(200, R"({"status":"live"})"); }});
  router.add(
      {"GET", "/ready", BodyMode::none, [&database, &blobs, static_directory](Request&) {
         json::object checks;
         auto lease = database.acquire();
         if (!lease) {
           checks["database"] = lease.error().code;
         } else if (auto schema = store::check_schema(**lease, office_schema()); !schema) {
           checks["database"] = schema.error().code;
         } else {
           checks["database"] = "ok";
         }
         Status writable = blobs.check_writable();
         checks["storage"] = writable ? "ok" : writable.error().code;
         checks["web_app"] =
             std::filesystem::is_regular_file(static_directory / "index.html") ? "ok" : "missing";
         bool ready = std::all_of(checks.begin(), checks.end(),
                                  [](const auto& check) { return check.value() == "ok"; });
         return Response::json(ready ? 200 : 503,
                               json::serialize(json::object{{"ready", ready}, {"checks", checks}}));
       }});
  router.add(
      {"GET", "/metrics", BodyMode::none,
       [&database, &metrics, &workers, &server, hub_link](Request&) {
         Response response;
         response.headers = {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}};
         Metrics::Snapshot snapshot{database.stats(), workers.stats(), server.open_connections()};
         if (hub_link != nullptr) snapshot.hub_link = hub_link->stats();
         if (auto lease = database.acquire()) {
           auto pending =
               (*lease)->execute("SELECT count(*) FROM outgoing_statuses WHERE state = 'pending'");
           if (pending) snapshot.statuses_pending = pending->integer(0, 0);
         }
         response.body = metrics.render(snapshot);
         return response;
       }});
  return router;
}

int run(const conf::OfficeConfig& config) {
  set_log_level(config.log_level);
  auto database = open_database(config);
  if (!database) return fail(database.error());
  auto blobs = store::BlobStore::open(config.blob_directory);
  if (!blobs) return fail(blobs.error());
  Accounts accounts(**database, sign_in_policy(config));
  Catalogues catalogues(**database);
  // Set once the hub link exists (below): a decision's status goes out as soon as it commits.
  HubLink* hub_link_for_statuses = nullptr;
  auto statuses_owed = [&hub_link_for_statuses] {
    if (hub_link_for_statuses != nullptr) hub_link_for_statuses->wake_status_sender();
  };
  IncomingDocuments incoming(**database, statuses_owed);
  Assignments assignments(**database, incoming, statuses_owed);
  RegisterBooks register_books(**database);
  Uploads uploads(**database, *blobs);
  Oversight oversight(**database, config.reminders.due_soon_days);
  Delegations delegations(**database);
  Metrics metrics;
  http::WorkerPool workers(config.workers.threads, config.workers.queue_limit);
  http::HttpServer server(workers, config.workers.io_threads);
  server.drain_on_signals({SIGTERM, SIGINT}, kDrainGrace, [](int signal) {
    log_event("info", "draining", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  });
  server.on_request([&metrics](const http::RequestRecord& request) {
    metrics.observe(request);
    log_event(
        "info", "request",
        {{"listener", request.listener},
         {"method", request.method},
         {"route", request.route},
         {"status", std::to_string(request.status)},
         {"duration_ms",
          std::to_string(std::chrono::duration<double, std::milli>(request.duration).count())},
         {"request_id", request.request_id}});
  });

  http::ListenerSettings web{.name = "web",
                             .host = config.web.listen.host,
                             .port = config.web.listen.port,
                             .tls = tls_settings(config.web.tls),
                             .max_body_bytes = config.web.max_body_bytes,
                             .spool_directory = blobs->temporary_directory()};
  auto web_router = web_routes({accounts, catalogues, incoming, assignments, register_books,
                                uploads, oversight, delegations, *blobs},
                               config.web.static_directory);
  if (!web_router) return fail(web_router.error());
  if (Status listening = server.listen(web, std::move(*web_router)); !listening) {
    return fail(listening.error());
  }

  // What arrives from the hub: checked as the hub checks it, and stored once.
  edxml::ParseOptions parse;
  parse.limits.max_document_bytes = kMaxPackageBytes;
  edxml::Parser parser(parse);
  std::optional<security::TrustStore> trust;
  std::optional<Inbox> inbox;
  if (config.push || config.hub) {
    auto loaded = security::TrustStore::load(
        {.ca_files = config.signatures.trust_ca, .crl_files = config.signatures.crl});
    if (!loaded) return fail(loaded.error());
    trust.emplace(std::move(*loaded));
    inbox.emplace(**database, *blobs, parser, *trust, config.signatures.forbid_sha1);
  }
  std::unique_ptr<HubLink> hub_link;
  if (config.hub) {
    auto link = HubLink::create({.hub_url = config.hub->url,
                                 .hub_ca = config.hub->ca,
                                 .poll_interval = config.hub->poll_interval,
                                 .timeout = config.hub->timeout,
                                 .first_retry = config.hub->first_retry,
                                 .max_retry = config.hub->max_retry},
                                **database, *blobs, parser, *inbox);
    if (!link) return fail(link.error());
    hub_link = std::move(*link);
    hub_link_for_statuses = hub_link.get();
  }
  if (config.push) {
    auto hub_certificate = security::Certificate::load_pem_file(config.push->hub_certificate);
    if (!hub_certificate) return fail(hub_certificate.error());
    http::ListenerSettings push{
        .name = "push",
        .host = config.push->listen.host,
        .port = config.push->listen.port,
        .tls = http::TlsSettings{config.push->tls.certificate, config.push->tls.private_key,
                                 config.push->client_ca},
        .max_body_bytes = kMaxPackageBytes,
        .spool_directory = blobs->temporary_directory()};
    if (Status listening =
            server.listen(push, push_routes(*inbox, hub_certificate->front().sha256_fingerprint()));
        !listening) {
      return fail(listening.error());
    }
  }
  http::ListenerSettings monitor{.name = "monitor",
                                 .host = config.monitor.listen.host,
                                 .port = config.monitor.listen.port,
                                 .tls = tls_settings(config.monitor.tls),
                                 .spool_directory = blobs->temporary_directory()};
  if (Status listening =
          server.listen(monitor, monitor_routes(**database, *blobs, metrics, hub_link.get(),
                                                workers, server, config.web.static_directory));
      !listening) {
    return fail(listening.error());
  }
  log_event("info", "listening",
            {{"web_port", std::to_string(server.port("web"))},
             {"monitor_port", std::to_string(server.port("monitor"))},
             {"push_port", config.push ? std::to_string(server.port("push")) : ""}});
  if (hub_link) hub_link->start();
  server.run();
  if (hub_link) hub_link->stop();
  log_event("info", "stopped", {});
  return 0;
}

}  // namespace
}  // namespace truc::office

namespace truc::office {
namespace {

// What the listeners would find on start: each TLS key belongs to its certificate.
Status check_key_pairs(const conf::OfficeConfig& config) {
  const std::pair<const char*, const std::optional<conf::TlsFiles>*> listeners[] = {
      {"[web] tls_private_key", &config.web.tls},
      {"[monitor] tls_private_key", &config.monitor.tls}};
  for (const auto& [what, tls] : listeners) {
    if (*tls) TRUC_TRY(security::load_key_pair((*tls)->certificate, (*tls)->private_key, what));
  }
  if (config.push) {
    TRUC_TRY(security::load_key_pair(config.push->tls.certificate, config.push->tls.private_key,
                                     "[push] tls_private_key"));
  }
  return ok_status();
}

}  // namespace
}  // namespace truc::office

int main(int argc, char** argv) {
  using namespace truc::office;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kHelp;
    return 0;
  }
  if (args.size() == 2 && (args[0] == "--config" || args[0] == "--check-config")) {
    auto config = truc::conf::load_office_config(args[1]);
    if (!config) return fail(config.error());
    if (args[0] == "--config") return run(*config);
    if (truc::Status paired = check_key_pairs(*config); !paired) return fail(paired.error());
    std::cout << "ok: " << args[1] << " is a valid configuration\n";
    return 0;
  }
  if (args.size() == 3 && args[0] == "migrate" && args[1] == "--config") {
    auto config = truc::conf::load_office_config(args[2]);
    if (!config) return fail(config.error());
    return migrate(*config);
  }
  if (args.size() >= 2 && args[0] == "admin") return admin(args);
  return usage("truc-office --config FILE");
}
