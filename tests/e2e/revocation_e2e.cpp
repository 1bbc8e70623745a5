// Revocation in a real trucd: agency client certificates are checked against CRLs fetched from
// the CA's publication point, and a CRL published while the hub runs takes effect on SIGHUP,
// without a restart.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>

#include "truc/testing/crl_server.hpp"
#include "truc/testing/hub.hpp"

namespace truc {
namespace {

using namespace std::chrono_literals;
using testing::CrlServer;
using testing::HubOptions;
using testing::HubProcess;

TEST(RevocationTest, AClientCertificateRevokedAfterStartFailsTheHandshakeAfterSighup) {
  CrlServer crl_server;
  HubProcess hub(HubOptions{.extra_config = "[revocation]\ncrl_urls = [\"" +
                                            crl_server.url("/ca.crl") +
                                            "\"]\ncache_directory = \"crl-cache\"\n"});
  crl_server.publish("/ca.crl", hub.pki().create_crl(hub.ca(), {}, "ca-empty"));
  hub.start();
  EXPECT_EQ(crl_server.requests("/ca.crl"), 1u);
  EXPECT_EQ(hub.agency_request(0, "GET", "/v1/inbox").status, 200);

  crl_server.publish("/ca.crl",
                     hub.pki().create_crl(hub.ca(), {hub.agency(0).certificate}, "ca-revoking"));
  hub.process().signal(SIGHUP);
  ASSERT_TRUE(crl_server.wait_for_requests("/ca.crl", 2, 30s));
  // The new set is swapped in right after the fetch is answered and parsed.
  int status = 200;
  for (auto deadline = std::chrono::steady_clock::now() + 30s;
       status != 0 && std::chrono::steady_clock::now() < deadline;) {
    status = hub.agency_request(0, "GET", "/v1/inbox").status;
  }
  EXPECT_EQ(status, 0) << "the revoked certificate still completes a handshake";
  EXPECT_EQ(hub.agency_request(1, "GET", "/v1/inbox").status, 200);
  EXPECT_EQ(hub.stop(), 0);
}

TEST(RevocationTest, WithoutACrlForTheClientCaNoClientCertificateGetsIn) {
  CrlServer crl_server;  // publishes nothing: every fetch is a 404
  HubProcess hub(HubOptions{.extra_config = "[revocation]\ncrl_urls = [\"" +
                                            crl_server.url("/ca.crl") +
                                            "\"]\ncache_directory = \"crl-cache\"\n"});
  hub.start();
  EXPECT_EQ(hub.agency_request(0, "GET", "/v1/inbox").status, 0);
  EXPECT_EQ(hub.stop(), 0);
}

}  // namespace
}  // namespace truc
