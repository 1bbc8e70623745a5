#pragma once

// What the API's route files share: the route table whose gates check session, CSRF token and
// role, the readers of request bodies and parameters, and the JSON shapes of the records more
// than one route answers with.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truc/office/api.hpp"

namespace truc::office {

namespace json = boost::json;

// The API's routes as they are added: each under /office/api/v1, each but signing in behind the
// gate of the action it names.
class RouteTable {
 public:
  explicit RouteTable(Accounts& accounts) : accounts_(accounts) {}

  void add(std::string method, const std::string& pattern, http::BodyMode body,
           std::optional<Action> action, http::Handler handler);
  std::vector<ApiRoute> take() { return std::move(routes_); }

 private:
  Accounts& accounts_;
  std::vector<ApiRoute> routes_;
};

// The groups of routes, one file each, in the order they are matched.
void add_account_routes(RouteTable& routes, ApiServices services);
void add_catalogue_routes(RouteTable& routes, ApiServices services);
void add_incoming_routes(RouteTable& routes, ApiServices services);
void add_task_routes(RouteTable& routes, ApiServices services);

// An error answer; a lock-out also says when to try again.
http::Response error_response(const Error& error);
// A JSON answer that no shared or browser cache keeps.
http::Response json_response(unsigned status, const json::value& value);

std::optional<std::string_view> cookie(const http::Request& request, std::string_view name);
// The body as a JSON object. Cross-site forms cannot send application/json without the browser
// asking first, which is what keeps signing in safe from login CSRF.
Result<json::object> json_body(const http::Request& request);
// A string member: required, or (with a fallback) optional.
Result<std::string> string_member(const json::object& object, std::string_view name,
                                  std::optional<std::string> fallback = std::nullopt);
// A positive integer path parameter; anything else is an unknown resource.
Result<std::int64_t> id_parameter(const http::Request& request, const std::string& name);

// Who called: set by the gate before the handler runs.
const Session& session_of(const http::Request& request);
Actor actor_of(const http::Request& request);

json::value optional_json(const std::optional<std::string>& value);
json::object person_json(const Person& person);
json::array people_json(const std::vector<Person>& people);
json::object incoming_json(const IncomingSummary& summary);
json::object assignment_json(const Assignment& assignment);
// An incoming document as every answer about one shows it: its fields and its assignment (null
// while it has none).
json::object document_json(const IncomingDetail& detail,
                           const std::optional<Assignment>& assignment);

// An attachment of the document in the path ({id}, {index}), of the caller's agency: a PDF
// inline, for the browser's viewer; anything else as a download, so that no HTML or script an
// agency sent runs in the office's origin.
http::Response attachment_route(IncomingDocuments& incoming, const store::BlobStore& blobs,
                                http::Request& request);

}  // namespace truc::office
