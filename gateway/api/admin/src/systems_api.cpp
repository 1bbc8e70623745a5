#include "truc/api/systems_api.hpp"

#include <boost/json.hpp>
#include <memory>

#include "truc/api/admin_api.hpp"
#include "truc/common/digest.hpp"
#include "truc/common/log.hpp"
#include "truc/common/random.hpp"
#include "truc/security/secret_box.hpp"

namespace truc::api {

using http::BodyMode;
using http::Request;
using http::Response;
using http::Router;
using hub::Directory;
using security::SecretBox;

namespace {

namespace json = boost::json;

// 32 random bytes as 64 hex digits: the form the platform's SDK keeps in its configuration and
// uses as the HMAC key's text.
Result<std::string> new_secret() { return random_hex(32); }

Response add_system(Directory& directory, const SecretBox& secrets, const Request& request) {
  boost::system::error_code parse_error;
  json::value body = json::parse(request.body, parse_error);
  const json::value* id = body.is_object() ? body.as_object().if_contains("system_id") : nullptr;
  if (parse_error || id == nullptr || !id->is_string() || body.as_object().size() != 1) {
    return Response::error(
        {"request.invalid_body", "expected a JSON object {\"system_id\": \"...\"}", {}});
  }
  std::string system_id(id->as_string());
  auto secret = new_secret();
  if (!secret) return Response::error(secret.error());
  // Sealed for this system id: a ciphertext moved to another row does not open.
  auto sealed = secrets.seal(*secret, system_id);
  if (!sealed) return Response::error(sealed.error());
  Status saved = directory.save_system(system_id, *sealed);
  if (!saved) return Response::error(saved.error());
  log_event("info", "system.secret_created", {{"system_id", system_id}});
  Response response = Response::json(
      201, json::serialize(json::object{{"system_id", system_id}, {"secret", *secret}}));
  // The only time the secret is shown: no cache may keep it.
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response list_systems(Directory& directory) {
  auto systems = directory.systems();
  if (!systems) return Response::error(systems.error());
  json::array list;
  for (const auto& system : *systems) {
    json::array agencies;
    for (const auto& agency : system.agencies) agencies.push_back(json::value(agency));
    list.push_back(json::object{{"system_id", system.system_id}, {"agencies", agencies}});
  }
  return Response::json(200, json::serialize(json::object{{"systems", list}}));
}

Response remove_system(Directory& directory, const Request& request) {
  const std::string& system_id = request.path_parameters.at("system_id");
  if (Status removed = directory.remove_system(system_id); !removed) {
    return Response::error(removed.error());
  }
  log_event("info", "system.removed", {{"system_id", system_id}});
  Response response;
  response.status = 204;
  return response;
}

}  // namespace

void add_systems_api(Router& router, Directory& directory, std::string secret_key,
                     std::string admin_token) {
  auto secrets = std::make_shared<const SecretBox>(std::move(secret_key));
  router.add(
      {"POST", "/admin/v1/systems", BodyMode::memory,
       [&directory, secrets](Request& request) { return add_system(directory, *secrets, request); },
       admin_gate(admin_token)});
  router.add({"GET", "/admin/v1/systems", BodyMode::none,
              [&directory](Request&) { return list_systems(directory); }, admin_gate(admin_token)});
  router.add({"DELETE", "/admin/v1/systems/{system_id}", BodyMode::none,
              [&directory](Request& request) { return remove_system(directory, request); },
              admin_gate(admin_token)});
}

}  // namespace truc::api
