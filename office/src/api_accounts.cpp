#include <utility>

#include "api_support.hpp"
#include "truc/common/log.hpp"

namespace truc::office {
namespace {

using http::BodyMode;
using http::Request;
using http::Response;

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

json::object user_json(const UserSummary& user) {
  return {{"username", user.username},    {"full_name", user.full_name},
          {"role", role_name(user.role)}, {"department", user.department},
          {"active", user.active},        {"locked", user.locked}};
}

Error invalid_role() {
  return Error{"field.invalid", "a field breaks its rule",
               "role: one of clerk, leader, deputy, head, specialist, admin"};
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
  if (!role) return error_response(invalid_role());
  user.role = *role;
  auto created =
      accounts.create_user(session_of(request).account.agency_id, user, actor_of(request));
  if (!created) return error_response(created.error());
  return json_response(201, user_json(*created));
}

// {full_name, role, department, active}
Result<UserChange> user_change_body(const json::object& body) {
  UserChange change;
  auto full_name = string_member(body, "full_name");
  if (!full_name) return std::move(full_name).error();
  change.full_name = std::move(*full_name);
  auto department = string_member(body, "department");
  if (!department) return std::move(department).error();
  change.department = std::move(*department);
  auto role_text = string_member(body, "role");
  if (!role_text) return std::move(role_text).error();
  auto role = role_from_name(*role_text);
  if (!role) return invalid_role();
  change.role = *role;
  const json::value* active = body.if_contains("active");
  if (active == nullptr || !active->is_bool()) {
    return Error{"request.invalid", "a member is missing or not a boolean", "active"};
  }
  change.active = active->as_bool();
  return change;
}

const std::string& username_parameter(const Request& request) {
  return request.path_parameters.at("username");
}

}  // namespace

void add_account_routes(RouteTable& routes, ApiServices services) {
  Accounts& accounts = services.accounts;
  routes.add("POST", "/session", BodyMode::memory, std::nullopt,
             [&accounts](Request& request) { return sign_in(accounts, request); });
  routes.add("GET", "/session", BodyMode::none, Action::use_session, [](Request& request) {
    const Session& session = session_of(request);
    return json_response(200, session_json(session.account, session.csrf_token));
  });
  routes.add("DELETE", "/session", BodyMode::none, Action::use_session,
             [&accounts](Request& request) { return sign_out(accounts, request); });

  routes.add("GET", "/users", BodyMode::none, Action::view_users, [&accounts](Request& request) {
    auto users = accounts.users(session_of(request).account.agency_id);
    if (!users) return error_response(users.error());
    json::array items;
    for (const auto& user : *users) items.push_back(user_json(user));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  routes.add("POST", "/users", BodyMode::memory, Action::manage_users,
             [&accounts](Request& request) { return create_user(accounts, request); });
  routes.add("PUT", "/users/{username}", BodyMode::memory, Action::manage_users,
             [&accounts](Request& request) {
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto change = user_change_body(*body);
               if (!change) return error_response(change.error());
               auto changed =
                   accounts.change_user(session_of(request).account.agency_id,
                                        username_parameter(request), *change, actor_of(request));
               if (!changed) return error_response(changed.error());
               return json_response(200, user_json(*changed));
             });
  routes.add("POST", "/users/{username}/unlock", BodyMode::none, Action::manage_users,
             [&accounts](Request& request) {
               auto unlocked = accounts.unlock_user(session_of(request).account.agency_id,
                                                    username_parameter(request), actor_of(request));
               if (!unlocked) return error_response(unlocked.error());
               return json_response(200, user_json(*unlocked));
             });
  routes.add("POST", "/users/{username}/password", BodyMode::memory, Action::manage_users,
             [&accounts](Request& request) {
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto password = string_member(*body, "password");
               if (!password) return error_response(password.error());
               auto changed =
                   accounts.set_password(session_of(request).account.agency_id,
                                         username_parameter(request), *password, actor_of(request));
               if (!changed) return error_response(changed.error());
               return json_response(200, user_json(*changed));
             });
}

}  // namespace truc::office
