#pragma once

// Assignment and processing of registered incoming documents (giao xử lý, xử lý). A leader or
// deputy assigns a document once: a main handler, a due date, co-handlers, readers and
// instructions (status 04 to the sender). Each participant finds it among their tasks; the main
// handler starts the work (05) and finishes it with a result (06). Queries are bound to the
// caller's agency, and tasks to the caller: a document nobody gave them is an unknown id.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/office/accounts.hpp"
#include "truc/office/incoming.hpp"

namespace truc::store {
class Pool;
}

namespace truc::office {

struct NewAssignment {
  std::string main_handler;  // user names of the agency
  std::vector<std::string> co_handlers;
  std::vector<std::string> readers;
  std::optional<std::string> due_date;  // yyyy-mm-dd, today or later
  std::string instructions;             // up to 2000 characters, several lines
};

struct Person {
  std::string username;
  std::string full_name;
  std::string department;
};

struct Assignment {
  std::string state;  // assigned, in_progress, done
  Person assigned_by;
  std::string assigned_at;
  Person main_handler;
  std::vector<Person> co_handlers;
  std::vector<Person> readers;
  std::optional<std::string> due_date;
  std::string instructions;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
  std::optional<std::string> result;
};

struct Task {
  IncomingSummary document;
  std::string part;  // main_handler, co_handler, reader
  std::string state;
  std::optional<std::string> due_date;
  bool overdue = false;  // not done and the due date has passed
};

class Assignments {
 public:
  // `statuses_owed` is called after a commit that owes the hub a status.
  Assignments(store::Pool& database, IncomingDocuments& incoming,
              std::function<void()> statuses_owed);

  // Who may be given work: the agency's active specialists and department heads.
  Result<std::vector<Person>> handlers(std::int64_t agency_id);

  // Errors: incoming.not_found, incoming.not_registered (new or returned),
  // incoming.already_assigned, user.not_found (a name that is not an active specialist or head of
  // the agency), field.invalid (due date in the past or malformed, instructions too long, the main
  // handler also named as co-handler or reader).
  Result<Assignment> assign(std::int64_t agency_id, std::int64_t incoming_id,
                            const NewAssignment& assignment, const Actor& actor);
  // The assignment of a document of the agency; nothing when it has none.
  Result<std::optional<Assignment>> of(std::int64_t agency_id, std::int64_t incoming_id);

  // The caller's tasks: open (assigned or in progress) or done, due first.
  Result<std::vector<Task>> tasks(std::int64_t agency_id, std::int64_t user_id, bool done);
  // A task of the caller (incoming.not_found otherwise): the document and its assignment.
  Result<std::pair<IncomingDetail, Assignment>> task(std::int64_t agency_id, std::int64_t user_id,
                                                     std::int64_t incoming_id);

  // The main handler only. Errors: incoming.not_found (not the caller's task, or the caller is
  // not its main handler), task.already_started, task.already_done, task.not_started (finish
  // before start), field.invalid (result of 1–2000 characters).
  Result<Assignment> start(std::int64_t agency_id, std::int64_t incoming_id, const Actor& actor);
  Result<Assignment> finish(std::int64_t agency_id, std::int64_t incoming_id,
                            const std::string& result, const Actor& actor);

 private:
  store::Pool& database_;
  IncomingDocuments& incoming_;
  std::function<void()> statuses_owed_;
};

}  // namespace truc::office
