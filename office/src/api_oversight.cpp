#include <charconv>
#include <utility>

#include "api_support.hpp"

namespace truc::office {
namespace {

using http::BodyMode;
using http::Request;

json::object deadline_json(const DeadlineItem& item) {
  return {{"id", item.incoming_id},
          {"code", item.code},
          {"subject", item.subject},
          {"sender_name", item.sender_name},
          {"task_state", item.state},
          {"due_date", optional_json(item.due_date)},
          {"days_left", item.days_left},
          {"overdue", item.overdue},
          {"main_handler", person_json(item.main_handler)},
          {"department_id",
           item.department_id ? json::value(*item.department_id) : json::value(nullptr)},
          {"assigned_at", item.assigned_at}};
}

json::array deadlines_json(const std::vector<DeadlineItem>& items) {
  json::array list;
  for (const auto& item : items) list.push_back(deadline_json(item));
  return list;
}

// Where the caller follows others' deadlines: a leader or deputy (or their delegate) the whole
// agency, a head the own department; the table says who is which.
OversightScope scope_of(const Account& account) {
  return OversightScope{may(account, Action::view_progress), account.department_id};
}

// ?department=<id> or ?department=none narrows the list to one group of the caller's scope; a
// department outside it is unknown to the caller.
Result<OversightScope> requested_scope(const Request& request, const Account& account) {
  OversightScope scope = scope_of(account);
  auto wanted = request.query.find("department");
  if (wanted == request.query.end()) return scope;
  std::optional<std::int64_t> department;
  if (wanted->second != "none") {
    std::int64_t id = 0;
    const std::string& text = wanted->second;
    auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (failure != std::errc() || end != text.data() + text.size() || id <= 0) {
      return Error{"field.invalid", "a field breaks its rule", "department: an id or none"};
    }
    department = id;
  }
  if (!scope.whole_agency && department != scope.department_id) {
    return Error{"department.not_found", "the agency has no such department", wanted->second};
  }
  return OversightScope{false, department};
}

json::object progress_json(const DepartmentProgress& progress) {
  return {{"department_id",
           progress.department_id ? json::value(*progress.department_id) : json::value(nullptr)},
          {"department", progress.department},
          {"total", progress.total},
          {"assigned", progress.assigned},
          {"in_progress", progress.in_progress},
          {"done", progress.done},
          {"overdue", progress.overdue},
          {"done_on_time", progress.done_on_time},
          {"done_late", progress.done_late}};
}

}  // namespace

void add_oversight_routes(RouteTable& routes, ApiServices services) {
  Oversight& oversight = services.oversight;
  routes.add(
      "GET", "/oversight/deadlines", BodyMode::none, Action::view_deadlines,
      [&oversight](Request& request) {
        auto state = request.query.find("state");
        const std::string wanted = state == request.query.end() ? "overdue" : state->second;
        Deadline deadline = Deadline::overdue;
        if (wanted == "due_soon") {
          deadline = Deadline::due_soon;
        } else if (wanted == "open") {
          deadline = Deadline::open;
        } else if (wanted != "overdue") {
          return error_response(
              {"field.invalid", "a field breaks its rule", "state: overdue, due_soon or open"});
        }
        const Account& account = session_of(request).account;
        auto scope = requested_scope(request, account);
        if (!scope) return error_response(scope.error());
        auto items = oversight.deadlines(account.agency_id, *scope, deadline);
        if (!items) return error_response(items.error());
        return json_response(200, json::object{{"items", deadlines_json(*items)},
                                               {"due_soon_days", oversight.due_soon_days()},
                                               {"whole_agency", scope_of(account).whole_agency}});
      });
  routes.add("GET", "/oversight/progress", BodyMode::none, Action::view_progress,
             [&oversight](Request& request) {
               auto departments = oversight.progress(session_of(request).account.agency_id);
               if (!departments) return error_response(departments.error());
               json::array items;
               for (const auto& department : *departments) {
                 items.push_back(progress_json(department));
               }
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  routes.add(
      "GET", "/reminders", BodyMode::none, Action::use_session, [&oversight](Request& request) {
        const Account& account = session_of(request).account;
        std::optional<OversightScope> scope;
        if (may(account, Action::view_deadlines)) scope = scope_of(account);
        auto reminders = oversight.reminders(account, scope);
        if (!reminders) return error_response(reminders.error());
        json::object body{{"overdue", reminders->overdue},
                          {"due_soon", reminders->due_soon},
                          {"due_soon_days", oversight.due_soon_days()},
                          {"most_urgent", deadlines_json(reminders->most_urgent)}};
        body["scope_overdue"] = reminders->scope_overdue ? json::value(*reminders->scope_overdue)
                                                         : json::value(nullptr);
        return json_response(200, body);
      });
}

}  // namespace truc::office
