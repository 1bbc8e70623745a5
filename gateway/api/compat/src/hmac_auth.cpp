#include "hmac_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "truc/common/ascii.hpp"
#include "truc/common/digest.hpp"

namespace truc::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kPrefix = "xroadvnpt-";
// Every deployed system runs on Vietnam time, which has no daylight saving.
constexpr std::chrono::hours kPlatformUtcOffset{7};

Error invalid(std::string message, std::string detail = {}) {
  return Error{"auth.hmac_invalid", std::move(message), std::move(detail)};
}

int hex_digit(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

std::optional<std::string> decode_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (std::size_t index = 0; index < text.size(); index += 2) {
    int high = hex_digit(text[index]);
    int low = hex_digit(text[index + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

// The names of XroadVnpt-sign-header-key, lowercased; empty on a blank or repeated name.
std::vector<std::string> key_list(std::string_view text) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  while (true) {
    auto end = text.find(';');
    std::string name = ascii_lowercase(trim_blanks(text.substr(0, end)));
    if (name.empty() || !seen.insert(name).second) return {};
    names.push_back(std::move(name));
    if (end == std::string_view::npos) return names;
    text.remove_prefix(end + 1);
  }
}

// A name of the signed JSON object: "XroadVnpt-timestamp" as the SDK writes it, or "timestamp".
std::string unprefixed(std::string_view key) {
  std::string name = ascii_lowercase(key);
  if (name.size() > kPrefix.size() && name.compare(0, kPrefix.size(), kPrefix) == 0) {
    name.erase(0, kPrefix.size());
  }
  return name;
}

std::optional<int> number(std::string_view text, std::size_t position, std::size_t length) {
  int value = 0;
  for (char digit : text.substr(position, length)) {
    if (digit < '0' || digit > '9') return std::nullopt;
    value = value * 10 + (digit - '0');
  }
  return value;
}

}  // namespace

std::optional<std::string> SignedHeaders::value(std::string_view name) const {
  auto found = values.find(ascii_lowercase(name));
  if (found == values.end()) return std::nullopt;
  return found->second;
}

Result<SignedHeaders> read_signed_headers(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  auto first = [&](std::string_view name) -> const std::string* {
    for (const auto& [header, value] : headers) {
      if (header == name) return &value;
    }
    return nullptr;
  };
  const std::string* sign_header = first("xroadvnpt-sign-header");
  const std::string* key_header = first("xroadvnpt-sign-header-key");
  const std::string* hash_header = first("xroadvnpt-hash-header");
  for (auto [found, name] : {std::pair{sign_header, "XroadVnpt-sign-header"},
                             std::pair{key_header, "XroadVnpt-sign-header-key"},
                             std::pair{hash_header, "XroadVnpt-hash-header"}}) {
    if (found == nullptr) {
      return Error{"auth.hmac_missing", "the request carries no HMAC authentication headers", name};
    }
  }
  SignedHeaders result;
  result.sign_header = *sign_header;
  auto hash = decode_hex(trim_blanks(*hash_header));
  if (!hash || hash->size() != 32) {
    return invalid("XroadVnpt-hash-header is not 64 hex digits (HMAC-SHA256)");
  }
  result.hash_header = std::move(*hash);

  boost::system::error_code parse_error;
  json::value parsed = json::parse(*sign_header, parse_error);
  if (parse_error || !parsed.is_object()) {
    return invalid("XroadVnpt-sign-header is not a JSON object");
  }
  std::vector<std::string> names = key_list(*key_header);
  if (names.empty()) {
    return invalid("XroadVnpt-sign-header-key is not a list of names separated by ';'");
  }
  for (const auto& [key, value] : parsed.as_object()) {
    std::string name = unprefixed(key);
    if (!value.is_string()) return invalid("a signed header value is not a string", name);
    if (std::find(names.begin(), names.end(), name) == names.end() ||
        !result.values.emplace(name, std::string(value.as_string())).second) {
      return invalid("XroadVnpt-sign-header names a header XroadVnpt-sign-header-key does not",
                     name);
    }
  }
  if (result.values.size() != names.size()) {
    return invalid("XroadVnpt-sign-header-key names a header XroadVnpt-sign-header does not");
  }
  // What was signed must be what the request says: every signed header is present, and every
  // copy of it has the signed value.
  for (const auto& [name, signed_value] : result.values) {
    std::string header_name = std::string(kPrefix) + name;
    bool present = false;
    for (const auto& [header, value] : headers) {
      if (header != header_name) continue;
      if (value != signed_value) {
        return invalid("a request header differs from its signed value", "XroadVnpt-" + name);
      }
      present = true;
    }
    if (!present)
      return invalid("a signed header is missing from the request", "XroadVnpt-" + name);
  }
  auto system_id = result.value("systemid");
  auto timestamp = result.value("timestamp");
  if (!system_id || !timestamp) {
    return invalid("XroadVnpt-timestamp and XroadVnpt-systemid must be among the signed headers");
  }
  result.system_id = *system_id;
  result.timestamp = *timestamp;
  return result;
}

Status verify_hmac(const SignedHeaders& signed_headers, std::string_view secret) {
  unsigned char expected[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const auto* message = reinterpret_cast<const unsigned char*>(signed_headers.sign_header.data());
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), message,
           signed_headers.sign_header.size(), expected, &length) == nullptr) {
    return Error{"crypto.hmac_failed", "HMAC-SHA256 failed", ""};
  }
  // Constant time: how much of a forged HMAC was right must not show in the answer's timing.
  if (length != signed_headers.hash_header.size() ||
      CRYPTO_memcmp(expected, signed_headers.hash_header.data(), length) != 0) {
    return hmac_refusal();
  }
  return ok_status();
}

Error hmac_refusal() {
  return invalid(
      "XroadVnpt-hash-header is not the HMAC of XroadVnpt-sign-header under the secret of a "
      "registered system");
}

Result<std::chrono::system_clock::time_point> parse_platform_timestamp(std::string_view text) {
  auto invalid_timestamp = [&] {
    return Error{"auth.timestamp_invalid", "XroadVnpt-timestamp is not ddMMyyyy'T'HHmmss+SSSS",
                 std::string(text)};
  };
  if (text.size() != 20 || text[8] != 'T' || (text[15] != '+' && text[15] != '-')) {
    return invalid_timestamp();
  }
  auto day = number(text, 0, 2), month = number(text, 2, 2), year = number(text, 4, 4);
  auto hour = number(text, 9, 2), minute = number(text, 11, 2), second = number(text, 13, 2);
  auto tail = number(text, 16, 4);
  if (!day || !month || !year || !hour || !minute || !second || !tail) return invalid_timestamp();
  std::chrono::year_month_day date{std::chrono::year(*year),
                                   std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  // system_clock counts nanoseconds in 64 bits (years 1678 to 2262): a year outside that would
  // overflow the conversion below, and no honest clock is outside 2000-2199 anyway.
  if (*year < 2000 || *year > 2199) return invalid_timestamp();
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return invalid_timestamp();
  auto wall_clock = std::chrono::sys_days(date) + std::chrono::hours(*hour) +
                    std::chrono::minutes(*minute) + std::chrono::seconds(*second);
  using std::chrono::system_clock;
  const bool plus = text[15] == '+';
  if (plus && *tail <= 999) {
    return system_clock::time_point(wall_clock - kPlatformUtcOffset +
                                    std::chrono::milliseconds(*tail));
  }
  int offset_hours = *tail / 100;
  int offset_minutes = *tail % 100;
  // Zones are whole quarters of an hour: 00, 15, 30 or 45 minutes (a "90" passed % 15 and put
  // the instant an hour and a half further; found by the http_parse fuzz target).
  if (offset_hours > 14 || offset_minutes > 45 || offset_minutes % 15 != 0) {
    return invalid_timestamp();
  }
  auto offset = std::chrono::hours(offset_hours) + std::chrono::minutes(offset_minutes);
  return system_clock::time_point(plus ? wall_clock - offset : wall_clock + offset);
}

Status check_timestamp(std::string_view text, std::chrono::system_clock::time_point now,
                       std::chrono::seconds max_skew) {
  auto stamped = parse_platform_timestamp(text);
  if (!stamped) return std::move(stamped).error();
  auto skew = now > *stamped ? now - *stamped : *stamped - now;
  if (skew > max_skew) {
    return Error{
        "auth.timestamp_stale",
        "XroadVnpt-timestamp is too far from the hub's clock (replayed, or a clock off)",
        std::string(text) + " is " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(skew).count()) + " s " +
            (now > *stamped ? "old" : "ahead") + "; at most " + std::to_string(max_skew.count()) +
            " s either way"};
  }
  return ok_status();
}

bool file_hash_matches(std::string_view signed_value, std::string_view digest) {
  std::string value = ascii_lowercase(trim_blanks(signed_value));
  if (value == to_hex(digest)) return true;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string unpadded;
  for (unsigned char byte : digest) {
    if (byte >= 0x10) unpadded.push_back(kDigits[byte >> 4]);
    unpadded.push_back(kDigits[byte & 0x0f]);
  }
  return value == unpadded;
}

}  // namespace truc::api
