// What an unauthenticated client can cost a real trucd: no upload is read, spooled or invited
// with 100 Continue before the caller is known, and anonymous connections cannot crowd out the
// agencies.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <vector>

#include "truc/testing/http_connection.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/platform_auth.hpp"

namespace truc {
namespace {

using namespace std::chrono_literals;
using http::testing::ClientTls;
using http::testing::Connection;
using http::testing::Reply;
using testing::HubOptions;
using testing::HubProcess;

constexpr std::size_t kMaxAnonymous = 6;

std::string code_of(const Reply& reply) {
  return std::string(boost::json::parse(reply.body).at("code").as_string());
}

class HostileClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = new HubProcess(HubOptions{
        .agency_api_config = "max_connections = " + std::to_string(kMaxAnonymous) +
                             "\nmax_connections_per_address = " + std::to_string(kMaxAnonymous) +
                             "\nreserved_connections = 16\n"});
    hub_->start();
  }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }

  static ClientTls anonymous_tls() { return ClientTls{.server_ca = hub_->ca().certificate}; }

  static std::filesystem::path spool_directory() { return hub_->directory() / "blobs" / "tmp"; }

  static bool spool_is_empty() {
    return !std::filesystem::exists(spool_directory()) ||
           std::filesystem::is_empty(spool_directory());
  }

  static HubProcess* hub_;
};

HubProcess* HostileClientTest::hub_ = nullptr;

TEST_F(HostileClientTest, UploadWithoutCertificateIsRefusedAtTheHeaders) {
  Connection stranger(hub_->agency_port(), anonymous_tls());
  // 100 MiB announced, nothing sent: a hub that took the body first would answer 100 Continue.
  stranger.send_raw(
      "POST /v1/packages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/xml\r\n"
      "Content-Length: 104857600\r\nExpect: 100-continue\r\n\r\n");
  Reply refused = stranger.read_reply();
  EXPECT_EQ(refused.status, 401u) << refused.body;
  EXPECT_EQ(code_of(refused), "auth.certificate_required");
  EXPECT_TRUE(spool_is_empty());
  EXPECT_TRUE(stranger.closed_by_server_within(10s));
}

TEST_F(HostileClientTest, AdminUploadWithoutTokenIsRefusedAtTheHeaders) {
  Connection stranger(hub_->monitor_port());
  stranger.send_raw(
      "POST /admin/v1/agencies/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
      "Content-Length: 10485760\r\nExpect: 100-continue\r\n\r\n");
  Reply refused = stranger.read_reply();
  EXPECT_EQ(refused.status, 401u) << refused.body;
  EXPECT_EQ(code_of(refused), "auth.admin_token_required");
  EXPECT_EQ(refused.header("www-authenticate"), "Bearer");

  Connection wrong_token(hub_->monitor_port());
  wrong_token.send_raw(
      "POST /admin/v1/agencies/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
      "Authorization: Bearer not-the-token\r\n"
      "Content-Length: 10485760\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(wrong_token.read_reply().status, 401u);
  EXPECT_TRUE(spool_is_empty());
}

TEST_F(HostileClientTest, CompatUploadWithoutAValidHmacIsRefusedAtTheHeaders) {
  // The national platform's face: a system id the hub knows, signed with a secret it is not.
  std::string head = "POST /sendEdoc HTTP/1.1\r\nHost: localhost\r\n";
  for (const auto& [name, value] : testing::platform_signed_headers(
           hub_->agency(0).system_id, "not-the-secret", {{"hash-file", std::string(64, '0')}},
           std::chrono::system_clock::now())) {
    head += name + ": " + value + "\r\n";
  }
  Connection forger(hub_->agency_port(), anonymous_tls());
  forger.send_raw(head +
                  "Content-Type: application/octet-stream\r\nContent-Length: 104857600\r\n"
                  "Expect: 100-continue\r\n\r\n");
  Reply refused = forger.read_reply();
  EXPECT_EQ(refused.status, 401u) << refused.body;
  EXPECT_EQ(boost::json::parse(refused.body).at("ErrorDesc").as_string().subview().substr(0, 17),
            "auth.hmac_invalid");
  EXPECT_TRUE(spool_is_empty());
}

TEST_F(HostileClientTest, AnonymousConnectionsHoldingEveryPlaceDoNotStopAnAgency) {
  std::vector<std::unique_ptr<Connection>> anonymous;
  for (std::size_t index = 0; index < kMaxAnonymous; ++index) {
    anonymous.push_back(std::make_unique<Connection>(hub_->agency_port(), anonymous_tls()));
    // One request each, so that the hub has settled the connection as anonymous; it stays open.
    EXPECT_EQ(anonymous.back()->request("GET", "/v1/inbox").status, 401u);
  }
  // One more anonymous connection is turned away …
  bool turned_away = false;
  try {
    Connection one_more(hub_->agency_port(), anonymous_tls());
    turned_away = one_more.closed_by_server_within(10s);
  } catch (const std::runtime_error&) {
    turned_away = true;
  }
  EXPECT_TRUE(turned_away);

  // … while an agency, from the same address, submits.
  auto package = hub_->signed_package(0, {1});
  auto submitted = hub_->agency_request(0, "POST", "/v1/packages", package);
  EXPECT_EQ(submitted.status, 201) << submitted.body << submitted.error;
}

}  // namespace
}  // namespace truc
