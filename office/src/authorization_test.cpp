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

TEST(Roles, NamesRoundTripAndUnknownNamesAreRefused) {
  for (Role role : all_roles()) EXPECT_EQ(role_from_name(role_name(role)), role);
  EXPECT_FALSE(role_from_name("superuser"));
  EXPECT_FALSE(role_from_name("Admin"));
}

}  // namespace
}  // namespace truc::office
