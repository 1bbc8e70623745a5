// The evidence sealer against a real migrated PostgreSQL and a real `openssl ts` authority:
// batches are sealed with the hub key and stamped; with the TSA down, acceptance goes on and the
// batches are stamped once it is back.

#include <gtest/gtest.h>

#include "truc/common/base64.hpp"
#include "truc/evidence/seal.hpp"
#include "truc/evidence/timestamp.hpp"
#include "truc/hub/evidence_sealer.hpp"
#include "truc/testing/hub_fixture.hpp"
#include "truc/testing/tsa_server.hpp"
#include "truc/tsa/http_timestamp_authority.hpp"

namespace truc::hub {
namespace {

class CountingEvidenceMetrics final : public EvidenceMetrics {
 public:
  void batch_sealed(std::int64_t entries) override { sealed_entries += entries; }
  void batch_stamped() override { ++stamped; }
  void stamp_failed() override { ++failures; }
  void unstamped_batches(std::int64_t count) override { unstamped = count; }

  std::int64_t sealed_entries = 0;
  int stamped = 0;
  int failures = 0;
  std::int64_t unstamped = -1;
};

class Sealer : public ::testing::Test {
 protected:
  Sealer()
      : hub_signer_(fixture_.pki().issue(fixture_.ca(), "hub-seal", {.common_name = "Trục hub"})),
        tsa_ca_(fixture_.pki().create_ca("TSA CA")),
        tsa_(testing::issue_tsa_certificate(fixture_.pki(), tsa_ca_, "tsa"),
             fixture_.pki().directory() / "tsa"),
        authority_(tsa_.url(), std::chrono::seconds(10)),
        sealer_(SealerSettings{*security::PrivateKey::from_pem(hub_signer_.key_pem),
                               {*security::Certificate::from_pem(hub_signer_.certificate_pem)}},
                fixture_.database(), authority_, metrics_) {}

  SealRound round() {
    auto done = sealer_.run_once();
    EXPECT_TRUE(done) << done.error().to_string();
    return done ? std::move(*done) : SealRound{};
  }

  std::optional<store::EvidenceBatch> batch_holding(std::int64_t seq) {
    auto lease = fixture_.database().acquire();
    auto batch = store::Repository(**lease).evidence_batch_holding(seq);
    EXPECT_TRUE(batch) << batch.error().to_string();
    return batch ? *batch : std::nullopt;
  }

  testing::HubFixture fixture_;
  testing::Issued hub_signer_;
  testing::Issued tsa_ca_;
  testing::TsaServer tsa_;
  tsa::HttpTimestampAuthority authority_;
  CountingEvidenceMetrics metrics_;
  EvidenceSealer sealer_;
};

TEST_F(Sealer, SealsTheNewEntriesAndStampsTheBatch) {
  fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {2})));

  SealRound first = round();
  ASSERT_TRUE(first.sealed);
  EXPECT_EQ(first.sealed->first_seq, 1);
  EXPECT_EQ(first.sealed->last_seq, 2);
  EXPECT_EQ(first.stamped, 1u);
  EXPECT_EQ(first.unstamped, 0);
  EXPECT_EQ(metrics_.sealed_entries, 2);

  auto batch = batch_holding(2);
  ASSERT_TRUE(batch);
  ASSERT_TRUE(batch->tsa_token);
  auto signature = base64_decode(batch->seal_signature);
  ASSERT_TRUE(signature);
  EXPECT_TRUE(evidence::verify_statement(
      *security::Certificate::from_pem(hub_signer_.certificate_pem),
      evidence::batch_statement(batch->first_seq, batch->last_seq, batch->last_entry_hash),
      *signature));
  auto token = base64_decode(*batch->tsa_token);
  ASSERT_TRUE(token);
  EXPECT_TRUE(evidence::verify_timestamp_token(
      *token, evidence::timestamp_imprint(*signature),
      {*security::Certificate::from_pem(tsa_ca_.certificate_pem)}));

  SealRound idle = round();
  EXPECT_FALSE(idle.sealed) << "nothing new to seal";
  fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  SealRound next = round();
  ASSERT_TRUE(next.sealed);
  EXPECT_EQ(next.sealed->first_seq, 3);
  EXPECT_EQ(next.sealed->last_seq, 3);
}

TEST_F(Sealer, KeepsAcceptingWhileTheTsaIsDownAndStampsOnceItIsBack) {
  tsa_.set_available(false);
  fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  SealRound down = round();
  ASSERT_TRUE(down.sealed) << "sealing needs no TSA";
  ASSERT_TRUE(down.stamp_error);
  EXPECT_EQ(down.stamp_error->code, "evidence.tsa_unavailable");
  EXPECT_EQ(down.unstamped, 1);

  fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {2})));
  SealRound still_down = round();
  EXPECT_EQ(still_down.unstamped, 2);
  EXPECT_EQ(metrics_.failures, 2);
  EXPECT_EQ(metrics_.unstamped, 2);

  tsa_.set_available(true);
  SealRound back = round();
  EXPECT_FALSE(back.sealed);
  EXPECT_EQ(back.stamped, 2u);
  EXPECT_EQ(back.unstamped, 0);
  EXPECT_EQ(metrics_.unstamped, 0);
  EXPECT_TRUE(batch_holding(1)->tsa_token);
  EXPECT_TRUE(batch_holding(2)->tsa_token);
}

}  // namespace
}  // namespace truc::hub
