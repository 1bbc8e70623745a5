#pragma once

// The national platform's request authentication (docs/api/compat.md): a system signs a set of
// its request headers with HMAC-SHA256 under its secret. Every signed header `<name>` travels
// as `XroadVnpt-<name>`; the compact JSON object of the signed names and values travels in
// `XroadVnpt-sign-header`, the names joined by ';' in `XroadVnpt-sign-header-key`, and the
// lowercase hex HMAC of the JSON text in `XroadVnpt-hash-header`. Pure functions: the face looks
// the secret up and decides what to answer.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "truc/common/error.hpp"

namespace truc::api {

// The signed headers of one request, checked for consistency but not yet for the HMAC.
struct SignedHeaders {
  std::string system_id;
  std::string timestamp;
  std::string sign_header;                    // the JSON text the HMAC covers, exactly as received
  std::string hash_header;                    // the HMAC, 32 bytes
  std::map<std::string, std::string> values;  // signed name (lowercase, unprefixed) -> value

  // The value of a signed header, by its name without the XroadVnpt- prefix (any case).
  std::optional<std::string> value(std::string_view name) const;
};

// Reads the signing headers from `headers` (names lowercased, as in Request): auth.hmac_missing
// when one of the three is absent; auth.hmac_invalid when the JSON, the key list and the request's
// own XroadVnpt-* headers disagree, or when timestamp or systemid is not signed.
Result<SignedHeaders> read_signed_headers(
    const std::vector<std::pair<std::string, std::string>>& headers);

// Checks the HMAC under `secret` in constant time: hmac_refusal() when it differs.
Status verify_hmac(const SignedHeaders& signed_headers, std::string_view secret);
// auth.hmac_invalid, the same words whatever the reason the HMAC does not authenticate.
Error hmac_refusal();

// The instant an XroadVnpt-timestamp (ddMMyyyy'T'HHmmss+SSSS) names. The platform's SDK writes
// its local wall-clock time (Vietnam, UTC+7) and milliseconds after a literal '+': four digits
// from 0000 to 0999 are therefore milliseconds. Anything else after the sign must be a UTC
// offset hhmm (hh up to 14, mm 00, 15, 30 or 45) and is read as one; "+0700" means the same
// instant either way. auth.timestamp_invalid otherwise.
Result<std::chrono::system_clock::time_point> parse_platform_timestamp(std::string_view text);

// auth.timestamp_invalid, or auth.timestamp_stale when the timestamp is more than `max_skew`
// away from `now`, in the past or in the future.
Status check_timestamp(std::string_view text, std::chrono::system_clock::time_point now,
                       std::chrono::seconds max_skew);

// Whether a signed hash-file names the SHA-256 `digest` (32 raw bytes): the lowercase or
// uppercase hex of the digest, or the platform SDK's form, which drops the leading zero of each
// byte below 0x10.
bool file_hash_matches(std::string_view signed_value, std::string_view digest);

}  // namespace truc::api
