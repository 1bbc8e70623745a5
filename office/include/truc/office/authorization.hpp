#pragma once

// Who may do what in the office: the one table every route is checked against before its handler
// runs (docs/office.md, "Roles"). Scope is the caller's own agency throughout: handlers read and
// write only rows of Account::agency_id, so another agency's ids are unknown ids to them.

#include <span>
#include <string_view>

#include "truc/office/accounts.hpp"

namespace truc::office {

enum class Action {
  use_session,      // see one's own session, sign out
  view_catalogues,  // document types, registers, urgency and secrecy levels, fields
  edit_catalogues,
  view_users,
  manage_users,     // create accounts in the agency
  view_incoming,    // the agency's incoming documents and their attachments
  decide_incoming,  // register a new incoming document, or return it to its sender
  assign_incoming,  // give a registered document to handlers, with a due date
  handle_tasks,     // the documents given to oneself: read, start, finish, forward, close
  discuss_tasks,    // comment on an assignment one takes part in or assigned
  upload_files,     // send a file (a scan) to attach to a record one writes afterwards
  view_deadlines,   // open assignments overdue or due soon: the agency's, or a head's department's
  view_progress,    // the agency's progress per department (and deadlines agency-wide)
  delegate_powers,  // give one's powers to another account for a period, end it early
};

std::string_view action_name(Action action);

// Every action, for tests and documentation that walk the table.
std::span<const Action> all_actions();
std::span<const Role> all_roles();

bool role_may(Role role, Action action);

// How an account may do an action: by its own role, or only through the leader's powers it holds
// by delegation (Account::delegated; every action of the leader's role but delegating further).
enum class Grant { refused, by_role, by_delegation };
Grant grant(const Account& account, Action action);
inline bool may(const Account& account, Action action) {
  return grant(account, action) != Grant::refused;
}

}  // namespace truc::office
