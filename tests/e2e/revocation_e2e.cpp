// Revocation in a real trucd: agency client certificates are checked against CRLs fetched from
// the CA's publication point, and a CRL published while the hub runs takes effect on SIGHUP,
// without a restart. A signer no CRL covers is asked about by OCSP, and the when_unknown policy
// decides when nothing answers; /metrics and /ready show all of it.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <optional>

#include "json_answer.hpp"
#include "truc/security/certificate.hpp"
#include "truc/testing/crl_server.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/ocsp_responder.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc {
namespace {

using namespace std::chrono_literals;
using testing::CrlServer;
using testing::HubOptions;
using testing::HubProcess;
using testing::Issued;
using testing::json_object_of;

std::string revocation_config(const std::vector<std::string>& crl_urls,
                              const std::string& more = "") {
  std::string urls;
  for (const auto& url : crl_urls) urls += (urls.empty() ? "\"" : ", \"") + url + "\"";
  return "[revocation]\ncrl_urls = [" + urls + "]\ncache_directory = \"crl-cache\"\n" + more;
}

// /ready's revocation detail (its status stays 200: a CRL a node cannot fetch, no other node
// can either).
boost::json::object readiness_detail(HubProcess& hub) {
  auto ready = hub.monitor_request("GET", "/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  auto body = json_object_of(ready);
  return body.contains("revocation") ? body.at("revocation").as_object() : boost::json::object{};
}

bool metrics_show(HubProcess& hub, const std::string& line) {
  std::string metrics = hub.monitor_request("GET", "/metrics").body;
  return metrics.find("\n" + line + "\n") != std::string::npos;
}

std::string error_code(const testing::HttpResult& result) {
  auto body = json_object_of(result);
  return body.contains("code") ? std::string(body.at("code").as_string()) : "";
}

TEST(RevocationTest, AClientCertificateRevokedAfterStartFailsTheHandshakeAfterSighup) {
  CrlServer crl_server;
  HubProcess hub(HubOptions{.extra_config = revocation_config({crl_server.url("/ca.crl")})});
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
  EXPECT_TRUE(metrics_show(hub, "truc_revocation_crl_fetches_total{outcome=\"ok\"} 2"));
  EXPECT_TRUE(metrics_show(hub, "truc_revocation_crls 1"));
  auto detail = readiness_detail(hub);
  EXPECT_EQ(detail["status"], "ok");
  EXPECT_EQ(detail["crls"], 1);
  EXPECT_EQ(hub.stop(), 0);
}

TEST(RevocationTest, WithoutACrlForTheClientCaNoClientCertificateGetsIn) {
  CrlServer crl_server;  // publishes nothing: every fetch is a 404
  HubProcess hub(HubOptions{.extra_config = revocation_config({crl_server.url("/ca.crl")})});
  hub.start();
  EXPECT_EQ(hub.agency_request(0, "GET", "/v1/inbox").status, 0);
  EXPECT_TRUE(metrics_show(hub, "truc_revocation_crl_urls{state=\"without_crl\"} 1"));
  EXPECT_TRUE(metrics_show(hub, "truc_revocation_crl_fetches_total{outcome=\"failed\"} 1"));
  auto detail = readiness_detail(hub);
  EXPECT_EQ(detail["status"], "degraded");
  EXPECT_EQ(detail["crl_urls_without_crl"], 1);
  EXPECT_EQ(hub.stop(), 0);
}

// Signers come from a PKI of their own, as the Government Cipher Committee's is: a root whose
// CRL is published and an issuing CA that publishes none, so only the end entity needs another
// word on its revocation.
class SignerRevocationTest : public ::testing::Test {
 protected:
  SignerRevocationTest() : pki_(directory_.path()) {
    signing_root_ = pki_.create_ca("signing-root");
    signing_ca_ = pki_.issue(signing_root_, "signing-ca", {.is_ca = true});
    crl_server_.publish("/signing-root.crl", pki_.create_crl(signing_root_, {}, "signing-root"));
  }

  HubProcess& start_hub(const std::string& revocation_keys) {
    hub_.emplace(HubOptions{
        .extra_config = revocation_config(
            {crl_server_.url("/ca.crl"), crl_server_.url("/signing-root.crl")}, revocation_keys),
        .signatures_config = "trust_ca = [\"pki/ca.crt\", \"" + signing_root_.certificate.string() +
                             "\", \"" + signing_ca_.certificate.string() + "\"]\n"});
    crl_server_.publish("/ca.crl", hub_->pki().create_crl(hub_->ca(), {}, "ca-empty"));
    return *hub_;
  }
  // Starts the hub and records the issuing CA as one that may sign for agency 0.
  void start_and_bind_signing_ca() {
    hub_->start();
    std::string fingerprint =
        security::Certificate::from_pem(signing_ca_.certificate_pem)->sha256_fingerprint();
    auto bound = hub_->monitor_request(
        "PUT", "/admin/v1/agencies/" + hub_->agency(0).code,
        R"({"name":")" + hub_->agency(0).name + R"(","signer_cas":[")" + fingerprint + R"("]})");
    ASSERT_EQ(bound.status, 200) << bound.body;
  }
  // A signer of agency 0's under the issuing CA.
  Issued signer(const std::string& name, const std::string& ocsp_url = "") {
    return pki_.issue(signing_ca_, name,
                      {.agency_code = hub_->agency(0).code, .ocsp_url = ocsp_url});
  }
  testing::HttpResult submit_signed_by(const Issued& signer) {
    return hub_->agency_request(0, "POST", "/v1/packages",
                                hub_->sign(signer, hub_->new_package(0, {1})));
  }

  testing::TempDir directory_;
  testing::TestPki pki_;
  Issued signing_root_, signing_ca_;
  CrlServer crl_server_;
  std::optional<HubProcess> hub_;
};

TEST_F(SignerRevocationTest, ASignerNoCrlCoversIsAskedAboutByOcsp) {
  HubProcess& hub = start_hub("ocsp = true\n");
  testing::OcspResponder responder(directory_.path());
  Issued good = signer("good-signer", responder.url());
  Issued revoked = signer("revoked-signer", responder.url());
  Issued unanswered = signer("signer-without-responder");
  responder.start(signing_ca_, {good}, {revoked});
  start_and_bind_signing_ca();

  EXPECT_EQ(submit_signed_by(good).status, 201);
  auto refused = submit_signed_by(revoked);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(error_code(refused), "signature.certificate_revoked") << refused.body;
  // Neither CRL nor OCSP: the default policy refuses.
  auto unknown = submit_signed_by(unanswered);
  EXPECT_EQ(error_code(unknown), "signature.crl_unavailable") << unknown.body;
  EXPECT_TRUE(metrics_show(hub, "truc_revocation_ocsp_total{outcome=\"fetched\"} 2"));
  EXPECT_TRUE(metrics_show(hub, "truc_revocation_ocsp_total{outcome=\"failed\"} 1"));
  EXPECT_TRUE(metrics_show(hub, "truc_revocation_when_unknown{policy=\"refuse\"} 1"));
  auto detail = readiness_detail(hub);
  EXPECT_EQ(detail["ocsp"], true);
  EXPECT_EQ(detail["when_unknown"], "refuse");
  EXPECT_EQ(hub.stop(), 0);
}

TEST_F(SignerRevocationTest, ASignerNothingVouchesForIsAcceptedAndFlaggedWhenThePolicySaysSo) {
  HubProcess& hub = start_hub("when_unknown = \"accept_and_flag\"\n");
  Issued unanswered = signer("signer-without-responder");
  start_and_bind_signing_ca();

  auto accepted = submit_signed_by(unanswered);
  EXPECT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_TRUE(metrics_show(hub, "truc_revocation_unknown_accepted_total 1"));
  auto detail = readiness_detail(hub);
  EXPECT_EQ(detail["status"], "degraded");
  EXPECT_EQ(detail["when_unknown"], "accept_and_flag");
  EXPECT_EQ(detail["unknown_accepted"], 1);
  EXPECT_EQ(hub.stop(), 0);
}

}  // namespace
}  // namespace truc
