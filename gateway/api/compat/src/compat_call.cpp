#include "compat_call.hpp"

#include <openssl/crypto.h>

#include <boost/json.hpp>
#include <cassert>

#include "truc/common/ascii.hpp"
#include "truc/common/digest.hpp"
#include "truc/http/request_target.hpp"

namespace truc::api {

using http::error_status;
using http::parse_request_target;
using http::Request;
using http::Response;
using hub::Hub;
using security::SecretBox;

namespace {

namespace json = boost::json;

std::map<std::string, std::string> lowercase_names(const std::map<std::string, std::string>& map) {
  std::map<std::string, std::string> lowered;
  for (const auto& [name, value] : map) lowered[ascii_lowercase(name)] = value;
  return lowered;
}

std::optional<std::string> lookup(const std::map<std::string, std::string>& map,
                                  const std::string& name) {
  auto found = map.find(name);
  if (found == map.end()) return std::nullopt;
  return found->second;
}

// A secret no system has: what an unknown system's HMAC is computed with.
constexpr std::string_view kDecoySecret = "truc-decoy-secret-for-unknown-system-ids";

Error invalid_body() {
  return Error{"request.invalid_body",
               "expected a form (application/x-www-form-urlencoded) or a JSON object of strings",
               {}};
}

}  // namespace

Result<CompatCall> CompatCall::authenticate(Hub& hub, const SecretBox& secrets, Instant now,
                                            std::chrono::seconds max_clock_skew,
                                            const Request& request) {
  auto signed_headers = read_signed_headers(request.headers);
  if (!signed_headers) return std::move(signed_headers).error();
  TRUC_TRY(check_timestamp(signed_headers->timestamp, now, max_clock_skew));
  bool secret_checked = false;
  auto caller = hub.identify_system(
      signed_headers->system_id,
      [&](const std::string& stored_secret) -> Status {
        // Sealed for this system id (systems_api.cpp): another row's secret does not open.
        auto secret = secrets.open(stored_secret, signed_headers->system_id);
        if (!secret) return std::move(secret).error();
        Status verified = verify_hmac(*signed_headers, *secret);
        OPENSSL_cleanse(secret->data(), secret->size());
        secret_checked = true;
        return verified;
      },
      "compat");
  if (!caller) {
    // As long for a system id without a secret as for a wrong HMAC: the answer's timing must not
    // tell which system ids exist either.
    if (!secret_checked) (void)verify_hmac(*signed_headers, kDecoySecret);
    return std::move(caller).error();
  }
  // Past the skew the timestamp check refuses the header set anyway: it need not be kept longer.
  auto stamped = parse_platform_timestamp(signed_headers->timestamp);
  if (!stamped) return std::move(stamped).error();
  TRUC_TRY(hub.use_once("compat:" + signed_headers->system_id, to_hex(signed_headers->hash_header),
                        std::chrono::time_point_cast<Instant::duration>(*stamped + max_clock_skew),
                        now));
  return CompatCall(std::move(*caller), std::move(*signed_headers), lowercase_names(request.query));
}

void CompatCall::add_fields(const std::map<std::string, std::string>& fields) {
  for (const auto& [name, value] : lowercase_names(fields)) fields_[name] = value;
}

Result<std::optional<std::string>> CompatCall::parameter(std::string_view name) const {
  const std::string key = ascii_lowercase(name);
  std::optional<std::string> signed_value = signed_.value(key);
  const std::pair<const char*, std::optional<std::string>> copies[] = {
      {"the body", lookup(fields_, key)}, {"the query string", lookup(query_, key)}};
  for (const auto& [place, value] : copies) {
    if (!value) continue;
    if (!signed_value) {
      return Error{"auth.unsigned_parameter",
                   "a parameter is honoured only as a signed XroadVnpt- header",
                   std::string(name) + " in " + place};
    }
    if (*value != *signed_value) {
      return Error{"request.invalid_parameter", "a parameter has two different values",
                   std::string(name) + " in " + place + " and in XroadVnpt-" + std::string(name)};
    }
  }
  return signed_value;
}

Result<std::string> CompatCall::required(std::string_view name) const {
  auto value = parameter(name);
  if (!value) return std::move(value).error();
  if (!*value || (*value)->empty()) {
    return Error{"request.missing_parameter", "a required parameter is missing", std::string(name)};
  }
  return std::move(**value);
}

Result<std::map<std::string, std::string>> body_fields(const Request& request) {
  std::string_view body = request.body;
  auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return std::map<std::string, std::string>();
  std::map<std::string, std::string> fields;
  if (body[first] == '{') {
    boost::system::error_code parse_error;
    json::value parsed = json::parse(body, parse_error);
    if (parse_error || !parsed.is_object()) return invalid_body();
    for (const auto& [name, value] : parsed.as_object()) {
      if (!value.is_string()) return invalid_body();
      fields[ascii_lowercase(name)] = std::string(value.as_string());
    }
    return fields;
  }
  // A form whatever the declared type: deployed clients label their bodies loosely.
  auto form = parse_request_target("/?" + std::string(body));
  if (!form) return invalid_body();
  return lowercase_names(form->query);
}

Error indistinct(const Error& error) {
  return error.code == "auth.unknown_system" ? hmac_refusal() : error;
}

Response compat_answer(json::object fields) {
  // Every client checks `status`; a call's own fields never replace the envelope's.
  json::object body{{"status", "OK"}, {"ErrorCode", "0"}, {"ErrorDesc", "Success"}};
  for (auto& [name, value] : fields) {
    assert(!body.contains(name));
    body[name] = std::move(value);
  }
  return Response::json(200, json::serialize(body));
}

Response compat_failure(const Error& error) {
  // error_status knows auth.sender_mismatch (an agency code) but not this face's own 403.
  unsigned status = error.code == "auth.system_mismatch" ? 403 : error_status(error.code);
  std::string description = error.code + ": " + error.message;
  if (!error.detail.empty()) description += " (" + error.detail + ")";
  return Response::json(status, json::serialize(json::object{{"status", "FAIL"},
                                                             {"ErrorCode", std::to_string(status)},
                                                             {"ErrorDesc", description}}));
}

}  // namespace truc::api
