#include "truc/api/admin_api.hpp"

#include <openssl/crypto.h>

#include <boost/json.hpp>

#include "truc/api/json_views.hpp"
#include "truc/evidence/container.hpp"

namespace truc::api {

using http::BodyMode;
using http::Request;
using http::Response;
using http::Router;
using hub::Directory;
using hub::Hub;
using hub::ImportSummary;
using hub::PackageTrace;

namespace {

namespace json = boost::json;

struct AdminContext {
  Hub& hub;
  Directory& directory;
  std::string token;
  const Clock& clock;
};

bool authorized(const std::string& token, const Request& request) {
  auto header = request.header("authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (!header || header->substr(0, kScheme.size()) != kScheme) return false;
  std::string_view presented = header->substr(kScheme.size());
  // Constant time: the comparison must not tell an attacker how much of the token was right.
  return presented.size() == token.size() &&
         CRYPTO_memcmp(presented.data(), token.data(), presented.size()) == 0;
}

Response no_content() {
  Response response;
  response.status = 204;
  return response;
}

Result<store::Agency> agency_from_json(const std::string& body,
                                       const std::optional<std::string>& path_code) {
  boost::system::error_code parse_error;
  json::value value = json::parse(body, parse_error);
  if (parse_error || !value.is_object())
    return Error{"agency.invalid", "expected a JSON object", "body"};
  const json::object& object = value.as_object();
  static const std::vector<std::string_view> kKeys{
      "code",      "name",       "parent_code",      "kind",
      "route_via", "system_ids", "signature_policy", "enabled",
      "push",      "qd20_code",  "signer_cas",       "signer_certificates",
      "allow_sha1"};
  for (const auto& [key, field] : object) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      return Error{"agency.invalid", "the agency entry is not valid",
                   std::string(key) + ": unknown field"};
    }
  }
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    if (!object.contains(key) || object.at(key).is_null()) return std::nullopt;
    if (!object.at(key).is_string()) return std::nullopt;
    return std::string(object.at(key).as_string());
  };
  store::Agency agency;
  agency.code = path_code ? *path_code : text("code").value_or("");
  if (path_code && text("code") && *text("code") != *path_code) {
    return Error{"agency.invalid", "the agency entry is not valid", "code: differs from the URL"};
  }
  agency.name = text("name").value_or("");
  agency.parent_code = text("parent_code");
  agency.qd20_code = text("qd20_code");
  agency.route_via = text("route_via");
  auto kind = store::parse_route(text("kind").value_or("local"));
  if (!kind)
    return Error{"agency.invalid", "the agency entry is not valid",
                 "kind: one of local, peer_hub, national"};
  agency.kind = *kind;
  auto policy = store::parse_signature_policy(text("signature_policy").value_or("require"));
  if (!policy) {
    return Error{"agency.invalid", "the agency entry is not valid",
                 "signature_policy: one of require, verify_if_present, off"};
  }
  agency.signature_policy = *policy;
  if (object.contains("enabled")) {
    if (!object.at("enabled").is_bool())
      return Error{"agency.invalid", "the agency entry is not valid", "enabled: true or false"};
    agency.enabled = object.at("enabled").as_bool();
  }
  if (object.contains("allow_sha1")) {
    if (!object.at("allow_sha1").is_bool())
      return Error{"agency.invalid", "the agency entry is not valid", "allow_sha1: true or false"};
    agency.allow_sha1 = object.at("allow_sha1").as_bool();
  }
  if (object.contains("push") && !object.at("push").is_null()) {
    if (!object.at("push").is_object()) {
      return Error{"agency.invalid", "the agency entry is not valid", "push: an object or null"};
    }
    const json::object& push = object.at("push").as_object();
    store::PushEndpoint endpoint;
    for (const auto& [key, field] : push) {
      if (key == "url" && field.is_string()) {
        endpoint.url = std::string(field.as_string());
      } else if ((key == "ca_pem" || key == "pinned_sha256") &&
                 (field.is_string() || field.is_null())) {
        auto& trust = key == "ca_pem" ? endpoint.ca_pem : endpoint.pinned_sha256;
        if (field.is_string()) trust = std::string(field.as_string());
      } else if (key == "client_certificate" && field.is_bool()) {
        endpoint.client_certificate = field.as_bool();
      } else {
        return Error{"agency.invalid", "the agency entry is not valid",
                     "push." + std::string(key) +
                         ": unknown, or not of its type (url: a string; ca_pem, pinned_sha256: a "
                         "string or null; client_certificate: true or false)"};
      }
    }
    agency.push = std::move(endpoint);
  }
  for (const auto& [key, list] :
       {std::pair{"system_ids", &agency.system_ids}, std::pair{"signer_cas", &agency.signer_cas},
        std::pair{"signer_certificates", &agency.signer_certificates}}) {
    if (!object.contains(key)) continue;
    const auto not_strings = Error{"agency.invalid", "the agency entry is not valid",
                                   std::string(key) + ": an array of strings"};
    if (!object.at(key).is_array()) return not_strings;
    for (const auto& item : object.at(key).as_array()) {
      if (!item.is_string()) return not_strings;
      list->emplace_back(item.as_string());
    }
  }
  return agency;
}

template <typename Value>
Response json_or_error(Result<Value> result, unsigned status, json::value (*render)(const Value&)) {
  if (!result) return Response::error(result.error());
  return Response::json(status, json::serialize(render(*result)));
}

json::value agency_value(const store::Agency& agency) { return agency_json(agency); }
json::value agencies_value(const std::vector<store::Agency>& agencies) {
  json::array list;
  for (const auto& agency : agencies) list.push_back(agency_json(agency));
  return json::object{{"agencies", list}};
}
json::value certificates_value(const std::vector<store::AgencyCertificate>& certificates) {
  json::array list;
  for (const auto& certificate : certificates) list.push_back(certificate_json(certificate));
  return json::object{{"certificates", list}};
}
json::value certificate_value(const store::AgencyCertificate& certificate) {
  return certificate_json(certificate);
}
json::value trace_value(const PackageTrace& trace) { return trace_json(trace); }
json::value traces_value(const std::vector<PackageTrace>& traces) {
  json::array list;
  for (const auto& trace : traces) list.push_back(trace_json(trace));
  return json::object{{"packages", list}};
}
json::value summary_value(const ImportSummary& summary) {
  return json::object{{"created", summary.created}, {"updated", summary.updated}};
}
json::value traffic_value(const std::vector<store::AgencyTraffic>& traffic) {
  json::array list;
  for (const auto& row : traffic) {
    list.push_back(json::object{{"agency", row.agency_code},
                                {"sent", row.sent},
                                {"received", row.received},
                                {"acknowledged", row.acknowledged},
                                {"pending", row.pending},
                                {"rejected", row.rejected}});
  }
  return json::object{{"traffic", list}};
}

Result<Instant> time_parameter(const Request& request, const std::string& name, Instant fallback) {
  auto found = request.query.find(name);
  if (found == request.query.end()) return fallback;
  auto parsed = parse_iso8601(found->second);
  if (!parsed) return Error{"request.invalid_parameter", "a time parameter is not ISO 8601", name};
  return std::chrono::time_point_cast<std::chrono::milliseconds>(*parsed);
}

Response traffic(AdminContext& context, const Request& request) {
  Instant now = context.clock.now();
  auto since = time_parameter(request, "since", now - std::chrono::hours(24));
  if (!since) return Response::error(since.error());
  auto until = time_parameter(request, "until", now);
  if (!until) return Response::error(until.error());
  return json_or_error(context.directory.traffic(*since, *until), 200, traffic_value);
}

Response trace_document(AdminContext& context, const Request& request) {
  auto document_id = request.query.find("document_id");
  if (document_id == request.query.end() || document_id->second.empty()) {
    return Response::error({"request.invalid_parameter", "document_id is required", "document_id"});
  }
  return json_or_error(context.hub.trace_document(document_id->second), 200, traces_value);
}

std::optional<std::string> query_value(const Request& request, const std::string& name) {
  auto found = request.query.find(name);
  if (found == request.query.end() || found->second.empty()) return std::nullopt;
  return found->second;
}

Response dead_letters(AdminContext& context, const Request& request) {
  auto letters = context.hub.dead_letters(query_value(request, "collector"));
  if (!letters) return Response::error(letters.error());
  json::array list;
  for (const auto& letter : *letters) {
    list.push_back(json::object{{"id", letter.package_id},
                                {"recipient", letter.recipient_code},
                                {"collector", letter.target_code},
                                {"sender", letter.sender_code},
                                {"document_id", letter.document_id},
                                {"attempts", letter.attempts},
                                {"last_error", letter.last_error},
                                {"dead_lettered_at", format_iso8601(letter.dead_lettered_at)}});
  }
  return Response::json(200, json::serialize(json::object{{"dead_letters", list}}));
}

// Body {"collector": "...", "id": "..."}, both optional: all dead letters of a collector, one
// package's, or every one.
Response replay_dead_letters(AdminContext& context, const Request& request) {
  std::optional<std::string> collector, package_id;
  if (!request.body.empty()) {
    boost::system::error_code parse_error;
    json::value body = json::parse(request.body, parse_error);
    if (parse_error || !body.is_object()) {
      return Response::error(
          {"request.invalid_body", "expected a JSON object {\"collector\", \"id\"}", {}});
    }
    for (const auto& [key, value] : body.as_object()) {
      if ((key != "collector" && key != "id") || !value.is_string()) {
        return Response::error({"request.invalid_body",
                                "expected a JSON object {\"collector\", \"id\"}",
                                std::string(key)});
      }
      (key == "collector" ? collector : package_id) = std::string(value.as_string());
    }
  }
  auto replayed = context.hub.replay_dead_letters(collector, package_id);
  if (!replayed) return Response::error(replayed.error());
  return Response::json(200, json::serialize(json::object{{"replayed", *replayed}}));
}

}  // namespace

http::Gate admin_gate(std::string token) {
  return [token = std::move(token)](Request& request) -> std::optional<Response> {
    if (authorized(token, request)) return std::nullopt;
    Response response = Response::error(
        {"auth.admin_token_required", "a valid admin bearer token is required", {}});
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return response;
  };
}

void add_admin_api(Router& router, Hub& hub, Directory& directory, std::string token,
                   const Clock& clock) {
  auto context =
      std::make_shared<AdminContext>(AdminContext{hub, directory, std::move(token), clock});
  auto add = [&](std::string method, std::string pattern, BodyMode body, auto handler) {
    router.add({std::move(method), std::move(pattern), body,
                [context, handler](Request& request) { return handler(*context, request); },
                admin_gate(context->token)});
  };
  add("GET", "/admin/v1/agencies", BodyMode::none, [](AdminContext& admin, Request&) {
    return json_or_error(admin.directory.list(), 200, agencies_value);
  });
  add("POST", "/admin/v1/agencies", BodyMode::memory, [](AdminContext& admin, Request& request) {
    auto agency = agency_from_json(request.body, std::nullopt);
    if (!agency) return Response::error(agency.error());
    return json_or_error(admin.directory.create(*agency), 201, agency_value);
  });
  add("POST", "/admin/v1/agencies/import", BodyMode::memory,
      [](AdminContext& admin, Request& request) {
        return json_or_error(admin.directory.import_csv(request.body), 200, summary_value);
      });
  add("GET", "/admin/v1/agencies/{code}", BodyMode::none,
      [](AdminContext& admin, Request& request) {
        return json_or_error(admin.directory.get(request.path_parameters.at("code")), 200,
                             agency_value);
      });
  add("PUT", "/admin/v1/agencies/{code}", BodyMode::memory,
      [](AdminContext& admin, Request& request) {
        auto agency = agency_from_json(request.body, request.path_parameters.at("code"));
        if (!agency) return Response::error(agency.error());
        return json_or_error(admin.directory.update(*agency), 200, agency_value);
      });
  add("DELETE", "/admin/v1/agencies/{code}", BodyMode::none,
      [](AdminContext& admin, Request& request) {
        Status removed = admin.directory.remove(request.path_parameters.at("code"));
        return removed ? no_content() : Response::error(removed.error());
      });
  add("GET", "/admin/v1/agencies/{code}/certificates", BodyMode::none,
      [](AdminContext& admin, Request& request) {
        return json_or_error(admin.directory.certificates(request.path_parameters.at("code")), 200,
                             certificates_value);
      });
  add("POST", "/admin/v1/agencies/{code}/certificates", BodyMode::memory,
      [](AdminContext& admin, Request& request) {
        return json_or_error(
            admin.directory.add_certificate(request.path_parameters.at("code"), request.body), 201,
            certificate_value);
      });
  add("DELETE", "/admin/v1/agencies/{code}/certificates/{fingerprint}", BodyMode::none,
      [](AdminContext& admin, Request& request) {
        Status removed = admin.directory.remove_certificate(
            request.path_parameters.at("code"), request.path_parameters.at("fingerprint"));
        return removed ? no_content() : Response::error(removed.error());
      });
  add("GET", "/admin/v1/packages/{id}/trace", BodyMode::none,
      [](AdminContext& admin, Request& request) {
        return json_or_error(admin.hub.trace_any(request.path_parameters.at("id")), 200,
                             trace_value);
      });
  add("GET", "/admin/v1/trace", BodyMode::none, trace_document);
  add("GET", "/admin/v1/evidence/{id}", BodyMode::none, [](AdminContext& admin, Request& request) {
    auto container = admin.hub.evidence(request.path_parameters.at("id"));
    if (!container) return Response::error(container.error());
    return Response::json(200, evidence::encode_container(*container));
  });
  add("GET", "/admin/v1/traffic", BodyMode::none, traffic);
  add("GET", "/admin/v1/deadletters", BodyMode::none, dead_letters);
  add("POST", "/admin/v1/deadletters/replay", BodyMode::memory, replay_dead_letters);
}

}  // namespace truc::api
