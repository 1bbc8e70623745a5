#include "truc/office/oversight.hpp"

#include <utility>

#include "truc/store/database.hpp"

namespace truc::office {
namespace {

// Due dates are days in Vietnam, whatever the database server's time zone.
constexpr const char* kToday = "(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date";
constexpr std::size_t kMostUrgent = 5;

// The columns DeadlineItem reads, for assignments a, incoming_documents i, main handlers `main`
// and their departments d. An assignment belongs to the department it was given to, or to its
// main handler's (none for a department's task until its head passes it on: main is null).
std::string deadline_columns() {
  return std::string(
             "a.incoming_id, i.code_number || CASE WHEN i.code_notation = '' THEN '' "
             "ELSE '/' || i.code_notation END, i.subject, i.sender_name, a.state, "
             "a.due_date::text, coalesce(a.due_date - ") +
         kToday + ", 0), coalesce(a.due_date < " + kToday +
         ", false), coalesce(main.username, ''), coalesce(main.full_name, ''), coalesce(d.name, "
         "''), "
         "coalesce(a.main_department_id, main.department_id), "
         "to_char(a.assigned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

constexpr const char* kDeadlineJoins =
    " FROM assignments a JOIN incoming_documents i ON i.id = a.incoming_id "
    "LEFT JOIN users main ON main.id = a.main_handler "
    "LEFT JOIN departments d ON d.id = coalesce(a.main_department_id, main.department_id) ";

// The condition of an open assignment being in `state`; `due_soon` is the parameter holding
// due_soon_days, read only for Deadline::due_soon.
std::string deadline_condition(Deadline state, const std::string& due_soon) {
  const std::string open = "a.state <> 'done'";
  switch (state) {
    case Deadline::overdue:
      return open + " AND a.due_date < " + kToday;
    case Deadline::due_soon:
      return open + " AND a.due_date BETWEEN " + kToday + " AND " + kToday + " + " + due_soon +
             "::integer";
    case Deadline::open:
      return open;
  }
  return open;
}

std::vector<DeadlineItem> deadline_items(const store::Rows& rows) {
  std::vector<DeadlineItem> items;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    DeadlineItem item;
    item.incoming_id = rows.integer(row, 0);
    item.code = rows.text(row, 1);
    item.subject = rows.text(row, 2);
    item.sender_name = rows.text(row, 3);
    item.state = rows.text(row, 4);
    item.due_date = rows.optional_text(row, 5);
    item.days_left = static_cast<int>(rows.integer(row, 6));
    item.overdue = rows.boolean(row, 7);
    item.main_handler = Person{rows.text(row, 8), rows.text(row, 9), rows.text(row, 10)};
    if (!rows.is_null(row, 11)) item.department_id = rows.integer(row, 11);
    item.assigned_at = rows.text(row, 12);
    items.push_back(std::move(item));
  }
  return items;
}

// The condition of the main handler being in the scope given by parameters $2 (the whole agency)
// and $3 (the department, null for none): scope_parameters().
constexpr const char* kScopeCondition =
    "($2::boolean OR coalesce(a.main_department_id, main.department_id) IS NOT DISTINCT FROM "
    "$3::bigint)";

std::vector<store::Parameter> scope_parameters(std::int64_t agency_id,
                                               const OversightScope& scope) {
  return {
      std::to_string(agency_id), scope.whole_agency ? "true" : "false",
      scope.department_id ? store::Parameter(std::to_string(*scope.department_id)) : std::nullopt};
}

}  // namespace

Oversight::Oversight(store::Pool& database, int due_soon_days)
    : database_(database), due_soon_days_(due_soon_days) {}

Result<std::vector<DeadlineItem>> Oversight::deadlines(std::int64_t agency_id,
                                                       const OversightScope& scope,
                                                       Deadline state) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  if (!scope.whole_agency && scope.department_id) {
    auto known = (*connection)
                     ->execute("SELECT 1 FROM departments WHERE agency_id = $1 AND id = $2",
                               {std::to_string(agency_id), std::to_string(*scope.department_id)});
    if (!known) return std::move(known).error();
    if (known->empty()) {
      return Error{"department.not_found", "the agency has no such department",
                   std::to_string(*scope.department_id)};
    }
  }
  std::vector<store::Parameter> parameters = scope_parameters(agency_id, scope);
  // Only the due-soon condition reads $4: a parameter no statement reads has no type.
  if (state == Deadline::due_soon) parameters.push_back(std::to_string(due_soon_days_));
  auto rows =
      (*connection)
          ->execute("SELECT " + deadline_columns() + kDeadlineJoins +
                        "WHERE a.agency_id = $1 AND " + deadline_condition(state, "$4") + " AND " +
                        kScopeCondition + " ORDER BY a.due_date NULLS LAST, a.id LIMIT 500",
                    parameters);
  if (!rows) return std::move(rows).error();
  return deadline_items(*rows);
}

Result<std::vector<DepartmentProgress>> Oversight::progress(std::int64_t agency_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  // Every department, even one with nothing assigned, and the group without a department.
  auto rows =
      (*connection)
          ->execute(
              std::string("WITH groups AS (SELECT id, name, 0 AS last FROM departments WHERE "
                          "agency_id = $1 "
                          "UNION ALL SELECT NULL, '', 1), "
                          "work AS (SELECT coalesce(a.main_department_id, main.department_id) AS "
                          "department_id, a.state, a.due_date, "
                          "(a.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS finished_on "
                          "FROM assignments a LEFT JOIN users main ON main.id = a.main_handler "
                          "WHERE a.agency_id = $1) "
                          "SELECT g.id, g.name, count(w.state), "
                          "count(*) FILTER (WHERE w.state = 'assigned'), "
                          "count(*) FILTER (WHERE w.state = 'in_progress'), "
                          "count(*) FILTER (WHERE w.state = 'done'), "
                          "count(*) FILTER (WHERE w.state <> 'done' AND w.due_date < ") +
                  kToday +
                  "), "
                  "count(*) FILTER (WHERE w.state = 'done' AND (w.due_date IS NULL "
                  "OR w.finished_on <= w.due_date)), "
                  "count(*) FILTER (WHERE w.state = 'done' AND w.finished_on > w.due_date) "
                  "FROM groups g LEFT JOIN work w ON w.department_id IS NOT DISTINCT FROM g.id "
                  "GROUP BY g.id, g.name, g.last ORDER BY g.last, g.name",
              {std::to_string(agency_id)});
  if (!rows) return std::move(rows).error();
  std::vector<DepartmentProgress> departments;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    DepartmentProgress department;
    if (!rows->is_null(row, 0)) department.department_id = rows->integer(row, 0);
    department.department = rows->text(row, 1);
    department.total = rows->integer(row, 2);
    department.assigned = rows->integer(row, 3);
    department.in_progress = rows->integer(row, 4);
    department.done = rows->integer(row, 5);
    department.overdue = rows->integer(row, 6);
    department.done_on_time = rows->integer(row, 7);
    department.done_late = rows->integer(row, 8);
    departments.push_back(std::move(department));
  }
  return departments;
}

Result<Reminders> Oversight::reminders(const Account& account,
                                       const std::optional<OversightScope>& scope) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  // Readers are only kept informed: the deadline is the handlers'.
  const std::string mine =
      "a.agency_id = $1 AND (a.main_handler = $2 OR EXISTS (SELECT FROM assignment_participants p "
      "WHERE p.assignment_id = a.id AND p.user_id = $2 AND p.part = 'co_handler'))";
  const std::vector<store::Parameter> parameters{std::to_string(account.agency_id),
                                                 std::to_string(account.user_id),
                                                 std::to_string(due_soon_days_)};
  auto counts =
      (*connection)
          ->execute("SELECT count(*) FILTER (WHERE " + deadline_condition(Deadline::overdue, "$3") +
                        "), count(*) FILTER (WHERE " +
                        deadline_condition(Deadline::due_soon, "$3") +
                        ") FROM assignments a WHERE " + mine,
                    parameters);
  if (!counts) return std::move(counts).error();
  Reminders reminders;
  reminders.overdue = counts->integer(0, 0);
  reminders.due_soon = counts->integer(0, 1);
  auto urgent =
      (*connection)
          ->execute("SELECT " + deadline_columns() + kDeadlineJoins + "WHERE " + mine + " AND ((" +
                        deadline_condition(Deadline::overdue, "$3") + ") OR (" +
                        deadline_condition(Deadline::due_soon, "$3") +
                        ")) ORDER BY a.due_date, a.id LIMIT " + std::to_string(kMostUrgent),
                    parameters);
  if (!urgent) return std::move(urgent).error();
  reminders.most_urgent = deadline_items(*urgent);
  if (scope) {
    auto overdue =
        (*connection)
            ->execute("SELECT count(*)" + std::string(kDeadlineJoins) +
                          "WHERE a.agency_id = $1 AND " +
                          deadline_condition(Deadline::overdue, "") + " AND " + kScopeCondition,
                      scope_parameters(account.agency_id, *scope));
    if (!overdue) return std::move(overdue).error();
    reminders.scope_overdue = overdue->integer(0, 0);
  }
  return reminders;
}

}  // namespace truc::office
