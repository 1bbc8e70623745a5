// Delegation of a leader's powers against a real PostgreSQL: the rules a new delegation must
// keep, and the session of the delegate carrying it exactly on the days it is in force. The API
// gate's side is in api_pgtest.cpp (DelegateActsForTheLeaderOnlyWhileTheDelegationIsInForce).

#include <gtest/gtest.h>

#include "office_fixture.hpp"
#include "truc/office/authorization.hpp"
#include "truc/office/delegations.hpp"

namespace truc::office {
namespace {

constexpr const char* kVietnamToday = "(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date";

class DelegationTest : public OfficeFixture {
 protected:
  DelegationTest() : agency_(agency("000.00.04.H57")) {
    for (const auto& [username, role, name] :
         {std::tuple{"lanhdao", Role::leader, "Lê Văn Lãnh"},
          std::tuple{"lanhdao2", Role::leader, "Vũ Thị Năm"},
          std::tuple{"phogiamdoc", Role::deputy, "Trịnh Văn Phó"},
          std::tuple{"truongphong", Role::head, "Hoàng Văn Trưởng"},
          std::tuple{"quantri", Role::admin, "Mai Văn Quản"}}) {
      EXPECT_TRUE(accounts_.create_user(
          agency_.id, {username, name, role, kTestPassword, "Phòng Tổng hợp"}, kConsole));
    }
    leader_ = session("lanhdao").account;
  }

  Session session(const std::string& username) {
    auto signed_in = accounts_.sign_in(username, kTestPassword, "192.0.2.1");
    EXPECT_TRUE(signed_in) << signed_in.error().to_string();
    auto found = accounts_.session(signed_in->session_token);
    EXPECT_TRUE(found);
    return *found;
  }
  // yyyy-mm-dd, `days` after today in Vietnam.
  std::string day(int days) {
    return store_text("SELECT (" + std::string(kVietnamToday) + " + $1::integer)::text",
                      {std::to_string(days)});
  }
  std::string store_text(const std::string& sql, const std::vector<store::Parameter>& parameters) {
    auto connection = database_.acquire();
    auto rows = (*connection)->execute(sql, parameters);
    EXPECT_TRUE(rows) << rows.error().to_string();
    return rows->text(0, 0);
  }
  std::string error_of(const NewDelegation& delegation, const Account& by) {
    auto created = delegations_.create(by, delegation, {by.user_id, ""});
    return created ? "created" : created.error().code;
  }

  Agency agency_;
  Account leader_;
};

TEST_F(DelegationTest, ANewDelegationKeepsItsRulesOrChangesNothing) {
  const std::string today = day(0);
  const std::string next_week = day(7);
  const NewDelegation good{"truongphong", today, next_week, "Đi công tác nước ngoài"};
  auto with = [&](auto change) {
    NewDelegation changed = good;
    change(changed);
    return error_of(changed, leader_);
  };
  EXPECT_EQ(with([](NewDelegation& d) { d.delegate = "lanhdao"; }), "delegation.self");
  EXPECT_EQ(with([](NewDelegation& d) { d.delegate = "nobody"; }), "user.not_found");
  EXPECT_EQ(with([](NewDelegation& d) { d.delegate = "quantri"; }), "user.not_found");
  EXPECT_EQ(with([&](NewDelegation& d) { d.ends_on = day(-1); }), "delegation.ends_before_start");
  EXPECT_EQ(with([&](NewDelegation& d) { d.starts_on = day(-1); }), "field.invalid");
  EXPECT_EQ(with([&](NewDelegation& d) { d.ends_on = day(400); }), "field.invalid");
  for (const char* bad : {"2099-02-30", "31/12/2099", "", "2026-1-1"}) {
    EXPECT_EQ(with([&](NewDelegation& d) { d.starts_on = bad; }), "field.invalid") << bad;
    EXPECT_EQ(with([&](NewDelegation& d) { d.ends_on = bad; }), "field.invalid") << bad;
  }
  EXPECT_EQ(with([](NewDelegation& d) { d.reason = ""; }), "field.invalid");
  EXPECT_EQ(with([](NewDelegation& d) { d.reason = std::string(501, 'x'); }), "field.invalid");
  EXPECT_EQ(with([](NewDelegation& d) { d.reason = "a\x01"; }), "field.invalid");
  // Another agency's user is unknown here.
  const Agency other = agency("000.00.05.H57", "Sở Tài chính");
  ASSERT_TRUE(accounts_.create_user(
      other.id, {"pho.taichinh", "Lý Văn Tư", Role::deputy, kTestPassword, ""}, kConsole));
  EXPECT_EQ(with([](NewDelegation& d) { d.delegate = "pho.taichinh"; }), "user.not_found");
  EXPECT_EQ(count("SELECT count(*) FROM delegations"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action LIKE 'delegation.%'"), 0);

  auto created = delegations_.create(leader_, good, {leader_.user_id, ""});
  ASSERT_TRUE(created) << created.error().to_string();
  EXPECT_EQ(created->state, "active");
  EXPECT_EQ(created->delegate.username, "truongphong");
  EXPECT_EQ(created->delegator.username, "lanhdao");
  // The same person cannot hold two delegations on one day, whoever gives them.
  const Account second_leader = session("lanhdao2").account;
  const NewDelegation overlapping{"truongphong", next_week, day(9), "Nghỉ phép"};
  EXPECT_EQ(error_of(overlapping, leader_), "delegation.overlaps");
  EXPECT_EQ(error_of(overlapping, second_leader), "delegation.overlaps");
  EXPECT_EQ(error_of({"truongphong", day(8), day(9), "Nghỉ phép"}, second_leader), "created");
  EXPECT_EQ(error_of({"phogiamdoc", today, next_week, "Nghỉ phép"}, leader_), "created");
  EXPECT_EQ(count("SELECT count(*) FROM delegations"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'delegation.created'"), 3);
  // The other agency sees none of them and cannot end one.
  EXPECT_TRUE(delegations_.list(other.id)->empty());
  EXPECT_EQ(delegations_.end(other.id, created->id, kConsole).error().code, "delegation.not_found");
  EXPECT_EQ(delegations_.list(agency_.id)->size(), 3u);
}

TEST_F(DelegationTest, TheDelegatesSessionHoldsTheLeadersPowersOnlyOnTheDaysInForce) {
  auto created = delegations_.create(leader_, {"truongphong", day(1), day(3), "Đi công tác"},
                                     {leader_.user_id, ""});
  ASSERT_TRUE(created) << created.error().to_string();
  EXPECT_EQ(created->state, "scheduled");
  // Before its first day: the head's own powers only.
  Session head = session("truongphong");
  EXPECT_FALSE(head.account.delegated);
  EXPECT_FALSE(may(head.account, Action::assign_incoming));
  EXPECT_TRUE(may(head.account, Action::handle_tasks));

  // On its days (moved into today): every action of the leader's role but delegating.
  run("UPDATE delegations SET starts_on = " + std::string(kVietnamToday) + " WHERE id = $1",
      {std::to_string(created->id)});
  head = session("truongphong");
  ASSERT_TRUE(head.account.delegated);
  EXPECT_EQ(head.account.delegated->delegator_username, "lanhdao");
  EXPECT_EQ(head.account.delegated->delegator_name, "Lê Văn Lãnh");
  EXPECT_EQ(head.account.delegated->ends_on, day(3));
  for (Action action : all_actions()) {
    const bool expected = role_may(Role::head, action) ||
                          (role_may(Role::leader, action) && action != Action::delegate_powers);
    EXPECT_EQ(may(head.account, action), expected) << action_name(action);
  }
  EXPECT_EQ(grant(head.account, Action::assign_incoming), Grant::by_delegation);
  EXPECT_EQ(grant(head.account, Action::handle_tasks), Grant::by_role);
  EXPECT_EQ(grant(head.account, Action::delegate_powers), Grant::refused);

  // A leader who is no longer active, or no longer a leader, lends nothing.
  run("UPDATE users SET role = 'deputy' WHERE username = 'lanhdao'");
  EXPECT_FALSE(session("truongphong").account.delegated);
  run("UPDATE users SET role = 'leader' WHERE username = 'lanhdao'");
  EXPECT_TRUE(session("truongphong").account.delegated);

  // After its last day.
  run("UPDATE delegations SET starts_on = starts_on - 10, ends_on = " + std::string(kVietnamToday) +
          " - 1 WHERE id = $1",
      {std::to_string(created->id)});
  EXPECT_FALSE(session("truongphong").account.delegated);
  EXPECT_EQ(delegations_.end(agency_.id, created->id, kConsole).error().code,
            "delegation.already_ended");
}

TEST_F(DelegationTest, ALeaderEndsADelegationEarlyOnce) {
  auto created =
      delegations_.create(leader_, {"phogiamdoc", day(0), day(5), "Đi học"}, {leader_.user_id, ""});
  ASSERT_TRUE(created);
  EXPECT_TRUE(session("phogiamdoc").account.delegated);
  const Account second_leader = session("lanhdao2").account;
  auto ended = delegations_.end(agency_.id, created->id, {second_leader.user_id, "192.0.2.9"});
  ASSERT_TRUE(ended) << ended.error().to_string();
  EXPECT_EQ(ended->state, "ended");
  ASSERT_TRUE(ended->ended_by);
  EXPECT_EQ(ended->ended_by->username, "lanhdao2");
  EXPECT_TRUE(ended->ended_at);
  EXPECT_FALSE(session("phogiamdoc").account.delegated);
  EXPECT_EQ(delegations_.end(agency_.id, created->id, kConsole).error().code,
            "delegation.already_ended");
  EXPECT_EQ(delegations_.end(agency_.id, created->id + 100, kConsole).error().code,
            "delegation.not_found");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'delegation.ended'"), 1);
  // Ended days are free again for a new delegation to the same person.
  EXPECT_EQ(error_of({"phogiamdoc", day(0), day(5), "Đi học tiếp"}, leader_), "created");
  // The candidates: the agency's active accounts but oneself and admins, deputies first.
  auto people = delegations_.candidates(agency_.id, leader_.user_id);
  ASSERT_TRUE(people);
  ASSERT_EQ(people->size(), 3u);
  EXPECT_EQ(people->front().username, "phogiamdoc");
}

}  // namespace
}  // namespace truc::office
