#include "truc/security/ocsp.hpp"

#include <gtest/gtest.h>

#include "truc/security/trust_store.hpp"
#include "truc/testing/ocsp_responder.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::security {
namespace {

using namespace std::chrono_literals;

Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// `openssl ocsp` as the issuing CA's responder: `good` valid, `revoked` revoked, anything else
// unknown.
class OcspTest : public ::testing::Test {
 protected:
  OcspTest() : pki_(directory_.path() / "pki"), responder_(directory_.path()) {
    root_ = pki_.create_ca("root");
    ca_ = pki_.issue(root_, "ca", {.is_ca = true});
    testing::CertificateSpec spec;
    spec.ocsp_url = responder_.url();
    good_ = pki_.issue(ca_, "good", spec);
    revoked_ = pki_.issue(ca_, "revoked", spec);
    unknown_ = pki_.issue(ca_, "unknown", spec);
    testing::CertificateSpec silent;
    silent.ocsp_url = "http://127.0.0.1:" + std::to_string(testing::free_port());
    unreachable_ = pki_.issue(ca_, "unreachable", silent);
    no_responder_ = pki_.issue(ca_, "no-responder", {});
    responder_.start(ca_, {good_}, {revoked_});
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
  testing::OcspResponder responder_;
  testing::Issued root_, ca_, good_, revoked_, unknown_, unreachable_, no_responder_;
};

TEST_F(OcspTest, ReadsTheResponderFromAuthorityInformationAccess) {
  EXPECT_EQ(ocsp_responder_url(load(good_)), responder_.url());
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
  responder_.stop();  // the responder goes away; the answers stand
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
