#include "truc/common/url.hpp"

#include <gtest/gtest.h>

namespace truc {
namespace {

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

}  // namespace
}  // namespace truc
