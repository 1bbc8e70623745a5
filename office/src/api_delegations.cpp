#include <utility>

#include "api_support.hpp"

namespace truc::office {
namespace {

using http::BodyMode;
using http::Request;

json::object delegation_json(const Delegation& delegation) {
  json::object object{{"id", delegation.id},
                      {"delegator", person_json(delegation.delegator)},
                      {"delegate", person_json(delegation.delegate)},
                      {"delegate_role", delegation.delegate_role},
                      {"starts_on", delegation.starts_on},
                      {"ends_on", delegation.ends_on},
                      {"reason", delegation.reason},
                      {"state", delegation.state},
                      {"ended_at", optional_json(delegation.ended_at)}};
  object["ended_by"] =
      delegation.ended_by ? json::value(person_json(*delegation.ended_by)) : json::value(nullptr);
  return object;
}

}  // namespace

void add_delegation_routes(RouteTable& routes, ApiServices services) {
  Delegations& delegations = services.delegations;
  routes.add("GET", "/delegations", BodyMode::none, Action::delegate_powers,
             [&delegations](Request& request) {
               auto listed = delegations.list(session_of(request).account.agency_id);
               if (!listed) return error_response(listed.error());
               json::array items;
               for (const auto& delegation : *listed) items.push_back(delegation_json(delegation));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  routes.add("GET", "/delegations/candidates", BodyMode::none, Action::delegate_powers,
             [&delegations](Request& request) {
               const Account& account = session_of(request).account;
               auto people = delegations.candidates(account.agency_id, account.user_id);
               if (!people) return error_response(people.error());
               return json_response(200, json::object{{"items", people_json(*people)}});
             });
  // {delegate, starts_on, ends_on, reason}
  routes.add("POST", "/delegations", BodyMode::memory, Action::delegate_powers,
             [&delegations](Request& request) {
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               NewDelegation delegation;
               for (auto [name, member] : {std::pair{"delegate", &delegation.delegate},
                                           std::pair{"starts_on", &delegation.starts_on},
                                           std::pair{"ends_on", &delegation.ends_on},
                                           std::pair{"reason", &delegation.reason}}) {
                 auto value = string_member(*body, name);
                 if (!value) return error_response(value.error());
                 *member = std::move(*value);
               }
               auto created =
                   delegations.create(session_of(request).account, delegation, actor_of(request));
               if (!created) return error_response(created.error());
               return json_response(201, delegation_json(*created));
             });
  routes.add("POST", "/delegations/{id}/end", BodyMode::none, Action::delegate_powers,
             [&delegations](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto ended =
                   delegations.end(session_of(request).account.agency_id, *id, actor_of(request));
               if (!ended) return error_response(ended.error());
               return json_response(200, delegation_json(*ended));
             });
}

}  // namespace truc::office
