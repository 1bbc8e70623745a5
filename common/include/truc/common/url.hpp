#pragma once

// URLs of hubs and endpoints as the hub and its clients use them: http(s), a host, a port, a base
// path, and nothing else (no user, query or fragment).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "truc/common/error.hpp"

namespace truc {

// Where a hub listens, from a URL such as https://hub.example.gov.vn:8443 (agency API) or
// http://127.0.0.1:9090 (monitoring and admin).
struct Url {
  bool tls = true;   // https
  std::string host;  // a DNS name, or an IP address without the brackets of IPv6
  std::uint16_t port = 443;
  std::string base_path;  // prefix of every request target ("" or e.g. "/truc"), no trailing '/'

  // "host[:port]" as the Host header wants it: IPv6 in brackets, the scheme's default port left
  // out.
  std::string authority() const;
  // 127.0.0.0/8, ::1 or "localhost": traffic that never leaves the machine.
  bool is_loopback() const;
};

// Accepts http(s)://host[:port][/path] and nothing more: no user info (a password in a URL ends up
// in shell history), no query, no fragment. Error code: "client.invalid_url".
Result<Url> parse_url(std::string_view text);

// Every byte but RFC 3986's unreserved characters as %XX (UTF-8 names in a Content-Disposition's
// filename*, segments of a request target).
std::string percent_encode(std::string_view text);

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// A request target below `url`'s base path. Every segment and parameter is percent-encoded except
// RFC 3986 unreserved characters, so the '/' and ',' of a DocumentId or the '+' of a time zone
// offset reach the hub as data (the hub decodes '+' in a query as a space, as forms do).
std::string make_target(const Url& url, const std::vector<std::string>& segments,
                        const QueryParameters& query = {});

}  // namespace truc
