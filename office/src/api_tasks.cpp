#include <utility>

#include "api_support.hpp"

namespace truc::office {
namespace {

using http::BodyMode;
using http::Request;

// {main_handler | main_department_id, co_handlers?, readers?, due_date?, instructions?}
Result<NewAssignment> assignment_body(const json::object& body) {
  NewAssignment assignment;
  auto main = string_member(body, "main_handler", "");
  if (!main) return std::move(main).error();
  assignment.main_handler = std::move(*main);
  if (const json::value* department = body.if_contains("main_department_id");
      department != nullptr && !department->is_null()) {
    if (!department->is_int64() || department->as_int64() <= 0) {
      return Error{"request.invalid", "a member is not a department id", "main_department_id"};
    }
    assignment.main_department_id = department->as_int64();
  }
  for (auto [name, list] : {std::pair{"co_handlers", &assignment.co_handlers},
                            std::pair{"readers", &assignment.readers}}) {
    const json::value* value = body.if_contains(name);
    if (value == nullptr) continue;
    if (!value->is_array() || value->as_array().size() > 50) {
      return Error{"request.invalid", "a member is not an array of at most 50 user names", name};
    }
    for (const auto& element : value->as_array()) {
      if (!element.is_string()) {
        return Error{"request.invalid", "a member is not an array of user names", name};
      }
      list->push_back(std::string(element.as_string()));
    }
  }
  if (const json::value* due = body.if_contains("due_date"); due != nullptr && !due->is_null()) {
    if (!due->is_string()) return Error{"request.invalid", "a member is not a string", "due_date"};
    assignment.due_date = std::string(due->as_string());
  }
  auto instructions = string_member(body, "instructions", "");
  if (!instructions) return std::move(instructions).error();
  assignment.instructions = std::move(*instructions);
  return assignment;
}

}  // namespace

void add_task_routes(RouteTable& routes, ApiServices services) {
  IncomingDocuments& incoming = services.incoming;
  Assignments& assignments = services.assignments;
  const store::BlobStore& blobs = services.blobs;
  routes.add("GET", "/handlers", BodyMode::none, Action::assign_incoming,
             [&assignments](Request& request) {
               const std::int64_t agency_id = session_of(request).account.agency_id;
               auto people = assignments.handlers(agency_id);
               if (!people) return error_response(people.error());
               auto departments = assignments.departments(agency_id);
               if (!departments) return error_response(departments.error());
               json::array listed;
               for (const auto& department : *departments) {
                 listed.push_back(department_json(department));
               }
               return json_response(200, json::object{{"items", people_json(*people)},
                                                      {"departments", std::move(listed)}});
             });
  routes.add("POST", "/incoming/{id}/assign", BodyMode::memory, Action::assign_incoming,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto assignment = assignment_body(*body);
               if (!assignment) return error_response(assignment.error());
               auto assigned = assignments.assign(session_of(request).account.agency_id, *id,
                                                  *assignment, actor_of(request));
               if (!assigned) return error_response(assigned.error());
               return json_response(200, assignment_json(*assigned));
             });
  routes.add("GET", "/tasks", BodyMode::none, Action::handle_tasks,
             [&assignments](Request& request) {
               auto state = request.query.find("state");
               const std::string wanted = state == request.query.end() ? "open" : state->second;
               if (wanted != "open" && wanted != "done") {
                 return error_response(
                     {"field.invalid", "a field breaks its rule", "state: open or done"});
               }
               const Account& account = session_of(request).account;
               auto tasks = assignments.tasks(account.agency_id, account.user_id, wanted == "done");
               if (!tasks) return error_response(tasks.error());
               json::array items;
               for (const auto& task : *tasks) {
                 json::object item = incoming_json(task.document);
                 item["part"] = task.part;
                 item["task_state"] = task.state;
                 item["due_date"] = optional_json(task.due_date);
                 item["overdue"] = task.overdue;
                 items.push_back(std::move(item));
               }
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  routes.add("GET", "/tasks/{id}", BodyMode::none, Action::handle_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               const Account& account = session_of(request).account;
               auto task = assignments.task(account.agency_id, account.user_id, *id);
               if (!task) return error_response(task.error());
               return json_response(200, document_json(task->first, task->second));
             });
  routes.add("GET", "/tasks/{id}/attachments/{index}", BodyMode::none, Action::handle_tasks,
             [&incoming, &assignments, &blobs](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               const Account& account = session_of(request).account;
               auto task = assignments.task(account.agency_id, account.user_id, *id);
               if (!task) return error_response(task.error());
               return attachment_route(incoming, blobs, request);
             });
  routes.add("POST", "/tasks/{id}/start", BodyMode::none, Action::handle_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto started =
                   assignments.start(session_of(request).account.agency_id, *id, actor_of(request));
               if (!started) return error_response(started.error());
               return json_response(200, assignment_json(*started));
             });
  routes.add("POST", "/tasks/{id}/finish", BodyMode::memory, Action::handle_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto result = string_member(*body, "result");
               if (!result) return error_response(result.error());
               auto finished = assignments.finish(session_of(request).account.agency_id, *id,
                                                  *result, actor_of(request));
               if (!finished) return error_response(finished.error());
               return json_response(200, assignment_json(*finished));
             });
  routes.add("POST", "/tasks/{id}/no-action", BodyMode::memory, Action::handle_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto reason = string_member(*body, "reason");
               if (!reason) return error_response(reason.error());
               auto closed = assignments.close_without_action(session_of(request).account.agency_id,
                                                              *id, *reason, actor_of(request));
               if (!closed) return error_response(closed.error());
               return json_response(200, assignment_json(*closed));
             });
  routes.add("GET", "/tasks/{id}/colleagues", BodyMode::none, Action::handle_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               const Account& account = session_of(request).account;
               auto people = assignments.colleagues(account.agency_id, account.user_id, *id);
               if (!people) return error_response(people.error());
               return json_response(200, json::object{{"items", people_json(*people)}});
             });
  routes.add("POST", "/tasks/{id}/forward", BodyMode::memory, Action::handle_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto to = string_member(*body, "to");
               if (!to) return error_response(to.error());
               auto note = string_member(*body, "note", "");
               if (!note) return error_response(note.error());
               auto forwarded = assignments.forward(session_of(request).account.agency_id, *id, *to,
                                                    *note, actor_of(request));
               if (!forwarded) return error_response(forwarded.error());
               return json_response(200, assignment_json(*forwarded));
             });
  routes.add("GET", "/tasks/{id}/comments", BodyMode::none, Action::discuss_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               const Account& account = session_of(request).account;
               auto comments = assignments.comments(account.agency_id, account.user_id, *id);
               if (!comments) return error_response(comments.error());
               json::array items;
               for (const auto& comment : *comments) items.push_back(comment_json(comment));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  routes.add("POST", "/tasks/{id}/comments", BodyMode::memory, Action::discuss_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto text = string_member(*body, "body");
               if (!text) return error_response(text.error());
               auto written = assignments.comment(session_of(request).account.agency_id, *id, *text,
                                                  actor_of(request));
               if (!written) return error_response(written.error());
               return json_response(201, comment_json(*written));
             });
  routes.add("GET", "/tasks/{id}/files", BodyMode::none, Action::discuss_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               const Account& account = session_of(request).account;
               auto files = assignments.files(account.agency_id, account.user_id, *id);
               if (!files) return error_response(files.error());
               json::array items;
               for (const auto& file : *files) items.push_back(task_file_json(file));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  // {upload_id}: a file the caller sent first (POST /uploads), taken once.
  routes.add("POST", "/tasks/{id}/files", BodyMode::memory, Action::discuss_tasks,
             [&assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               const json::value* upload = body->if_contains("upload_id");
               if (upload == nullptr || !upload->is_int64() || upload->as_int64() <= 0) {
                 return error_response(
                     {"request.invalid", "a member is missing or not an upload id", "upload_id"});
               }
               auto attached = assignments.attach_file(session_of(request).account.agency_id, *id,
                                                       upload->as_int64(), actor_of(request));
               if (!attached) return error_response(attached.error());
               return json_response(201, task_file_json(*attached));
             });
  routes.add("GET", "/tasks/{id}/files/{file_id}", BodyMode::none, Action::discuss_tasks,
             [&assignments, &blobs](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto file_id = id_parameter(request, "file_id");
               if (!file_id) return error_response(file_id.error());
               const Account& account = session_of(request).account;
               auto file = assignments.file(account.agency_id, account.user_id, *id, *file_id);
               if (!file) return error_response(file.error());
               return file_response(blobs, file->name, file->content_type, file->blob_sha256);
             });
}

}  // namespace truc::office
