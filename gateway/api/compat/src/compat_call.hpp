#pragma once

// One call of the national platform's face (docs/api/compat.md), before the handler runs: who is
// calling (HMAC headers checked against the system's secret), where its parameters are, and the
// answer shape every call of that face shares.

#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hmac_auth.hpp"
#include "truc/common/time.hpp"
#include "truc/http/http.hpp"
#include "truc/hub/hub.hpp"
#include "truc/security/secret_box.hpp"

namespace truc::api {

class CompatCall {
 public:
  // Checks the HMAC headers, the timestamp's distance from `now` and the system's secret, finds
  // the agencies the system may act for, and spends the header set: it is accepted once, on any
  // path (hub::Hub::use_once). Errors: auth.hmac_missing, auth.hmac_invalid,
  // auth.timestamp_invalid, auth.timestamp_stale, auth.unknown_system, auth.replayed,
  // server.secret_unreadable, store.*. Answer them through indistinct().
  static Result<CompatCall> authenticate(hub::Hub& hub, const security::SecretBox& secrets,
                                         Instant now, std::chrono::seconds max_clock_skew,
                                         const http::Request& request);

  const hub::Caller& caller() const { return caller_; }
  const SignedHeaders& signed_headers() const { return signed_; }

  // Fields read from the body (a form, a JSON object, or the non-file parts of a multipart
  // upload), by lowercased name.
  void add_fields(const std::map<std::string, std::string>& fields);

  // The parameter `name` (any case), honoured only when it is a signed XroadVnpt-<name> header,
  // as the platform's SDK sends its parameters: the HMAC covers nothing else, so anyone on the
  // way could have set a body field or the query string. A copy there must have the signed value
  // (request.invalid_parameter); one that is only there is auth.unsigned_parameter.
  Result<std::optional<std::string>> parameter(std::string_view name) const;
  // The same, request.missing_parameter when it is nowhere.
  Result<std::string> required(std::string_view name) const;

 private:
  CompatCall(hub::Caller caller, SignedHeaders signed_headers,
             std::map<std::string, std::string> query)
      : caller_(std::move(caller)), signed_(std::move(signed_headers)), query_(std::move(query)) {}

  hub::Caller caller_;
  SignedHeaders signed_;
  std::map<std::string, std::string> query_;   // lowercased names
  std::map<std::string, std::string> fields_;  // lowercased names
};

// The fields of a small POST body: application/x-www-form-urlencoded, or a JSON object whose
// members are strings (the platform's SDK posts "{}"); none for an empty body.
// request.invalid_body otherwise.
Result<std::map<std::string, std::string>> body_fields(const http::Request& request);

// What to answer for an authentication error: an unknown system and a wrong HMAC get the same
// answer, so that the face does not tell which system ids exist. Other errors are unchanged.
Error indistinct(const Error& error);

// {"status": "OK", "ErrorCode": "0", "ErrorDesc": "Success", <fields>} with HTTP 200.
http::Response compat_answer(boost::json::object fields = {});
// {"status": "FAIL", "ErrorCode": "<HTTP status>", "ErrorDesc": "<code>: <message> (<detail>)"}
// with the HTTP status the code maps to (error_status, and 403 for auth.system_mismatch).
http::Response compat_failure(const Error& error);

}  // namespace truc::api
