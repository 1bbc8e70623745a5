// The evidence sealer against a real migrated PostgreSQL and a real `openssl ts` authority:
// batches are sealed with the hub key and stamped; with the TSA down, acceptance goes on and the
// batches are stamped once it is back.

#include <gtest/gtest.h>

#include "truc/common/base64.hpp"
#include "truc/evidence/container.hpp"
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

class EvidenceContainer : public Sealer {
 protected:
  // A document, a status about it and its acknowledgement, sealed and stamped, exported.
  evidence::Container exported() {
    auto document = fixture_.package(0, {1});
    id_ = fixture_.send(0, fixture_.signed_bytes(document));
    fixture_.send(
        1, fixture_.signed_bytes(fixture_.status(1, document, edxml::StatusCode::arrived), 1));
    EXPECT_TRUE(fixture_.hub().acknowledge(fixture_.caller(1), id_));
    SealRound sealed = round();
    EXPECT_EQ(sealed.stamped, 1u);
    auto container = fixture_.hub().evidence(id_);
    EXPECT_TRUE(container) << container.error().to_string();
    return container ? std::move(*container) : evidence::Container{};
  }

  evidence::ContainerTrust trust() const {
    return {{fixture_.ca().certificate}, {tsa_ca_.certificate}};
  }

  // The detail of the first broken link, or "verified".
  std::string broken_link(const std::string& text) const {
    auto decoded = evidence::decode_container(text);
    if (!decoded) return decoded.error().code + " " + decoded.error().detail;
    auto verified = evidence::verify_container(*decoded, trust());
    return verified ? "verified" : verified.error().code + " " + verified.error().detail;
  }
  std::string broken_link(const evidence::Container& container) const {
    return broken_link(evidence::encode_container(container));
  }

  std::string id_;
};

TEST_F(EvidenceContainer, IsNotSealedBeforeTheFirstSeal) {
  std::string id = fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  auto container = fixture_.hub().evidence(id);
  ASSERT_FALSE(container);
  EXPECT_EQ(container.error().code, "evidence.not_sealed");
}

TEST_F(EvidenceContainer, ExportedContainerVerifiesOffline) {
  evidence::Container container = exported();
  EXPECT_EQ(container.packages.size(), 2u) << "the document and its status";
  EXPECT_EQ(container.entries.size(), 3u);
  auto decoded = evidence::decode_container(evidence::encode_container(container));
  ASSERT_TRUE(decoded) << decoded.error().to_string();
  auto verified = evidence::verify_container(*decoded, trust());
  ASSERT_TRUE(verified) << verified.error().to_string();
  EXPECT_EQ(verified->entries, 3u);
  EXPECT_NE(verified->package_signer.find(fixture_.agency(0).code), std::string::npos);

  auto without_tsa_ca = evidence::verify_container(*decoded, {{fixture_.ca().certificate}, {}});
  ASSERT_FALSE(without_tsa_ca);
  EXPECT_EQ(without_tsa_ca.error().detail, "timestamp");
}

TEST_F(EvidenceContainer, NamesTheBrokenLinkOfEachChangedPart) {
  evidence::Container container = exported();
  ASSERT_EQ(broken_link(container), "verified");

  auto changed = container;
  changed.packages[0].bytes[changed.packages[0].bytes.size() / 2] ^= 1;
  EXPECT_EQ(broken_link(changed), "evidence.verify_failed package");
  changed = container;
  changed.packages[1].bytes[changed.packages[1].bytes.size() / 2] ^= 1;
  EXPECT_EQ(broken_link(changed),
            "evidence.verify_failed package bytes of " + changed.packages[1].message_id);
  changed = container;
  changed.entries[1].actor += "x";
  EXPECT_EQ(broken_link(changed),
            "evidence.verify_failed entry " + std::to_string(changed.entries[1].seq));
  changed = container;
  changed.entries.erase(changed.entries.begin() + 1);
  EXPECT_EQ(broken_link(changed),
            "evidence.verify_failed chain at entry " + std::to_string(container.entries[2].seq));
  changed = container;
  changed.batch.seal_signature[3] ^= 1;
  EXPECT_EQ(broken_link(changed), "evidence.verify_failed seal");
  changed = container;
  (*changed.batch.tsa_token)[changed.batch.tsa_token->size() - 10] ^= 1;
  EXPECT_EQ(broken_link(changed), "evidence.verify_failed timestamp");
}

TEST_F(EvidenceContainer, OneByteChangedAnywhereFailsToVerify) {
  std::string text = evidence::encode_container(exported());
  ASSERT_EQ(broken_link(text), "verified");
  // Every position would take minutes under the sanitizers; a stride coprime to the base64
  // line of the PEM and to the field lengths visits every part of the file.
  for (std::size_t position = 0; position < text.size(); position += 13) {
    std::string changed = text;
    changed[position] = static_cast<char>(changed[position] ^ 1);
    std::string link = broken_link(changed);
    EXPECT_NE(link, "verified") << "byte " << position << " ('" << text[position] << "') of "
                                << text.size() << " in …" << text.substr(position - 40, 80);
  }
}

}  // namespace
}  // namespace truc::hub
