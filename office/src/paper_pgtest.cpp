// Paper documents against a real PostgreSQL: registered from the clerk's scans into the same
// register, with the same counter, as electronic ones; shown, found, downloaded and assigned like
// them, owing no status; and refused whole, with nothing changed, on any bad input.

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "office_fixture.hpp"
#include "truc/office/incoming.hpp"
#include "truc/office/uploads.hpp"

namespace truc::office {
namespace {

class PaperTest : public OfficeFixture {
 protected:
  PaperTest() : agency_(agency("000.00.04.H57")), other_(agency("000.00.05.H57", "Sở Tài chính")) {
    for (const auto& [username, role] :
         {std::pair{"vanthu", Role::clerk}, std::pair{"chuyenvien", Role::specialist},
          std::pair{"giamdoc", Role::leader}}) {
      EXPECT_TRUE(accounts_.create_user(
          agency_.id, {username, "Trần Thị Hoa", role, kTestPassword, "Văn phòng"}, kConsole));
    }
    EXPECT_TRUE(accounts_.create_user(
        other_.id, {"vanthu.tc", "Lê Văn Nam", Role::clerk, kTestPassword, ""}, kConsole));
    clerk_ = account(agency_, "vanthu");
    other_clerk_ = account(other_, "vanthu.tc");
    register_id_ = incoming_.registers(agency_.id, "incoming").value().front().id;
  }

  Account account(const Agency& agency, const std::string& username) {
    Account account;
    account.user_id = count("SELECT id FROM users WHERE username = $1", {username});
    account.agency_id = agency.id;
    return account;
  }
  Actor actor(const Account& account) { return {account.user_id, "192.0.2.9"}; }

  std::int64_t scan(const Account& by, const std::string& name = "Công văn 15.pdf") {
    auto upload =
        uploads_.receive(by, name, "application/pdf",
                         spooled("%PDF-1.4\n% " + name + std::to_string(++scans_)), actor(by));
    EXPECT_TRUE(upload) << upload.error().to_string();
    return upload ? upload->id : 0;
  }

  PaperDocument paper(const std::string& subject, std::vector<std::int64_t> uploads) {
    return {.register_id = register_id_,
            .sender_name = "Ủy ban nhân dân huyện Hòa Vang",
            .code_number = "15",
            .code_notation = "UBND-VP",
            .document_type = "Công văn",
            .subject = subject,
            .promulgation_date = "2026-11-30",
            .priority = 1,
            .signer_name = "Nguyễn Văn Sơn",
            .due_date = "2026-12-15",
            .uploads = std::move(uploads)};
  }

  std::int64_t electronic() {
    auto registered = incoming_.register_document(agency_.id, arrive(agency_, "Điện tử"),
                                                  register_id_, actor(clerk_));
    EXPECT_TRUE(registered) << registered.error().to_string();
    return registered ? registered->summary.arrival_number.value_or(0) : 0;
  }

  Agency agency_, other_;
  Account clerk_, other_clerk_;
  std::int64_t register_id_ = 0;
  int scans_ = 0;
};

TEST_F(PaperTest, PaperAndElectronicDocumentsShareOneCounterWithoutGaps) {
  std::vector<std::int64_t> numbers;
  numbers.push_back(electronic());
  auto first =
      incoming_.register_paper(agency_.id, paper("Giấy mời họp", {scan(clerk_)}), actor(clerk_));
  ASSERT_TRUE(first) << first.error().to_string();
  numbers.push_back(first->summary.arrival_number.value_or(0));
  numbers.push_back(electronic());
  auto second =
      incoming_.register_paper(agency_.id, paper("Báo cáo quý", {scan(clerk_)}), actor(clerk_));
  ASSERT_TRUE(second) << second.error().to_string();
  numbers.push_back(second->summary.arrival_number.value_or(0));
  EXPECT_EQ(numbers, (std::vector<std::int64_t>{1, 2, 3, 4}));
}

TEST_F(PaperTest, APaperDocumentIsShownFoundDownloadedAndAssignedLikeAnElectronicOne) {
  const std::int64_t page1 = scan(clerk_, "Trang một.pdf");
  const std::int64_t page2 = scan(clerk_, "Phụ lục kèm theo.pdf");
  auto registered = incoming_.register_paper(
      agency_.id, paper("Về việc kiểm tra công tác văn thư", {page2, page1}), actor(clerk_));
  ASSERT_TRUE(registered) << registered.error().to_string();
  const std::int64_t id = registered->summary.id;
  EXPECT_EQ(registered->summary.state, "registered");
  EXPECT_EQ(registered->summary.source, "paper");
  EXPECT_EQ(registered->summary.signature, "paper");
  EXPECT_EQ(registered->summary.code, "15/UBND-VP");
  EXPECT_EQ(registered->summary.priority, 1);
  EXPECT_EQ(registered->summary.register_name, "Sổ văn bản đến");
  EXPECT_FALSE(registered->hub_package_id);
  EXPECT_EQ(registered->due_date, "2026-12-15");
  EXPECT_EQ(registered->signer_name, "Nguyễn Văn Sơn");
  EXPECT_EQ(registered->registered_by, "Trần Thị Hoa");
  EXPECT_FALSE(registered->summary.received_at.empty());
  EXPECT_TRUE(registered->statuses.empty());
  ASSERT_EQ(registered->attachments.size(), 2u);
  EXPECT_EQ(registered->attachments[0].name, "Phụ lục kèm theo.pdf");  // in the order given
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE consumed_by = $1",
                  {"incoming_documents/" + std::to_string(id)}),
            2);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'incoming.paper_registered' "
                  "AND subject = $1",
                  {std::to_string(id) + " as 1"}),
            1);

  auto attachment = incoming_.attachment(agency_.id, id, 1);
  ASSERT_TRUE(attachment) << attachment.error().to_string();
  EXPECT_EQ(attachment->name, "Trang một.pdf");
  EXPECT_EQ(attachment->content_type, "application/pdf");
  EXPECT_TRUE(blobs_.contains(attachment->blob_sha256));
  EXPECT_EQ(incoming_.attachment(other_.id, id, 1).error().code, "incoming.not_found");

  auto registered_list = incoming_.list(agency_.id, "registered", "");
  ASSERT_TRUE(registered_list) << registered_list.error().to_string();
  ASSERT_EQ(registered_list->size(), 1u);
  EXPECT_EQ(registered_list->front().id, id);
  EXPECT_EQ(registered_list->front().source, "paper");
  for (const std::string query : {"kiem tra van thu", "hoa vang", "phu luc", "NGUYỄN VĂN SƠN"}) {
    SCOPED_TRACE(query);
    auto found = incoming_.list(agency_.id, "all", query);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->size(), 1u);
  }
  EXPECT_TRUE(incoming_.list(other_.id, "all", "").value().empty());
  EXPECT_EQ(incoming_.detail(other_.id, id).error().code, "incoming.not_found");

  // Registered already: the clerk's decisions on a new document do not apply.
  EXPECT_EQ(incoming_.register_document(agency_.id, id, register_id_, actor(clerk_)).error().code,
            "incoming.already_registered");
  const Actor leader{count("SELECT id FROM users WHERE username = 'giamdoc'"), ""};
  auto assigned = assignments_.assign(agency_.id, id, {.main_handler = "chuyenvien"}, leader);
  ASSERT_TRUE(assigned) << assigned.error().to_string();
  const Actor handler{count("SELECT id FROM users WHERE username = 'chuyenvien'"), ""};
  ASSERT_TRUE(assignments_.start(agency_.id, id, handler));
  // No status is owed to a sender who is not on the hub.
  EXPECT_EQ(count("SELECT count(*) FROM outgoing_statuses"), 0);
}

TEST_F(PaperTest, ConcurrentPaperAndElectronicRegistrationsGetEveryNumberOnce) {
  constexpr int kEach = 6;
  std::vector<std::int64_t> documents;
  std::vector<std::int64_t> scans;
  for (int index = 0; index < kEach; ++index) {
    documents.push_back(arrive(agency_, "Văn bản " + std::to_string(index)));
    scans.push_back(scan(clerk_));
  }
  std::vector<std::int64_t> numbers(2 * kEach, 0);
  std::vector<std::thread> clerks;
  for (int index = 0; index < kEach; ++index) {
    clerks.emplace_back([&, index] {
      auto registered =
          incoming_.register_document(agency_.id, documents[index], register_id_, actor(clerk_));
      if (registered) numbers[index] = registered->summary.arrival_number.value_or(0);
    });
    clerks.emplace_back([&, index] {
      auto registered = incoming_.register_paper(
          agency_.id, paper("Giấy " + std::to_string(index), {scans[index]}), actor(clerk_));
      if (registered) numbers[kEach + index] = registered->summary.arrival_number.value_or(0);
    });
  }
  for (auto& clerk : clerks) clerk.join();
  std::sort(numbers.begin(), numbers.end());
  for (int index = 0; index < 2 * kEach; ++index) EXPECT_EQ(numbers[index], index + 1);
}

TEST_F(PaperTest, BadInputIsRefusedWholeAndChangesNothing) {
  const std::int64_t used = scan(clerk_);
  ASSERT_TRUE(incoming_.register_paper(agency_.id, paper("Đã dùng", {used}), actor(clerk_)));
  const std::int64_t fresh = scan(clerk_);
  const std::int64_t theirs = scan(other_clerk_);
  const std::int64_t their_register = incoming_.registers(other_.id, "incoming").value().front().id;
  const std::int64_t outgoing = incoming_.registers(agency_.id, "outgoing").value().front().id;
  auto snapshot = [&] {
    return std::vector<std::int64_t>{
        count("SELECT count(*) FROM incoming_documents"),
        count("SELECT count(*) FROM incoming_attachments"),
        count("SELECT count(*) FROM uploads WHERE consumed_at IS NOT NULL"),
        count("SELECT sum(next_number) FROM registers"),
        count("SELECT count(*) FROM audit_log"),
    };
  };
  const auto before = snapshot();
  struct Case {
    std::string what;
    PaperDocument paper;
    std::string code;
  };
  auto with = [&](auto change) {
    PaperDocument document = paper("Trích yếu", {fresh});
    change(document);
    return document;
  };
  for (const Case& bad : std::vector<Case>{
           {"upload used before", with([&](auto& p) {
              p.uploads = {fresh, used};
            }),
            "upload.already_used"},
           {"another agency's upload", with([&](auto& p) { p.uploads = {theirs}; }),
            "upload.not_found"},
           {"an unknown upload", with([&](auto& p) { p.uploads = {999999}; }), "upload.not_found"},
           {"no upload", with([&](auto& p) { p.uploads = {}; }), "field.invalid"},
           {"21 uploads", with([&](auto& p) { p.uploads.assign(21, fresh); }), "field.invalid"},
           {"the same upload twice", with([&](auto& p) {
              p.uploads = {fresh, fresh};
            }),
            "field.invalid"},
           {"another agency's register", with([&](auto& p) { p.register_id = their_register; }),
            "register.not_found"},
           {"an outgoing register", with([&](auto& p) { p.register_id = outgoing; }),
            "register.not_found"},
           {"an unknown register", with([&](auto& p) { p.register_id = 999999; }),
            "register.not_found"},
           {"30 February", with([&](auto& p) { p.promulgation_date = "2026-02-30"; }),
            "field.invalid"},
           {"a date in another form", with([&](auto& p) { p.promulgation_date = "30/11/2026"; }),
            "field.invalid"},
           {"no date", with([&](auto& p) { p.promulgation_date = ""; }), "field.invalid"},
           {"dated after today", with([&](auto& p) { p.promulgation_date = "2199-01-01"; }),
            "field.invalid"},
           {"a bad due date", with([&](auto& p) { p.due_date = "2026-13-01"; }), "field.invalid"},
           {"due before written", with([&](auto& p) { p.due_date = "2026-11-29"; }),
            "field.invalid"},
           {"priority 5", with([&](auto& p) { p.priority = 5; }), "field.invalid"},
           {"priority -1", with([&](auto& p) { p.priority = -1; }), "field.invalid"},
           {"no sender", with([&](auto& p) { p.sender_name = ""; }), "field.invalid"},
           {"a long sender", with([&](auto& p) { p.sender_name = std::string(201, 'a'); }),
            "field.invalid"},
           {"no number", with([&](auto& p) { p.code_number = ""; }), "field.invalid"},
           {"a long number", with([&](auto& p) { p.code_number = "123456789012"; }),
            "field.invalid"},
           {"a long notation", with([&](auto& p) { p.code_notation = std::string(31, 'A'); }),
            "field.invalid"},
           {"no type", with([&](auto& p) { p.document_type = ""; }), "field.invalid"},
           {"a long subject", with([&](auto& p) { p.subject = std::string(501, 'a'); }),
            "field.invalid"},
           {"a control character", with([&](auto& p) { p.subject = "a\x01b"; }), "field.invalid"},
           {"not UTF-8", with([&](auto& p) { p.signer_name = "\xC3("; }), "field.invalid"},
           {"a long signer", with([&](auto& p) { p.signer_name = std::string(51, 'a'); }),
            "field.invalid"},
       }) {
    SCOPED_TRACE(bad.what);
    auto refused = incoming_.register_paper(agency_.id, bad.paper, actor(clerk_));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, bad.code) << refused.error().to_string();
  }
  // Another agency's clerk cannot take this clerk's upload either.
  PaperDocument foreign = paper("Của người khác", {fresh});
  foreign.register_id = their_register;
  EXPECT_EQ(incoming_.register_paper(other_.id, foreign, actor(other_clerk_)).error().code,
            "upload.not_found");
  EXPECT_EQ(snapshot(), before);
  // The upload refused with the others is still there to use, and takes the next number.
  auto registered =
      incoming_.register_paper(agency_.id, paper("Cuối cùng", {fresh}), actor(clerk_));
  ASSERT_TRUE(registered) << registered.error().to_string();
  EXPECT_EQ(registered->summary.arrival_number, 2);
}

}  // namespace
}  // namespace truc::office
