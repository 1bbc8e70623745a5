// What an agency admin changes, against a real PostgreSQL: accounts (deactivate, unlock, new
// password, role and department), the named catalogues and the registers of each year.

#include <gtest/gtest.h>

#include "office_fixture.hpp"
#include "truc/office/catalogues.hpp"

namespace truc::office {
namespace {

class AdministrationTest : public OfficeFixture {
 protected:
  AdministrationTest() : agency_(agency("000.00.04.H57")) {
    create("quantri", Role::admin);
    create("chuyenvien", Role::specialist);
    admin_ = Actor{count("SELECT id FROM users WHERE username = 'quantri'"), "192.0.2.1"};
  }

  void create(const std::string& username, Role role) {
    auto created = accounts_.create_user(
        agency_.id, {username, "Nguyễn Thị Lan", role, kTestPassword, ""}, kConsole);
    ASSERT_TRUE(created) << created.error().to_string();
  }

  std::int64_t audited(const std::string& action) {
    return count("SELECT count(*) FROM audit_log WHERE action = $1", {action});
  }

  Agency agency_;
  Actor admin_;
};

TEST_F(AdministrationTest, ADeactivatedAccountIsSignedOutAndCannotSignInUntilReactivated) {
  auto signed_in = accounts_.sign_in("chuyenvien", kTestPassword, "");
  ASSERT_TRUE(signed_in);
  auto changed = accounts_.change_user(
      agency_.id, "chuyenvien", {"Nguyễn Thị Lan", Role::head, "Phòng Kế hoạch", false}, admin_);
  ASSERT_TRUE(changed) << changed.error().to_string();
  EXPECT_FALSE(changed->active);
  EXPECT_EQ(changed->role, Role::head);
  EXPECT_EQ(changed->department, "Phòng Kế hoạch");
  EXPECT_EQ(accounts_.session(signed_in->session_token).error().code, "auth.session_missing");
  EXPECT_EQ(count("SELECT count(*) FROM sessions"), 0);
  EXPECT_EQ(accounts_.sign_in("chuyenvien", kTestPassword, "").error().code,
            "auth.invalid_credentials");
  EXPECT_EQ(audited("user.deactivated"), 1);

  ASSERT_TRUE(accounts_.change_user(
      agency_.id, "chuyenvien", {"Nguyễn Thị Lan", Role::head, "Phòng Kế hoạch", true}, admin_));
  EXPECT_TRUE(accounts_.sign_in("chuyenvien", kTestPassword, ""));
}

TEST_F(AdministrationTest, AnAdminCannotLockThemselvesOutButMayRenameThemselves) {
  EXPECT_EQ(
      accounts_.change_user(agency_.id, "quantri", {"Quản trị", Role::admin, "", false}, admin_)
          .error()
          .code,
      "user.self_change");
  EXPECT_EQ(
      accounts_.change_user(agency_.id, "quantri", {"Quản trị", Role::clerk, "", true}, admin_)
          .error()
          .code,
      "user.self_change");
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE username = 'quantri' AND role = 'admin' "
                  "AND active"),
            1);
  auto renamed = accounts_.change_user(agency_.id, "quantri",
                                       {"Trần Quản Trị", Role::admin, "", true}, admin_);
  ASSERT_TRUE(renamed) << renamed.error().to_string();
  EXPECT_EQ(renamed->full_name, "Trần Quản Trị");
}

TEST_F(AdministrationTest, BadChangesAndAnotherAgencysAccountsChangeNothing) {
  const Agency neighbour = agency("000.00.05.H57", "Sở Tài chính");
  EXPECT_EQ(accounts_.change_user(neighbour.id, "chuyenvien", {"X", Role::clerk, "", false}, admin_)
                .error()
                .code,
            "user.not_found");
  EXPECT_EQ(accounts_.unlock_user(neighbour.id, "chuyenvien", admin_).error().code,
            "user.not_found");
  EXPECT_EQ(accounts_.set_password(neighbour.id, "chuyenvien", "mật khẩu mới đủ dài", admin_)
                .error()
                .code,
            "user.not_found");
  EXPECT_EQ(accounts_
                .change_user(agency_.id, "chuyenvien",
                             {std::string(51, 'a'), Role::clerk, "", true}, admin_)
                .error()
                .code,
            "field.invalid");
  EXPECT_EQ(accounts_.set_password(agency_.id, "chuyenvien", "ngắn", admin_).error().code,
            "password.too_short");
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE username = 'chuyenvien' AND "
                  "role = 'specialist' AND active AND full_name = 'Nguyễn Thị Lan'"),
            1);
  EXPECT_TRUE(accounts_.sign_in("chuyenvien", kTestPassword, ""));
}

TEST_F(AdministrationTest, UnlockingEndsALockOutAndANewPasswordEndsTheOldSessions) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    (void)accounts_.sign_in("chuyenvien", "sai mật khẩu", "");
  }
  EXPECT_EQ(accounts_.sign_in("chuyenvien", kTestPassword, "").error().code, "auth.account_locked");
  auto unlocked = accounts_.unlock_user(agency_.id, "chuyenvien", admin_);
  ASSERT_TRUE(unlocked) << unlocked.error().to_string();
  EXPECT_FALSE(unlocked->locked);
  auto before = accounts_.sign_in("chuyenvien", kTestPassword, "");
  ASSERT_TRUE(before);

  ASSERT_TRUE(accounts_.set_password(agency_.id, "chuyenvien", "mật khẩu mới đủ dài", admin_));
  EXPECT_EQ(accounts_.session(before->session_token).error().code, "auth.session_missing");
  EXPECT_EQ(accounts_.sign_in("chuyenvien", kTestPassword, "").error().code,
            "auth.invalid_credentials");
  EXPECT_TRUE(accounts_.sign_in("chuyenvien", "mật khẩu mới đủ dài", ""));
  EXPECT_EQ(audited("user.unlocked"), 1);
  EXPECT_EQ(audited("user.password_set"), 1);
}

TEST_F(AdministrationTest, NamedCataloguesAreListedAddedAndRenamedWithinTheAgency) {
  auto urgency = catalogues_.entries(NamedCatalogue::urgency, agency_.id).value();
  ASSERT_FALSE(urgency.empty());
  for (std::size_t index = 1; index < urgency.size(); ++index) {
    EXPECT_LT(urgency[index - 1].rank, urgency[index].rank);
  }
  auto field = catalogues_.add_entry(NamedCatalogue::field, agency_.id, "Chuyển đổi số", admin_);
  ASSERT_TRUE(field) << field.error().to_string();
  EXPECT_EQ(catalogues_.add_entry(NamedCatalogue::field, agency_.id, "Chuyển đổi số", admin_)
                .error()
                .code,
            "catalogue.duplicate");
  for (const std::string& bad : {std::string(), std::string(201, 'x'), std::string("A\nB")}) {
    EXPECT_EQ(catalogues_.add_entry(NamedCatalogue::field, agency_.id, bad, admin_).error().code,
              "field.invalid");
  }
  const Agency neighbour = agency("000.00.05.H57", "Sở Tài chính");
  EXPECT_EQ(
      catalogues_.rename_entry(NamedCatalogue::field, neighbour.id, field->id, "Đổi tên", admin_)
          .error()
          .code,
      "catalogue.not_found");
  auto renamed = catalogues_.rename_entry(NamedCatalogue::urgency, agency_.id, urgency.front().id,
                                          "Bình thường", admin_);
  ASSERT_TRUE(renamed) << renamed.error().to_string();
  EXPECT_EQ(renamed->rank, urgency.front().rank) << "renaming keeps the edXML rank";

  ASSERT_TRUE(accounts_.change_user(agency_.id, "chuyenvien",
                                    {"Nguyễn Thị Lan", Role::specialist, "Phòng Kế hoạch", true},
                                    admin_));
  auto departments = catalogues_.entries(NamedCatalogue::department, agency_.id).value();
  ASSERT_EQ(departments.size(), 1u);
  EXPECT_EQ(departments.front().name, "Phòng Kế hoạch");
  EXPECT_EQ(departments.front().users, 1);
  EXPECT_EQ(audited("field.added"), 1);
  EXPECT_EQ(audited("urgency_level.renamed"), 1);
}

TEST_F(AdministrationTest, NextYearsRegistersAreOpenedOnceAndNumberFromOne) {
  const int this_year = incoming_.registers(agency_.id, "incoming").value().front().year;
  auto secret =
      catalogues_.add_register(agency_.id, {"incoming", this_year, "Sổ văn bản mật", true}, admin_);
  ASSERT_TRUE(secret) << secret.error().to_string();
  EXPECT_TRUE(secret->secret);
  EXPECT_EQ(
      catalogues_.add_register(agency_.id, {"incoming", this_year, "Sổ văn bản mật", false}, admin_)
          .error()
          .code,
      "catalogue.duplicate");
  EXPECT_EQ(catalogues_.add_register(agency_.id, {"sideways", this_year, "Sổ", false}, admin_)
                .error()
                .code,
            "field.invalid");
  EXPECT_EQ(
      catalogues_.add_register(agency_.id, {"incoming", 1999, "Sổ cũ", false}, admin_).error().code,
      "field.invalid");

  auto opened = catalogues_.open_next_year(agency_.id, admin_);
  ASSERT_TRUE(opened) << opened.error().to_string();
  ASSERT_EQ(opened->size(), 3u);  // incoming, outgoing and the secret one
  for (const auto& entry : *opened) {
    EXPECT_EQ(entry.year, this_year + 1);
    EXPECT_EQ(entry.next_number, 1);
  }
  EXPECT_TRUE(catalogues_.open_next_year(agency_.id, admin_).value().empty());
  // Next year's register takes no document before next year.
  const auto document = arrive(agency_, "Đến sớm");
  EXPECT_EQ(
      incoming_.register_document(agency_.id, document, opened->front().id, admin_).error().code,
      "register.closed");
  EXPECT_EQ(count("SELECT next_number FROM registers WHERE id = $1",
                  {std::to_string(opened->front().id)}),
            1);
  auto incoming_registers = incoming_.registers(agency_.id, "incoming").value();
  ASSERT_EQ(incoming_registers.size(), 4u);
  EXPECT_EQ(incoming_registers.front().year, this_year + 1) << "newest year first";
}

}  // namespace
}  // namespace truc::office
