// What the handlers of a task do with it besides starting and finishing it: pass the main
// handling on within the department (chuyển xử lý), discuss it (ý kiến xử lý) and attach their
// working files (tệp dự thảo, hồ sơ xử lý).

#include <utility>

#include "assignment_queries.hpp"
#include "records.hpp"
#include "truc/office/assignments.hpp"
#include "truc/office/uploads.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

using assignment_sql::iso;
using assignment_sql::not_found;
using assignment_sql::person_at;
using assignment_sql::person_columns;

store::Parameter user_parameter(const Actor& actor) {
  return actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt;
}

// Text that is more than blanks: a comment of spaces and line breaks says nothing.
bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// The id of assignment `incoming_id` when `user` takes part in it.
Result<std::string> assignment_taken_part_in(store::Connection& connection, std::int64_t agency_id,
                                             const store::Parameter& user, std::int64_t incoming_id,
                                             bool lock) {
  auto found = connection.execute(
      "SELECT a.id, a.state FROM assignments a WHERE a.agency_id = $1 AND a.incoming_id = $3 AND " +
          assignment_sql::takes_part("$2", true) + (lock ? " FOR SHARE OF a" : ""),
      {std::to_string(agency_id), user, std::to_string(incoming_id)});
  if (!found) return std::move(found).error();
  if (found->empty()) return not_found(incoming_id);
  if (lock && found->text(0, 1) == "done") return assignment_sql::already_done(incoming_id);
  return found->text(0, 0);
}

// The columns of a TaskFile, for assignment_files f joined to uploads up, users u, departments d.
std::string file_columns() {
  return "f.id, up.name, up.content_type, up.size, up.blob_sha256, " + person_columns("u", "d") +
         ", " + iso("f.added_at");
}

constexpr const char* kFileJoins =
    " FROM assignment_files f JOIN uploads up ON up.id = f.upload_id "
    "JOIN users u ON u.id = f.added_by LEFT JOIN departments d ON d.id = u.department_id ";

TaskFile file_at(const store::Rows& rows, std::size_t row) {
  return {rows.integer(row, 0), rows.text(row, 1),       rows.text(row, 2), rows.integer(row, 3),
          rows.text(row, 4),    person_at(rows, row, 5), rows.text(row, 8)};
}

}  // namespace

Result<std::vector<Person>> Assignments::colleagues(std::int64_t agency_id, std::int64_t user_id,
                                                    std::int64_t incoming_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto task =
      (*connection)
          ->execute(
              "SELECT coalesce(a.main_department_id, holder.department_id), "
              "coalesce(a.main_handler, 0) FROM assignments a "
              "LEFT JOIN users holder ON holder.id = a.main_handler "
              "WHERE a.agency_id = $1 AND a.incoming_id = $3 AND " +
                  assignment_sql::holds("$2"),
              {std::to_string(agency_id), std::to_string(user_id), std::to_string(incoming_id)});
  if (!task) return std::move(task).error();
  if (task->empty()) return not_found(incoming_id);
  std::vector<Person> people;
  if (task->is_null(0, 0)) return people;  // a holder of no department has nobody to pass it to
  auto rows = (*connection)
                  ->execute("SELECT " + person_columns("u", "d") +
                                " FROM users u JOIN departments d ON d.id = u.department_id "
                                "WHERE u.agency_id = $1 AND u.department_id = $2 AND u.active "
                                "AND u.role IN ('specialist', 'head') AND u.id <> $3 "
                                "ORDER BY u.full_name",
                            {std::to_string(agency_id), task->text(0, 0), task->text(0, 1)});
  if (!rows) return std::move(rows).error();
  for (std::size_t row = 0; row < rows->size(); ++row) people.push_back(person_at(*rows, row, 0));
  return people;
}

Result<Assignment> Assignments::forward(std::int64_t agency_id, std::int64_t incoming_id,
                                        const std::string& to, const std::string& note,
                                        const Actor& actor) {
  TRUC_TRY(check_text("note", note, 2000, 0, Lines::several));
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    auto task = transaction->execute(
        "SELECT a.id, a.state, a.main_handler, a.main_department_id, "
        "coalesce(a.main_department_id, holder.department_id) FROM assignments a "
        "LEFT JOIN users holder ON holder.id = a.main_handler "
        "WHERE a.agency_id = $1 AND a.incoming_id = $3 AND " +
            assignment_sql::holds("$2") + " FOR UPDATE OF a",
        {std::to_string(agency_id), user_parameter(actor), std::to_string(incoming_id)});
    if (!task) return std::move(task).error();
    if (task->empty()) return not_found(incoming_id);
    if (task->text(0, 1) == "done") return assignment_sql::already_done(incoming_id);
    auto target = transaction->execute(
        "SELECT id, department_id FROM users "
        "WHERE agency_id = $1 AND username = $2 AND active AND role IN ('specialist', 'head')",
        {std::to_string(agency_id), to});
    if (!target) return std::move(target).error();
    if (target->empty()) {
      return Error{"user.not_found", "no active specialist or head of the agency has this name",
                   to};
    }
    if (task->is_null(0, 4)) {
      return Error{"task.no_department",
                   "the holder of the task belongs to no department to pass it on within",
                   std::to_string(incoming_id)};
    }
    if (target->is_null(0, 1) || target->text(0, 1) != task->text(0, 4)) {
      return Error{"task.outside_department",
                   "the task passes only to someone of the department that holds it", to};
    }
    const std::string assignment_id = task->text(0, 0);
    const std::string target_id = target->text(0, 0);
    if (!task->is_null(0, 2) && task->text(0, 2) == target_id) {
      return invalid_field("to", "someone other than who holds the task");
    }
    auto moved = transaction->execute(
        "UPDATE assignments SET main_handler = $2, main_department_id = NULL WHERE id = $1",
        {assignment_id, target_id});
    if (!moved) return std::move(moved).error();
    // The new holder leaves the co-handlers or readers; the one who passed it keeps seeing it,
    // in the part they had if they had one.
    auto left = transaction->execute(
        "DELETE FROM assignment_participants WHERE assignment_id = $1 AND user_id = $2",
        {assignment_id, target_id});
    if (!left) return std::move(left).error();
    auto kept = transaction->execute(
        "INSERT INTO assignment_participants (assignment_id, user_id, part) "
        "SELECT $1::bigint, $2::bigint, 'forwarded' WHERE $2::bigint <> $3::bigint "
        "ON CONFLICT DO NOTHING",
        {assignment_id, user_parameter(actor), target_id});
    if (!kept) return std::move(kept).error();
    auto handover = transaction->execute(
        "INSERT INTO assignment_handovers (assignment_id, from_user, from_department_id, to_user, "
        "handed_over_by, note) VALUES ($1, $2, $3, $4, $5, $6)",
        {assignment_id, task->optional_text(0, 2), task->optional_text(0, 3), target_id,
         user_parameter(actor), note});
    if (!handover) return std::move(handover).error();
    TRUC_TRY(audit(*transaction, agency_id, actor, "task.forwarded",
                   std::to_string(incoming_id) + " to " + to));
    TRUC_TRY(transaction->commit());
  }
  auto forwarded = of(agency_id, incoming_id);
  if (!forwarded) return std::move(forwarded).error();
  return std::move(**forwarded);
}

Result<std::vector<Comment>> Assignments::comments(std::int64_t agency_id, std::int64_t user_id,
                                                   std::int64_t incoming_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto assignment = assignment_taken_part_in(**connection, agency_id, std::to_string(user_id),
                                             incoming_id, /*lock=*/false);
  if (!assignment) return std::move(assignment).error();
  auto rows =
      (*connection)
          ->execute("SELECT c.id, " + person_columns("u", "d") + ", " + iso("c.written_at") +
                        ", c.body FROM assignment_comments c "
                        "JOIN users u ON u.id = c.author "
                        "LEFT JOIN departments d ON d.id = u.department_id "
                        "WHERE c.assignment_id = $1 ORDER BY c.id LIMIT 1000",
                    {*assignment});
  if (!rows) return std::move(rows).error();
  std::vector<Comment> comments;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    comments.push_back(
        {rows->integer(row, 0), person_at(*rows, row, 1), rows->text(row, 4), rows->text(row, 5)});
  }
  return comments;
}

Result<Comment> Assignments::comment(std::int64_t agency_id, std::int64_t incoming_id,
                                     const std::string& body, const Actor& actor) {
  TRUC_TRY(check_text("body", body, 2000, 1, Lines::several));
  if (blank(body)) return invalid_field("body", "has more than spaces and line breaks");
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto assignment = assignment_taken_part_in(**connection, agency_id, user_parameter(actor),
                                             incoming_id, /*lock=*/true);
  if (!assignment) return std::move(assignment).error();
  auto written = transaction->execute(
      "WITH written AS (INSERT INTO assignment_comments (assignment_id, author, body) "
      "VALUES ($1, $2, $3) RETURNING id, author, written_at, body) "
      "SELECT w.id, " +
          person_columns("u", "d") + ", " + iso("w.written_at") +
          ", w.body FROM written w JOIN users u ON u.id = w.author "
          "LEFT JOIN departments d ON d.id = u.department_id",
      {*assignment, user_parameter(actor), body});
  if (!written) return std::move(written).error();
  TRUC_TRY(audit(*transaction, agency_id, actor, "task.commented", std::to_string(incoming_id)));
  TRUC_TRY(transaction->commit());
  return Comment{written->integer(0, 0), person_at(*written, 0, 1), written->text(0, 4),
                 written->text(0, 5)};
}

Result<std::vector<TaskFile>> Assignments::files(std::int64_t agency_id, std::int64_t user_id,
                                                 std::int64_t incoming_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto assignment = assignment_taken_part_in(**connection, agency_id, std::to_string(user_id),
                                             incoming_id, /*lock=*/false);
  if (!assignment) return std::move(assignment).error();
  auto rows = (*connection)
                  ->execute("SELECT " + file_columns() + kFileJoins +
                                "WHERE f.assignment_id = $1 ORDER BY f.id LIMIT 1000",
                            {*assignment});
  if (!rows) return std::move(rows).error();
  std::vector<TaskFile> files;
  for (std::size_t row = 0; row < rows->size(); ++row) files.push_back(file_at(*rows, row));
  return files;
}

Result<TaskFile> Assignments::file(std::int64_t agency_id, std::int64_t user_id,
                                   std::int64_t incoming_id, std::int64_t file_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto assignment = assignment_taken_part_in(**connection, agency_id, std::to_string(user_id),
                                             incoming_id, /*lock=*/false);
  if (!assignment) return std::move(assignment).error();
  auto rows = (*connection)
                  ->execute("SELECT " + file_columns() + kFileJoins +
                                "WHERE f.assignment_id = $1 AND f.id = $2",
                            {*assignment, std::to_string(file_id)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) {
    return Error{"incoming.not_found", "the task has no working file with this id",
                 std::to_string(file_id)};
  }
  return file_at(*rows, 0);
}

Result<TaskFile> Assignments::attach_file(std::int64_t agency_id, std::int64_t incoming_id,
                                          std::int64_t upload_id, const Actor& actor) {
  if (!actor.user_id) return not_found(incoming_id);  // the console takes part in no task
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto assignment = assignment_taken_part_in(**connection, agency_id, user_parameter(actor),
                                             incoming_id, /*lock=*/true);
  if (!assignment) return std::move(assignment).error();
  auto taken = consume_uploads(*transaction, agency_id, *actor.user_id, {upload_id},
                               "assignments/" + *assignment);
  if (!taken) return std::move(taken).error();
  auto added = transaction->execute(
      "WITH added AS (INSERT INTO assignment_files (assignment_id, upload_id, added_by) "
      "VALUES ($1, $2, $3) RETURNING id, upload_id, added_by, added_at) "
      "SELECT " +
          file_columns() +
          " FROM added f JOIN uploads up ON up.id = f.upload_id JOIN users u ON u.id = f.added_by "
          "LEFT JOIN departments d ON d.id = u.department_id",
      {*assignment, std::to_string(upload_id), user_parameter(actor)});
  if (!added) return std::move(added).error();
  TRUC_TRY(audit(*transaction, agency_id, actor, "task.file_attached",
                 std::to_string(incoming_id) + " upload " + std::to_string(upload_id)));
  TRUC_TRY(transaction->commit());
  return file_at(*added, 0);
}

}  // namespace truc::office
