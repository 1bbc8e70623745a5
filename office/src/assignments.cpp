#include "truc/office/assignments.hpp"

#include <set>
#include <utility>

#include "records.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

constexpr const char* kTimestamp = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";
// Due dates are days in Vietnam, whatever the database server's time zone.
constexpr const char* kToday = "(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date";

std::string iso(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', " + kTimestamp + ")";
}

Error not_found(std::int64_t id) {
  return Error{"incoming.not_found", "the agency has no such document among the caller's tasks",
               std::to_string(id)};
}

Person person_at(const store::Rows& rows, std::size_t row, std::size_t first) {
  return Person{rows.text(row, first), rows.text(row, first + 1), rows.text(row, first + 2)};
}

// The columns of a Person for users `u` left-joined to departments `d`.
std::string person_columns(const std::string& user, const std::string& department) {
  return user + ".username, " + user + ".full_name, coalesce(" + department + ".name, '')";
}

Result<Assignment> read_assignment(store::Connection& connection, std::int64_t agency_id,
                                   std::int64_t incoming_id, bool& found) {
  auto rows = connection.execute(
      "SELECT a.id, a.state, " + person_columns("by_user", "by_department") + ", " +
          iso("a.assigned_at") + ", " + person_columns("main", "main_department") +
          ", a.due_date::text, a.instructions, " + iso("a.started_at") + ", " +
          iso("a.finished_at") +
          ", a.result FROM assignments a "
          "JOIN users by_user ON by_user.id = a.assigned_by "
          "LEFT JOIN departments by_department ON by_department.id = by_user.department_id "
          "JOIN users main ON main.id = a.main_handler "
          "LEFT JOIN departments main_department ON main_department.id = main.department_id "
          "WHERE a.agency_id = $1 AND a.incoming_id = $2",
      {std::to_string(agency_id), std::to_string(incoming_id)});
  if (!rows) return std::move(rows).error();
  found = !rows->empty();
  if (!found) return Assignment{};
  Assignment assignment;
  assignment.state = rows->text(0, 1);
  assignment.assigned_by = person_at(*rows, 0, 2);
  assignment.assigned_at = rows->text(0, 5);
  assignment.main_handler = person_at(*rows, 0, 6);
  assignment.due_date = rows->optional_text(0, 9);
  assignment.instructions = rows->text(0, 10);
  assignment.started_at = rows->optional_text(0, 11);
  assignment.finished_at = rows->optional_text(0, 12);
  assignment.result = rows->optional_text(0, 13);
  auto participants = connection.execute(
      "SELECT p.part, " + person_columns("u", "d") +
          " FROM assignment_participants p JOIN users u ON u.id = p.user_id "
          "LEFT JOIN departments d ON d.id = u.department_id WHERE p.assignment_id = $1 "
          "ORDER BY u.full_name",
      {rows->text(0, 0)});
  if (!participants) return std::move(participants).error();
  for (std::size_t row = 0; row < participants->size(); ++row) {
    auto& list =
        participants->text(row, 0) == "co_handler" ? assignment.co_handlers : assignment.readers;
    list.push_back(person_at(*participants, row, 1));
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

Status check_assignment(const NewAssignment& assignment) {
  if (assignment.due_date) TRUC_TRY(check_date("due_date", *assignment.due_date));
  TRUC_TRY(check_text("instructions", assignment.instructions, 2000, 0, Lines::several));
  std::set<std::string> named{assignment.main_handler};
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
            " FROM incoming_documents i "
            "LEFT JOIN assignments a ON a.incoming_id = i.id "
            "WHERE i.agency_id = $1 AND i.id = $2 FOR UPDATE OF i",
        {std::to_string(agency_id), std::to_string(incoming_id), assignment.due_date});
    if (!document) return std::move(document).error();
    if (document->empty()) return not_found(incoming_id);
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
    auto main = handler_id(*transaction, agency_id, assignment.main_handler);
    if (!main) return std::move(main).error();
    auto created = transaction->execute(
        "INSERT INTO assignments (agency_id, incoming_id, assigned_by, main_handler, due_date, "
        "instructions) VALUES ($1, $2, $3, $4, $5::date, $6) RETURNING id",
        {std::to_string(agency_id), std::to_string(incoming_id),
         actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt, *main,
         assignment.due_date, assignment.instructions});
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
                   std::to_string(incoming_id) + " to " + assignment.main_handler));
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
              "SELECT a.incoming_id, CASE WHEN a.main_handler = $2 THEN 'main_handler' ELSE p.part "
              "END, "
              "a.state, a.due_date::text, a.state <> 'done' AND a.due_date < " +
                  std::string(kToday) +
                  " "
                  "FROM assignments a LEFT JOIN assignment_participants p "
                  "ON p.assignment_id = a.id AND p.user_id = $2 "
                  "WHERE a.agency_id = $1 AND (a.main_handler = $2 OR p.user_id IS NOT NULL) "
                  "AND (a.state = 'done') = $3 ORDER BY a.due_date NULLS LAST, a.id LIMIT 500",
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
                "AND (a.main_handler = $2 OR EXISTS (SELECT FROM assignment_participants p "
                "WHERE p.assignment_id = a.id AND p.user_id = $2))",
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

// Moves the caller's own task (as main handler) from `from` to `to`, owing `code`.
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
  if (state == "done") {
    return Error{"task.already_done", "the work on this document is finished",
                 std::to_string(incoming_id)};
  }
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
          : "UPDATE assignments SET state = 'done', finished_at = now(), result = $3 "
            "WHERE agency_id = $1 AND incoming_id = $2",
      to == "in_progress"
          ? std::vector<store::Parameter>{std::to_string(agency_id), std::to_string(incoming_id)}
          : std::vector<store::Parameter>{std::to_string(agency_id), std::to_string(incoming_id),
                                          result});
  if (!moved) return std::move(moved).error();
  TRUC_TRY(owe_status(*transaction, agency_id, incoming_id, actor, code, description));
  TRUC_TRY(audit(*transaction, agency_id, actor,
                 to == "in_progress" ? "task.started" : "task.finished",
                 std::to_string(incoming_id)));
  return transaction->commit();
}

}  // namespace

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
