#pragma once

// How a client of the national platform's API signs its calls, written from the platform's
// description (shared/docs/edxml.md) and independent of the hub's own checker: XroadVnpt-*
// headers, their compact JSON signed with HMAC-SHA256 under the system's secret.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace truc::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// ddMMyyyy'T'HHmmss+SSSS as the platform's Java SDK writes it: Vietnam wall-clock time (UTC+7)
// and the milliseconds after a literal '+'.
std::string platform_timestamp(std::chrono::system_clock::time_point when);

// The headers of a signed call: XroadVnpt-timestamp, XroadVnpt-systemid and XroadVnpt-<name> for
// each of `call_headers`, then XroadVnpt-sign-header (their compact JSON),
// XroadVnpt-sign-header-key (their names joined by ';') and XroadVnpt-hash-header (the HMAC of the
// JSON).
HeaderList platform_signed_headers(
    const std::string& system_id, const std::string& secret, const HeaderList& call_headers,
    std::chrono::system_clock::time_point when = std::chrono::system_clock::now());

}  // namespace truc::testing
