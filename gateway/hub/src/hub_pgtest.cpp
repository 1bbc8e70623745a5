// The hub core as its faces call it, against a real migrated PostgreSQL and a blob store on disk,
// without HTTP: what it accepts, where it delivers, how deliveries settle, who may see what.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "truc/common/digest.hpp"
#include "truc/testing/hub_fixture.hpp"

namespace truc::hub {
namespace {

using store::DeliveryState;
using store::PackageKind;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

// The error code of a refusal, or "ok".
template <typename Value>
std::string code_of(const Result<Value>& result) {
  return result ? "ok" : result.error().code;
}

class HubCore : public ::testing::Test {
 protected:
  std::vector<std::string> inbox(std::size_t agency, PackageKind kind = PackageKind::edoc) {
    auto page = hub().inbox(fixture_.caller(agency), kind, 0, 100);
    EXPECT_TRUE(page) << page.error().to_string();
    std::vector<std::string> ids;
    if (page) {
      for (const auto& entry : page->entries) ids.push_back(entry.package.id);
    }
    return ids;
  }

  PackageTrace trace_of(const std::string& id) {
    auto trace = hub().trace_any(id);
    EXPECT_TRUE(trace) << trace.error().to_string();
    return trace ? std::move(*trace) : PackageTrace{};
  }

  std::vector<std::string> events_of(const std::string& id) {
    std::vector<std::string> events;
    for (const auto& event : trace_of(id).events) events.push_back(event.event);
    return events;
  }

  const store::DeliveryRecord& delivery_to(const PackageTrace& trace, std::size_t agency) {
    for (const auto& delivery : trace.deliveries) {
      if (delivery.recipient_code == fixture_.agency(agency).code) return delivery;
    }
    throw std::runtime_error("no delivery to " + fixture_.agency(agency).code);
  }

  std::size_t stored_blobs() const {
    auto objects = fixture_.blobs().root() / "objects";
    if (!std::filesystem::exists(objects)) return 0;
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(objects))
      count += entry.is_regular_file() ? 1 : 0;
    return count;
  }

  Hub& hub() { return fixture_.hub(); }

  testing::HubFixture fixture_;
};

TEST_F(HubCore, AcceptsASignedPackageAndDeliversItToEachRecipient) {
  std::string bytes = fixture_.signed_bytes(fixture_.package(0, {1, 2}));
  auto spooled = fixture_.spool(bytes);
  auto submitted = hub().submit(fixture_.caller(0), spooled);
  ASSERT_TRUE(submitted) << submitted.error().to_string();

  const Receipt& receipt = submitted->receipt;
  EXPECT_TRUE(submitted->created);
  EXPECT_EQ(receipt.id.size(), 24u);
  EXPECT_EQ(receipt.sha256, sha256_hex(bytes));
  ASSERT_EQ(receipt.recipients.size(), 2u);
  EXPECT_EQ(receipt.recipients[0].organ_id, fixture_.agency(1).code);
  EXPECT_EQ(receipt.recipients[0].route, "local");
  EXPECT_EQ(receipt.recipients[1].organ_id, fixture_.agency(2).code);
  EXPECT_THAT(inbox(1), ElementsAre(receipt.id));
  EXPECT_THAT(inbox(2), ElementsAre(receipt.id));
  EXPECT_THAT(inbox(0), ElementsAre()) << "the sender is not a recipient";

  // Durable: the spooled file became the stored blob, the sender's bytes unchanged.
  EXPECT_FALSE(std::filesystem::exists(spooled));
  ASSERT_TRUE(fixture_.blobs().contains(receipt.sha256));
  EXPECT_TRUE(testing::read_file(fixture_.blobs().path_of(receipt.sha256)) == bytes);
  auto trace = trace_of(receipt.id);
  EXPECT_EQ(trace.package.signature, "verified");
  EXPECT_EQ(trace.package.face, "native");
  EXPECT_THAT(fixture_.metrics().accepted_kinds, ElementsAre("edoc"));
  EXPECT_EQ(fixture_.deliveries_changed(), 1) << "the push workers are woken once";
}

TEST_F(HubCore, SuppressesTheSameBytesSubmittedTwice) {
  std::string bytes = fixture_.signed_bytes(fixture_.package(0, {1}));
  auto first = fixture_.submit(0, bytes);
  auto second = fixture_.submit(0, bytes);
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->receipt.id, first->receipt.id) << "the same receipt";
  EXPECT_EQ(second->receipt.recipients.size(), 1u);
  EXPECT_THAT(inbox(1), ElementsAre(first->receipt.id)) << "delivered once";
  EXPECT_THAT(fixture_.metrics().accepted_kinds, ElementsAre("edoc"));
  EXPECT_THAT(fixture_.metrics().duplicates, ElementsAre("native"));
}

TEST_F(HubCore, RefusesADifferentDocumentUnderADocumentIdItAlreadyAccepted) {
  auto package = fixture_.package(0, {1});
  fixture_.send(0, fixture_.signed_bytes(package));
  package.subject += " (bản sửa)";
  auto again = fixture_.submit(0, fixture_.signed_bytes(package));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "package.duplicate_document_id");
}

TEST_F(HubCore, RefusesAPackageWhoseSenderIsNotTheCaller) {
  std::size_t blobs_before = stored_blobs();
  auto submitted = fixture_.submit(1, fixture_.signed_bytes(fixture_.package(0, {2})));
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, "auth.sender_mismatch");
  EXPECT_THAT(inbox(2), ElementsAre());
  EXPECT_EQ(stored_blobs(), blobs_before) << "nothing of a refused package is stored";
  EXPECT_THAT(fixture_.metrics().rejections, ElementsAre("auth.sender_mismatch"));
}

TEST_F(HubCore, RefusesAnUnknownRecipientAndStoresNothing) {
  auto package = fixture_.package(0, {1});
  package.to.front().organ_id = "000.00.09.H41";
  auto submitted = fixture_.submit(0, fixture_.signed_bytes(package));
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, "route.unknown_recipient");
  EXPECT_EQ(submitted.error().detail, "000.00.09.H41");
  EXPECT_EQ(stored_blobs(), 0u);
}

TEST_F(HubCore, RequiresTheSendersOwnSignatureUnderTheDefaultPolicy) {
  auto package = fixture_.package(2, {1});
  auto unsigned_package = fixture_.submit(2, fixture_.unsigned_bytes(package));
  ASSERT_FALSE(unsigned_package);
  EXPECT_EQ(unsigned_package.error().code, "signature.missing");
  // A valid signature, by another agency's certificate.
  auto foreign = fixture_.submit(2, fixture_.signed_bytes(package, 0));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, "signature.signer_mismatch");
}

// What the directory holds for agency `index`, changed by `change` and saved.
template <typename Change>
void update_agency(testing::HubFixture& fixture, std::size_t index, Change change) {
  auto agency = fixture.directory().get(fixture.agency(index).code);
  ASSERT_TRUE(agency) << agency.error().to_string();
  change(*agency);
  auto updated = fixture.directory().update(*agency);
  ASSERT_TRUE(updated) << updated.error().to_string();
}

std::string fingerprint_of(const testing::Issued& issued) {
  return security::Certificate::from_pem(issued.certificate_pem)->sha256_fingerprint();
}

TEST_F(HubCore, RefusesASignerFromAnotherTrustedCaCarryingTheSendersUid) {
  // The other CA is trusted and writes the sender's code as UID: the signature is valid, the
  // certificate trusted and its UID right, but nothing binds that CA to the agency.
  auto impostor = fixture_.pki().issue(
      fixture_.other_ca(), "impostor",
      {.common_name = fixture_.agency(0).name, .agency_code = fixture_.agency(0).code});
  auto package = fixture_.package(0, {1});
  auto submitted = fixture_.submit(0, fixture_.signed_with(package, impostor));
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, "signature.signer_not_bound");
  EXPECT_THAT(fixture_.metrics().rejections, Contains("signature.signer_not_bound"));
  EXPECT_TRUE(inbox(1).empty());
  // Without a recorded binding only the agency's registered certificates sign for it, even from
  // its own CA.
  auto unregistered = fixture_.pki().issue(
      fixture_.ca(), "unregistered",
      {.common_name = fixture_.agency(0).name, .agency_code = fixture_.agency(0).code});
  EXPECT_EQ(code_of(fixture_.submit(0, fixture_.signed_with(package, unregistered))),
            "signature.signer_not_bound");
  EXPECT_EQ(code_of(fixture_.submit(0, fixture_.signed_bytes(package))), "ok");
}

TEST_F(HubCore, AcceptsSignersFromTheCaOrTheCertificatesRecordedForTheAgency) {
  const testing::CertificateSpec spec{.common_name = fixture_.agency(0).name,
                                      .agency_code = fixture_.agency(0).code};
  auto token = fixture_.pki().issue(fixture_.other_ca(), "token", spec);
  update_agency(fixture_, 0, [&](store::Agency& agency) {
    agency.signer_cas = {fingerprint_of(fixture_.other_ca())};
  });
  EXPECT_EQ(code_of(fixture_.submit(0, fixture_.signed_with(fixture_.package(0, {1}), token))),
            "ok");
  // The binding replaces the registered-certificate default: the first CA no longer signs.
  EXPECT_EQ(code_of(fixture_.submit(0, fixture_.signed_bytes(fixture_.package(0, {1})))),
            "signature.signer_not_bound");

  auto chosen = fixture_.pki().issue(fixture_.other_ca(), "chosen", spec);
  auto another = fixture_.pki().issue(fixture_.other_ca(), "another", spec);
  update_agency(fixture_, 0, [&](store::Agency& agency) {
    agency.signer_cas.clear();
    agency.signer_certificates = {fingerprint_of(chosen)};
  });
  EXPECT_EQ(code_of(fixture_.submit(0, fixture_.signed_with(fixture_.package(0, {1}), chosen))),
            "ok");
  EXPECT_EQ(code_of(fixture_.submit(0, fixture_.signed_with(fixture_.package(0, {1}), another))),
            "signature.signer_not_bound");
  EXPECT_EQ(inbox(1).size(), 2u);
}

TEST_F(HubCore, RefusesSha1SignaturesUnlessTheAgencyIsAllowedThemAndCountsThoseAccepted) {
  const auto& sender = fixture_.agency(0);
  auto refused = fixture_.submit(
      0, fixture_.signed_with(fixture_.package(0, {1}), sender.certificate, {.legacy_sha1 = true}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "signature.algorithm_forbidden");
  EXPECT_TRUE(fixture_.metrics().sha1_accepted_from.empty());

  update_agency(fixture_, 0, [](store::Agency& agency) { agency.allow_sha1 = true; });
  auto accepted = fixture_.submit(
      0, fixture_.signed_with(fixture_.package(0, {1}), sender.certificate, {.legacy_sha1 = true}));
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  EXPECT_THAT(accepted->receipt.warnings, Contains("signature.weak_algorithm"));
  EXPECT_THAT(fixture_.metrics().sha1_accepted_from, ElementsAre(sender.code));
  // A SHA-256 signature is not counted; another agency is still refused SHA-1.
  EXPECT_EQ(code_of(fixture_.submit(0, fixture_.signed_bytes(fixture_.package(0, {1})))), "ok");
  EXPECT_THAT(fixture_.metrics().sha1_accepted_from, ElementsAre(sender.code));
  EXPECT_EQ(code_of(fixture_.submit(
                1, fixture_.signed_with(fixture_.package(1, {0}), fixture_.agency(1).certificate,
                                        {.legacy_sha1 = true}))),
            "signature.algorithm_forbidden");
}

TEST_F(HubCore, RefusesADocumentOfAnotherKindThanTheCallerDeclared) {
  auto spooled = fixture_.spool(fixture_.signed_bytes(fixture_.package(0, {1})));
  auto submitted = hub().submit(fixture_.caller(0), spooled, PackageKind::status);
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, "request.messagetype_mismatch");
}

TEST_F(HubCore, AcknowledgeSettlesOnceAndAnswersTheStateItLeft) {
  std::string id = fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  auto recipient = fixture_.caller(1);
  auto first = hub().acknowledge(recipient, id);
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(*first, DeliveryState::acked);
  EXPECT_EQ(*hub().acknowledge(recipient, id), DeliveryState::acked) << "idempotent";
  EXPECT_EQ(*hub().refuse(recipient, id, "quá muộn"), DeliveryState::acked)
      << "a settled delivery stays settled";

  EXPECT_THAT(inbox(1), ElementsAre());
  EXPECT_THAT(fixture_.metrics().settlements, ElementsAre(DeliveryState::acked));
  EXPECT_THAT(events_of(id), ElementsAre("received", "routed", "acked"));
}

TEST_F(HubCore, RefuseRecordsTheReason) {
  std::string id = fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  auto recipient = fixture_.caller(1);
  auto without_reason = hub().refuse(recipient, id, "");
  ASSERT_FALSE(without_reason);
  EXPECT_EQ(without_reason.error().code, "request.invalid_reason");

  auto refused = hub().refuse(recipient, id, "Sai địa chỉ nhận");
  ASSERT_TRUE(refused) << refused.error().to_string();
  EXPECT_EQ(*refused, DeliveryState::nacked);
  EXPECT_EQ(*hub().acknowledge(recipient, id), DeliveryState::nacked);
  auto trace = trace_of(id);
  EXPECT_EQ(delivery_to(trace, 1).state, DeliveryState::nacked);
  EXPECT_EQ(delivery_to(trace, 1).nack_reason, "Sai địa chỉ nhận");
  EXPECT_EQ(trace.events.back().event, "nacked");
  EXPECT_EQ(trace.events.back().detail, "Sai địa chỉ nhận");
}

TEST_F(HubCore, ARecallNeverOvertakesItsOriginal) {
  auto original = fixture_.package(0, {1});
  std::string original_id = fixture_.send(0, fixture_.signed_bytes(original));
  std::string recall_id =
      fixture_.send(0, fixture_.signed_bytes(fixture_.recall(0, {1}, original)));
  EXPECT_THAT(inbox(1), ElementsAre(original_id));
  ASSERT_TRUE(hub().acknowledge(fixture_.caller(1), original_id));
  EXPECT_THAT(inbox(1), ElementsAre(recall_id));
  EXPECT_THAT(events_of(original_id), Contains("recall_requested"));
}

TEST_F(HubCore, RecallAgreedTakesTheOriginalOutOfTheInbox) {
  auto original = fixture_.package(0, {2});
  std::string original_id = fixture_.send(0, fixture_.signed_bytes(original));
  fixture_.send(0, fixture_.signed_bytes(fixture_.recall(0, {2}, original)));
  std::string answer_id = fixture_.send(
      2, fixture_.signed_bytes(fixture_.status(2, original, edxml::StatusCode::agreed), 2));

  EXPECT_THAT(inbox(2), Not(Contains(original_id)));
  EXPECT_EQ(delivery_to(trace_of(original_id), 2).state, DeliveryState::recalled);
  EXPECT_THAT(events_of(original_id), Contains("recall_agreed"));
  EXPECT_THAT(events_of(original_id), Contains("recalled"));
  EXPECT_THAT(inbox(0, PackageKind::status), ElementsAre(answer_id))
      << "the sender learns the answer";
  EXPECT_THAT(fixture_.metrics().settlements, ElementsAre(DeliveryState::recalled));
}

TEST_F(HubCore, RefusesARecallOfADocumentTheSenderNeverSent) {
  auto never_sent = fixture_.package(0, {1});
  auto submitted = fixture_.submit(0, fixture_.signed_bytes(fixture_.recall(0, {1}, never_sent)));
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, "business.unknown_original");
}

TEST_F(HubCore, InboxPagesByCursor) {
  std::vector<std::string> sent;
  for (int index = 0; index < 3; ++index)
    sent.push_back(fixture_.send(2, fixture_.signed_bytes(fixture_.package(2, {0}))));
  auto caller = fixture_.caller(0);

  auto first = hub().inbox(caller, PackageKind::edoc, 0, 2);
  ASSERT_TRUE(first) << first.error().to_string();
  ASSERT_EQ(first->entries.size(), 2u);
  EXPECT_EQ(first->entries[0].package.id, sent[0]) << "oldest first";
  EXPECT_EQ(first->entries[1].package.id, sent[1]);
  EXPECT_THAT(first->entries[0].recipients, ElementsAre(fixture_.agency(0).code));
  ASSERT_TRUE(first->next_cursor) << "a full page has a next page";

  auto second = hub().inbox(caller, PackageKind::edoc, *first->next_cursor, 2);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->entries.size(), 1u);
  EXPECT_EQ(second->entries[0].package.id, sent[2]);
  EXPECT_FALSE(second->next_cursor) << "a page that is not full is the last";
  EXPECT_EQ(*hub().inbox_count(caller, PackageKind::edoc), 3);
}

TEST_F(HubCore, OpenPackageIsNotFoundForAnUninvolvedAgency) {
  std::string bytes = fixture_.signed_bytes(fixture_.package(0, {1}));
  std::string id = fixture_.send(0, bytes);
  auto stranger = fixture_.caller(2);
  EXPECT_EQ(code_of(hub().open_package(stranger, id)), "package.not_found");
  EXPECT_EQ(code_of(hub().trace(stranger, id)), "package.not_found");
  EXPECT_EQ(code_of(hub().acknowledge(stranger, id)), "package.not_found");
  EXPECT_EQ(code_of(hub().open_package(stranger, "000000000000000000000000")), "package.not_found")
      << "the same answer as for a package that exists: never says which";

  auto opened = hub().open_package(fixture_.caller(1), id);
  ASSERT_TRUE(opened) << opened.error().to_string();
  EXPECT_TRUE(testing::read_file(opened->file) == bytes);
  EXPECT_THAT(events_of(id), Contains("fetched"));
  // The sender reads its own package but cannot settle it for the recipient.
  EXPECT_TRUE(hub().open_package(fixture_.caller(0), id));
  EXPECT_EQ(code_of(hub().acknowledge(fixture_.caller(0), id)), "package.not_found");
}

TEST_F(HubCore, StatusTravelsBackToTheSender) {
  auto package = fixture_.package(0, {1, 2});
  std::string id = fixture_.send(0, fixture_.signed_bytes(package));
  auto status = fixture_.status(1, package, edxml::StatusCode::accepted);
  auto submitted = fixture_.submit(1, fixture_.signed_bytes(status, 1));
  ASSERT_TRUE(submitted) << submitted.error().to_string();
  EXPECT_EQ(submitted->receipt.kind, PackageKind::status);
  ASSERT_EQ(submitted->receipt.recipients.size(), 1u);
  EXPECT_EQ(submitted->receipt.recipients[0].organ_id, fixture_.agency(0).code);

  EXPECT_THAT(inbox(0, PackageKind::status), ElementsAre(submitted->receipt.id));
  EXPECT_THAT(inbox(2, PackageKind::status), ElementsAre()) << "not to the other recipient";
  auto trace = trace_of(id);
  EXPECT_EQ(delivery_to(trace, 1).reported_status, 3);
  EXPECT_EQ(delivery_to(trace, 2).reported_status, std::nullopt);
  EXPECT_THAT(events_of(id), Contains("status_reported"));

  // The other recipient sees its own side of the trace only.
  auto other_side = hub().trace(fixture_.caller(2), id);
  ASSERT_TRUE(other_side);
  ASSERT_EQ(other_side->deliveries.size(), 1u);
  EXPECT_EQ(other_side->deliveries[0].recipient_code, fixture_.agency(2).code);
}

TEST_F(HubCore, RefusesAStatusFromAnAgencyTheDocumentWasNotSentTo) {
  auto package = fixture_.package(0, {1});
  fixture_.send(0, fixture_.signed_bytes(package));
  auto status = fixture_.status(2, package, edxml::StatusCode::accepted);
  auto submitted = fixture_.submit(2, fixture_.signed_bytes(status, 2));
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, "status.not_a_recipient");
}

TEST_F(HubCore, MarksProcessingOnceWithoutSettling) {
  std::string id = fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  ASSERT_TRUE(hub().mark_processing(fixture_.caller(1), id));
  ASSERT_TRUE(hub().mark_processing(fixture_.caller(1), id));
  EXPECT_THAT(events_of(id), ElementsAre("received", "routed", "processing"));
  EXPECT_THAT(inbox(1), ElementsAre(id)) << "still waiting to be settled";
}

}  // namespace
}  // namespace truc::hub
