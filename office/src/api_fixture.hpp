#pragma once

// For the office API's _pgtest suites: the API's routes over a migrated database, called without
// sockets as the transport would call them, and sessions of the agency's accounts by role.

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "office_fixture.hpp"
#include "truc/office/api.hpp"

namespace truc::office {

struct Caller {
  std::string cookie;  // "truc_office_session=..."
  std::string csrf;
};

class OfficeApi : public OfficeFixture {
 protected:
  OfficeApi() {
    for (const ApiRoute& route :
         api_routes({accounts_, catalogues_, incoming_, assignments_, register_books_, uploads_,
                     oversight_, delegations_, blobs_})) {
      actions_[route.route.method + " " + route.route.pattern] = route.action;
      router_.add(route.route);
    }
    own_ = agency("000.00.04.H57", "Sở Nội vụ");
    other_ = agency("000.00.05.H57", "Sở Tài chính");
  }

  // `query`: "?name=value" (plain text, one parameter), as the transport would have decoded it.
  // A route that spools its body gets `body` as a file, as the transport would have written it.
  http::Response call(const std::string& method, const std::string& path, const Caller* caller,
                      const std::string& body = "", bool with_csrf = true,
                      const std::string& query = "",
                      const std::string& content_type = "application/json") {
    http::Request request;
    request.method = method;
    request.path = path;
    if (auto equals = query.find('='); equals != std::string::npos) {
      request.query[query.substr(1, equals - 1)] = query.substr(equals + 1);
    }
    request.body = body;
    request.remote_address = "192.0.2.1";
    if (!body.empty() || content_type != "application/json") {
      request.headers.emplace_back("content-type", content_type);
    }
    if (caller != nullptr) {
      request.headers.emplace_back("cookie", "theme=dark; " + caller->cookie);
      if (with_csrf) request.headers.emplace_back("x-csrf-token", caller->csrf);
    }
    http::Router::Match match = router_.match(method, path);
    if (match.route == nullptr) {
      http::Response unmatched;
      unmatched.status = match.status;
      return unmatched;
    }
    request.path_parameters = match.parameters;
    if (match.route->body == http::BodyMode::spool) {
      request.body_file = spooled(body);
      request.body_size = body.size();
      request.body.clear();
    }
    if (match.route->gate) {
      if (auto refused = match.route->gate(request)) return *refused;
    }
    return match.route->handler(request);
  }

  Caller sign_in(const std::string& username) {
    http::Response answer = call("POST", "/office/api/v1/session", nullptr,
                                 boost::json::serialize(boost::json::object{
                                     {"username", username}, {"password", kTestPassword}}));
    EXPECT_EQ(answer.status, 200u) << answer.body;
    Caller caller;
    for (const auto& [name, value] : answer.headers) {
      if (name == "Set-Cookie") caller.cookie = value.substr(0, value.find(';'));
    }
    caller.csrf = std::string(boost::json::parse(answer.body).at("csrf_token").as_string());
    return caller;
  }

  // A new session of the agency's one account with this role (created the first time).
  Caller user(const Agency& agency, Role role) {
    std::string username = std::string(role_name(role)) + "." + std::to_string(agency.id);
    if (created_.insert(username).second) {
      EXPECT_TRUE(accounts_.create_user(
          agency.id, {username, "Trần Văn B", role, kTestPassword, ""}, kConsole));
    }
    return sign_in(username);
  }

  http::Router router_;
  std::set<std::string> created_;
  std::map<std::string, std::optional<Action>> actions_;
  Agency own_;
  Agency other_;
};

}  // namespace truc::office
