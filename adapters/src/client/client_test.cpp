#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <limits>

#include "truc/client/admin_client.hpp"
#include "truc/client/http_client.hpp"
#include "truc/client/progress.hpp"
#include "truc/client/url.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::client {
namespace {

using ::testing::HasSubstr;

TEST(ParseUrl, ReadsHostPortAndScheme) {
  auto url = parse_url("https://hub.example.gov.vn:8443");
  ASSERT_TRUE(url) << url.error().to_string();
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "hub.example.gov.vn");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->base_path, "");
  EXPECT_EQ(url->authority(), "hub.example.gov.vn:8443");
}

TEST(ParseUrl, DefaultsThePortToTheScheme) {
  EXPECT_EQ(parse_url("https://hub.example.gov.vn")->port, 443);
  EXPECT_EQ(parse_url("http://127.0.0.1")->port, 80);
  EXPECT_EQ(parse_url("http://127.0.0.1:9090")->authority(), "127.0.0.1:9090");
  EXPECT_EQ(parse_url("https://hub.example.gov.vn:443/")->authority(), "hub.example.gov.vn");
}

TEST(ParseUrl, KeepsABasePathWithoutTrailingSlash) {
  EXPECT_EQ(parse_url("https://proxy.example.gov.vn/truc/")->base_path, "/truc");
}

TEST(ParseUrl, TakesIpv6AddressesWithoutBrackets) {
  auto url = parse_url("http://[::1]:9090");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_TRUE(url->is_loopback());
  EXPECT_EQ(url->authority(), "[::1]:9090");
}

TEST(ParseUrl, RefusesWhatIsNotAHubAddress) {
  for (const char* text :
       {"hub.example.gov.vn:8443", "ftp://hub", "https://user:pw@hub", "https://hub/?x=1",
        "https://hub/#part", "https://hub:0", "https://hub:70000", "not a url"}) {
    auto url = parse_url(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().code, "client.invalid_url") << text;
  }
}

TEST(ParseUrl, KnowsLoopbackHosts) {
  EXPECT_TRUE(parse_url("http://127.0.0.1:9090")->is_loopback());
  EXPECT_TRUE(parse_url("http://localhost:9090")->is_loopback());
  EXPECT_FALSE(parse_url("http://10.0.0.1:9090")->is_loopback());
}

TEST(MakeTarget, EncodesSegmentsAndParametersAsData) {
  auto url = *parse_url("https://hub:8443/base");
  EXPECT_EQ(make_target(url, {"v1", "packages", "abc", "ack"}), "/base/v1/packages/abc/ack");
  EXPECT_EQ(
      make_target(url, {"admin", "v1", "trace"},
                  {{"document_id", "000.00.00.G22,2020/06/01,12/VPCP-TTĐT"}}),
      "/base/admin/v1/trace?document_id=000.00.00.G22%2C2020%2F06%2F01%2C12%2FVPCP-TT%C4%90T");
  EXPECT_EQ(
      make_target(url, {"traffic"}, {{"since", "2024-06-01T00:00:00+07:00"}, {"until", "a&b=c d"}}),
      "/base/traffic?since=2024-06-01T00%3A00%3A00%2B07%3A00&until=a%26b%3Dc%20d");
}

TEST(ErrorFromResponse, TakesTheHubsCodeMessageAndDetails) {
  auto error = error_from_response(
      422,
      R"({"code":"route.unknown_recipient","message":"no such agency","details":"000.00.00.X99"})");
  EXPECT_EQ(error.code, "route.unknown_recipient");
  EXPECT_EQ(error.message, "no such agency");
  EXPECT_EQ(error.detail, "000.00.00.X99");
  EXPECT_EQ(error.to_string(), "route.unknown_recipient: no such agency (000.00.00.X99)");
}

TEST(ErrorFromResponse, AcceptsAnErrorWithoutDetails) {
  auto error = error_from_response(404, R"({"code":"package.not_found","message":"not found"})");
  EXPECT_EQ(error.code, "package.not_found");
  EXPECT_EQ(error.detail, "");
}

TEST(ErrorFromResponse, NamesTheStatusWhenTheBodyIsNotAnError) {
  for (const char* body : {"<html>Bad Gateway</html>", "{}", R"({"code":"","message":"x"})",
                           R"({"code":7,"message":"x"})", "[]", ""}) {
    auto error = error_from_response(502, body);
    EXPECT_EQ(error.code, "client.protocol") << body;
    EXPECT_THAT(error.message, HasSubstr("HTTP 502")) << body;
  }
}

TEST(ErrorFromResponse, NeutralisesControlCharactersFromTheServer) {
  auto error = error_from_response(
      400, "{\"code\":\"x.y\",\"message\":\"bad\\u001b[2Jthing\",\"details\":\"a\\nb\"}");
  EXPECT_EQ(error.message, "bad [2Jthing");
  EXPECT_EQ(error.detail, "a b");
}

class TokenFileTest : public ::testing::Test {
 protected:
  std::filesystem::path token_with_mode(std::string_view content, mode_t mode) {
    auto path = directory_.write("admin.token", content);
    ::chmod(path.c_str(), mode);
    return path;
  }
  testing::TempDir directory_;
};

TEST_F(TokenFileTest, ReadsAnOwnerOnlyTokenWithoutItsNewline) {
  EXPECT_EQ(*read_token_file(token_with_mode("s3cr3t\n", 0600)), "s3cr3t");
  EXPECT_EQ(*read_token_file(token_with_mode("s3cr3t", 0400)), "s3cr3t");
}

TEST_F(TokenFileTest, RefusesATokenGroupOrOthersMayRead) {
  for (mode_t mode : {0644, 0640, 0604, 0660, 0610}) {
    auto token = read_token_file(token_with_mode("s3cr3t\n", mode));
    ASSERT_FALSE(token) << std::oct << mode;
    EXPECT_EQ(token.error().code, "config.insecure_permissions");
  }
}

TEST_F(TokenFileTest, RefusesAMissingOrEmptyToken) {
  EXPECT_EQ(read_token_file(directory_.path() / "absent").error().code, "config.invalid");
  EXPECT_EQ(read_token_file(token_with_mode("\n", 0600)).error().code, "config.invalid");
}

TEST(PercentOf, RoundsDownAndReachesHundredOnlyAtTheEnd) {
  EXPECT_EQ(percent_of(0, 300), 0u);
  EXPECT_EQ(percent_of(1, 3), 33u);
  EXPECT_EQ(percent_of(2, 3), 66u);
  EXPECT_EQ(percent_of(299, 300), 99u);
  EXPECT_EQ(percent_of(300, 300), 100u);
  EXPECT_EQ(percent_of(0, 0), 100u);
  EXPECT_EQ(percent_of(5, 4), 100u);
}

TEST(PercentOf, DoesNotOverflowNearTheSixtyFourBitLimit) {
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(percent_of(kMax - 1, kMax), 99u);
  EXPECT_EQ(percent_of(kMax / 4, kMax), 25u);
  EXPECT_EQ(percent_of(kMax, kMax), 100u);
}

TEST(FormatSize, UsesBinaryUnits) {
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_size(1023), "1023 B");
  EXPECT_EQ(format_size(1536), "1.5 KiB");
  EXPECT_EQ(format_size(50 * 1024 * 1024), "50.0 MiB");
  EXPECT_EQ(format_size(std::uint64_t{3} << 30), "3.0 GiB");
}

TEST(ProgressSteps, ShowsEachStepAndTheEndOnce) {
  ProgressSteps steps(10);
  std::vector<unsigned> shown;
  constexpr std::uint64_t kTotal = 150 * 1024 * 1024;
  for (std::uint64_t done = 0; done < kTotal; done += 64 * 1024) {
    if (auto percent = steps.advance(done, kTotal)) shown.push_back(*percent);
  }
  if (auto percent = steps.advance(kTotal, kTotal)) shown.push_back(*percent);
  EXPECT_EQ(shown, (std::vector<unsigned>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}));
  EXPECT_EQ(steps.advance(kTotal, kTotal), std::nullopt);
}

TEST(ProgressSteps, ShowsNothingForAnUnknownTotal) {
  ProgressSteps steps(1);
  EXPECT_EQ(steps.advance(1000, 0), std::nullopt);
}

}  // namespace
}  // namespace truc::client
