#pragma once

// Assignment and processing of registered incoming documents (giao xử lý, xử lý). A leader or
// deputy assigns a document once: a main handler (a person, or a department whose head passes it
// to a member), a due date, co-handlers, readers and instructions (status 04 to the sender). Each
// participant finds it among their tasks; the holder forwards it within the department (chuyển
// xử lý); the main handler starts the work (05) and finishes it with a result, or closes it as
// needing no action (06 either way); participants and the assigning leader comment on it (ý kiến
// xử lý) and attach working files (tệp dự thảo, hồ sơ xử lý). Queries are bound to the caller's
// agency, and tasks to the caller: a document nobody gave them is an unknown id.

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
  // Exactly one of the two: a user name of the agency, or a department whose head passes it on.
  std::string main_handler;
  std::optional<std::int64_t> main_department_id;
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

struct Department {
  std::int64_t id = 0;
  std::string name;
};

// One passing of the main handling (chuyển xử lý), from a person or from the department the
// leader named.
struct Handover {
  std::optional<Person> from;
  std::optional<std::string> from_department;
  Person to;
  Person by;
  std::string at;
  std::string note;
};

struct Comment {
  std::int64_t id = 0;
  Person author;
  std::string written_at;
  std::string body;
};

// Tệp dự thảo / hồ sơ xử lý: a working file a participant attached to the task.
struct TaskFile {
  std::int64_t id = 0;
  std::string name;
  std::string content_type;
  std::int64_t size = 0;
  std::string blob_sha256;
  Person added_by;
  std::string added_at;
};

struct Assignment {
  std::string state;  // assigned, in_progress, done
  Person assigned_by;
  std::string assigned_at;
  // Who holds the main handling: a person, or (until its head forwards it) a department.
  std::optional<Person> main_handler;
  std::optional<Department> main_department;
  std::vector<Person> co_handlers;
  std::vector<Person> readers;
  std::optional<std::string> due_date;
  std::string instructions;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
  std::optional<std::string> result;  // or, when no_action, the reason
  bool no_action = false;             // closed as needing no action (không cần xử lý)
  std::vector<Handover> handovers;    // oldest first
};

struct Task {
  IncomingSummary document;
  // main_handler, department (the caller heads the department that holds it), co_handler,
  // reader, forwarded (the caller held it and passed it on)
  std::string part;
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
  // The departments that may be given work: those with an active head, who passes it on.
  Result<std::vector<Department>> departments(std::int64_t agency_id);

  // Errors: incoming.not_found, incoming.not_registered (new or returned),
  // incoming.already_assigned, user.not_found (a name that is not an active specialist or head of
  // the agency), department.not_found, department.no_head, field.invalid (neither or both of a
  // main handler and a department, due date in the past or malformed, instructions too long, the
  // main handler also named as co-handler or reader).
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
  // Không cần xử lý (Quy chế 480, Điều 14.1): the main handler closes the task, started or not,
  // with a reason of 1–2000 characters; it is done, and the sender is owed 06 saying no action
  // was needed. Errors as finish() but task.not_started.
  Result<Assignment> close_without_action(std::int64_t agency_id, std::int64_t incoming_id,
                                          const std::string& reason, const Actor& actor);

  // Chuyển xử lý: the main handler, or the head of the department that holds the task, passes the
  // main handling to an active specialist or head of the same department, with a note of up to
  // 2000 characters; the one who passed it keeps seeing the task. Errors: incoming.not_found (not
  // the caller's to pass), task.already_done, task.no_department (the holder belongs to none),
  // user.not_found, task.outside_department, field.invalid (the holder named, note too long).
  Result<Assignment> forward(std::int64_t agency_id, std::int64_t incoming_id,
                             const std::string& to, const std::string& note, const Actor& actor);
  // Whom the caller may forward the task to (incoming.not_found when it is not theirs to pass).
  Result<std::vector<Person>> colleagues(std::int64_t agency_id, std::int64_t user_id,
                                         std::int64_t incoming_id);

  // Ý kiến xử lý, for every participant of the task and the leader who assigned it (anyone else:
  // incoming.not_found): the thread in the order written, and a new comment of 1–2000
  // characters, several lines allowed (field.invalid; task.already_done once it is closed).
  Result<std::vector<Comment>> comments(std::int64_t agency_id, std::int64_t user_id,
                                        std::int64_t incoming_id);
  Result<Comment> comment(std::int64_t agency_id, std::int64_t incoming_id, const std::string& body,
                          const Actor& actor);

  // Working files, for the same people as the comments: the list, oldest first; one file
  // (incoming.not_found when it is not one of this task's); and attaching the caller's own upload
  // (POST /uploads), once (upload.not_found, upload.already_used; task.already_done once closed).
  Result<std::vector<TaskFile>> files(std::int64_t agency_id, std::int64_t user_id,
                                      std::int64_t incoming_id);
  Result<TaskFile> file(std::int64_t agency_id, std::int64_t user_id, std::int64_t incoming_id,
                        std::int64_t file_id);
  Result<TaskFile> attach_file(std::int64_t agency_id, std::int64_t incoming_id,
                               std::int64_t upload_id, const Actor& actor);

 private:
  store::Pool& database_;
  IncomingDocuments& incoming_;
  std::function<void()> statuses_owed_;
};

}  // namespace truc::office
