// Recalls of incoming documents against a real PostgreSQL: a recall package or the issuer's status
// 13 marks the original, the clerk accepts (the document is void, status 15) or refuses (16), and
// a recall of a document never received is kept without marking anything.

#include <gtest/gtest.h>

#include "office_fixture.hpp"
#include "truc/office/incoming.hpp"
#include "truc/testing/edxml_samples.hpp"

namespace truc::office {
namespace {

class RecallTest : public OfficeFixture {
 protected:
  RecallTest() : agency_(agency("000.00.04.H57")) {
    EXPECT_TRUE(accounts_.create_user(
        agency_.id, {"vanthu", "Trần Thị Hoa", Role::clerk, kTestPassword, "Văn phòng"}, kConsole));
    clerk_ = Actor{count("SELECT id FROM users WHERE username = 'vanthu'"), "192.0.2.9"};
    register_id_ = incoming_.registers(agency_.id, "incoming").value().front().id;
  }

  // The issuer's status 13 (đề nghị lấy lại văn bản) about `document_id`.
  void deliver_recall_status(const std::string& document_id, const std::string& hub_id) {
    edxml::StatusPacket status = testing::sample_status(edxml::StatusCode::recall_request);
    status.from.organ_id = testing::kSenderCode;
    status.response_for.organ_id = testing::kSenderCode;
    status.response_for.document_id = document_id;
    status.description = "Đề nghị lấy lại để sửa số liệu";
    auto received =
        inbox_.receive({hub_id, "status", testing::kSenderCode, agency_.code, "", "push"},
                       spooled(testing::build_status(status)));
    ASSERT_TRUE(received) << received.error().to_string();
    EXPECT_TRUE(*received);
  }

  std::int64_t statuses_with_code(const std::string& code) {
    return count("SELECT count(*) FROM outgoing_statuses WHERE status_code = $1", {code});
  }

  Agency agency_;
  Actor clerk_;
  std::int64_t register_id_ = 0;
};

TEST_F(RecallTest, ARecallPackageMarksTheOriginalAndAcceptingItVoidsTheDocumentWith15) {
  const auto original = arrive(agency_, "Kế hoạch ban hành nhầm");
  ASSERT_TRUE(incoming_.register_document(agency_.id, original, register_id_, clerk_));
  recall(agency_, original, "hub-recall");

  EXPECT_EQ(count("SELECT count(*) FROM incoming_documents"), 1) << "a recall is no new document";
  auto marked = incoming_.detail(agency_.id, original).value();
  ASSERT_TRUE(marked.recall);
  EXPECT_EQ(marked.recall->state, "requested");
  EXPECT_EQ(marked.recall->reason, "Ban hành nhầm");
  auto awaiting = incoming_.list(agency_.id, "recall", "").value();
  ASSERT_EQ(awaiting.size(), 1u);
  EXPECT_EQ(awaiting.front().id, original);

  const int woken = statuses_owed_;
  auto accepted = incoming_.accept_recall(agency_.id, original, clerk_);
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  EXPECT_EQ(accepted->summary.recall_state, "accepted");
  EXPECT_EQ(accepted->recall->decided_by, "Trần Thị Hoa");
  EXPECT_EQ(accepted->summary.arrival_number, 1) << "the register keeps the number";
  EXPECT_EQ(statuses_with_code("15"), 1);
  EXPECT_EQ(statuses_owed_, woken + 1);
  EXPECT_TRUE(incoming_.list(agency_.id, "recall", "").value().empty());
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'incoming.recall_accepted'"), 1);

  EXPECT_EQ(incoming_.accept_recall(agency_.id, original, clerk_).error().code,
            "incoming.no_recall");
  EXPECT_EQ(incoming_.refuse_recall(agency_.id, original, "Muộn", clerk_).error().code,
            "incoming.no_recall");
  // A second recall of a void document changes nothing.
  recall(agency_, original, "hub-recall-again");
  EXPECT_EQ(incoming_.detail(agency_.id, original).value().summary.recall_state, "accepted");
}

TEST_F(RecallTest, AVoidDocumentCanNeitherBeRegisteredNorReturned) {
  const auto original = arrive(agency_, "Chưa vào sổ");
  recall(agency_, original, "hub-recall");
  ASSERT_TRUE(incoming_.accept_recall(agency_.id, original, clerk_));
  EXPECT_EQ(incoming_.register_document(agency_.id, original, register_id_, clerk_).error().code,
            "incoming.recalled");
  EXPECT_EQ(incoming_.return_document(agency_.id, original, "Nhầm", clerk_).error().code,
            "incoming.recalled");
  EXPECT_EQ(
      count("SELECT next_number FROM registers WHERE id = $1", {std::to_string(register_id_)}), 1);
}

TEST_F(RecallTest, AcceptingARecallClosesTheWorkOnTheDocumentAndItIsNotAssignedAgain) {
  EXPECT_TRUE(accounts_.create_user(
      agency_.id, {"lanhdao", "Lê Văn Lãnh", Role::leader, kTestPassword, ""}, kConsole));
  EXPECT_TRUE(accounts_.create_user(
      agency_.id, {"chuyenvien", "Phạm Thị Chuyên", Role::specialist, kTestPassword, ""},
      kConsole));
  const Actor leader{count("SELECT id FROM users WHERE username = 'lanhdao'"), ""};
  const Actor specialist{count("SELECT id FROM users WHERE username = 'chuyenvien'"), ""};
  const auto assigned = arrive(agency_, "Đang xử lý thì thu hồi");
  const auto waiting = arrive(agency_, "Chưa giao thì thu hồi");
  for (auto document : {assigned, waiting}) {
    ASSERT_TRUE(incoming_.register_document(agency_.id, document, register_id_, clerk_));
  }
  ASSERT_TRUE(assignments_.assign(agency_.id, assigned, {.main_handler = "chuyenvien"}, leader));
  ASSERT_TRUE(assignments_.start(agency_.id, assigned, specialist));
  for (auto document : {assigned, waiting}) {
    recall(agency_, document, "hub-recall-" + std::to_string(document));
    ASSERT_TRUE(incoming_.accept_recall(agency_.id, document, clerk_));
  }
  EXPECT_EQ(count("SELECT count(*) FROM assignments WHERE state = 'done' AND "
                  "result = 'Văn bản đã bị thu hồi' AND incoming_id = $1",
                  {std::to_string(assigned)}),
            1);
  EXPECT_EQ(assignments_.finish(agency_.id, assigned, "Xong", specialist).error().code,
            "task.already_done");
  EXPECT_EQ(statuses_with_code("06"), 0) << "a recalled document owes no 06";
  EXPECT_EQ(
      assignments_.assign(agency_.id, waiting, {.main_handler = "chuyenvien"}, leader).error().code,
      "incoming.recalled");
}

TEST_F(RecallTest, TheIssuersStatus13MarksTheOriginalAndRefusingAnswers16WithTheReason) {
  const auto original = arrive(agency_, "Báo cáo số liệu quý");
  deliver_recall_status(document_id_of(original), "hub-status-13");
  auto marked = incoming_.detail(agency_.id, original).value();
  ASSERT_TRUE(marked.recall);
  EXPECT_EQ(marked.recall->reason, "Đề nghị lấy lại để sửa số liệu");

  for (const std::string& bad : {std::string(), std::string(501, 'x'), std::string("Sai\x01")}) {
    EXPECT_EQ(incoming_.refuse_recall(agency_.id, original, bad, clerk_).error().code,
              "field.invalid");
  }
  EXPECT_EQ(statuses_with_code("16"), 0);
  auto refused =
      incoming_.refuse_recall(agency_.id, original, "Văn bản đã được\ntriển khai", clerk_);
  ASSERT_TRUE(refused) << refused.error().to_string();
  EXPECT_EQ(refused->recall->state, "refused");
  EXPECT_EQ(refused->recall->refusal, "Văn bản đã được\ntriển khai");
  EXPECT_EQ(count("SELECT count(*) FROM outgoing_statuses WHERE status_code = '16' "
                  "AND description = E'Văn bản đã được\\ntriển khai'"),
            1);
  EXPECT_EQ(incoming_.detail(agency_.id, original).value().summary.state, "new")
      << "a refused recall leaves the document as it was";

  // The sender may ask again after a refusal.
  deliver_recall_status(document_id_of(original), "hub-status-13-again");
  EXPECT_EQ(incoming_.detail(agency_.id, original).value().summary.recall_state, "requested");
}

TEST_F(RecallTest, ARecallOfADocumentNeverReceivedIsKeptAndMarksNothing) {
  const auto other = arrive(agency_, "Văn bản khác");
  deliver_recall_status(std::string(testing::kSenderCode) + ",2020/01/01,1/KHONG-CO",
                        "hub-recall-unknown");
  EXPECT_EQ(count("SELECT count(*) FROM received_packages WHERE hub_package_id = "
                  "'hub-recall-unknown'"),
            1)
      << "kept, so that pulling does not fetch it again";
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'recall.unmatched'"), 1);
  EXPECT_FALSE(incoming_.detail(agency_.id, other).value().recall);
}

TEST_F(RecallTest, AnotherAgencysDocumentIsUnknown) {
  const Agency neighbour = agency("000.00.05.H57", "Sở Tài chính");
  const auto original = arrive(agency_, "Của cơ quan khác");
  recall(agency_, original, "hub-recall");
  EXPECT_EQ(incoming_.accept_recall(neighbour.id, original, clerk_).error().code,
            "incoming.not_found");
  EXPECT_EQ(incoming_.refuse_recall(neighbour.id, original, "Không", clerk_).error().code,
            "incoming.not_found");
  EXPECT_EQ(incoming_.detail(agency_.id, original).value().summary.recall_state, "requested");
}

}  // namespace
}  // namespace truc::office
