#include "hmac_auth.hpp"

#include <gtest/gtest.h>

#include "truc/common/digest.hpp"
#include "truc/testing/platform_auth.hpp"

namespace truc::api {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;
using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::system_clock;

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";

// A request signed the way the platform's SDK signs: JSON keys with the XroadVnpt- prefix, the
// key list without it.
Headers signed_request(const std::vector<std::pair<std::string, std::string>>& signed_values,
                       std::string_view secret = kSecret) {
  std::string json = "{";
  std::string keys;
  Headers headers;
  for (const auto& [name, value] : signed_values) {
    json +=
        std::string(json.size() > 1 ? "," : "") + "\"XroadVnpt-" + name + "\":\"" + value + "\"";
    keys += (keys.empty() ? "" : ";") + name;
    std::string lower = "xroadvnpt-" + name;
    for (char& character : lower) character = static_cast<char>(std::tolower(character));
    headers.emplace_back(lower, value);
  }
  json += "}";
  headers.emplace_back("xroadvnpt-sign-header", json);
  headers.emplace_back("xroadvnpt-sign-header-key", keys);
  headers.emplace_back("xroadvnpt-hash-header", testing::hmac_sha256_hex(secret, json));
  return headers;
}

Headers good_request() {
  return signed_request({{"timestamp", "01062024T090000+0123"},
                         {"systemid", "agency1.demo"},
                         {"Content-Type", "application/json"},
                         {"docId", "5f1c0a9e3b7d42a18c6e0f21"}});
}

void set_header(Headers& headers, std::string_view name, std::string value) {
  for (auto& [header, current] : headers) {
    if (header == name) current = std::move(value);
  }
}

std::string code_of(const Status& status) { return status ? "ok" : status.error().code; }

TEST(HmacAuth, AcceptsARequestSignedWithTheSystemsSecret) {
  auto signed_headers = read_signed_headers(good_request());
  ASSERT_TRUE(signed_headers) << signed_headers.error().to_string();
  EXPECT_EQ(signed_headers->system_id, "agency1.demo");
  EXPECT_EQ(signed_headers->timestamp, "01062024T090000+0123");
  EXPECT_EQ(signed_headers->value("DOCID"), "5f1c0a9e3b7d42a18c6e0f21");
  EXPECT_EQ(signed_headers->value("content-type"), "application/json");
  EXPECT_TRUE(verify_hmac(*signed_headers, kSecret));
}

TEST(HmacAuth, AcceptsUnprefixedJsonKeysAndSpacesInTheKeyList) {
  std::string json = R"({"timestamp":"01062024T090000+0000","systemid":"s1"})";
  Headers headers{{"xroadvnpt-timestamp", "01062024T090000+0000"},
                  {"xroadvnpt-systemid", "s1"},
                  {"xroadvnpt-sign-header", json},
                  {"xroadvnpt-sign-header-key", "systemid ; timestamp"},
                  {"xroadvnpt-hash-header", testing::hmac_sha256_hex(kSecret, json)}};
  auto signed_headers = read_signed_headers(headers);
  ASSERT_TRUE(signed_headers) << signed_headers.error().to_string();
  EXPECT_TRUE(verify_hmac(*signed_headers, kSecret));
}

TEST(HmacAuth, RefusesAWrongSecret) {
  auto signed_headers = read_signed_headers(good_request());
  ASSERT_TRUE(signed_headers);
  EXPECT_EQ(code_of(verify_hmac(*signed_headers, "another secret")), "auth.hmac_invalid");
}

TEST(HmacAuth, RefusesAHeaderValueChangedAfterSigning) {
  auto headers = good_request();
  set_header(headers, "xroadvnpt-docid", "000000000000000000000000");
  auto refused = read_signed_headers(headers);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "auth.hmac_invalid");
  EXPECT_EQ(refused.error().detail, "XroadVnpt-docid");

  // Changing the signed JSON as well breaks the HMAC.
  auto forged = good_request();
  set_header(forged, "xroadvnpt-docid", "000000000000000000000000");
  for (auto& [name, value] : forged) {
    if (name == "xroadvnpt-sign-header") {
      value.replace(value.find("5f1c0a9e3b7d42a18c6e0f21"), 24, "000000000000000000000000");
    }
  }
  auto read = read_signed_headers(forged);
  ASSERT_TRUE(read) << read.error().to_string();
  EXPECT_EQ(code_of(verify_hmac(*read, kSecret)), "auth.hmac_invalid");
}

TEST(HmacAuth, RefusesASignedHeaderMissingFromTheRequest) {
  auto headers = good_request();
  std::erase_if(headers, [](const auto& header) { return header.first == "xroadvnpt-docid"; });
  auto refused = read_signed_headers(headers);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "auth.hmac_invalid");
  EXPECT_EQ(refused.error().detail, "XroadVnpt-docid");
}

TEST(HmacAuth, RefusesASecondCopyOfASignedHeaderWithAnotherValue) {
  auto headers = good_request();
  headers.emplace_back("xroadvnpt-docid", "000000000000000000000000");
  EXPECT_EQ(read_signed_headers(headers).error().code, "auth.hmac_invalid");
}

TEST(HmacAuth, RefusesAKeyListThatDiffersFromTheSignedJson) {
  for (std::string keys :
       {"timestamp;systemid;Content-Type", "timestamp;systemid;Content-Type;docId;extra",
        "timestamp;systemid;Content-Type;docId;docId", ""}) {
    auto headers = good_request();
    set_header(headers, "xroadvnpt-sign-header-key", keys);
    EXPECT_EQ(read_signed_headers(headers).error().code, "auth.hmac_invalid") << keys;
  }
}

TEST(HmacAuth, NeedsTimestampAndSystemIdSigned) {
  auto headers = signed_request({{"systemid", "agency1.demo"}, {"docId", "x"}});
  EXPECT_EQ(read_signed_headers(headers).error().code, "auth.hmac_invalid");
}

TEST(HmacAuth, SaysWhichAuthenticationHeaderIsMissing) {
  for (const char* name :
       {"xroadvnpt-sign-header", "xroadvnpt-sign-header-key", "xroadvnpt-hash-header"}) {
    auto headers = good_request();
    std::erase_if(headers, [&](const auto& header) { return header.first == name; });
    auto refused = read_signed_headers(headers);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "auth.hmac_missing") << name;
  }
  EXPECT_EQ(read_signed_headers({}).error().code, "auth.hmac_missing");
}

TEST(HmacAuth, RefusesAMalformedHashOrJson) {
  auto short_hash = good_request();
  set_header(short_hash, "xroadvnpt-hash-header", "abcd");
  EXPECT_EQ(read_signed_headers(short_hash).error().code, "auth.hmac_invalid");
  auto not_json = good_request();
  set_header(not_json, "xroadvnpt-sign-header", "timestamp=1");
  EXPECT_EQ(read_signed_headers(not_json).error().code, "auth.hmac_invalid");
}

system_clock::time_point at(int year, unsigned month, unsigned day, int hour, int minute,
                            int second) {
  return sys_days(std::chrono::year(year) / month / day) + hours(hour) +
         std::chrono::minutes(minute) + seconds(second);
}

TEST(PlatformTimestamp, ReadsVietnamTimeWithMilliseconds) {
  // 09:00:00.123 in Vietnam is 02:00:00.123 UTC.
  EXPECT_EQ(*parse_platform_timestamp("01062024T090000+0123"),
            at(2024, 6, 1, 2, 0, 0) + std::chrono::milliseconds(123));
  // "+0700" reads the same as an offset or as 700 ms, within the second.
  EXPECT_EQ(*parse_platform_timestamp("01062024T090000+0700"),
            at(2024, 6, 1, 2, 0, 0) + std::chrono::milliseconds(700));
}

TEST(PlatformTimestamp, ReadsDigitsThatCannotBeMillisecondsAsAnOffset) {
  EXPECT_EQ(*parse_platform_timestamp("01062024T120000+1000"), at(2024, 6, 1, 2, 0, 0));
  EXPECT_EQ(*parse_platform_timestamp("31122023T210000-0500"), at(2024, 1, 1, 2, 0, 0));
  EXPECT_EQ(*parse_platform_timestamp("01062024T073000+0530"),
            at(2024, 6, 1, 0, 30, 0) + std::chrono::milliseconds(530))
      << "0000 to 0999 are milliseconds, as the SDK writes them";
}

TEST(PlatformTimestamp, RefusesWhatIsNotATimestamp) {
  for (const char* text : {"", "2024-06-01T09:00:00Z", "01062024T090000", "01062024 090000+0123",
                           "32012024T090000+0000", "29022023T090000+0000", "01062024T250000+0000",
                           "01062024T090000+1234", "01062024T090000+1500", "0106202XT090000+0000",
                           "01069999T090000+0000", "01060001T090000+0000", "31122199T235959-1490",
                           "01062024T090000+1060"}) {
    EXPECT_EQ(code_of(check_timestamp(text, system_clock::now(), seconds(300))),
              "auth.timestamp_invalid")
        << text;
  }
}

TEST(PlatformTimestamp, BoundsTheAgeBothWays) {
  auto now = at(2024, 6, 1, 2, 0, 0);
  EXPECT_EQ(code_of(check_timestamp("01062024T090000+0000", now, seconds(300))), "ok");
  EXPECT_EQ(code_of(check_timestamp("01062024T090459+0999", now, seconds(300))), "ok");
  EXPECT_EQ(code_of(check_timestamp("01062024T085500+0000", now, seconds(300))), "ok");
  EXPECT_EQ(code_of(check_timestamp("01062024T085459+0000", now, seconds(300))),
            "auth.timestamp_stale")
      << "stale";
  EXPECT_EQ(code_of(check_timestamp("01062024T090501+0000", now, seconds(300))),
            "auth.timestamp_stale")
      << "from the future";
  EXPECT_EQ(code_of(check_timestamp("01062024T020000-0000", now, seconds(300))), "ok")
      << "-0000 is UTC";
}

TEST(FileHash, AcceptsHexInEitherCaseAndTheSdksUnpaddedForm) {
  std::string digest = std::string("\x00\x0f\x10\xab", 4) + std::string(28, '\x01');
  std::string hex = to_hex(digest);
  EXPECT_TRUE(file_hash_matches(hex, digest));
  std::string upper = hex;
  for (char& character : upper) character = static_cast<char>(std::toupper(character));
  EXPECT_TRUE(file_hash_matches(upper, digest));
  EXPECT_TRUE(file_hash_matches("0f10ab" + std::string(28, '1'), digest));
  EXPECT_FALSE(file_hash_matches(hex.substr(2), digest));
  EXPECT_FALSE(file_hash_matches(sha256_hex("other"), digest));
}

}  // namespace
}  // namespace truc::api
