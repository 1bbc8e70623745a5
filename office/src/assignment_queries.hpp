#pragma once

// The SQL pieces that assignments.cpp and task_work.cpp share: timestamps as the API shows them,
// Vietnam's today, people as assignments name them, and who takes part in an assignment.

#include <cstdint>
#include <string>

#include "truc/common/error.hpp"
#include "truc/office/assignments.hpp"
#include "truc/store/database.hpp"

namespace truc::office::assignment_sql {

// Due dates are days in Vietnam, whatever the database server's time zone.
inline constexpr const char* kToday = "(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date";

// An ISO 8601 UTC timestamp of `column`.
inline std::string iso(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

// The columns of a Person for users `user` left-joined to departments `department`.
inline std::string person_columns(const std::string& user, const std::string& department) {
  return user + ".username, " + user + ".full_name, coalesce(" + department + ".name, '')";
}

inline Person person_at(const store::Rows& rows, std::size_t row, std::size_t first) {
  return Person{rows.text(row, first), rows.text(row, first + 1), rows.text(row, first + 2)};
}

// True when user `user` (a parameter such as "$2") heads the department holding assignment `a`.
inline std::string heads_holding_department(const std::string& user) {
  return "EXISTS (SELECT FROM users h WHERE h.id = " + user +
         " AND h.active AND h.role = 'head' AND h.department_id = a.main_department_id)";
}

// True when user `user` holds assignment `a`'s main handling or, for a department's task, heads
// that department: who may pass it on.
inline std::string holds(const std::string& user) {
  return "(a.main_handler = " + user + " OR " + heads_holding_department(user) + ")";
}

// True when user `user` takes part in assignment `a`: holds it, was named in it, passed it on,
// or (with the leader) assigned it.
inline std::string takes_part(const std::string& user, bool with_leader) {
  return "(" + holds(user) +
         " OR EXISTS (SELECT FROM assignment_participants p WHERE p.assignment_id = a.id AND "
         "p.user_id = " +
         user + ")" + (with_leader ? " OR a.assigned_by = " + user : std::string()) + ")";
}

inline Error not_found(std::int64_t id) {
  return Error{"incoming.not_found", "the agency has no such document among the caller's tasks",
               std::to_string(id)};
}

inline Error already_done(std::int64_t id) {
  return Error{"task.already_done", "the work on this document is finished", std::to_string(id)};
}

}  // namespace truc::office::assignment_sql
