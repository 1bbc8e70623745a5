// The client library against an in-process fake hub: real sockets, real TLS with generated PKI,
// 50 MB bodies both ways.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>

#include "testing/fake_hub.hpp"
#include "testing/test_files.hpp"
#include "truc/agency/hub_client.hpp"
#include "truc/cli/admin_client.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::cli {

using agency::HubClient;
using https::ClientOptions;

namespace {

using testing::AfterAnswer;
using testing::CannedResponse;
using ::testing::ElementsAre;
using testing::error_response;
using testing::FakeHub;
using testing::FakeHubTls;
using ::testing::HasSubstr;
using testing::RecordedRequest;
using testing::sha256_of_file;
using testing::write_test_file;

constexpr const char* kReceipt =
    R"({"id":"5f1c0a9e3b7d42a18c6e0f21","kind":"edoc","document_id":"000.00.00.G22,2024/06/01,12/VPCP",)"
    R"("recipients":[{"organ_id":"000.00.00.H41","route":"local"}],"warnings":[]})";
constexpr std::uint64_t kLargeSize = 50 * 1000 * 1000;

CannedResponse json_response(unsigned status, std::string body) {
  CannedResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

class HubClientTest : public ::testing::Test {
 protected:
  HubClientTest()
      : pki_(directory_.path() / "pki"),
        ca_(pki_.create_ca("hub-ca", {.elliptic_curve = true})),
        hub_certificate_(pki_.issue(ca_, "hub", server_spec("localhost"))),
        agency_certificate_(pki_.issue(ca_, "agency",
                                       {.agency_code = "000.00.00.G22",
                                        .extended_key_usage = "clientAuth",
                                        .elliptic_curve = true})) {}

  // EC keys: generating RSA keys would dominate the run time.
  static truc::testing::CertificateSpec server_spec(const std::string& dns_name) {
    return {.extended_key_usage = "serverAuth", .dns_names = {dns_name}, .elliptic_curve = true};
  }

  FakeHubTls hub_tls() const {
    return {hub_certificate_.certificate, hub_certificate_.key, ca_.certificate};
  }

  ClientOptions options_for(const FakeHub& hub) const {
    ClientOptions options;
    options.url = *parse_url(hub.url());
    options.ca_file = ca_.certificate;
    options.certificate_file = agency_certificate_.certificate;
    options.key_file = agency_certificate_.key;
    options.operation_timeout = std::chrono::seconds(5);
    return options;
  }

  HubClient client_for(const FakeHub& hub) const {
    auto client = HubClient::create(options_for(hub));
    EXPECT_TRUE(client) << client.error().to_string();
    return std::move(*client);
  }

  truc::testing::TempDir directory_;
  truc::testing::TestPki pki_;
  truc::testing::Issued ca_;
  truc::testing::Issued hub_certificate_;
  truc::testing::Issued agency_certificate_;
};

TEST_F(HubClientTest, SendStreamsTheFileAndTheHubReceivesExactlyItsBytes) {
  auto package = write_test_file(directory_.path() / "large.edxml", kLargeSize);
  FakeHub hub(hub_tls(), [](const RecordedRequest&) { return json_response(201, kReceipt); });
  auto client = client_for(hub);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reports;
  auto receipt = client.send(
      package, [&](std::uint64_t done, std::uint64_t total) { reports.emplace_back(done, total); });

  ASSERT_TRUE(receipt) << receipt.error().to_string();
  EXPECT_FALSE(receipt->duplicate());
  EXPECT_EQ(receipt->json, kReceipt);
  auto requests = hub.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/packages");
  EXPECT_EQ(requests[0].header("content-type"), "application/xml");
  EXPECT_EQ(requests[0].header("content-length"), std::to_string(kLargeSize));
  EXPECT_EQ(requests[0].body_size, kLargeSize);
  EXPECT_EQ(requests[0].body_sha256, sha256_of_file(package));
  ASSERT_GT(reports.size(), 100u);
  EXPECT_EQ(reports.back(), std::make_pair(kLargeSize, kLargeSize));
  EXPECT_TRUE(std::is_sorted(reports.begin(), reports.end()));
}

TEST_F(HubClientTest, SendReportsADuplicateReceipt) {
  auto package = directory_.write("small.edxml", "<edXML/>");
  FakeHub hub(hub_tls(), [](const RecordedRequest&) { return json_response(200, kReceipt); });
  auto receipt = client_for(hub).send(package);
  ASSERT_TRUE(receipt);
  EXPECT_TRUE(receipt->duplicate());
}

TEST_F(HubClientTest, FetchStreamsTheAnswerIntoTheFile) {
  auto stored = write_test_file(directory_.path() / "stored.edxml", kLargeSize);
  std::string sha256 = sha256_of_file(stored);
  FakeHub hub(hub_tls(), [&](const RecordedRequest&) {
    CannedResponse response;
    response.content_type = "application/xml";
    response.body_file = stored;
    response.headers = {{"X-Truc-Sha256", sha256}, {"X-Truc-Kind", "edoc"}};
    return response;
  });
  auto output = directory_.path() / "fetched.edxml";
  std::uint64_t last_done = 0;
  auto fetched = client_for(hub).fetch("5f1c0a9e3b7d42a18c6e0f21", output,
                                       [&](std::uint64_t done, std::uint64_t total) {
                                         EXPECT_EQ(total, kLargeSize);
                                         last_done = done;
                                       });

  ASSERT_TRUE(fetched) << fetched.error().to_string();
  EXPECT_EQ(fetched->size, kLargeSize);
  EXPECT_EQ(fetched->sha256, sha256);
  EXPECT_EQ(fetched->kind, "edoc");
  EXPECT_EQ(last_done, kLargeSize);
  EXPECT_EQ(sha256_of_file(output), sha256);
  EXPECT_EQ(hub.requests().at(0).target, "/v1/packages/5f1c0a9e3b7d42a18c6e0f21");
}

TEST_F(HubClientTest, FetchRefusesBytesThatDifferFromTheAnnouncedDigest) {
  FakeHub hub(hub_tls(), [&](const RecordedRequest&) {
    CannedResponse response;
    response.body = "<edXML>changed on the way</edXML>";
    response.headers = {{"X-Truc-Sha256", sha256_hex("<edXML>as stored</edXML>")}};
    return response;
  });
  auto output = directory_.path() / "fetched.edxml";
  auto fetched = client_for(hub).fetch("5f1c0a9e3b7d42a18c6e0f21", output);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code, "client.digest_mismatch");
  EXPECT_FALSE(std::filesystem::exists(output));
}

TEST_F(HubClientTest, FetchLeavesNoFileWhenTheHubRefuses) {
  FakeHub hub(hub_tls(), [](const RecordedRequest&) {
    return error_response(404, "package.not_found", "no such package");
  });
  auto output = directory_.path() / "fetched.edxml";
  auto fetched = client_for(hub).fetch("5f1c0a9e3b7d42a18c6e0f21", output);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code, "package.not_found");
  EXPECT_FALSE(std::filesystem::exists(output));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(directory_.path()),
                          std::filesystem::directory_iterator()),
            1)
      << "only the pki directory; no temporary file left behind";
}

TEST_F(HubClientTest, KeepAliveReusesOneConnectionForConsecutiveRequests) {
  FakeHub hub(hub_tls(), [](const RecordedRequest& request) {
    return json_response(
        200, request.target.ends_with("trace") ? R"({"package":{}})" : R"({"items":[]})");
  });
  auto client = client_for(hub);
  ASSERT_TRUE(client.inbox({}));
  ASSERT_TRUE(client.trace("a1"));
  ASSERT_TRUE(client.ack("a1"));
  ASSERT_TRUE(client.nack("a2", "sai địa chỉ"));
  ASSERT_TRUE(client.inbox({}));

  std::vector<std::size_t> connections;
  for (const auto& request : hub.requests()) connections.push_back(request.connection);
  EXPECT_THAT(connections, ElementsAre(1, 1, 1, 1, 1));
}

TEST_F(HubClientTest, ReconnectsWhenTheHubAnnouncesItCloses) {
  FakeHub hub(hub_tls(), [](const RecordedRequest&) {
    auto response = json_response(200, R"({"items":[]})");
    response.after = AfterAnswer::close_announced;
    return response;
  });
  auto client = client_for(hub);
  for (int round = 0; round < 3; ++round) ASSERT_TRUE(client.inbox({}));
  std::vector<std::size_t> connections;
  for (const auto& request : hub.requests()) connections.push_back(request.connection);
  EXPECT_THAT(connections, ElementsAre(1, 2, 3));
}

TEST_F(HubClientTest, ReconnectsWhenTheHubClosedAnIdleConnection) {
  FakeHub hub(hub_tls(), [](const RecordedRequest&) {
    auto response = json_response(200, R"({"items":[]})");
    response.after = AfterAnswer::close_silently;
    return response;
  });
  auto client = client_for(hub);
  ASSERT_TRUE(client.inbox({}));
  ASSERT_TRUE(hub.wait_for_closed_connections(1));
  auto second = client.inbox({});
  ASSERT_TRUE(second) << second.error().to_string();
  EXPECT_EQ(hub.requests().at(1).connection, 2u);
}

TEST_F(HubClientTest, ASilentHubTimesOutWithinTheDeadline) {
  FakeHub hub(hub_tls(), [](const RecordedRequest&) {
    CannedResponse response;
    response.never_answer = true;
    return response;
  });
  auto options = options_for(hub);
  options.operation_timeout = std::chrono::seconds(1);
  auto client = HubClient::create(options);
  ASSERT_TRUE(client);
  auto started = std::chrono::steady_clock::now();
  auto acked = client->ack("5f1c0a9e3b7d42a18c6e0f21");
  auto elapsed = std::chrono::steady_clock::now() - started;

  ASSERT_FALSE(acked);
  EXPECT_EQ(acked.error().code, "client.timeout");
  EXPECT_THAT(acked.error().message, HasSubstr("within 1 s"));
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(4));
}

TEST_F(HubClientTest, RefusesAHubCertificateFromAnotherCa) {
  auto other_ca = pki_.create_ca("other-ca", {.elliptic_curve = true});
  auto impostor = pki_.issue(other_ca, "impostor", server_spec("localhost"));
  FakeHub hub(FakeHubTls{impostor.certificate, impostor.key, ca_.certificate},
              [](const RecordedRequest&) { return json_response(200, "{}"); });
  auto inbox = client_for(hub).inbox({});
  ASSERT_FALSE(inbox);
  EXPECT_EQ(inbox.error().code, "client.tls_failed");
  EXPECT_THAT(inbox.error().message, HasSubstr("certificate was refused"));
  EXPECT_TRUE(hub.requests().empty());
}

TEST_F(HubClientTest, RefusesAHubCertificateForAnotherName) {
  auto elsewhere = pki_.issue(ca_, "elsewhere", server_spec("hub.example"));
  FakeHub hub(FakeHubTls{elsewhere.certificate, elsewhere.key, ca_.certificate},
              [](const RecordedRequest&) { return json_response(200, "{}"); });
  auto inbox = client_for(hub).inbox({});
  ASSERT_FALSE(inbox);
  EXPECT_EQ(inbox.error().code, "client.tls_failed");
  EXPECT_THAT(inbox.error().detail, HasSubstr("hostname mismatch"));
}

TEST_F(HubClientTest, WithoutAClientCertificateTheHubRefusesTheConnection) {
  FakeHub hub(hub_tls(), [](const RecordedRequest&) { return json_response(200, "{}"); });
  auto options = options_for(hub);
  options.certificate_file.reset();
  options.key_file.reset();
  auto inbox = HubClient::create(options)->inbox({});
  ASSERT_FALSE(inbox);
  EXPECT_EQ(inbox.error().code, "client.tls_failed");
}

TEST_F(HubClientTest, AnErrorFromTheHubBecomesAnErrorWithItsCode) {
  FakeHub hub(hub_tls(), [](const RecordedRequest&) {
    return error_response(422, "route.unknown_recipient", "a recipient is not in the directory",
                          "000.00.00.X99");
  });
  auto receipt = client_for(hub).send(directory_.write("p.edxml", "<edXML/>"));
  ASSERT_FALSE(receipt);
  EXPECT_EQ(receipt.error().code, "route.unknown_recipient");
  EXPECT_EQ(receipt.error().message, "a recipient is not in the directory");
  EXPECT_EQ(receipt.error().detail, "000.00.00.X99");
}

TEST_F(HubClientTest, AnAnswerThatIsNotTheHubsErrorIsAProtocolError) {
  FakeHub hub(hub_tls(), [](const RecordedRequest&) {
    CannedResponse response;
    response.status = 502;
    response.content_type = "text/html";
    response.body = "<html>Bad Gateway</html>";
    return response;
  });
  auto inbox = client_for(hub).inbox({});
  ASSERT_FALSE(inbox);
  EXPECT_EQ(inbox.error().code, "client.protocol");
  EXPECT_THAT(inbox.error().message, HasSubstr("HTTP 502"));
}

TEST_F(HubClientTest, AClosedPortIsAConnectFailure) {
  std::uint16_t closed_port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    closed_port = acceptor.local_endpoint().port();
  }
  ClientOptions options;
  options.url = *parse_url("https://127.0.0.1:" + std::to_string(closed_port));
  options.ca_file = ca_.certificate;
  auto inbox = HubClient::create(options)->inbox({});
  ASSERT_FALSE(inbox);
  EXPECT_EQ(inbox.error().code, "client.connect_failed");
}

TEST_F(HubClientTest, SendsQueryParametersAndBodiesAsTheApiDescribes) {
  FakeHub hub(hub_tls(), [](const RecordedRequest&) { return json_response(200, "{}"); });
  auto client = client_for(hub);
  ASSERT_TRUE(client.inbox({"status", 10, "c+1/2"}));
  ASSERT_TRUE(client.nack("5f1c0a9e3b7d42a18c6e0f21", "Sai \"nơi nhận\""));
  auto requests = hub.requests();
  EXPECT_EQ(requests.at(0).target, "/v1/inbox?kind=status&limit=10&cursor=c%2B1%2F2");
  EXPECT_EQ(requests.at(1).target, "/v1/packages/5f1c0a9e3b7d42a18c6e0f21/nack");
  EXPECT_EQ(requests.at(1).header("content-type"), "application/json");
  EXPECT_EQ(boost::json::parse(requests.at(1).body).at("reason"), "Sai \"nơi nhận\"");
}

TEST_F(HubClientTest, TheAgencyApiIsHttpsOnly) {
  ClientOptions options;
  options.url = *parse_url("http://127.0.0.1:8443");
  EXPECT_EQ(HubClient::create(options).error().code, "client.invalid_url");
}

TEST_F(HubClientTest, AdminClientSendsTheBearerToken) {
  FakeHub monitor(std::nullopt,
                  [](const RecordedRequest&) { return json_response(200, R"({"agencies":[]})"); });
  auto token = directory_.write("admin.token", "s3cr3t\n");
  ::chmod(token.c_str(), 0600);
  AdminClientOptions options{{.url = *parse_url(monitor.url())}, token};
  auto admin = AdminClient::create(options);
  ASSERT_TRUE(admin) << admin.error().to_string();
  ASSERT_TRUE(admin->list_agencies());
  ASSERT_TRUE(admin->trace_document("000.00.00.G22,2024/06/01,12/VPCP"));
  auto requests = monitor.requests();
  EXPECT_EQ(requests.at(0).target, "/admin/v1/agencies");
  EXPECT_EQ(requests.at(0).header("authorization"), "Bearer s3cr3t");
  EXPECT_EQ(requests.at(1).target,
            "/admin/v1/trace?document_id=000.00.00.G22%2C2024%2F06%2F01%2C12%2FVPCP");
  EXPECT_EQ(requests.at(1).header("authorization"), "Bearer s3cr3t");
}

TEST_F(HubClientTest, AdminClientRefusesATokenOthersCanRead) {
  auto token = directory_.write("admin.token", "s3cr3t\n");
  ::chmod(token.c_str(), 0644);
  AdminClientOptions options{{.url = *parse_url("http://127.0.0.1:9090")}, token};
  EXPECT_EQ(AdminClient::create(options).error().code, "config.insecure_permissions");
}

TEST_F(HubClientTest, AdminClientKeepsTheTokenOffTheNetworkInClear) {
  auto token = directory_.write("admin.token", "s3cr3t\n");
  ::chmod(token.c_str(), 0600);
  AdminClientOptions options{{.url = *parse_url("http://10.1.2.3:9090")}, token};
  EXPECT_EQ(AdminClient::create(options).error().code, "client.insecure_url");
}

}  // namespace
}  // namespace truc::cli
