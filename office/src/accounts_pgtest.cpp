#include <gtest/gtest.h>

#include "office_fixture.hpp"
#include "truc/common/digest.hpp"
#include "truc/office/accounts.hpp"
#include "truc/office/schema.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::office {
namespace {

class AccountsTest : public OfficeFixture {
 protected:
  Agency agency() { return OfficeFixture::agency("000.00.04.H57"); }
  void user(const Agency& agency, const std::string& username, Role role = Role::clerk) {
    auto created = accounts_.create_user(
        agency.id, {username, "Nguyễn Thị Văn Thư", role, kTestPassword, "Văn phòng"}, kConsole);
    ASSERT_TRUE(created) << created.error().to_string();
  }
};

TEST_F(AccountsTest, ANewAgencyGetsTheCataloguesOfDecree30AndThisYearsRegisters) {
  Agency created = agency();
  auto types = catalogues_.document_types(created.id);
  ASSERT_TRUE(types);
  ASSERT_EQ(types->size(), 29u);
  EXPECT_EQ(types->at(1).abbreviation, "QĐ");
  EXPECT_EQ(types->at(1).name, "Quyết định");
  EXPECT_EQ(count("SELECT count(*) FROM registers WHERE agency_id = $1 AND "
                  "year = extract(year FROM now())",
                  {std::to_string(created.id)}),
            2);
  EXPECT_EQ(count("SELECT count(*) FROM urgency_levels WHERE agency_id = $1",
                  {std::to_string(created.id)}),
            4);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'agency.created'"), 1);

  EXPECT_EQ(accounts_.create_agency("000.00.04.H57", "Again", std::nullopt, kConsole).error().code,
            "agency.exists");
  EXPECT_EQ(accounts_.create_agency("H57", "Bad code", std::nullopt, kConsole).error().code,
            "field.invalid");
  EXPECT_EQ(accounts_.create_agency("000.00.05.H57", "", std::nullopt, kConsole).error().code,
            "field.invalid");
  EXPECT_EQ(
      accounts_.create_agency("000.00.05.H57", "bad \xC3", std::nullopt, kConsole).error().code,
      "field.invalid");
  EXPECT_EQ(count("SELECT count(*) FROM agencies"), 1);
}

TEST_F(AccountsTest, BadAccountsAreRefusedAndNothingIsWritten) {
  Agency created = agency();
  auto make = [&](NewUser fields) { return accounts_.create_user(created.id, fields, kConsole); };
  EXPECT_EQ(make({"Van Thu", "A", Role::clerk, kTestPassword, ""}).error().code, "field.invalid");
  EXPECT_EQ(make({"vanthu", "", Role::clerk, kTestPassword, ""}).error().code, "field.invalid");
  EXPECT_EQ(make({"vanthu", std::string(51, 'a'), Role::clerk, kTestPassword, ""}).error().code,
            "field.invalid");
  EXPECT_EQ(make({"vanthu", "A", Role::clerk, "ngắn", ""}).error().code, "password.too_short");
  EXPECT_EQ(accounts_.create_user(999, {"vanthu", "A", Role::clerk, kTestPassword, ""}, kConsole)
                .error()
                .code,
            "agency.not_found");
  EXPECT_EQ(count("SELECT count(*) FROM users"), 0);
  user(created, "vanthu");
  EXPECT_EQ(make({"vanthu", "B", Role::leader, kTestPassword, ""}).error().code, "user.exists");
  auto users = accounts_.users(created.id);
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ(users->front().department, "Văn phòng");
  EXPECT_EQ(users->front().role, Role::clerk);
}

TEST_F(AccountsTest, SigningInOpensASessionKnownOnlyByTheDigestOfItsToken) {
  user(agency(), "vanthu");
  auto signed_in = accounts_.sign_in("vanthu", kTestPassword, "192.0.2.7");
  ASSERT_TRUE(signed_in) << signed_in.error().to_string();
  EXPECT_EQ(signed_in->session_token.size(), 64u);
  EXPECT_EQ(signed_in->account.agency_code, "000.00.04.H57");
  EXPECT_EQ(signed_in->account.department, "Văn phòng");
  EXPECT_EQ(signed_in->lifetime, std::chrono::hours(12));
  EXPECT_EQ(
      count("SELECT count(*) FROM sessions WHERE token_sha256 = $1", {signed_in->session_token}),
      0);

  auto session = accounts_.session(signed_in->session_token);
  ASSERT_TRUE(session) << session.error().to_string();
  EXPECT_EQ(session->account.username, "vanthu");
  EXPECT_EQ(session->csrf_token, signed_in->csrf_token);
  EXPECT_EQ(accounts_.session(std::string(64, 'a')).error().code, "auth.session_missing");
  EXPECT_EQ(accounts_.session("short").error().code, "auth.session_missing");

  ASSERT_TRUE(accounts_.sign_out(signed_in->session_token, kConsole));
  EXPECT_EQ(accounts_.session(signed_in->session_token).error().code, "auth.session_missing");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action IN ('sign_in', 'sign_out') "
                  "AND detail->>'remote_address' IN ('192.0.2.7', '')"),
            2);
}

TEST_F(AccountsTest, AnIdleOrExpiredSessionOrADeactivatedAccountEndsTheSession) {
  user(agency(), "vanthu");
  auto idle = accounts_.sign_in("vanthu", kTestPassword, "");
  auto expired = accounts_.sign_in("vanthu", kTestPassword, "");
  ASSERT_TRUE(idle && expired);
  run("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE token_sha256 = $1",
      {sha256_hex(idle->session_token)});
  run("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_sha256 = $1",
      {sha256_hex(expired->session_token)});
  EXPECT_EQ(accounts_.session(idle->session_token).error().code, "auth.session_missing");
  EXPECT_EQ(accounts_.session(expired->session_token).error().code, "auth.session_missing");

  auto active = accounts_.sign_in("vanthu", kTestPassword, "");
  ASSERT_TRUE(active);
  run("UPDATE users SET active = false");
  EXPECT_EQ(accounts_.session(active->session_token).error().code, "auth.session_missing");
  EXPECT_EQ(accounts_.sign_in("vanthu", kTestPassword, "").error().code,
            "auth.invalid_credentials");
}

TEST_F(AccountsTest, RepeatedFailuresLockTheAccountUntilTheLockExpires) {
  user(agency(), "vanthu");
  EXPECT_EQ(accounts_.sign_in("nobody", kTestPassword, "").error().code,
            "auth.invalid_credentials");
  EXPECT_EQ(accounts_.sign_in("vanthu", "wrong password", "").error().code,
            "auth.invalid_credentials");
  EXPECT_EQ(accounts_.sign_in("vanthu", "wrong password", "").error().code,
            "auth.invalid_credentials");
  auto third = accounts_.sign_in("vanthu", "wrong password", "");
  EXPECT_EQ(third.error().code, "auth.account_locked");
  EXPECT_EQ(third.error().detail, "900");  // seconds, for Retry-After

  // Locked: even the right password is refused, without counting.
  auto right_but_locked = accounts_.sign_in("vanthu", kTestPassword, "");
  EXPECT_EQ(right_but_locked.error().code, "auth.account_locked");
  EXPECT_GT(std::stoi(right_but_locked.error().detail), 890);
  auto users = accounts_.users(1);
  ASSERT_TRUE(users);
  EXPECT_TRUE(users->front().locked);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'account.locked'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'sign_in.failed'"), 2);

  run("UPDATE users SET locked_until = now() - interval '1 second'");
  ASSERT_TRUE(accounts_.sign_in("vanthu", kTestPassword, ""));
  // The count starts again after a success.
  EXPECT_EQ(accounts_.sign_in("vanthu", "wrong password", "").error().code,
            "auth.invalid_credentials");
  EXPECT_EQ(accounts_.sign_in("vanthu", "wrong password", "").error().code,
            "auth.invalid_credentials");
  EXPECT_TRUE(accounts_.sign_in("vanthu", kTestPassword, ""));
}

TEST_F(AccountsTest, TheAuditTrailCannotBeRewrittenByTheServiceRole) {
  testing::shared_postgres().run_sql(
      "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'office_service') THEN "
      "CREATE ROLE office_service LOGIN; END IF; END $$");
  std::string conninfo = testing::shared_postgres().create_database();
  {
    auto owner = store::Connection::open(conninfo);
    ASSERT_TRUE(owner);
    ASSERT_TRUE(store::migrate(**owner, office_schema(), std::string("office_service")));
  }
  auto service = store::Connection::open(conninfo + " user=office_service");
  ASSERT_TRUE(service) << service.error().to_string();
  ASSERT_TRUE((*service)->execute("INSERT INTO audit_log (action) VALUES ('test')"));
  EXPECT_EQ((*service)->execute("DELETE FROM audit_log").error().code, "store.permission_denied");
  EXPECT_EQ((*service)->execute("UPDATE audit_log SET action = 'rewritten'").error().code,
            "store.permission_denied");
}

}  // namespace
}  // namespace truc::office
