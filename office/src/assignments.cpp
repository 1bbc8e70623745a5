#include "truc/office/assignments.hpp"

#include <set>
#include <utility>

#include "assignment_queries.hpp"
#include "records.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

using assignment_sql::iso;
using assignment_sql::kToday;
using assignment_sql::not_found;
using assignment_sql::person_at;
using assignment_sql::person_columns;

Result<Assignment> read_assignment(store::Connection& connection, std::int64_t agency_id,
                                   std::int64_t incoming_id, bool& found) {
  auto rows = connection.execute(
      "SELECT a.id, a.state, " + person_columns("by_user", "by_department") + ", " +
          iso("a.assigned_at") + ", " + person_columns("main", "main_department") +
          ", a.due_date::text, a.instructions, " + iso("a.started_at") + ", " +
          iso("a.finished_at") +
          ", a.result, a.main_handler IS NULL, a.main_department_id, holder.name, a.no_action "
          "FROM assignments a "
          "JOIN users by_user ON by_user.id = a.assigned_by "
          "LEFT JOIN departments by_department ON by_department.id = by_user.department_id "
          "LEFT JOIN users main ON main.id = a.main_handler "
          "LEFT JOIN departments main_department ON main_department.id = main.department_id "
          "LEFT JOIN departments holder ON holder.id = a.main_department_id "
          "WHERE a.agency_id = $1 AND a.incoming_id = $2",
      {std::to_string(agency_id), std::to_string(incoming_id)});
  if (!rows) return std::move(rows).error();
  found = !rows->empty();
  if (!found) return Assignment{};
  Assignment assignment;
  assignment.state = rows->text(0, 1);
  assignment.assigned_by = person_at(*rows, 0, 2);
  assignment.assigned_at = rows->text(0, 5);
  if (rows->boolean(0, 14)) {
    assignment.main_department = Department{rows->integer(0, 15), rows->text(0, 16)};
  } else {
    assignment.main_handler = person_at(*rows, 0, 6);
  }
  assignment.due_date = rows->optional_text(0, 9);
  assignment.instructions = rows->text(0, 10);
  assignment.started_at = rows->optional_text(0, 11);
  assignment.finished_at = rows->optional_text(0, 12);
  assignment.result = rows->optional_text(0, 13);
  assignment.no_action = rows->boolean(0, 17);
  auto participants = connection.execute(
      "SELECT p.part, " + person_columns("u", "d") +
          " FROM assignment_participants p JOIN users u ON u.id = p.user_id "
          "LEFT JOIN departments d ON d.id = u.department_id WHERE p.assignment_id = $1 "
          "ORDER BY u.full_name",
      {rows->text(0, 0)});
  if (!participants) return std::move(participants).error();
  for (std::size_t row = 0; row < participants->size(); ++row) {
    const std::string part = participants->text(row, 0);
    if (part == "forwarded") continue;  // shown through the handovers
    auto& list = part == "co_handler" ? assignment.co_handlers : assignment.readers;
    list.push_back(person_at(*participants, row, 1));
  }
  auto handovers = connection.execute(
      "SELECT from_user.username IS NULL, " + person_columns("from_user", "from_user_department") +
          ", coalesce(from_department.name, ''), " + person_columns("to_user", "to_department") +
          ", " + person_columns("by_user", "by_department") + ", " + iso("h.handed_over_at") +
          ", h.note FROM assignment_handovers h "
          "LEFT JOIN users from_user ON from_user.id = h.from_user "
          "LEFT JOIN departments from_user_department "
          "ON from_user_department.id = from_user.department_id "
          "LEFT JOIN departments from_department ON from_department.id = h.from_department_id "
          "JOIN users to_user ON to_user.id = h.to_user "
          "LEFT JOIN departments to_department ON to_department.id = to_user.department_id "
          "JOIN users by_user ON by_user.id = h.handed_over_by "
          "LEFT JOIN departments by_department ON by_department.id = by_user.department_id "
          "WHERE h.assignment_id = $1 ORDER BY h.id",
      {rows->text(0, 0)});
  if (!handovers) return std::move(handovers).error();
  for (std::size_t row = 0; row < handovers->size(); ++row) {
    Handover handover;
    if (handovers->boolean(row, 0)) {
      handover.from_department = handovers->text(row, 4);
    } else {
      handover.from = person_at(*handovers, row, 1);
    }
    handover.to = person_at(*handovers, row, 5);
    handover.by = person_at(*handovers, row, 8);
    handover.at = handovers->text(row, 11);
    handover.note = handovers->text(row, 12);
    assignment.handovers.push_back(std::move(handover));
  }
  return assignment;
}

// The id of an active specialist or department head of the agency.
Result<std::string> handler_id(store::Transaction& transaction, std::int64_t agency_id,
                               const std::string& username) {
  auto found = transaction.execute(
      "SELECT id FROM users WHERE agency_id = $1 AND username = $2 AND active "
      "AND role IN ('specialist', 'head')",
      {std::to_string(agency_id), username});
  if (!found) return std::move(found).error();
  if (found->empty()) {
    return Error{"user.not_found", "no active specialist or head of the agency has this name",
                 username};
  }
  return found->text(0, 0);
}

// The name of a department of the agency that has an active head to pass its work on.
Result<std::string> main_department(store::Transaction& transaction, std::int64_t agency_id,
                                    std::int64_t department_id) {
  auto found = transaction.execute(
      "SELECT d.name, EXISTS (SELECT FROM users h WHERE h.department_id = d.id AND h.active "
      "AND h.role = 'head') FROM departments d WHERE d.agency_id = $1 AND d.id = $2",
      {std::to_string(agency_id), std::to_string(department_id)});
  if (!found) return std::move(found).error();
  if (found->empty()) {
    return Error{"department.not_found", "the agency has no such department",
                 std::to_string(department_id)};
  }
  if (!found->boolean(0, 1)) {
    return Error{"department.no_head", "the department has no active head to pass the work on",
                 found->text(0, 0)};
  }
  return found->text(0, 0);
}

Status check_assignment(const NewAssignment& assignment) {
  if (assignment.due_date) TRUC_TRY(check_date("due_date", *assignment.due_date));
  TRUC_TRY(check_text("instructions", assignment.instructions, 2000, 0, Lines::several));
  if (assignment.main_handler.empty() == !assignment.main_department_id) {
    return invalid_field("main_handler", "a person or a department, exactly one");
  }
  std::set<std::string> named;
  if (!assignment.main_handler.empty()) named.insert(assignment.main_handler);
  for (const auto& [field, list] : {std::pair{"co_handlers", &assignment.co_handlers},
                                    std::pair{"readers", &assignment.readers}}) {
    for (const auto& username : *list) {
      if (!named.insert(username).second) {
        return invalid_field(field, "each person is named once: " + username);
      }
    }
  }
  return ok_status();
}

}  // namespace

Assignments::Assignments(store::Pool& database, IncomingDocuments& incoming,
                         std::function<void()> statuses_owed)
    : database_(database), incoming_(incoming), statuses_owed_(std::move(statuses_owed)) {}

Result<std::vector<Person>> Assignments::handlers(std::int64_t agency_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows =
      (*connection)
          ->execute("SELECT " + person_columns("u", "d") +
                        " FROM users u LEFT JOIN departments d ON d.id = u.department_id "
                        "WHERE u.agency_id = $1 AND u.active AND u.role IN ('specialist', 'head') "
                        "ORDER BY coalesce(d.name, ''), u.full_name",
                    {std::to_string(agency_id)});
  if (!rows) return std::move(rows).error();
  std::vector<Person> people;
  for (std::size_t row = 0; row < rows->size(); ++row) people.push_back(person_at(*rows, row, 0));
  return people;
}

Result<std::vector<Department>> Assignments::departments(std::int64_t agency_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows = (*connection)
                  ->execute(
                      "SELECT d.id, d.name FROM departments d WHERE d.agency_id = $1 "
                      "AND EXISTS (SELECT FROM users h WHERE h.department_id = d.id AND h.active "
                      "AND h.role = 'head') ORDER BY d.name",
                      {std::to_string(agency_id)});
  if (!rows) return std::move(rows).error();
  std::vector<Department> departments;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    departments.push_back({rows->integer(row, 0), rows->text(row, 1)});
  }
  return departments;
}

Result<Assignment> Assignments::assign(std::int64_t agency_id, std::int64_t incoming_id,
                                       const NewAssignment& assignment, const Actor& actor) {
  TRUC_TRY(check_assignment(assignment));
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    auto document = transaction->execute(
        "SELECT i.state, a.id IS NOT NULL, $3::date < " + std::string(kToday) +
            ", i.recall_state IS NOT DISTINCT FROM 'accepted' FROM incoming_documents i "
            "LEFT JOIN assignments a ON a.incoming_id = i.id "
            "WHERE i.agency_id = $1 AND i.id = $2 FOR UPDATE OF i",
        {std::to_string(agency_id), std::to_string(incoming_id), assignment.due_date});
    if (!document) return std::move(document).error();
    if (document->empty()) return not_found(incoming_id);
    if (document->boolean(0, 3)) {
      return Error{"incoming.recalled", "the sender recalled the document; it is void",
                   std::to_string(incoming_id)};
    }
    if (document->text(0, 0) != "registered") {
      return Error{"incoming.not_registered", "only a registered document is assigned",
                   document->text(0, 0)};
    }
    if (document->boolean(0, 1)) {
      return Error{"incoming.already_assigned", "the document is assigned already",
                   std::to_string(incoming_id)};
    }
    if (!document->is_null(0, 2) && document->boolean(0, 2)) {
      return invalid_field("due_date", "today or later");
    }
    store::Parameter main;
    store::Parameter department;
    std::string handled_by = assignment.main_handler;
    if (assignment.main_department_id) {
      auto found = main_department(*transaction, agency_id, *assignment.main_department_id);
      if (!found) return std::move(found).error();
      department = std::to_string(*assignment.main_department_id);
      handled_by = "department " + *found;
    } else {
      auto person = handler_id(*transaction, agency_id, assignment.main_handler);
      if (!person) return std::move(person).error();
      main = *person;
    }
    auto created = transaction->execute(
        "INSERT INTO assignments (agency_id, incoming_id, assigned_by, main_handler, "
        "main_department_id, due_date, instructions) VALUES ($1, $2, $3, $4, $5, $6::date, $7) "
        "RETURNING id",
        {std::to_string(agency_id), std::to_string(incoming_id),
         actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt, main,
         department, assignment.due_date, assignment.instructions});
    if (!created) {
      // Another leader assigned it between our lock and our insert.
      if (created.error().code == "store.unique_violation") {
        return Error{"incoming.already_assigned", "the document is assigned already",
                     std::to_string(incoming_id)};
      }
      return std::move(created).error();
    }
    for (const auto& [part, list] : {std::pair{"co_handler", &assignment.co_handlers},
                                     std::pair{"reader", &assignment.readers}}) {
      for (const auto& username : *list) {
        auto participant = handler_id(*transaction, agency_id, username);
        if (!participant) return std::move(participant).error();
        auto added = transaction->execute(
            "INSERT INTO assignment_participants (assignment_id, user_id, part) "
            "VALUES ($1, $2, $3)",
            {created->text(0, 0), *participant, std::string(part)});
        if (!added) return std::move(added).error();
      }
    }
    TRUC_TRY(
        owe_status(*transaction, agency_id, incoming_id, actor, "04",
                   "Đã giao xử lý" + (assignment.due_date ? ", hạn " + *assignment.due_date : "")));
    TRUC_TRY(audit(*transaction, agency_id, actor, "incoming.assigned",
                   std::to_string(incoming_id) + " to " + handled_by));
    TRUC_TRY(transaction->commit());
  }
  if (statuses_owed_) statuses_owed_();
  auto assigned = of(agency_id, incoming_id);
  if (!assigned) return std::move(assigned).error();
  return std::move(**assigned);
}

Result<std::optional<Assignment>> Assignments::of(std::int64_t agency_id,
                                                  std::int64_t incoming_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  bool found = false;
  auto assignment = read_assignment(**connection, agency_id, incoming_id, found);
  if (!assignment) return std::move(assignment).error();
  if (!found) return std::optional<Assignment>();
  return std::optional<Assignment>(std::move(*assignment));
}

Result<std::vector<Task>> Assignments::tasks(std::int64_t agency_id, std::int64_t user_id,
                                             bool done) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows =
      (*connection)
          ->execute(
              "SELECT a.incoming_id, CASE WHEN a.main_handler = $2 THEN 'main_handler' "
              "WHEN " +
                  assignment_sql::heads_holding_department("$2") +
                  " THEN 'department' ELSE p.part END, "
                  "a.state, a.due_date::text, a.state <> 'done' AND a.due_date < " +
                  std::string(kToday) +
                  " FROM assignments a LEFT JOIN assignment_participants p "
                  "ON p.assignment_id = a.id AND p.user_id = $2 "
                  "WHERE a.agency_id = $1 AND " +
                  assignment_sql::takes_part("$2", false) +
                  " AND (a.state = 'done') = $3 ORDER BY a.due_date NULLS LAST, a.id "
                  "LIMIT 500",
              {std::to_string(agency_id), std::to_string(user_id), done ? "true" : "false"});
  if (!rows) return std::move(rows).error();
  std::vector<Task> tasks;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    auto detail = incoming_.detail(agency_id, rows->integer(row, 0));
    if (!detail) return std::move(detail).error();
    tasks.push_back({std::move(detail->summary), rows->text(row, 1), rows->text(row, 2),
                     rows->optional_text(row, 3), rows->boolean(row, 4)});
  }
  return tasks;
}

Result<std::pair<IncomingDetail, Assignment>> Assignments::task(std::int64_t agency_id,
                                                                std::int64_t user_id,
                                                                std::int64_t incoming_id) {
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto mine =
        (*connection)
            ->execute(
                "SELECT 1 FROM assignments a WHERE a.agency_id = $1 AND a.incoming_id = $3 "
                "AND " +
                    assignment_sql::takes_part("$2", false),
                {std::to_string(agency_id), std::to_string(user_id), std::to_string(incoming_id)});
    if (!mine) return std::move(mine).error();
    if (mine->empty()) return not_found(incoming_id);
  }
  auto detail = incoming_.detail(agency_id, incoming_id);
  if (!detail) return std::move(detail).error();
  auto assignment = of(agency_id, incoming_id);
  if (!assignment) return std::move(assignment).error();
  if (!*assignment) return not_found(incoming_id);
  return std::pair{std::move(*detail), std::move(**assignment)};
}

namespace {

// Moves the caller's own task (as main handler) to `to` (in_progress, done, or done as needing
// no action), owing `code`.
Status advance(store::Pool& database, std::int64_t agency_id, std::int64_t incoming_id,
               const Actor& actor, const std::string& to, const std::string& code,
               const std::string& description, const std::optional<std::string>& result) {
  auto connection = database.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto task = transaction->execute(
      "SELECT state FROM assignments WHERE agency_id = $1 AND incoming_id = $2 "
      "AND main_handler = $3 FOR UPDATE",
      {std::to_string(agency_id), std::to_string(incoming_id),
       actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt});
  if (!task) return std::move(task).error();
  if (task->empty()) return not_found(incoming_id);
  const std::string state = task->text(0, 0);
  if (state == "done") return assignment_sql::already_done(incoming_id);
  if (to == "in_progress" && state == "in_progress") {
    return Error{"task.already_started", "the work on this document has started",
                 std::to_string(incoming_id)};
  }
  if (to == "done" && state == "assigned") {
    return Error{"task.not_started", "start the work before finishing it",
                 std::to_string(incoming_id)};
  }
  auto moved = transaction->execute(
      to == "in_progress"
          ? "UPDATE assignments SET state = 'in_progress', started_at = now() "
            "WHERE agency_id = $1 AND incoming_id = $2"
          : "UPDATE assignments SET state = 'done', finished_at = now(), result = $3, "
            "no_action = $4 WHERE agency_id = $1 AND incoming_id = $2",
      to == "in_progress"
          ? std::vector<store::Parameter>{std::to_string(agency_id), std::to_string(incoming_id)}
          : std::vector<store::Parameter>{std::to_string(agency_id), std::to_string(incoming_id),
                                          result, to == "no_action" ? "true" : "false"});
  if (!moved) return std::move(moved).error();
  TRUC_TRY(owe_status(*transaction, agency_id, incoming_id, actor, code, description));
  TRUC_TRY(audit(*transaction, agency_id, actor,
                 to == "in_progress" ? "task.started"
                 : to == "done"      ? "task.finished"
                                     : "task.closed_without_action",
                 std::to_string(incoming_id)));
  return transaction->commit();
}

}  // namespace

Result<Assignment> Assignments::close_without_action(std::int64_t agency_id,
                                                     std::int64_t incoming_id,
                                                     const std::string& reason,
                                                     const Actor& actor) {
  TRUC_TRY(check_text("reason", reason, 2000, 1, Lines::several));
  // QCVN 102:2016 has no status of its own for it: the work is over (06), and the regulation's
  // own words for the choice (Quy chế 480, Điều 14.1, "không cần xử lý") tell the sender why.
  TRUC_TRY(advance(database_, agency_id, incoming_id, actor, "no_action", "06",
                   "Không cần xử lý: " + reason, reason));
  if (statuses_owed_) statuses_owed_();
  auto assignment = of(agency_id, incoming_id);
  if (!assignment) return std::move(assignment).error();
  return std::move(**assignment);
}

Result<Assignment> Assignments::start(std::int64_t agency_id, std::int64_t incoming_id,
                                      const Actor& actor) {
  TRUC_TRY(advance(database_, agency_id, incoming_id, actor, "in_progress", "05", "Đang xử lý",
                   std::nullopt));
  if (statuses_owed_) statuses_owed_();
  auto assignment = of(agency_id, incoming_id);
  if (!assignment) return std::move(assignment).error();
  return std::move(**assignment);
}

Result<Assignment> Assignments::finish(std::int64_t agency_id, std::int64_t incoming_id,
                                       const std::string& result, const Actor& actor) {
  TRUC_TRY(check_text("result", result, 2000, 1, Lines::several));
  TRUC_TRY(advance(database_, agency_id, incoming_id, actor, "done", "06", result, result));
  if (statuses_owed_) statuses_owed_();
  auto assignment = of(agency_id, incoming_id);
  if (!assignment) return std::move(assignment).error();
  return std::move(**assignment);
}

}  // namespace truc::office
