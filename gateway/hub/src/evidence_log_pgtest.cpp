// The evidence log as the hub core writes it: one chained entry per accepted package, status and
// delivery outcome, in the transaction of the outcome, against a real migrated PostgreSQL.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "truc/common/digest.hpp"
#include "truc/testing/hub_fixture.hpp"

namespace truc::hub {
namespace {

using ::testing::ElementsAre;

class EvidenceLog : public ::testing::Test {
 protected:
  std::vector<evidence::Entry> all_entries() {
    auto lease = fixture_.database().acquire();
    EXPECT_TRUE(lease);
    auto entries = store::Repository(**lease).evidence_entries(1, 1'000'000);
    EXPECT_TRUE(entries) << entries.error().to_string();
    return entries ? std::move(*entries) : std::vector<evidence::Entry>{};
  }

  static std::vector<std::string> kinds_of(const std::vector<evidence::Entry>& entries) {
    std::vector<std::string> kinds;
    for (const auto& entry : entries) kinds.push_back(entry.kind);
    return kinds;
  }

  testing::HubFixture fixture_;
};

TEST_F(EvidenceLog, ChainsAnEntryForEachAcceptedPackageStatusAndOutcome) {
  auto document = fixture_.package(0, {1, 2});
  std::string bytes = fixture_.signed_bytes(document);
  std::string id = fixture_.send(0, bytes);
  ASSERT_TRUE(fixture_.hub().acknowledge(fixture_.caller(1), id));
  ASSERT_TRUE(fixture_.hub().refuse(fixture_.caller(2), id, "Sai địa chỉ nhận"));
  std::string status_id = fixture_.send(
      1, fixture_.signed_bytes(fixture_.status(1, document, edxml::StatusCode::arrived), 1));

  auto entries = all_entries();
  EXPECT_THAT(kinds_of(entries), ElementsAre("package.accepted", "delivery.acked",
                                             "delivery.nacked", "status.accepted"));
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].message_id, id);
  EXPECT_EQ(entries[0].actor, fixture_.agency(0).code);
  EXPECT_EQ(entries[0].recipient_code, "");
  EXPECT_EQ(entries[0].package_sha256, sha256_hex(bytes));
  EXPECT_EQ(entries[1].actor, fixture_.agency(1).code);
  EXPECT_EQ(entries[1].recipient_code, fixture_.agency(1).code);
  EXPECT_EQ(entries[2].recipient_code, fixture_.agency(2).code);
  EXPECT_EQ(entries[3].message_id, status_id);

  EXPECT_EQ(entries[0].previous_hash, evidence::kGenesisHash);
  for (std::size_t index = 0; index < entries.size(); ++index) {
    EXPECT_EQ(entries[index].seq, static_cast<std::int64_t>(index + 1));
    EXPECT_EQ(entries[index].entry_hash, evidence::compute_entry_hash(entries[index]))
        << "entry " << entries[index].seq << " as stored hashes to what it says";
    if (index > 0) {
      EXPECT_EQ(entries[index].previous_hash, entries[index - 1].entry_hash);
      EXPECT_GE(entries[index].recorded_at, entries[index - 1].recorded_at);
    }
  }
}

TEST_F(EvidenceLog, RecordsTheRecallOfADelivery) {
  auto original = fixture_.package(0, {2});
  std::string original_id = fixture_.send(0, fixture_.signed_bytes(original));
  fixture_.send(0, fixture_.signed_bytes(fixture_.recall(0, {2}, original)));
  fixture_.send(2,
                fixture_.signed_bytes(fixture_.status(2, original, edxml::StatusCode::agreed), 2));

  auto entries = all_entries();
  EXPECT_THAT(kinds_of(entries), ElementsAre("package.accepted", "package.accepted",
                                             "delivery.recalled", "status.accepted"));
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[2].message_id, original_id);
  EXPECT_EQ(entries[2].recipient_code, fixture_.agency(2).code);
}

TEST_F(EvidenceLog, WritesNoEntryForARefusedPackage) {
  auto refused = fixture_.submit(1, fixture_.signed_bytes(fixture_.package(0, {1})));
  ASSERT_FALSE(refused);
  EXPECT_TRUE(all_entries().empty());
}

TEST_F(EvidenceLog, RefusesToChangeOrDeleteAnEntry) {
  fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  auto lease = fixture_.database().acquire();
  ASSERT_TRUE(lease);
  auto changed = (*lease)->execute("UPDATE evidence_entries SET actor = 'someone else'");
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, "store.check_violation");
  auto deleted = (*lease)->execute("DELETE FROM evidence_entries");
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, "store.check_violation");
}

}  // namespace
}  // namespace truc::hub
