#include "truc/security/ocsp.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <fstream>
#include <sstream>

#include "truc/security/trust_store.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::security {
namespace {

using namespace std::chrono_literals;

Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A port nobody listens on right now (bound once by the kernel's choice, then released).
std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

std::string hex_serial(const std::string& decimal) {
  std::ostringstream text;
  text << std::uppercase << std::hex << std::stol(decimal);
  std::string hex = text.str();
  return hex.size() % 2 == 1 ? "0" + hex : hex;
}

// `openssl ocsp` as the CA's responder, answering from an OpenSSL CA index: `good` valid,
// `revoked` revoked; anything else unknown.
class OcspTest : public ::testing::Test {
 protected:
  OcspTest() : pki_(directory_.path() / "pki"), port_(free_port()) {
    root_ = pki_.create_ca("root");
    ca_ = pki_.issue(root_, "ca", {.is_ca = true});
    testing::CertificateSpec spec;
    spec.ocsp_url = "http://127.0.0.1:" + std::to_string(port_);
    good_ = pki_.issue(ca_, "good", spec);
    revoked_ = pki_.issue(ca_, "revoked", spec);
    unknown_ = pki_.issue(ca_, "unknown", spec);
    testing::CertificateSpec silent;
    silent.ocsp_url = "http://127.0.0.1:" + std::to_string(free_port());
    unreachable_ = pki_.issue(ca_, "unreachable", silent);
    no_responder_ = pki_.issue(ca_, "no-responder", {});
    auto index = directory_.path() / "index.txt";
    std::ofstream(index) << "V\t301231235959Z\t\t" << hex_serial(good_.serial)
                         << "\tunknown\t/CN=good\n"
                         << "R\t301231235959Z\t240101000000Z\t" << hex_serial(revoked_.serial)
                         << "\tunknown\t/CN=revoked\n";
    responder_ = std::make_unique<testing::ChildProcess>(std::vector<std::string>{
        "sh", "-c",
        "exec openssl ocsp -port " + std::to_string(port_) + " -index " + index.string() + " -CA " +
            ca_.certificate.string() + " -rsigner " + ca_.certificate.string() + " -rkey " +
            ca_.key.string() + " -nmin 60 1>&2"});
    EXPECT_TRUE(responder_->wait_for_line("ACCEPT", 20s)) << responder_->stderr_text();
  }

  static Certificate load(const testing::Issued& issued) {
    return *Certificate::from_pem(issued.certificate_pem);
  }

  std::string verdict(OcspChecker& checker, const testing::Issued& issued) {
    Status checked = checker.check(load(issued), load(ca_), now());
    return checked ? "ok" : checked.error().code;
  }

  testing::TempDir directory_;
  testing::TestPki pki_;
  std::uint16_t port_;
  testing::Issued root_, ca_, good_, revoked_, unknown_, unreachable_, no_responder_;
  std::unique_ptr<testing::ChildProcess> responder_;
};

TEST_F(OcspTest, ReadsTheResponderFromAuthorityInformationAccess) {
  EXPECT_EQ(ocsp_responder_url(load(good_)), "http://127.0.0.1:" + std::to_string(port_));
  EXPECT_EQ(ocsp_responder_url(load(no_responder_)), "");
}

TEST_F(OcspTest, TheRespondersWordDecides) {
  OcspChecker checker;
  EXPECT_EQ(verdict(checker, good_), "ok");
  EXPECT_EQ(verdict(checker, revoked_), "certificate.revoked");
  EXPECT_EQ(verdict(checker, unknown_), "revocation.ocsp_unavailable");
  EXPECT_EQ(verdict(checker, unreachable_), "revocation.ocsp_unavailable");
  EXPECT_EQ(verdict(checker, no_responder_), "revocation.ocsp_unavailable");
  EXPECT_EQ(checker.stats().requests, 2u);
  EXPECT_EQ(checker.stats().failures, 3u);
}

TEST_F(OcspTest, AnswersAreKeptUpToTheirMaximumAge) {
  OcspChecker checker({.max_age = 600s});
  EXPECT_EQ(verdict(checker, good_), "ok");
  EXPECT_EQ(verdict(checker, revoked_), "certificate.revoked");
  responder_.reset();  // the responder goes away; the answers stand
  EXPECT_EQ(verdict(checker, good_), "ok");
  EXPECT_EQ(verdict(checker, revoked_), "certificate.revoked");
  EXPECT_EQ(checker.stats().cache_hits, 2u);
  // Past the maximum age the cached answer is not used: the responder is asked, and is gone.
  Status later = checker.check(load(good_), load(ca_), now() + 601s);
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().code, "revocation.ocsp_unavailable");
}

TEST_F(OcspTest, AnAnswerAboutAnotherIssuersCertificateIsNotTaken) {
  auto other = pki_.create_ca("other");
  OcspChecker checker;
  // Asked as if `other` had issued it: the responder (for `ca`) cannot vouch for it.
  Status checked = checker.check(load(good_), load(other), now());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, "revocation.ocsp_unavailable");
}

TEST_F(OcspTest, ASignerWithoutACurrentCrlIsAskedAboutByOcspAndThePolicyDecidesTheRest) {
  // The root's CRL covers the root and the issuing CA; the issuing CA publishes no CRL.
  auto root_crl = CrlSet::load_files({pki_.create_crl(root_, {}, "root")});
  ASSERT_TRUE(root_crl);
  auto crls = std::make_shared<CurrentCrls>(*root_crl);
  auto ocsp = std::make_shared<OcspChecker>();
  auto verdict_of = [&](const testing::Issued& issued, std::shared_ptr<OcspChecker> checker,
                        RevocationPolicy policy, std::uint64_t* flagged = nullptr) {
    auto store = TrustStore::load({{root_.certificate}, {}, {}, crls, checker, policy});
    EXPECT_TRUE(store) << store.error().to_string();
    std::vector<Certificate> helpers{load(ca_)};
    Status verified = store->verify(load(issued), helpers, now());
    if (flagged != nullptr) *flagged = store->accepted_without_revocation();
    return verified ? std::string("ok") : verified.error().code;
  };
  EXPECT_EQ(verdict_of(good_, ocsp, RevocationPolicy::refuse), "ok");
  EXPECT_EQ(verdict_of(revoked_, ocsp, RevocationPolicy::refuse), "certificate.revoked");
  EXPECT_EQ(verdict_of(unknown_, ocsp, RevocationPolicy::refuse), "certificate.crl_unavailable");
  EXPECT_EQ(verdict_of(good_, nullptr, RevocationPolicy::refuse), "certificate.crl_unavailable");
  std::uint64_t flagged = 0;
  EXPECT_EQ(verdict_of(unknown_, ocsp, RevocationPolicy::accept_and_flag, &flagged), "ok");
  EXPECT_EQ(flagged, 1u);
  // A revoked answer is never overridden by the policy.
  EXPECT_EQ(verdict_of(revoked_, ocsp, RevocationPolicy::accept_and_flag), "certificate.revoked");
  // Only the end entity may fall back: the issuing CA still needs the root's current CRL.
  crls->replace(std::make_shared<const CrlSet>());
  EXPECT_EQ(verdict_of(good_, ocsp, RevocationPolicy::accept_and_flag),
            "certificate.crl_unavailable");
}

}  // namespace
}  // namespace truc::security
