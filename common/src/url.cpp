#include "truc/common/url.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>

namespace truc {
namespace {

Error invalid_url(std::string_view text, std::string_view why) {
  return Error{"client.invalid_url", std::string(why), std::string(text)};
}

}  // namespace

std::string percent_encode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string Url::authority() const {
  std::string authority = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) authority += ":" + std::to_string(port);
  return authority;
}

bool Url::is_loopback() const {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

Result<Url> parse_url(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return invalid_url(text, "not a URL; expected e.g. https://hub.example.gov.vn:8443");
  Url url;
  if (parsed->scheme_id() == boost::urls::scheme::https) {
    url.tls = true;
  } else if (parsed->scheme_id() == boost::urls::scheme::http) {
    url.tls = false;
  } else {
    return invalid_url(text, "the URL must start with https:// or http://");
  }
  if (parsed->has_userinfo()) {
    return invalid_url(text, "the URL must not carry a user or password");
  }
  if (parsed->has_query() || parsed->has_fragment()) {
    return invalid_url(text, "the URL must not have a query or a fragment");
  }
  url.host = parsed->host_type() == boost::urls::host_type::ipv6
                 ? parsed->host_address()
                 : std::string(parsed->encoded_host());
  if (url.host.empty()) return invalid_url(text, "the URL has no host");
  url.port = url.tls ? 443 : 80;
  if (parsed->has_port()) {
    std::string_view port = parsed->port();
    unsigned value = 0;
    auto [end, problem] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (problem != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      return invalid_url(text, "the port must be a number from 1 to 65535");
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  url.base_path = std::string(parsed->encoded_path());
  while (!url.base_path.empty() && url.base_path.back() == '/') url.base_path.pop_back();
  return url;
}

std::string make_target(const Url& url, const std::vector<std::string>& segments,
                        const QueryParameters& query) {
  std::string target = url.base_path;
  for (const auto& segment : segments) target += "/" + percent_encode(segment);
  char separator = '?';
  for (const auto& [name, value] : query) {
    target += separator + percent_encode(name) + "=" + percent_encode(value);
    separator = '&';
  }
  return target;
}

}  // namespace truc
