#include "truc/office/authorization.hpp"

#include <gtest/gtest.h>

#include <set>

namespace truc::office {
namespace {

TEST(Authorization, EveryActionHasANameAndEveryRoleMaySignInAndReadTheCatalogues) {
  std::set<std::string_view> names;
  for (Action action : all_actions()) {
    EXPECT_NE(action_name(action), "unknown");
    EXPECT_TRUE(names.insert(action_name(action)).second);
  }
  for (Role role : all_roles()) {
    EXPECT_TRUE(role_may(role, Action::use_session)) << role_name(role);
    EXPECT_TRUE(role_may(role, Action::view_catalogues)) << role_name(role);
  }
}

TEST(Authorization, OnlyTheAgencyAdminManagesAccountsAndCatalogues) {
  for (Role role : all_roles()) {
    for (Action action : {Action::edit_catalogues, Action::view_users, Action::manage_users}) {
      EXPECT_EQ(role_may(role, action), role == Role::admin)
          << role_name(role) << " " << action_name(action);
    }
  }
}

TEST(Authorization, HandlersAndLeadersDiscussTasksButOnlyHandlersHandleThem) {
  for (Role role : all_roles()) {
    const bool handles = role == Role::specialist || role == Role::head;
    const bool leads = role == Role::leader || role == Role::deputy;
    EXPECT_EQ(role_may(role, Action::handle_tasks), handles) << role_name(role);
    EXPECT_EQ(role_may(role, Action::discuss_tasks), handles || leads) << role_name(role);
  }
}

TEST(Authorization, EveryoneWhoWritesDocumentsUploadsFilesButTheAdmin) {
  for (Role role : all_roles()) {
    EXPECT_EQ(role_may(role, Action::upload_files), role != Role::admin) << role_name(role);
  }
}

TEST(Authorization, LeadersAndDeputiesFollowTheAgencyHeadsTheirDepartmentOnlyLeadersDelegate) {
  for (Role role : all_roles()) {
    const bool leads = role == Role::leader || role == Role::deputy;
    EXPECT_EQ(role_may(role, Action::view_progress), leads) << role_name(role);
    EXPECT_EQ(role_may(role, Action::view_deadlines), leads || role == Role::head)
        << role_name(role);
    EXPECT_EQ(role_may(role, Action::delegate_powers), role == Role::leader) << role_name(role);
  }
}

TEST(Authorization, ADelegateHoldsTheLeadersActionsButDelegatingOnlyWhileTheSessionCarriesThem) {
  Account head{.role = Role::head};
  for (Action action : all_actions()) {
    EXPECT_EQ(may(head, action), role_may(Role::head, action)) << action_name(action);
  }
  head.delegated = DelegatedPowers{.delegation_id = 1, .delegator_id = 2, .role = Role::leader};
  for (Action action : all_actions()) {
    const Grant expected = role_may(Role::head, action) ? Grant::by_role
                           : role_may(Role::leader, action) && action != Action::delegate_powers
                               ? Grant::by_delegation
                               : Grant::refused;
    EXPECT_EQ(grant(head, action), expected) << action_name(action);
  }
  EXPECT_EQ(grant(head, Action::assign_incoming), Grant::by_delegation);
  EXPECT_EQ(grant(head, Action::handle_tasks), Grant::by_role);
  EXPECT_EQ(grant(head, Action::manage_users), Grant::refused);
  EXPECT_EQ(grant(head, Action::delegate_powers), Grant::refused);
}

TEST(Roles, NamesRoundTripAndUnknownNamesAreRefused) {
  for (Role role : all_roles()) EXPECT_EQ(role_from_name(role_name(role)), role);
  EXPECT_FALSE(role_from_name("superuser"));
  EXPECT_FALSE(role_from_name("Admin"));
}

}  // namespace
}  // namespace truc::office
