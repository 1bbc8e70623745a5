#include "api_support.hpp"

namespace truc::office {

using http::BodyMode;
using http::Request;

namespace {

// A document after a change, with its assignment as it stands.
http::Response document_answer(Assignments& assignments, std::int64_t agency_id,
                               const IncomingDetail& detail) {
  auto assignment = assignments.of(agency_id, detail.summary.id);
  if (!assignment) return error_response(assignment.error());
  return json_response(200, document_json(detail, *assignment));
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
