#include "truc/security/certificate.hpp"

#include <gtest/gtest.h>

#include "truc/security/trust_store.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::security {
namespace {

using std::chrono::hours;

Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

class CertificateTest : public ::testing::Test {
 protected:
  CertificateTest() : pki_(directory_.path()), ca_(pki_.create_ca("root-ca")) {}

  TrustStore trust(std::vector<std::filesystem::path> crls = {}) {
    auto store = TrustStore::load({{ca_.certificate}, {}, std::move(crls)});
    EXPECT_TRUE(store) << store.error().to_string();
    return std::move(*store);
  }

  static Certificate load(const testing::Issued& issued) {
    return *Certificate::from_pem(issued.certificate_pem);
  }

  std::string verdict(const testing::Issued& issued, std::vector<std::filesystem::path> crls = {}) {
    Status verified = trust(std::move(crls)).verify(load(issued), {}, now());
    return verified ? "ok" : verified.error().code;
  }

  testing::TempDir directory_;
  testing::TestPki pki_;
  testing::Issued ca_;
};

TEST_F(CertificateTest, ReadsSubjectAgencyCodeAndValidity) {
  auto issued = pki_.issue(ca_, "agency",
                           {.common_name = "Văn phòng UBND tỉnh", .agency_code = "000.00.00.H41"});
  Certificate certificate = load(issued);
  EXPECT_EQ(certificate.agency_code(), "000.00.00.H41");
  EXPECT_NE(certificate.subject().find("CN=Văn phòng UBND tỉnh"), std::string::npos)
      << certificate.subject();
  EXPECT_LT(certificate.not_before(), now());
  EXPECT_GT(certificate.not_after(), now() + hours(24 * 300));
  EXPECT_EQ(certificate.sha256_fingerprint().size(), 64u);
  EXPECT_TRUE(certificate.allows_document_signing());
  auto again = Certificate::from_der(certificate.der());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->subject(), certificate.subject());
}

TEST_F(CertificateTest, KeyUsageMustAllowSigningWhenPresent) {
  EXPECT_FALSE(
      load(pki_.issue(ca_, "tls", {.key_usage = "keyEncipherment"})).allows_document_signing());
  EXPECT_TRUE(load(pki_.issue(ca_, "any", {.key_usage = ""})).allows_document_signing());
}

TEST_F(CertificateTest, TrustStoreSaysWhyAChainFails) {
  EXPECT_EQ(verdict(pki_.issue(ca_, "good", {})), "ok");
  EXPECT_EQ(
      verdict(pki_.issue(ca_, "expired", {.valid_from = -hours(48), .valid_until = -hours(24)})),
      "certificate.expired");
  EXPECT_EQ(verdict(pki_.issue(ca_, "future", {.valid_from = hours(24), .valid_until = hours(48)})),
            "certificate.not_yet_valid");
  auto other_ca = pki_.create_ca("other-ca");
  EXPECT_EQ(verdict(pki_.issue(other_ca, "stranger", {})), "certificate.untrusted");
}

TEST_F(CertificateTest, TrustStoreChecksRevocationWhenGivenCrls) {
  auto revoked = pki_.issue(ca_, "revoked", {});
  auto kept = pki_.issue(ca_, "kept", {});
  auto crl = pki_.create_crl(ca_, {revoked}, "root-ca");
  EXPECT_EQ(verdict(revoked, {crl}), "certificate.revoked");
  EXPECT_EQ(verdict(kept, {crl}), "ok");
  EXPECT_EQ(verdict(revoked), "ok");

  auto other_ca = pki_.create_ca("other-ca");
  auto other_crl = pki_.create_crl(other_ca, {}, "other-ca");
  EXPECT_EQ(verdict(kept, {other_crl}), "certificate.crl_unavailable");
}

TEST_F(CertificateTest, ASignerUnderARevokedIntermediateIsRefused) {
  auto intermediate = pki_.issue(ca_, "intermediate", {.is_ca = true});
  auto leaf = pki_.issue(intermediate, "leaf", {});
  std::vector<Certificate> helpers{load(intermediate)};
  auto intermediate_crl = pki_.create_crl(intermediate, {}, "intermediate");
  auto chain_verdict = [&](std::vector<std::filesystem::path> crls) {
    Status verified = trust(std::move(crls)).verify(load(leaf), helpers, now());
    return verified ? "ok" : verified.error().code;
  };
  EXPECT_EQ(chain_verdict({pki_.create_crl(ca_, {}, "root"), intermediate_crl}), "ok");
  EXPECT_EQ(
      chain_verdict({pki_.create_crl(ca_, {intermediate}, "root-revoking"), intermediate_crl}),
      "certificate.revoked");
  // Every link needs a current CRL, not only the leaf.
  EXPECT_EQ(chain_verdict({intermediate_crl}), "certificate.crl_unavailable");
}

TEST_F(CertificateTest, ACrlPublishedAfterLoadingAppliesToTheNextVerification) {
  auto leaf = pki_.issue(ca_, "leaf", {});
  auto first = CrlSet::load_files({pki_.create_crl(ca_, {}, "first")});
  ASSERT_TRUE(first) << first.error().to_string();
  auto current = std::make_shared<CurrentCrls>(*first);
  auto store = TrustStore::load({{ca_.certificate}, {}, {}, current});
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_TRUE(store->verify(load(leaf), {}, now()));

  auto second = CrlSet::load_files({pki_.create_crl(ca_, {leaf}, "second")});
  ASSERT_TRUE(second);
  current->replace(*second);
  Status verified = store->verify(load(leaf), {}, now());
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, "certificate.revoked");
}

TEST_F(CertificateTest, TrustStoreUsesIntermediatesOnlyAsHelpers) {
  auto intermediate = pki_.issue(ca_, "intermediate", {.is_ca = true});
  auto leaf = pki_.issue(intermediate, "leaf", {});
  auto store = trust();
  EXPECT_FALSE(store.verify(load(leaf), {}, now()));
  std::vector<Certificate> helpers{load(intermediate)};
  EXPECT_TRUE(store.verify(load(leaf), helpers, now()));
}

TEST_F(CertificateTest, LoadingFailsClearlyOnBadFiles) {
  auto missing = TrustStore::load({{directory_.path() / "absent.pem"}, {}, {}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "io.open");
  auto garbage = directory_.write("garbage.pem", "not a certificate");
  auto invalid = TrustStore::load({{garbage}, {}, {}});
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, "certificate.invalid");
  auto key = PrivateKey::from_pem("nope");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, "key.invalid");
}

}  // namespace
}  // namespace truc::security
