// Incoming documents against a real PostgreSQL: arrival from the hub (once, whatever the way),
// the clerk's register and return with the statuses they owe, arrival numbers under concurrent
// clerks, and search that ignores diacritics.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "office_fixture.hpp"
#include "truc/office/incoming.hpp"
#include "truc/testing/edxml_samples.hpp"

namespace truc::office {
namespace {

class IncomingTest : public OfficeFixture {
 protected:
  IncomingTest() : agency_(agency("000.00.04.H57")) {
    EXPECT_TRUE(accounts_.create_user(
        agency_.id, {"vanthu", "Trần Thị Hoa", Role::clerk, kTestPassword, "Văn phòng"}, kConsole));
    clerk_ = Actor{count("SELECT id FROM users WHERE username = 'vanthu'"), "192.0.2.9"};
    register_id_ = incoming_.registers(agency_.id, "incoming").value().front().id;
  }

  Delivery delivery(const std::string& hub_id, const std::string& by = "push") {
    return {hub_id, "edoc", testing::kSenderCode, agency_.code, "", by};
  }

  Agency agency_;
  Actor clerk_;
  std::int64_t register_id_ = 0;
};

TEST_F(IncomingTest, APackageArrivesOnceWithItsAttachmentsAndOwesStatus01) {
  const std::string bytes = package_bytes("Về việc tổ chức Hội nghị tổng kết");
  auto first = inbox_.receive(delivery("hub-1", "push"), spooled(bytes));
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_TRUE(*first);
  // The same package again, by pull after the push: recognised, nothing added.
  auto again = inbox_.receive(delivery("hub-1", "pull"), spooled(bytes));
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(count("SELECT count(*) FROM received_packages"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM incoming_documents"), 1);
  // Nothing is left behind in the spool directory either way.
  EXPECT_TRUE(std::filesystem::is_empty(blobs_.temporary_directory()));

  auto list = incoming_.list(agency_.id, "new", "");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  const IncomingSummary& summary = list->front();
  EXPECT_EQ(summary.subject, "Về việc tổ chức Hội nghị tổng kết");
  EXPECT_EQ(summary.code, "1234/VPCP-KGVX");
  EXPECT_EQ(summary.sender_name, "Văn phòng Chính phủ");
  EXPECT_EQ(summary.priority, 1);  // Khẩn
  EXPECT_EQ(summary.signature, "unsigned");
  EXPECT_EQ(summary.promulgation_date, "2024-03-15");

  auto detail = incoming_.detail(agency_.id, summary.id);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->hub_package_id, "hub-1");
  EXPECT_EQ(detail->arrived_by, "push");
  // The package's trace as the sender wrote it.
  ASSERT_EQ(detail->trace.size(), 1u);
  EXPECT_EQ(detail->trace[0].organ_id, testing::kSenderCode);
  ASSERT_TRUE(detail->trace[0].at);
  EXPECT_NE(detail->trace[0].at->find("09:30"), std::string::npos) << *detail->trace[0].at;
  EXPECT_EQ(detail->signer_name, "Nguyễn Văn Sơn");
  ASSERT_EQ(detail->attachments.size(), 2u);
  EXPECT_EQ(detail->attachments[1].name, "Phụ lục kèm theo.pdf");
  EXPECT_EQ(detail->attachments[0].content_type, "application/pdf");
  EXPECT_TRUE(blobs_.contains(detail->attachments[0].blob_sha256));
  ASSERT_EQ(detail->statuses.size(), 1u);
  EXPECT_EQ(detail->statuses[0].code, "01");
  EXPECT_EQ(detail->statuses[0].state, "pending");
}

TEST_F(IncomingTest, ASignedPackageShowsItsSignatureChecked) {
  auto stored = inbox_.receive(delivery("hub-signed"), spooled(package_bytes("Có ký số", true)));
  ASSERT_TRUE(stored) << stored.error().to_string();
  EXPECT_EQ(incoming_.list(agency_.id, "all", "").value().front().signature, "valid");
}

TEST_F(IncomingTest, WhatCannotBeStoredIsRefusedAndLeavesNothing) {
  const std::string bytes = package_bytes("Văn bản");
  Delivery wrong_digest = delivery("hub-2");
  wrong_digest.sha256 = std::string(64, '0');
  EXPECT_EQ(inbox_.receive(wrong_digest, spooled(bytes)).error().code, "delivery.digest_mismatch");
  Delivery stranger = delivery("hub-3");
  stranger.recipient_code = "000.00.99.H57";
  EXPECT_EQ(inbox_.receive(stranger, spooled(bytes)).error().code, "delivery.unknown_recipient");
  Delivery status_kind = delivery("hub-4");
  status_kind.kind = "status";
  EXPECT_EQ(inbox_.receive(status_kind, spooled(bytes)).error().code, "delivery.invalid");
  Delivery no_kind = delivery("hub-5");
  no_kind.kind = "letter";
  EXPECT_EQ(inbox_.receive(no_kind, spooled(bytes)).error().code, "delivery.invalid");
  auto truncated = inbox_.receive(delivery("hub-6"), spooled(bytes.substr(0, bytes.size() / 2)));
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code.rfind("parse.", 0), 0u) << truncated.error().code;
  EXPECT_EQ(count("SELECT count(*) FROM received_packages"), 0);
  EXPECT_TRUE(std::filesystem::is_empty(blobs_.temporary_directory()));
}

TEST_F(IncomingTest, RegisteringGivesTheNextArrivalNumberAndOwesStatus03) {
  const auto first = arrive(agency_, "Thứ nhất");
  const auto second = arrive(agency_, "Thứ hai");
  auto registered = incoming_.register_document(agency_.id, second, register_id_, clerk_);
  ASSERT_TRUE(registered) << registered.error().to_string();
  EXPECT_EQ(registered->summary.state, "registered");
  EXPECT_EQ(registered->summary.arrival_number, 1);
  EXPECT_EQ(registered->registered_by, "Trần Thị Hoa");
  ASSERT_EQ(registered->statuses.size(), 2u);
  EXPECT_EQ(registered->statuses[1].code, "03");
  EXPECT_EQ(statuses_owed_, 1);
  EXPECT_EQ(count("SELECT count(*) FROM outgoing_statuses WHERE status_code = '03' "
                  "AND staff_name = 'Trần Thị Hoa' AND staff_department = 'Văn phòng'"),
            1);
  EXPECT_EQ(
      incoming_.register_document(agency_.id, first, register_id_, clerk_)->summary.arrival_number,
      2);

  EXPECT_EQ(incoming_.register_document(agency_.id, second, register_id_, clerk_).error().code,
            "incoming.already_registered");
  EXPECT_EQ(incoming_.return_document(agency_.id, second, "Nhầm", clerk_).error().code,
            "incoming.already_registered");
  EXPECT_EQ(incoming_.register_document(agency_.id, 999999, register_id_, clerk_).error().code,
            "incoming.not_found");
  const auto third = arrive(agency_, "Thứ ba");
  const auto outgoing_register = incoming_.registers(agency_.id, "outgoing").value().front().id;
  EXPECT_EQ(incoming_.register_document(agency_.id, third, outgoing_register, clerk_).error().code,
            "register.not_found");
  // The refusals took no number: the next one is still 3.
  EXPECT_EQ(
      incoming_.register_document(agency_.id, third, register_id_, clerk_)->summary.arrival_number,
      3);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'incoming.registered'"), 3);
}

TEST_F(IncomingTest, ReturningOwesStatus02WithTheReason) {
  const auto document = arrive(agency_, "Gửi nhầm");
  EXPECT_EQ(incoming_.return_document(agency_.id, document, "", clerk_).error().code,
            "field.invalid");
  EXPECT_EQ(incoming_.return_document(agency_.id, document, "Nhầm\x01", clerk_).error().code,
            "field.invalid");
  auto returned =
      incoming_.return_document(agency_.id, document, "Không thuộc\nthẩm quyền", clerk_);
  ASSERT_TRUE(returned) << returned.error().to_string();
  EXPECT_EQ(returned->summary.state, "returned");
  EXPECT_EQ(returned->returned_reason, "Không thuộc\nthẩm quyền");
  EXPECT_EQ(count("SELECT count(*) FROM outgoing_statuses WHERE status_code = '02' "
                  "AND description = E'Không thuộc\\nthẩm quyền'"),
            1);
  EXPECT_EQ(incoming_.register_document(agency_.id, document, register_id_, clerk_).error().code,
            "incoming.already_returned");
}

TEST_F(IncomingTest, ConcurrentClerksGetEveryNumberOnceWithoutGaps) {
  constexpr int kDocuments = 12;
  std::vector<std::int64_t> documents;
  for (int index = 0; index < kDocuments; ++index) {
    documents.push_back(arrive(agency_, "Văn bản " + std::to_string(index)));
  }
  std::vector<std::int64_t> numbers(kDocuments, 0);
  std::vector<std::thread> clerks;
  for (int index = 0; index < kDocuments; ++index) {
    clerks.emplace_back([&, index] {
      auto registered =
          incoming_.register_document(agency_.id, documents[index], register_id_, clerk_);
      if (registered) numbers[index] = registered->summary.arrival_number.value_or(0);
    });
  }
  for (auto& clerk : clerks) clerk.join();
  std::sort(numbers.begin(), numbers.end());
  for (int index = 0; index < kDocuments; ++index) EXPECT_EQ(numbers[index], index + 1);
}

TEST_F(IncomingTest, SearchIgnoresDiacriticsAndCaseAndLooksAtAttachmentNames) {
  arrive(agency_, "Công văn về Hội nghị tổng kết năm");
  arrive(agency_, "Kế hoạch phòng chống lụt bão");
  auto titles = [&](const std::string& query) {
    std::set<std::string> found;
    auto summaries = incoming_.list(agency_.id, "all", query);
    EXPECT_TRUE(summaries) << summaries.error().to_string();
    for (const auto& summary : *summaries) found.insert(summary.subject);
    return found;
  };
  EXPECT_EQ(titles("cong van hoi nghi"),
            std::set<std::string>{"Công văn về Hội nghị tổng kết năm"});
  EXPECT_EQ(titles("LỤT BÃO"), std::set<std::string>{"Kế hoạch phòng chống lụt bão"});
  EXPECT_EQ(titles("phu luc").size(), 2u);  // "Phụ lục kèm theo.pdf" is attached to both
  EXPECT_EQ(titles("Nguyen Van Son").size(), 2u);  // the signer
  EXPECT_TRUE(titles("không có đâu").empty());
  // Number and notation (both documents are 1234/VPCP-KGVX), whole or in parts, and a file name.
  for (const std::string query :
       {"1234/VPCP-KGVX", "VPCP-KGVX", "vpcp kgvx", "1234", "1234-VPCP-KGVX.pdf"}) {
    EXPECT_EQ(titles(query).size(), 2u) << query;
  }
  EXPECT_TRUE(titles("1235/VPCP-KGVX").empty());
  EXPECT_EQ(incoming_.list(agency_.id, "archived", "").error().code, "field.invalid");
}

}  // namespace
}  // namespace truc::office
