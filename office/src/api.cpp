#include "truc/office/api.hpp"

#include <openssl/crypto.h>

#include <boost/json.hpp>
#include <charconv>
#include <utility>

#include "truc/common/log.hpp"
#include "truc/common/url.hpp"
#include "truc/office/static_site.hpp"
#include "truc/store/blob_store.hpp"

namespace truc::office {
namespace {

namespace json = boost::json;
using http::BodyMode;
using http::Request;
using http::Response;

constexpr const char* kApi = "/office/api/v1";

// An error answer; a lock-out also says when to try again.
Response error_response(const Error& error) {
  Response response = Response::error(error);
  if (error.code == "auth.account_locked")
    response.headers.emplace_back("Retry-After", error.detail);
  return response;
}

Response json_response(unsigned status, const json::value& value) {
  Response response = Response::json(status, json::serialize(value));
  // Answers about accounts must not sit in a shared or browser cache.
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

std::optional<std::string_view> cookie(const Request& request, std::string_view name) {
  auto header = request.header("cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

bool same_secret(std::string_view given, const std::string& expected) {
  return given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

// The body as a JSON object. Cross-site forms cannot send application/json without the browser
// asking first, which is what keeps signing in safe from login CSRF.
Result<json::object> json_body(const Request& request) {
  auto type = request.header("content-type");
  if (!type || type->substr(0, type->find(';')) != "application/json") {
    return Error{"request.unsupported_media_type", "the body must be application/json", ""};
  }
  boost::system::error_code failure;
  json::value value = json::parse(request.body, failure);
  if (failure) return Error{"request.invalid", "the body is not valid JSON", failure.message()};
  if (!value.is_object()) return Error{"request.invalid", "the body must be a JSON object", ""};
  return std::move(value.as_object());
}

// A string member: required, or (with a fallback) optional.
Result<std::string> string_member(const json::object& object, std::string_view name,
                                  std::optional<std::string> fallback = std::nullopt) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr && fallback) return *fallback;
  if (value == nullptr || !value->is_string()) {
    return Error{"request.invalid", "a member is missing or not a string", std::string(name)};
  }
  return std::string(value->as_string());
}

json::object account_json(const Account& account) {
  return {{"username", account.username},       {"full_name", account.full_name},
          {"role", role_name(account.role)},    {"agency_code", account.agency_code},
          {"agency_name", account.agency_name}, {"department", account.department}};
}

// With the actions the role may take, so that the web app shows only what the server allows.
json::object session_json(const Account& account, const std::string& csrf_token) {
  json::array actions;
  for (Action action : all_actions()) {
    if (role_may(account.role, action)) actions.push_back(json::string(action_name(action)));
  }
  return {{"user", account_json(account)}, {"csrf_token", csrf_token}, {"actions", actions}};
}

json::object document_type_json(const DocumentType& type) {
  return {{"id", type.id}, {"abbreviation", type.abbreviation}, {"name", type.name}};
}

json::object user_json(const UserSummary& user) {
  return {{"username", user.username},    {"full_name", user.full_name},
          {"role", role_name(user.role)}, {"department", user.department},
          {"active", user.active},        {"locked", user.locked}};
}

json::value optional_json(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return json::string(*value);
}

std::string_view priority_name(int priority) {
  static constexpr std::string_view kNames[] = {"Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc",
                                                "Hỏa tốc hẹn giờ"};
  return priority >= 0 && priority <= 4 ? kNames[priority] : kNames[0];
}

json::object incoming_json(const IncomingSummary& summary) {
  json::object object{{"id", summary.id},
                      {"received_at", summary.received_at},
                      {"sender_code", summary.sender_code},
                      {"sender_name", summary.sender_name},
                      {"code", summary.code},
                      {"subject", summary.subject},
                      {"document_type", summary.document_type},
                      {"promulgation_date", optional_json(summary.promulgation_date)},
                      {"priority", priority_name(summary.priority)},
                      {"state", summary.state},
                      {"register_name", optional_json(summary.register_name)},
                      {"signature", summary.signature}};
  object["arrival_number"] =
      summary.arrival_number ? json::value(*summary.arrival_number) : json::value(nullptr);
  return object;
}

json::object incoming_detail_json(const IncomingDetail& detail) {
  json::object object = incoming_json(detail.summary);
  object["signer"] = {{"competence", detail.signer_competence},
                      {"position", detail.signer_position},
                      {"full_name", detail.signer_name}};
  object["signature_detail"] = detail.signature_detail;
  object["due_date"] = optional_json(detail.due_date);
  object["hub_package_id"] = detail.hub_package_id;
  object["registered_at"] = optional_json(detail.registered_at);
  object["registered_by"] = optional_json(detail.registered_by);
  object["returned_reason"] = optional_json(detail.returned_reason);
  json::array attachments;
  for (const auto& attachment : detail.attachments) {
    attachments.push_back({{"index", attachment.ordinal},
                           {"name", attachment.name},
                           {"content_type", attachment.content_type},
                           {"size", attachment.size}});
  }
  object["attachments"] = std::move(attachments);
  json::array statuses;
  for (const auto& status : detail.statuses) {
    statuses.push_back({{"code", status.code}, {"at", status.at}, {"state", status.state}});
  }
  object["statuses_sent"] = std::move(statuses);
  return object;
}

json::object person_json(const Person& person) {
  return {{"username", person.username},
          {"full_name", person.full_name},
          {"department", person.department}};
}

json::array people_json(const std::vector<Person>& people) {
  json::array list;
  for (const auto& person : people) list.push_back(person_json(person));
  return list;
}

json::object assignment_json(const Assignment& assignment) {
  return {{"state", assignment.state},
          {"assigned_by", person_json(assignment.assigned_by)},
          {"assigned_at", assignment.assigned_at},
          {"main_handler", person_json(assignment.main_handler)},
          {"co_handlers", people_json(assignment.co_handlers)},
          {"readers", people_json(assignment.readers)},
          {"due_date", optional_json(assignment.due_date)},
          {"instructions", assignment.instructions},
          {"started_at", optional_json(assignment.started_at)},
          {"finished_at", optional_json(assignment.finished_at)},
          {"result", optional_json(assignment.result)}};
}

// An incoming document as every answer about one shows it: its fields and its assignment (null
// while it has none).
json::object document_json(const IncomingDetail& detail,
                           const std::optional<Assignment>& assignment) {
  json::object body = incoming_detail_json(detail);
  body["assignment"] = assignment ? json::value(assignment_json(*assignment)) : nullptr;
  return body;
}

// Serves an attachment's blob: a PDF inline, for the browser's viewer; anything else as a
// download, so that no HTML or script an agency sent runs in the office's origin.
Response attachment_response(const store::BlobStore& blobs, const IncomingAttachment& attachment) {
  Response response;
  response.body_file = blobs.path_of(attachment.blob_sha256);
  const bool pdf = attachment.content_type == "application/pdf";
  response.headers = {
      {"Content-Type", pdf ? "application/pdf" : "application/octet-stream"},
      {"Content-Disposition", std::string(pdf ? "inline" : "attachment") + "; filename*=UTF-8''" +
                                  percent_encode(attachment.name)},
      {"X-Content-Type-Options", "nosniff"},
      {"Cache-Control", "private, no-store"},
      {"Content-Security-Policy", "default-src 'none'; object-src 'self'; sandbox"}};
  return response;
}

// {main_handler, co_handlers?, readers?, due_date?, instructions?}
Result<NewAssignment> assignment_body(const json::object& body) {
  NewAssignment assignment;
  auto main = string_member(body, "main_handler");
  if (!main) return std::move(main).error();
  assignment.main_handler = std::move(*main);
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

const Session& session_of(const Request& request) {
  return std::any_cast<const Session&>(request.credentials);
}

Actor actor_of(const Request& request) {
  return Actor{session_of(request).account.user_id, request.remote_address};
}

// Admits a request whose cookie names a live session, whose role may do `action` and which, when
// it changes something, carries the session's CSRF token.
http::Gate session_gate(Accounts& accounts, Action action, bool changes_state) {
  return [&accounts, action, changes_state](Request& request) -> std::optional<Response> {
    auto token = cookie(request, kSessionCookie);
    if (!token) {
      return error_response(
          {"auth.session_missing", "not signed in, or the session has ended", ""});
    }
    auto session = accounts.session(*token);
    if (!session) return error_response(session.error());
    if (changes_state) {
      auto given = request.header("x-csrf-token");
      if (!given || !same_secret(*given, session->csrf_token)) {
        return error_response(
            {"auth.csrf_mismatch", "the X-CSRF-Token header does not match the session", ""});
      }
    }
    if (!role_may(session->account.role, action)) {
      return error_response(
          {"auth.forbidden", "this role may not do this", std::string(action_name(action))});
    }
    request.credentials = std::move(*session);
    return std::nullopt;
  };
}

Result<std::int64_t> id_parameter(const Request& request, const std::string& name) {
  if (!request.path_parameters.contains(name)) {
    return Error{"request.not_found", "no such resource", name};
  }
  const std::string& text = request.path_parameters.at(name);
  std::int64_t id = 0;
  auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (failure != std::errc() || end != text.data() + text.size() || id <= 0) {
    return Error{"request.not_found", "no such resource", name + " is not an id"};
  }
  return id;
}

// An attachment of the document in the path, by its index, of the caller's agency.
Response attachment_route(IncomingDocuments& incoming, const store::BlobStore& blobs,
                          Request& request) {
  auto id = id_parameter(request, "id");
  if (!id) return error_response(id.error());
  const std::string& index_text = request.path_parameters.at("index");
  int index = -1;
  auto [end, failure] =
      std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
  if (failure != std::errc() || end != index_text.data() + index_text.size() || index < 0) {
    return error_response({"request.not_found", "no such attachment", index_text});
  }
  auto attachment = incoming.attachment(session_of(request).account.agency_id, *id, index);
  if (!attachment) return error_response(attachment.error());
  return attachment_response(blobs, *attachment);
}

Response sign_in(Accounts& accounts, Request& request) {
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto username = string_member(*body, "username");
  if (!username) return error_response(username.error());
  auto password = string_member(*body, "password");
  if (!password) return error_response(password.error());
  auto signed_in = accounts.sign_in(*username, *password, request.remote_address);
  if (!signed_in) return error_response(signed_in.error());
  log_event("info", "signed_in",
            {{"username", signed_in->account.username},
             {"agency", signed_in->account.agency_code},
             {"request_id", request.request_id}});
  Response response = json_response(200, session_json(signed_in->account, signed_in->csrf_token));
  response.headers.emplace_back(
      "Set-Cookie", std::string(kSessionCookie) + "=" + signed_in->session_token +
                        "; Path=/; Max-Age=" + std::to_string(signed_in->lifetime.count()) +
                        "; HttpOnly; Secure; SameSite=Strict");
  return response;
}

Response sign_out(Accounts& accounts, Request& request) {
  auto token = cookie(request, kSessionCookie);
  if (Status ended = accounts.sign_out(token.value_or(""), actor_of(request)); !ended) {
    return error_response(ended.error());
  }
  Response response;
  response.status = 204;
  response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                                  "=; Path=/; Max-Age=0; HttpOnly; Secure; "
                                                  "SameSite=Strict");
  return response;
}

// Reads {abbreviation, name} and calls `write` with them.
template <typename Write>
Response document_type_change(Request& request, unsigned status, Write&& write) {
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto abbreviation = string_member(*body, "abbreviation", "");
  if (!abbreviation) return error_response(abbreviation.error());
  auto name = string_member(*body, "name");
  if (!name) return error_response(name.error());
  auto written = write(*abbreviation, *name);
  if (!written) return error_response(written.error());
  return json_response(status, document_type_json(*written));
}

Response create_user(Accounts& accounts, Request& request) {
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  NewUser user;
  for (auto [member, target] : {std::pair{"username", &user.username},
                                {"full_name", &user.full_name},
                                {"password", &user.password}}) {
    auto value = string_member(*body, member);
    if (!value) return error_response(value.error());
    *target = std::move(*value);
  }
  auto department = string_member(*body, "department", "");
  if (!department) return error_response(department.error());
  user.department = std::move(*department);
  auto role_text = string_member(*body, "role");
  if (!role_text) return error_response(role_text.error());
  auto role = role_from_name(*role_text);
  if (!role) {
    return error_response({"field.invalid", "a field breaks its rule",
                           "role: one of clerk, leader, deputy, head, specialist, admin"});
  }
  user.role = *role;
  auto created =
      accounts.create_user(session_of(request).account.agency_id, user, actor_of(request));
  if (!created) return error_response(created.error());
  return json_response(201, user_json(*created));
}

}  // namespace

std::vector<ApiRoute> api_routes(ApiServices services) {
  Accounts& accounts = services.accounts;
  Catalogues& catalogues = services.catalogues;
  const std::string api = kApi;
  std::vector<ApiRoute> routes;
  auto add = [&](std::string method, std::string pattern, BodyMode body,
                 std::optional<Action> action, http::Handler handler) {
    http::Gate gate;
    if (action) gate = session_gate(accounts, *action, method != "GET");
    routes.push_back(
        {{std::move(method), api + pattern, body, std::move(handler), std::move(gate)}, action});
  };

  add("POST", "/session", BodyMode::memory, std::nullopt,
      [&accounts](Request& request) { return sign_in(accounts, request); });
  add("GET", "/session", BodyMode::none, Action::use_session, [](Request& request) {
    const Session& session = session_of(request);
    return json_response(200, session_json(session.account, session.csrf_token));
  });
  add("DELETE", "/session", BodyMode::none, Action::use_session,
      [&accounts](Request& request) { return sign_out(accounts, request); });

  add("GET", "/catalogues/document-types", BodyMode::none, Action::view_catalogues,
      [&catalogues](Request& request) {
        auto types = catalogues.document_types(session_of(request).account.agency_id);
        if (!types) return error_response(types.error());
        json::array items;
        for (const auto& type : *types) items.push_back(document_type_json(type));
        return json_response(200, json::object{{"items", std::move(items)}});
      });
  add("POST", "/catalogues/document-types", BodyMode::memory, Action::edit_catalogues,
      [&catalogues](Request& request) {
        return document_type_change(request, 201, [&](const auto& abbreviation, const auto& name) {
          return catalogues.add_document_type(session_of(request).account.agency_id, abbreviation,
                                              name, actor_of(request));
        });
      });
  add("PUT", "/catalogues/document-types/{id}", BodyMode::memory, Action::edit_catalogues,
      [&catalogues](Request& request) {
        auto id = id_parameter(request, "id");
        if (!id) return error_response(id.error());
        return document_type_change(request, 200, [&](const auto& abbreviation, const auto& name) {
          return catalogues.change_document_type(session_of(request).account.agency_id, *id,
                                                 abbreviation, name, actor_of(request));
        });
      });

  add("GET", "/users", BodyMode::none, Action::view_users, [&accounts](Request& request) {
    auto users = accounts.users(session_of(request).account.agency_id);
    if (!users) return error_response(users.error());
    json::array items;
    for (const auto& user : *users) items.push_back(user_json(user));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  add("POST", "/users", BodyMode::memory, Action::manage_users,
      [&accounts](Request& request) { return create_user(accounts, request); });

  IncomingDocuments& incoming = services.incoming;
  Assignments& assignments = services.assignments;
  const store::BlobStore& blobs = services.blobs;
  add("GET", "/catalogues/registers", BodyMode::none, Action::view_catalogues,
      [&incoming](Request& request) {
        auto direction = request.query.find("direction");
        auto registers =
            incoming.registers(session_of(request).account.agency_id,
                               direction == request.query.end() ? "incoming" : direction->second);
        if (!registers) return error_response(registers.error());
        json::array items;
        for (const auto& entry : *registers) {
          items.push_back({{"id", entry.id},
                           {"name", entry.name},
                           {"year", entry.year},
                           {"direction", entry.direction}});
        }
        return json_response(200, json::object{{"items", std::move(items)}});
      });
  add("GET", "/incoming", BodyMode::none, Action::view_incoming, [&incoming](Request& request) {
    auto parameter = [&](const std::string& name, const std::string& fallback) {
      auto found = request.query.find(name);
      return found == request.query.end() ? fallback : found->second;
    };
    auto documents = incoming.list(session_of(request).account.agency_id, parameter("state", "new"),
                                   parameter("q", ""));
    if (!documents) return error_response(documents.error());
    json::array items;
    for (const auto& document : *documents) items.push_back(incoming_json(document));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  add("GET", "/incoming/{id}", BodyMode::none, Action::view_incoming,
      [&incoming, &assignments](Request& request) {
        auto id = id_parameter(request, "id");
        if (!id) return error_response(id.error());
        const std::int64_t agency_id = session_of(request).account.agency_id;
        auto detail = incoming.detail(agency_id, *id);
        if (!detail) return error_response(detail.error());
        auto assignment = assignments.of(agency_id, *id);
        if (!assignment) return error_response(assignment.error());
        return json_response(200, document_json(*detail, *assignment));
      });
  add("GET", "/incoming/{id}/attachments/{index}", BodyMode::none, Action::view_incoming,
      [&incoming, &blobs](Request& request) { return attachment_route(incoming, blobs, request); });
  add("POST", "/incoming/{id}/register", BodyMode::memory, Action::decide_incoming,
      [&incoming](Request& request) {
        auto id = id_parameter(request, "id");
        if (!id) return error_response(id.error());
        auto body = json_body(request);
        if (!body) return error_response(body.error());
        const json::value* register_id = body->if_contains("register_id");
        if (register_id == nullptr || !register_id->is_int64()) {
          return error_response(
              {"request.invalid", "a member is missing or not an integer", "register_id"});
        }
        auto detail = incoming.register_document(session_of(request).account.agency_id, *id,
                                                 register_id->as_int64(), actor_of(request));
        if (!detail) return error_response(detail.error());
        return json_response(200, document_json(*detail, std::nullopt));
      });
  add("POST", "/incoming/{id}/return", BodyMode::memory, Action::decide_incoming,
      [&incoming](Request& request) {
        auto id = id_parameter(request, "id");
        if (!id) return error_response(id.error());
        auto body = json_body(request);
        if (!body) return error_response(body.error());
        auto reason = string_member(*body, "reason");
        if (!reason) return error_response(reason.error());
        auto detail = incoming.return_document(session_of(request).account.agency_id, *id, *reason,
                                               actor_of(request));
        if (!detail) return error_response(detail.error());
        return json_response(200, document_json(*detail, std::nullopt));
      });

  add("GET", "/handlers", BodyMode::none, Action::assign_incoming,
      [&assignments](Request& request) {
        auto people = assignments.handlers(session_of(request).account.agency_id);
        if (!people) return error_response(people.error());
        return json_response(200, json::object{{"items", people_json(*people)}});
      });
  add("POST", "/incoming/{id}/assign", BodyMode::memory, Action::assign_incoming,
      [&assignments](Request& request) {
        auto id = id_parameter(request, "id");
        if (!id) return error_response(id.error());
        auto body = json_body(request);
        if (!body) return error_response(body.error());
        auto assignment = assignment_body(*body);
        if (!assignment) return error_response(assignment.error());
        auto assigned = assignments.assign(session_of(request).account.agency_id, *id, *assignment,
                                           actor_of(request));
        if (!assigned) return error_response(assigned.error());
        return json_response(200, assignment_json(*assigned));
      });
  add("GET", "/tasks", BodyMode::none, Action::handle_tasks, [&assignments](Request& request) {
    auto state = request.query.find("state");
    const std::string wanted = state == request.query.end() ? "open" : state->second;
    if (wanted != "open" && wanted != "done") {
      return error_response({"field.invalid", "a field breaks its rule", "state: open or done"});
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
  add("GET", "/tasks/{id}", BodyMode::none, Action::handle_tasks, [&assignments](Request& request) {
    auto id = id_parameter(request, "id");
    if (!id) return error_response(id.error());
    const Account& account = session_of(request).account;
    auto task = assignments.task(account.agency_id, account.user_id, *id);
    if (!task) return error_response(task.error());
    return json_response(200, document_json(task->first, task->second));
  });
  add("GET", "/tasks/{id}/attachments/{index}", BodyMode::none, Action::handle_tasks,
      [&incoming, &assignments, &blobs](Request& request) {
        auto id = id_parameter(request, "id");
        if (!id) return error_response(id.error());
        const Account& account = session_of(request).account;
        auto task = assignments.task(account.agency_id, account.user_id, *id);
        if (!task) return error_response(task.error());
        return attachment_route(incoming, blobs, request);
      });
  add("POST", "/tasks/{id}/start", BodyMode::none, Action::handle_tasks,
      [&assignments](Request& request) {
        auto id = id_parameter(request, "id");
        if (!id) return error_response(id.error());
        auto started =
            assignments.start(session_of(request).account.agency_id, *id, actor_of(request));
        if (!started) return error_response(started.error());
        return json_response(200, assignment_json(*started));
      });
  add("POST", "/tasks/{id}/finish", BodyMode::memory, Action::handle_tasks,
      [&assignments](Request& request) {
        auto id = id_parameter(request, "id");
        if (!id) return error_response(id.error());
        auto body = json_body(request);
        if (!body) return error_response(body.error());
        auto result = string_member(*body, "result");
        if (!result) return error_response(result.error());
        auto finished = assignments.finish(session_of(request).account.agency_id, *id, *result,
                                           actor_of(request));
        if (!finished) return error_response(finished.error());
        return json_response(200, assignment_json(*finished));
      });
  return routes;
}

Result<http::Router> web_routes(ApiServices services,
                                const std::filesystem::path& static_directory) {
  auto site = static_site(static_directory);
  if (!site) return std::move(site).error();
  http::Router router;
  for (ApiRoute& route : api_routes(services)) router.add(std::move(route.route));
  router.add({"GET", "/{path...}", BodyMode::none, std::move(*site), {}});
  return router;
}

}  // namespace truc::office
