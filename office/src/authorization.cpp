#include "truc/office/authorization.hpp"

#include <vector>

namespace truc::office {
namespace {

struct Permission {
  Action action;
  std::string_view name;
  std::vector<Role> roles;
  // Whether a delegate holding a role's powers (Account::delegated) may do it too.
  bool delegable = true;
};

constexpr Role kEveryRole[] = {Role::clerk, Role::leader,     Role::deputy,
                               Role::head,  Role::specialist, Role::admin};

const std::vector<Permission>& permissions() {
  static const std::vector<Permission> table{
      {Action::use_session, "use_session", {std::begin(kEveryRole), std::end(kEveryRole)}},
      {Action::view_catalogues, "view_catalogues", {std::begin(kEveryRole), std::end(kEveryRole)}},
      {Action::edit_catalogues, "edit_catalogues", {Role::admin}},
      {Action::view_users, "view_users", {Role::admin}},
      {Action::manage_users, "manage_users", {Role::admin}},
      // The clerk (văn thư) keeps the registers; leaders read what arrives to assign it. An
      // agency admin runs accounts, not documents.
      {Action::view_incoming, "view_incoming", {Role::clerk, Role::leader, Role::deputy}},
      {Action::decide_incoming, "decide_incoming", {Role::clerk}},
      // The leader, or the deputy the leader delegates to, assigns; specialists and department
      // heads handle what they are given.
      {Action::assign_incoming, "assign_incoming", {Role::leader, Role::deputy}},
      {Action::handle_tasks, "handle_tasks", {Role::specialist, Role::head}},
      // Ý kiến xử lý: handlers and the leader who assigned the document talk it over; which
      // assignment a caller takes part in is the query's business, not the role's.
      {Action::discuss_tasks,
       "discuss_tasks",
       {Role::leader, Role::deputy, Role::specialist, Role::head}},
      // Everyone who writes documents sends their files first; an upload is used only by its
      // uploader's own record, whose route checks its own action.
      {Action::upload_files,
       "upload_files",
       {Role::clerk, Role::leader, Role::deputy, Role::head, Role::specialist}},
      // Who gives work with due dates follows its progress and urges on what is late (Quy chế
      // 480/QĐ-UBND 2022, Điều 13); a head follows the department's.
      {Action::view_deadlines, "view_deadlines", {Role::leader, Role::deputy, Role::head}},
      {Action::view_progress, "view_progress", {Role::leader, Role::deputy}},
      // A leader may have someone assign and follow up in the leader's stead (Quy chế
      // 480/QĐ-UBND 2022, Điều 13.2.c); that person hands the powers on to nobody.
      {Action::delegate_powers, "delegate_powers", {Role::leader}, /*delegable=*/false},
  };
  return table;
}

const std::vector<Action>& every_action() {
  static const std::vector<Action> actions = [] {
    std::vector<Action> listed;
    for (const Permission& permission : permissions()) listed.push_back(permission.action);
    return listed;
  }();
  return actions;
}

}  // namespace

std::string_view action_name(Action action) {
  for (const Permission& permission : permissions()) {
    if (permission.action == action) return permission.name;
  }
  return "unknown";
}

std::span<const Action> all_actions() { return every_action(); }
std::span<const Role> all_roles() { return kEveryRole; }

bool role_may(Role role, Action action) {
  for (const Permission& permission : permissions()) {
    if (permission.action != action) continue;
    for (Role allowed : permission.roles) {
      if (allowed == role) return true;
    }
  }
  return false;
}

Grant grant(const Account& account, Action action) {
  if (role_may(account.role, action)) return Grant::by_role;
  if (!account.delegated || !role_may(account.delegated->role, action)) return Grant::refused;
  for (const Permission& permission : permissions()) {
    if (permission.action == action) {
      return permission.delegable ? Grant::by_delegation : Grant::refused;
    }
  }
  return Grant::refused;
}

}  // namespace truc::office
