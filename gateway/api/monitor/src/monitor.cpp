#include "truc/api/monitor.hpp"

#include <boost/json.hpp>

#include "truc/common/log.hpp"
#include "truc/store/migrate.hpp"

namespace truc::api {

using http::BodyMode;
using http::Request;
using http::Response;
using http::Router;
using ops::ScrapeSnapshot;

namespace {

namespace json = boost::json;

// Every check, each answering "ok" or the error code that failed it.
json::object readiness(MonitorSources& sources) {
  json::object checks;
  auto lease = sources.database.acquire();
  if (!lease) {
    checks["database"] = lease.error().code;
    checks["schema"] = "unknown";
  } else {
    auto alive = (*lease)->execute("SELECT 1");
    checks["database"] = alive ? "ok" : alive.error().code;
    auto schema = store::check_schema(**lease, store::hub_schema());
    checks["schema"] = schema ? "ok" : schema.error().code;
  }
  Status writable = sources.blobs.check_writable();
  checks["blob_store"] = writable ? "ok" : writable.error().code;
  return checks;
}

// "degraded" when a watched CRL URL has given no CRL or a signer was accepted without a
// revocation answer: signers of that CA are refused (or accepted unchecked) until it is fixed,
// which taking the node out of service would not fix.
json::object revocation_detail(const ops::RevocationSnapshot& revocation) {
  bool degraded = revocation.urls_without_crl > 0 || revocation.unknown_accepted > 0;
  return {{"status", degraded ? "degraded" : "ok"},
          {"crls", revocation.crls},
          {"crl_urls", revocation.urls},
          {"crl_urls_without_crl", revocation.urls_without_crl},
          {"ocsp", revocation.ocsp},
          {"when_unknown", revocation.accept_unknown ? "accept_and_flag" : "refuse"},
          {"unknown_accepted", revocation.unknown_accepted}};
}

Status read_queues(store::Pool& database, ScrapeSnapshot& snapshot) {
  auto lease = database.acquire();
  if (!lease) return std::move(lease).error();
  store::Repository repository(**lease);
  auto queues = repository.queue_depths();
  if (!queues) return std::move(queues).error();
  auto dead = repository.dead_letter_count();
  if (!dead) return std::move(dead).error();
  snapshot.queues = std::move(*queues);
  snapshot.dead_letters = *dead;
  snapshot.queues_readable = true;
  return ok_status();
}

}  // namespace

void add_monitor_routes(Router& router, MonitorSources sources) {
  auto shared = std::make_shared<MonitorSources>(std::move(sources));
  router.add({"GET", "/live", BodyMode::none,
              [](Request&) { return Response::json(200, R"({"status":"live"})"); }});
  router.add({"GET", "/ready", BodyMode::none, [shared](Request&) {
                json::object checks = readiness(*shared);
                bool ready = std::all_of(checks.begin(), checks.end(),
                                         [](const auto& check) { return check.value() == "ok"; });
                json::object body{{"ready", ready}, {"checks", checks}};
                if (shared->revocation)
                  body["revocation"] = revocation_detail(shared->revocation());
                return Response::json(ready ? 200 : 503, json::serialize(body));
              }});
  router.add({"GET", "/metrics", BodyMode::none, [shared](Request&) {
                ScrapeSnapshot snapshot;
                snapshot.now = now_timestamp();
                snapshot.database = shared->database.stats();
                snapshot.workers = shared->workers();
                snapshot.open_connections = shared->open_connections();
                if (shared->revocation) snapshot.revocation = shared->revocation();
                if (Status read = read_queues(shared->database, snapshot); !read) {
                  // The scrape still answers (the process's own figures are worth having);
                  // truc_queues_readable says the rest is missing, and the log says why.
                  log_event("warn", "metrics.queues_unreadable",
                            {{"code", read.error().code}, {"message", read.error().message}});
                }
                Response response;
                response.headers = {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}};
                response.body = shared->metrics.render(snapshot);
                return response;
              }});
}

}  // namespace truc::api
