#include "truc/testing/platform_auth.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <cstdio>

#include "truc/common/digest.hpp"

namespace truc::testing {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  return to_hex(std::string_view(reinterpret_cast<const char*>(mac), length));
}

std::string platform_timestamp(std::chrono::system_clock::time_point when) {
  auto local = std::chrono::floor<std::chrono::milliseconds>(when + std::chrono::hours(7));
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day date(day);
  std::chrono::hh_mm_ss time(local - day);
  char text[32];
  std::snprintf(text, sizeof text, "%02u%02u%04dT%02d%02d%02d+%04d",
                static_cast<unsigned>(date.day()), static_cast<unsigned>(date.month()),
                static_cast<int>(date.year()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return text;
}

HeaderList platform_signed_headers(const std::string& system_id, const std::string& secret,
                                   const HeaderList& call_headers,
                                   std::chrono::system_clock::time_point when) {
  HeaderList signed_headers{{"timestamp", platform_timestamp(when)}, {"systemid", system_id}};
  signed_headers.insert(signed_headers.end(), call_headers.begin(), call_headers.end());
  boost::json::object signed_json;
  std::string keys;
  HeaderList headers;
  for (const auto& [name, value] : signed_headers) {
    signed_json["XroadVnpt-" + name] = value;
    keys += (keys.empty() ? "" : ";") + name;
    headers.emplace_back("XroadVnpt-" + name, value);
  }
  std::string text = boost::json::serialize(signed_json);
  headers.emplace_back("XroadVnpt-sign-header", text);
  headers.emplace_back("XroadVnpt-sign-header-key", keys);
  headers.emplace_back("XroadVnpt-hash-header", hmac_sha256_hex(secret, text));
  return headers;
}

}  // namespace truc::testing
