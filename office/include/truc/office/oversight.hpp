#pragma once

// Following up assigned work (theo dõi, đôn đốc): open assignments past their due date (quá hạn)
// or due within the next days (sắp đến hạn), the progress of each department, and the reminders
// of one person's own tasks. Due dates are days in Vietnam, compared with the database's today
// there. An assignment belongs to its main handler's department; users without one form the
// group "no department". Everything is bound to the caller's agency.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/office/accounts.hpp"
#include "truc/office/assignments.hpp"

namespace truc::store {
class Pool;
}

namespace truc::office {

enum class Deadline {
  overdue,   // open, the due date has passed
  due_soon,  // open, due today or within the next due_soon_days days
  open,      // every open assignment, due first (a department's list)
};

// Which departments a list covers: the whole agency, or one department (nothing: the users
// without one).
struct OversightScope {
  bool whole_agency = false;
  std::optional<std::int64_t> department_id;
};

struct DeadlineItem {
  std::int64_t incoming_id = 0;
  std::string code;
  std::string subject;
  std::string sender_name;
  std::string state;  // assigned, in_progress
  std::optional<std::string> due_date;
  int days_left = 0;  // from today to the due date: negative when overdue, 0 without a due date
  bool overdue = false;
  Person main_handler;
  std::optional<std::int64_t> department_id;
  std::string assigned_at;
};

struct DepartmentProgress {
  std::optional<std::int64_t> department_id;  // nothing: "Chưa có phòng ban"
  std::string department;                     // its name; empty without one
  std::int64_t total = 0;
  std::int64_t assigned = 0;  // not started
  std::int64_t in_progress = 0;
  std::int64_t done = 0;
  std::int64_t overdue = 0;  // open and past due
  std::int64_t done_on_time = 0;
  std::int64_t done_late = 0;  // finished (Vietnam's day) after the due date
};

struct Reminders {
  std::int64_t overdue = 0;   // the caller's own open tasks (main or co-handler) past due
  std::int64_t due_soon = 0;  // ... and due soon
  std::vector<DeadlineItem> most_urgent;  // a few of them, the most overdue first
  // For those who follow others' deadlines: overdue assignments of their scope (the agency, or a
  // head's department).
  std::optional<std::int64_t> scope_overdue;
};

class Oversight {
 public:
  Oversight(store::Pool& database, int due_soon_days);

  int due_soon_days() const { return due_soon_days_; }

  // The open assignments of the scope in that state, due first, at most 500. department.not_found
  // when the scope names a department the agency does not have.
  Result<std::vector<DeadlineItem>> deadlines(std::int64_t agency_id, const OversightScope& scope,
                                              Deadline state);
  // Every department of the agency, then "no department", with the counts of their assignments.
  Result<std::vector<DepartmentProgress>> progress(std::int64_t agency_id);
  // `scope`: where the caller follows others' deadlines, if anywhere.
  Result<Reminders> reminders(const Account& account, const std::optional<OversightScope>& scope);

 private:
  store::Pool& database_;
  int due_soon_days_;
};

}  // namespace truc::office
