#include "api_support.hpp"

#include <openssl/crypto.h>

#include <charconv>
#include <utility>

#include "truc/common/url.hpp"
#include "truc/store/blob_store.hpp"

namespace truc::office {
namespace {

using http::BodyMode;
using http::Request;
using http::Response;

constexpr const char* kApi = "/office/api/v1";

bool same_secret(std::string_view given, const std::string& expected) {
  return given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

std::string_view priority_name(int priority) {
  static constexpr std::string_view kNames[] = {"Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc",
                                                "Hỏa tốc hẹn giờ"};
  return priority >= 0 && priority <= 4 ? kNames[priority] : kNames[0];
}

json::object incoming_detail_json(const IncomingDetail& detail) {
  json::object object = incoming_json(detail.summary);
  object["signer"] = {{"competence", detail.signer_competence},
                      {"position", detail.signer_position},
                      {"full_name", detail.signer_name}};
  object["signature_detail"] = detail.signature_detail;
  object["due_date"] = optional_json(detail.due_date);
  object["hub_package_id"] = optional_json(detail.hub_package_id);
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
  object["arrived_by"] = optional_json(detail.arrived_by);
  json::array trace;
  for (const auto& hop : detail.trace) {
    trace.push_back({{"organ_id", hop.organ_id}, {"at", optional_json(hop.at)}});
  }
  object["trace"] = std::move(trace);
  object["recall"] = nullptr;
  if (detail.recall) {
    object["recall"] = {{"state", detail.recall->state},
                        {"reason", detail.recall->reason},
                        {"requested_at", detail.recall->requested_at},
                        {"decided_at", optional_json(detail.recall->decided_at)},
                        {"decided_by", optional_json(detail.recall->decided_by)},
                        {"refusal", optional_json(detail.recall->refusal)}};
  }
  return object;
}

Response attachment_response(const store::BlobStore& blobs, const IncomingAttachment& attachment) {
  return file_response(blobs, attachment.name, attachment.content_type, attachment.blob_sha256);
}

// Admits a request whose cookie names a live session, whose role (or the role it holds by
// delegation) may do `action` and which, when it changes something, carries the session's CSRF
// token. The session remembers whether only the delegation allowed it, for the audit trail.
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
    const Grant granted = grant(session->account, action);
    if (granted == Grant::refused) {
      return error_response(
          {"auth.forbidden", "this role may not do this", std::string(action_name(action))});
    }
    session->by_delegation = granted == Grant::by_delegation;
    request.credentials = std::move(*session);
    return std::nullopt;
  };
}

}  // namespace

Response file_response(const store::BlobStore& blobs, const std::string& name,
                       const std::string& content_type, const std::string& blob_sha256) {
  Response response;
  response.body_file = blobs.path_of(blob_sha256);
  const bool pdf = content_type == "application/pdf";
  response.headers = {
      {"Content-Type", pdf ? "application/pdf" : "application/octet-stream"},
      {"Content-Disposition",
       std::string(pdf ? "inline" : "attachment") + "; filename*=UTF-8''" + percent_encode(name)},
      {"X-Content-Type-Options", "nosniff"},
      {"Cache-Control", "private, no-store"},
      {"Content-Security-Policy", "default-src 'none'; object-src 'self'; sandbox"}};
  return response;
}

void RouteTable::add(std::string method, const std::string& pattern, BodyMode body,
                     std::optional<Action> action, http::Handler handler) {
  http::Gate gate;
  if (action) gate = session_gate(accounts_, *action, method != "GET");
  routes_.push_back(
      {{std::move(method), kApi + pattern, body, std::move(handler), std::move(gate)}, action});
}

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

Result<std::string> string_member(const json::object& object, std::string_view name,
                                  std::optional<std::string> fallback) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr && fallback) return *fallback;
  if (value == nullptr || !value->is_string()) {
    return Error{"request.invalid", "a member is missing or not a string", std::string(name)};
  }
  return std::string(value->as_string());
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

const Session& session_of(const Request& request) {
  return std::any_cast<const Session&>(request.credentials);
}

Actor actor_of(const Request& request) {
  const Session& session = session_of(request);
  Actor actor{session.account.user_id, request.remote_address};
  if (session.by_delegation) actor.on_behalf_of = session.account.delegated->delegator_id;
  return actor;
}

json::value optional_json(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return json::string(*value);
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
                      {"signature", summary.signature},
                      {"source", summary.source},
                      {"recall_state", optional_json(summary.recall_state)}};
  object["arrival_number"] =
      summary.arrival_number ? json::value(*summary.arrival_number) : json::value(nullptr);
  return object;
}

json::object department_json(const Department& department) {
  return {{"id", department.id}, {"name", department.name}};
}

json::object comment_json(const Comment& comment) {
  return {{"id", comment.id},
          {"author", person_json(comment.author)},
          {"written_at", comment.written_at},
          {"body", comment.body}};
}

json::object task_file_json(const TaskFile& file) {
  return {{"id", file.id},
          {"name", file.name},
          {"content_type", file.content_type},
          {"size", file.size},
          {"added_by", person_json(file.added_by)},
          {"added_at", file.added_at}};
}

json::object assignment_json(const Assignment& assignment) {
  json::array handovers;
  for (const auto& handover : assignment.handovers) {
    handovers.push_back(
        {{"from", handover.from ? json::value(person_json(*handover.from)) : nullptr},
         {"from_department", optional_json(handover.from_department)},
         {"to", person_json(handover.to)},
         {"by", person_json(handover.by)},
         {"at", handover.at},
         {"note", handover.note}});
  }
  return {{"state", assignment.state},
          {"assigned_by", person_json(assignment.assigned_by)},
          {"assigned_at", assignment.assigned_at},
          {"main_handler",
           assignment.main_handler ? json::value(person_json(*assignment.main_handler)) : nullptr},
          {"main_department", assignment.main_department
                                  ? json::value(department_json(*assignment.main_department))
                                  : nullptr},
          {"no_action", assignment.no_action},
          {"handovers", std::move(handovers)},
          {"co_handlers", people_json(assignment.co_handlers)},
          {"readers", people_json(assignment.readers)},
          {"due_date", optional_json(assignment.due_date)},
          {"instructions", assignment.instructions},
          {"started_at", optional_json(assignment.started_at)},
          {"finished_at", optional_json(assignment.finished_at)},
          {"result", optional_json(assignment.result)}};
}

json::object document_json(const IncomingDetail& detail,
                           const std::optional<Assignment>& assignment) {
  json::object body = incoming_detail_json(detail);
  body["assignment"] = assignment ? json::value(assignment_json(*assignment)) : nullptr;
  return body;
}

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

}  // namespace truc::office
