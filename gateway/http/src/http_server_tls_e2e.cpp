// The HTTP server's TLS listener over real sockets: client certificates verified against the
// listener's CAs and handed to handlers, anonymous clients let in, untrusted ones refused in the
// handshake, and the protocol and cipher floor.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <boost/json.hpp>

#include "truc/common/digest.hpp"
#include "truc/http/server.hpp"
#include "truc/security/crl_set.hpp"
#include "truc/testing/http_connection.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::http {
namespace {

using namespace std::chrono_literals;
using testing::ClientTls;
using testing::Connection;
using truc::testing::CertificateSpec;
using truc::testing::Issued;

std::string fingerprint_of(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(certificate.get(), EVP_sha256(), digest, &length);
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

class TlsServerTest : public ::testing::Test {
 protected:
  TlsServerTest() : pki_(directory_.path() / "pki") {
    // Elliptic-curve keys where the test does not care: RSA key generation dominates the run
    // time. The server keeps RSA so that a static-RSA key exchange could be offered at all.
    CertificateSpec elliptic;
    elliptic.elliptic_curve = true;
    hub_ca_ = pki_.create_ca("hub-ca", elliptic);
    CertificateSpec server;
    server.common_name = "localhost";
    server.key_usage = "digitalSignature,keyEncipherment";
    server.extended_key_usage = "serverAuth";
    server.dns_names = {"localhost"};
    server_ = pki_.issue(hub_ca_, "server", server);

    agency_ca_ = pki_.create_ca("agency-ca", elliptic);
    CertificateSpec client;
    client.elliptic_curve = true;
    client.common_name = "Sở Nội vụ tỉnh Thừa Thiên Huế";
    client.agency_code = "000.00.00.G22";
    client.key_usage = "digitalSignature";
    client.extended_key_usage = "clientAuth";
    agency_client_ = pki_.issue(agency_ca_, "agency-client", client);
    rogue_ca_ = pki_.create_ca("rogue-ca", elliptic);
    rogue_client_ = pki_.issue(rogue_ca_, "rogue-client", client);
  }

  ListenerSettings settings() {
    ListenerSettings listener;
    listener.name = "agency";
    listener.host = "127.0.0.1";
    listener.io_timeout = 5s;
    listener.tls = TlsSettings{server_.certificate, server_.key, {agency_ca_.certificate}};
    return listener;
  }

  Router router() {
    Router routes;
    routes.add({"GET", "/v1/whoami", BodyMode::none, [this](Request& request) {
                  ++handler_calls_;
                  boost::json::object body;
                  if (request.peer_certificate) {
                    body["fingerprint"] = request.peer_certificate->sha256_fingerprint;
                    body["subject"] = request.peer_certificate->subject;
                    body["pem"] = request.peer_certificate->pem;
                  } else {
                    body["anonymous"] = true;
                  }
                  return Response::json(200, boost::json::serialize(body));
                }});
    return routes;
  }

  void start() { start(settings()); }
  void start(const ListenerSettings& listener) {
    server_instance_.on_request(records_.observer());
    auto listening = server_instance_.listen(listener, router());
    ASSERT_TRUE(listening.ok()) << listening.error().to_string();
    port_ = server_instance_.port("agency");
    running_ = std::make_unique<testing::RunningServer>(server_instance_);
  }

  void TearDown() override { running_.reset(); }

  std::vector<std::string> curl(std::vector<std::string> arguments) {
    std::string port = std::to_string(port_);
    std::vector<std::string> all{"--resolve", "localhost:" + port + ":127.0.0.1", "--cacert",
                                 hub_ca_.certificate.string()};
    all.insert(all.end(), arguments.begin(), arguments.end());
    all.push_back("https://localhost:" + port + "/v1/whoami");
    return testing::curl_command(all);
  }

  // Connects and asks once, so that the server has settled the connection's place.
  std::unique_ptr<Connection> connect_and_ask(const Issued* client = nullptr) {
    auto connection = std::make_unique<Connection>(port_, client_tls(client));
    EXPECT_EQ(connection->request("GET", "/v1/whoami").status, 200u);
    return connection;
  }

  // A connection the server closes right after (or during) its handshake.
  bool turned_away(const Issued* client = nullptr) {
    try {
      Connection connection(port_, client_tls(client));
      return connection.closed_by_server_within(5s);
    } catch (const std::runtime_error&) {
      return true;  // closed before the handshake completed on our side
    }
  }

  ClientTls client_tls(const Issued* client = nullptr) {
    ClientTls tls;
    tls.server_ca = hub_ca_.certificate;
    if (client != nullptr) {
      tls.certificate = client->certificate;
      tls.private_key = client->key;
    }
    return tls;
  }

  truc::testing::TempDir directory_;
  truc::testing::TestPki pki_;
  Issued hub_ca_, server_, agency_ca_, agency_client_, rogue_ca_, rogue_client_;
  std::atomic<int> handler_calls_{0};
  testing::RecordLog records_;
  WorkerPool workers_{2, 16};
  HttpServer server_instance_{workers_, 2};
  std::unique_ptr<testing::RunningServer> running_;
  std::uint16_t port_ = 0;
};

TEST_F(TlsServerTest, VerifiedClientCertificateReachesTheHandler) {
  start();
  auto result = truc::testing::run_process(
      curl({"--cert", agency_client_.certificate.string(), "--key", agency_client_.key.string()}));
  ASSERT_EQ(result.exit_status, 0) << result.err;
  auto body = boost::json::parse(result.out).as_object();
  std::string fingerprint = fingerprint_of(agency_client_.certificate_pem);
  EXPECT_EQ(body.at("fingerprint").as_string(), fingerprint);
  EXPECT_EQ(body.at("pem").as_string(), agency_client_.certificate_pem);
  std::string subject(body.at("subject").as_string());
  EXPECT_NE(subject.find("CN=Sở Nội vụ tỉnh Thừa Thiên Huế"), std::string::npos) << subject;
  EXPECT_NE(subject.find("UID=000.00.00.G22"), std::string::npos) << subject;
  EXPECT_EQ(subject.find("C=VN"), subject.size() - 4) << subject;  // RFC 2253: most specific first

  auto records = records_.wait_for(1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].peer, fingerprint);
}

TEST_F(TlsServerTest, ClientWithoutCertificateGetsThroughAnonymously) {
  start();
  auto result = truc::testing::run_process(curl({}));
  ASSERT_EQ(result.exit_status, 0) << result.err;
  EXPECT_TRUE(boost::json::parse(result.out).as_object().at("anonymous").as_bool());
  auto records = records_.wait_for(1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].peer.empty());
}

TEST_F(TlsServerTest, ClientCertificateFromAnotherCaFailsTheHandshake) {
  start();
  auto result = truc::testing::run_process(
      curl({"--cert", rogue_client_.certificate.string(), "--key", rogue_client_.key.string()}));
  EXPECT_NE(result.exit_status, 0) << result.out;
  EXPECT_NE(result.err.find("alert"), std::string::npos) << result.err;

  // The same from our own client: with TLS 1.3 the client may finish its half of the handshake
  // before the server's verdict arrives, so the refusal can surface on the first exchange.
  EXPECT_ANY_THROW({
    Connection connection(port_, client_tls(&rogue_client_));
    connection.request("GET", "/v1/whoami");
  });
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(TlsServerTest, ARevokedClientCertificateFailsTheHandshakeOnceItsCrlIsInForce) {
  auto crls = [&](std::vector<Issued> revoked, const std::string& name) {
    auto set = security::CrlSet::load_files({pki_.create_crl(agency_ca_, revoked, name)});
    EXPECT_TRUE(set) << set.error().to_string();
    return *set;
  };
  auto current = std::make_shared<security::CurrentCrls>(crls({}, "agency-ca-empty"));
  ListenerSettings listener = settings();
  listener.tls->client_crls = current;
  start(listener);
  {
    Connection connection(port_, client_tls(&agency_client_));
    EXPECT_EQ(connection.request("GET", "/v1/whoami").status, 200u);
  }
  EXPECT_EQ(handler_calls_, 1);

  // Published while the server runs: the next handshake reads it.
  current->replace(crls({agency_client_}, "agency-ca-revoking"));
  EXPECT_ANY_THROW({
    Connection connection(port_, client_tls(&agency_client_));
    connection.request("GET", "/v1/whoami");
  });
  auto result = truc::testing::run_process(
      curl({"--cert", agency_client_.certificate.string(), "--key", agency_client_.key.string()}));
  EXPECT_NE(result.exit_status, 0) << result.out;
  EXPECT_EQ(handler_calls_, 1);
  // Anonymous clients are not affected; the handlers decide about them.
  EXPECT_EQ(truc::testing::run_process(curl({})).exit_status, 0);
}

TEST_F(TlsServerTest, AClientCertificateWithoutACurrentCrlFailsTheHandshake) {
  ListenerSettings listener = settings();
  auto other = security::CrlSet::load_files({pki_.create_crl(rogue_ca_, {}, "rogue-ca")});
  ASSERT_TRUE(other);
  listener.tls->client_crls = std::make_shared<security::CurrentCrls>(*other);
  start(listener);
  EXPECT_ANY_THROW({
    Connection connection(port_, client_tls(&agency_client_));
    connection.request("GET", "/v1/whoami");
  });
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(TlsServerTest, KeepsAliveOverTlsWithTheSamePeer) {
  start();
  Connection connection(port_, client_tls(&agency_client_));
  auto first = connection.request("GET", "/v1/whoami");
  auto second = connection.request("GET", "/v1/whoami");
  ASSERT_EQ(first.status, 200u);
  ASSERT_EQ(second.status, 200u);
  EXPECT_TRUE(first.keep_alive);
  std::string fingerprint = fingerprint_of(agency_client_.certificate_pem);
  EXPECT_EQ(boost::json::parse(first.body).at("fingerprint").as_string(), fingerprint);
  EXPECT_EQ(boost::json::parse(second.body).at("fingerprint").as_string(), fingerprint);
  EXPECT_EQ(server_instance_.open_connections(), 1u);
}

TEST_F(TlsServerTest, AnonymousConnectionsHoldingEveryPlaceLeaveTheReservedOnesToAgencies) {
  ListenerSettings listener = settings();
  listener.max_connections = 4;
  listener.max_connections_per_address = 4;
  listener.reserved_connections = 2;
  start(listener);
  std::vector<std::unique_ptr<Connection>> anonymous;
  for (int index = 0; index < 4; ++index) anonymous.push_back(connect_and_ask());
  EXPECT_TRUE(turned_away());

  // From the same address, an agency still gets in, twice over.
  auto agency = connect_and_ask(&agency_client_);
  auto second_agency = connect_and_ask(&agency_client_);
  EXPECT_EQ(agency->request("GET", "/v1/whoami").status, 200u);
  // The reserve is for certificates only; once it is taken too, nobody more gets in.
  EXPECT_TRUE(turned_away(&agency_client_));
  for (const auto& connection : anonymous) {
    EXPECT_EQ(connection->request("GET", "/v1/whoami").status, 200u);
  }
}

TEST_F(TlsServerTest, OneAddressHoldsNoMoreAnonymousConnectionsThanItsCap) {
  ListenerSettings listener = settings();
  listener.max_connections = 10;
  listener.max_connections_per_address = 2;
  start(listener);
  auto first = connect_and_ask();
  auto second = connect_and_ask();
  EXPECT_TRUE(turned_away());
  auto agency = connect_and_ask(&agency_client_);
  first.reset();
  // The place freed is taken again once the server has seen the close.
  EXPECT_TRUE(truc::http::testing::eventually([&] {
    try {
      Connection again(port_, client_tls());
      return again.request("GET", "/v1/whoami").status == 200u;
    } catch (const std::runtime_error&) {
      return false;
    }
  }));
}

TEST_F(TlsServerTest, AConnectionThatSaysNothingIsClosedAfterTheFirstRequestTimeout) {
  ListenerSettings listener = settings();
  listener.io_timeout = 60s;
  listener.first_request_timeout = 1s;
  start(listener);
  Connection silent_tcp(port_);  // no handshake at all
  EXPECT_TRUE(silent_tcp.closed_by_server_within(5s));
  Connection silent_tls(port_, client_tls());  // a handshake, then no request
  EXPECT_TRUE(silent_tls.closed_by_server_within(5s));
}

TEST_F(TlsServerTest, Tls11IsRefusedByTheServer) {
  start();
  ClientTls legacy = client_tls();
  legacy.allow_legacy = true;
  legacy.min_version = TLS1_1_VERSION;
  legacy.max_version = TLS1_1_VERSION;
  try {
    Connection connection(port_, legacy);
    FAIL() << "a TLS 1.1 handshake succeeded";
  } catch (const std::runtime_error& error) {
    // The refusal comes from the server (an alert), not from our client declining to offer 1.1.
    EXPECT_NE(std::string(error.what()).find("alert protocol version"), std::string::npos)
        << error.what();
  }

  auto result = truc::testing::run_process(curl({"--tlsv1.1", "--tls-max", "1.1"}));
  EXPECT_NE(result.exit_status, 0);
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(TlsServerTest, Tls12WithoutForwardSecrecyIsRefused) {
  start();
  ClientTls static_rsa = client_tls();
  static_rsa.max_version = TLS1_2_VERSION;
  static_rsa.tls12_ciphers = "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256";
  try {
    Connection connection(port_, static_rsa);
    FAIL() << "a handshake without ECDHE succeeded";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("handshake failure"), std::string::npos)
        << error.what();
  }
}

TEST_F(TlsServerTest, Tls12WithEcdheAndAeadIsAccepted) {
  start();
  for (const char* cipher : {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305"}) {
    ClientTls modern = client_tls(&agency_client_);
    modern.max_version = TLS1_2_VERSION;
    modern.tls12_ciphers = cipher;
    Connection connection(port_, modern);
    EXPECT_EQ(connection.request("GET", "/v1/whoami").status, 200u) << cipher;
  }
}

TEST_F(TlsServerTest, ListenRefusesAKeyThatDoesNotMatchTheCertificate) {
  ListenerSettings listener = settings();
  listener.tls->private_key = agency_client_.key;
  auto status = server_instance_.listen(listener, router());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "server.tls_invalid");
  EXPECT_NE(status.error().detail.find(agency_client_.key.string()), std::string::npos);
}

TEST_F(TlsServerTest, ListenRefusesAMissingCertificateOrCaFile) {
  ListenerSettings missing_certificate = settings();
  missing_certificate.tls->certificate = directory_.path() / "absent.crt";
  auto status = server_instance_.listen(missing_certificate, router());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "server.tls_invalid");
  EXPECT_NE(status.error().detail.find("absent.crt"), std::string::npos);

  ListenerSettings missing_ca = settings();
  missing_ca.tls->client_ca = {directory_.path() / "absent-ca.crt"};
  auto ca_status = server_instance_.listen(missing_ca, router());
  ASSERT_FALSE(ca_status.ok());
  EXPECT_EQ(ca_status.error().code, "server.tls_invalid");
}

}  // namespace
}  // namespace truc::http
