// Seals and RFC 3161 timestamps of evidence batches, against keys of a generated PKI and a real
// `openssl ts` time-stamping authority.

#include "truc/evidence/seal.hpp"

#include <gtest/gtest.h>

#include "truc/evidence/timestamp.hpp"
#include "truc/security/http_exchange.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"
#include "truc/testing/tsa_server.hpp"

namespace truc::evidence {
namespace {

class Seal : public ::testing::Test {
 protected:
  Seal()
      : pki_(directory_.path()),
        ca_(pki_.create_ca("Evidence CA")),
        hub_(pki_.issue(ca_, "hub", {.common_name = "Trục hub"})),
        tsa_ca_(pki_.create_ca("TSA CA")),
        tsa_(testing::issue_tsa_certificate(pki_, tsa_ca_, "tsa"), directory_.path() / "tsa") {}

  security::PrivateKey hub_key() const { return *security::PrivateKey::from_pem(hub_.key_pem); }
  security::Certificate hub_certificate() const {
    return *security::Certificate::from_pem(hub_.certificate_pem);
  }
  std::vector<security::Certificate> tsa_anchor() const {
    return {*security::Certificate::from_pem(tsa_ca_.certificate_pem)};
  }

  Result<std::string> stamp(std::string_view imprint) {
    auto request = make_timestamp_request(imprint);
    if (!request) return std::move(request).error();
    auto reply = security::http_exchange(tsa_.url(), request->der, "application/timestamp-query",
                                         std::chrono::seconds(10), 1 << 20);
    if (!reply) return std::move(reply).error();
    return token_from_reply(*request, *reply);
  }

  testing::TempDir directory_;
  testing::TestPki pki_;
  testing::Issued ca_;
  testing::Issued hub_;
  testing::Issued tsa_ca_;
  testing::TsaServer tsa_;
};

TEST_F(Seal, BatchStatementIsTheDocumentedEncoding) {
  EXPECT_EQ(batch_statement(3, 12, "ab"), "truc-evidence-batch/1\n1:3\n2:12\n2:ab\n");
}

TEST_F(Seal, VerifiesItsOwnSignatureAndRefusesAnotherStatement) {
  std::string statement = batch_statement(1, 4, std::string(64, 'a'));
  auto signature = sign_statement(hub_key(), statement);
  ASSERT_TRUE(signature) << signature.error().to_string();
  EXPECT_TRUE(verify_statement(hub_certificate(), statement, *signature));

  auto other =
      verify_statement(hub_certificate(), batch_statement(1, 5, std::string(64, 'a')), *signature);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "evidence.seal_invalid");
}

TEST_F(Seal, TimestampsTheSealAndVerifiesTheTokenAgainstTheTsaCa) {
  std::string imprint = timestamp_imprint("a seal signature");
  auto token = stamp(imprint);
  ASSERT_TRUE(token) << token.error().to_string();

  auto stamped = verify_timestamp_token(*token, imprint, tsa_anchor());
  ASSERT_TRUE(stamped) << stamped.error().to_string();
  EXPECT_NE(stamped->tsa_subject.find("Trục test TSA tsa"), std::string::npos);
  auto age = now_timestamp() - stamped->generated_at;
  EXPECT_LT(std::chrono::abs(age), std::chrono::minutes(5));
}

TEST_F(Seal, RefusesATokenForAnotherImprintOrFromAnUntrustedTsa) {
  std::string imprint = timestamp_imprint("a seal signature");
  auto token = stamp(imprint);
  ASSERT_TRUE(token) << token.error().to_string();

  auto other = verify_timestamp_token(*token, timestamp_imprint("another"), tsa_anchor());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "evidence.timestamp_invalid");
  auto untrusted = verify_timestamp_token(*token, imprint,
                                          {*security::Certificate::from_pem(ca_.certificate_pem)});
  ASSERT_FALSE(untrusted);
  EXPECT_EQ(untrusted.error().code, "evidence.timestamp_invalid");
}

TEST_F(Seal, RefusesAReplyThatAnswersAnotherRequest) {
  auto first = make_timestamp_request(timestamp_imprint("first"));
  auto second = make_timestamp_request(timestamp_imprint("second"));
  ASSERT_TRUE(first && second);
  auto reply = security::http_exchange(tsa_.url(), first->der, "application/timestamp-query",
                                       std::chrono::seconds(10), 1 << 20);
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_TRUE(token_from_reply(*first, *reply));
  auto mismatched = token_from_reply(*second, *reply);
  ASSERT_FALSE(mismatched);
  EXPECT_EQ(mismatched.error().code, "evidence.tsa_refused");
}

TEST_F(Seal, ATsaThatIsDownAnswersNoToken) {
  tsa_.set_available(false);
  auto token = stamp(timestamp_imprint("a seal signature"));
  EXPECT_FALSE(token);
}

}  // namespace
}  // namespace truc::evidence
