#include <utility>

#include "api_support.hpp"
#include "truc/office/uploads.hpp"

namespace truc::office {
namespace {

using http::BodyMode;
using http::Request;

// A document after a change, with its assignment as it stands.
http::Response document_answer(Assignments& assignments, std::int64_t agency_id,
                               const IncomingDetail& detail) {
  auto assignment = assignments.of(agency_id, detail.summary.id);
  if (!assignment) return error_response(assignment.error());
  return json_response(200, document_json(detail, *assignment));
}

Error not_an_integer(std::string_view name) {
  return Error{"request.invalid", "a member is missing or not an integer", std::string(name)};
}

// {register_id, sender_name, code_number, code_notation, document_type, subject,
//  promulgation_date, priority, signer_name?, due_date?, uploads: [id, ...]}
Result<PaperDocument> paper_body(const json::object& body) {
  PaperDocument paper;
  const json::value* register_id = body.if_contains("register_id");
  if (register_id == nullptr || !register_id->is_int64()) return not_an_integer("register_id");
  paper.register_id = register_id->as_int64();
  const json::value* priority = body.if_contains("priority");
  if (priority == nullptr || !priority->is_int64()) return not_an_integer("priority");
  // Out of int's range is out of the priority's range too.
  paper.priority = priority->as_int64() < 0 || priority->as_int64() > 4
                       ? -1
                       : static_cast<int>(priority->as_int64());
  for (auto [name, member] :
       {std::pair{"sender_name", &paper.sender_name}, std::pair{"code_number", &paper.code_number},
        std::pair{"code_notation", &paper.code_notation},
        std::pair{"document_type", &paper.document_type}, std::pair{"subject", &paper.subject},
        std::pair{"promulgation_date", &paper.promulgation_date}}) {
    auto text = string_member(body, name);
    if (!text) return std::move(text).error();
    *member = std::move(*text);
  }
  auto signer = string_member(body, "signer_name", "");
  if (!signer) return std::move(signer).error();
  paper.signer_name = std::move(*signer);
  if (const json::value* due = body.if_contains("due_date"); due != nullptr && !due->is_null()) {
    if (!due->is_string()) return Error{"request.invalid", "a member is not a string", "due_date"};
    paper.due_date = std::string(due->as_string());
  }
  const json::value* uploads = body.if_contains("uploads");
  if (uploads == nullptr || !uploads->is_array() ||
      uploads->as_array().size() > kMaxUploadsPerRecord) {
    return Error{"request.invalid", "a member is not an array of at most 20 upload ids", "uploads"};
  }
  for (const json::value& upload : uploads->as_array()) {
    if (!upload.is_int64()) return not_an_integer("uploads");
    paper.uploads.push_back(upload.as_int64());
  }
  return paper;
}

}  // namespace

void add_incoming_routes(RouteTable& routes, ApiServices services) {
  IncomingDocuments& incoming = services.incoming;
  Assignments& assignments = services.assignments;
  const store::BlobStore& blobs = services.blobs;
  routes.add("GET", "/incoming", BodyMode::none, Action::view_incoming,
             [&incoming](Request& request) {
               auto parameter = [&](const std::string& name, const std::string& fallback) {
                 auto found = request.query.find(name);
                 return found == request.query.end() ? fallback : found->second;
               };
               auto documents = incoming.list(session_of(request).account.agency_id,
                                              parameter("state", "new"), parameter("q", ""));
               if (!documents) return error_response(documents.error());
               json::array items;
               for (const auto& document : *documents) items.push_back(incoming_json(document));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  routes.add("GET", "/incoming/{id}", BodyMode::none, Action::view_incoming,
             [&incoming, &assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               const std::int64_t agency_id = session_of(request).account.agency_id;
               auto detail = incoming.detail(agency_id, *id);
               if (!detail) return error_response(detail.error());
               return document_answer(assignments, agency_id, *detail);
             });
  routes.add(
      "GET", "/incoming/{id}/attachments/{index}", BodyMode::none, Action::view_incoming,
      [&incoming, &blobs](Request& request) { return attachment_route(incoming, blobs, request); });
  // A paper document, registered at once from the scans the clerk uploaded.
  routes.add("POST", "/incoming/paper", BodyMode::memory, Action::decide_incoming,
             [&incoming](Request& request) {
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto paper = paper_body(*body);
               if (!paper) return error_response(paper.error());
               auto detail = incoming.register_paper(session_of(request).account.agency_id, *paper,
                                                     actor_of(request));
               if (!detail) return error_response(detail.error());
               return json_response(201, document_json(*detail, std::nullopt));
             });
  routes.add("POST", "/incoming/{id}/register", BodyMode::memory, Action::decide_incoming,
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
  routes.add("POST", "/incoming/{id}/return", BodyMode::memory, Action::decide_incoming,
             [&incoming](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto reason = string_member(*body, "reason");
               if (!reason) return error_response(reason.error());
               auto detail = incoming.return_document(session_of(request).account.agency_id, *id,
                                                      *reason, actor_of(request));
               if (!detail) return error_response(detail.error());
               return json_response(200, document_json(*detail, std::nullopt));
             });
  routes.add("POST", "/incoming/{id}/recall/accept", BodyMode::none, Action::decide_incoming,
             [&incoming, &assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto detail = incoming.accept_recall(session_of(request).account.agency_id, *id,
                                                    actor_of(request));
               if (!detail) return error_response(detail.error());
               return document_answer(assignments, session_of(request).account.agency_id, *detail);
             });
  routes.add("POST", "/incoming/{id}/recall/refuse", BodyMode::memory, Action::decide_incoming,
             [&incoming, &assignments](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto reason = string_member(*body, "reason");
               if (!reason) return error_response(reason.error());
               auto detail = incoming.refuse_recall(session_of(request).account.agency_id, *id,
                                                    *reason, actor_of(request));
               if (!detail) return error_response(detail.error());
               return document_answer(assignments, session_of(request).account.agency_id, *detail);
             });
}

}  // namespace truc::office
