// The office API against a real PostgreSQL, called without sockets: every route × every role ×
// the caller's own agency and another one, CSRF and cookie checks, and bad input that must
// change nothing.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "office_fixture.hpp"
#include "truc/office/api.hpp"
#include "truc/office/catalogues.hpp"

namespace truc::office {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

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
  Response call(const std::string& method, const std::string& path, const Caller* caller,
                const std::string& body = "", bool with_csrf = true, const std::string& query = "",
                const std::string& content_type = "application/json") {
    Request request;
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
      Response unmatched;
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
    Response answer =
        call("POST", "/office/api/v1/session", nullptr,
             json::serialize(json::object{{"username", username}, {"password", kTestPassword}}));
    EXPECT_EQ(answer.status, 200u) << answer.body;
    Caller caller;
    for (const auto& [name, value] : answer.headers) {
      if (name == "Set-Cookie") caller.cookie = value.substr(0, value.find(';'));
    }
    caller.csrf = std::string(json::parse(answer.body).at("csrf_token").as_string());
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

// A request that succeeds for a role allowed the route, per route: a new route without an entry
// here fails the matrix test, so none goes untested.
struct Sample {
  std::string path;
  std::string body;
  unsigned success;
  std::string content_type = "application/json";
};

TEST_F(OfficeApi, EveryRouteAnswersEveryRoleAsTheAuthorizationTableSays) {
  auto other_agency_type = catalogues_.document_types(other_.id).value().front();
  auto own_type = catalogues_.document_types(own_.id).value().front();
  const std::string own_register =
      std::to_string(incoming_.registers(own_.id, "incoming").value().front().id);
  const std::string document = std::to_string(arrive(own_, "Về việc tổ chức hội nghị"));
  int counter = 0;
  // A document given to `role`'s account as main handler (a specialist's for roles that handle
  // no tasks: the gate refuses them before the document matters), started when asked.
  user(own_, Role::specialist);
  user(own_, Role::head);
  user(own_, Role::leader);
  user(own_, Role::clerk);
  Account clerk;
  clerk.user_id =
      count("SELECT id FROM users WHERE username = $1", {"clerk." + std::to_string(own_.id)});
  clerk.agency_id = own_.id;
  // A scan the clerk uploaded, for the clerk's paper document.
  auto clerk_scan = [&](const std::string& unique) {
    return std::to_string(
        uploads_.receive(clerk, "scan.pdf", "application/pdf", spooled("%PDF-1.4 " + unique), {})
            .value()
            .id);
  };
  user(own_, Role::deputy);
  const Actor leader{
      count("SELECT id FROM users WHERE username = $1", {"leader." + std::to_string(own_.id)}), ""};
  // The specialist and the head share a department, so that either may pass a task to the other.
  run("INSERT INTO departments (agency_id, name) VALUES ($1, 'Phòng Thử nghiệm')",
      {std::to_string(own_.id)});
  run("UPDATE users SET department_id = (SELECT id FROM departments WHERE name = 'Phòng Thử "
      "nghiệm') WHERE username IN ($1, $2)",
      {"specialist." + std::to_string(own_.id), "head." + std::to_string(own_.id)});
  auto handler_of = [&](Role role) {
    return std::string(role_name(role_may(role, Action::handle_tasks) ? role : Role::specialist)) +
           "." + std::to_string(own_.id);
  };
  auto registered = [&](const std::string& subject) {
    const auto id = arrive(own_, subject);
    EXPECT_TRUE(incoming_.register_document(own_.id, id, std::stoll(own_register), kConsole));
    return id;
  };
  auto task_for = [&](Role role, const std::string& subject, bool started) {
    const auto id = registered(subject);
    EXPECT_TRUE(assignments_.assign(own_.id, id, {.main_handler = handler_of(role)}, leader));
    if (started) {
      const Actor handler{count("SELECT id FROM users WHERE username = $1", {handler_of(role)}),
                          ""};
      EXPECT_TRUE(assignments_.start(own_.id, id, handler));
    }
    return std::to_string(id);
  };
  // Assigned by `role`'s account when it leads, given to it when it handles: it takes part.
  auto discussed_by = [&](Role role, const std::string& subject) {
    const auto id = registered(subject);
    const Role assigner = role == Role::deputy ? Role::deputy : Role::leader;
    const Actor by{count("SELECT id FROM users WHERE username = $1",
                         {std::string(role_name(assigner)) + "." + std::to_string(own_.id)}),
                   ""};
    EXPECT_TRUE(assignments_.assign(own_.id, id, {.main_handler = handler_of(role)}, by));
    return std::to_string(id);
  };
  // An upload of `username`'s, not yet used, as POST /uploads makes it.
  auto upload_of = [&](const std::string& username) {
    Account account;
    account.agency_id = own_.id;
    account.user_id = count("SELECT id FROM users WHERE username = $1", {username});
    auto stored = uploads_.receive(account, "Dự thảo.pdf", "application/pdf",
                                   spooled("%PDF-1.4 " + username), {account.user_id, ""});
    EXPECT_TRUE(stored) << stored.error().to_string();
    return stored ? std::to_string(stored->id) : "0";
  };
  // A task `role`'s account takes part in, with a working file its handler attached.
  auto file_of = [&](Role role, const std::string& subject) {
    const std::string task = discussed_by(role, subject);
    const std::string handler = handler_of(role);
    const Actor by{count("SELECT id FROM users WHERE username = $1", {handler}), ""};
    auto attached =
        assignments_.attach_file(own_.id, std::stoll(task), std::stoll(upload_of(handler)), by);
    EXPECT_TRUE(attached) << attached.error().to_string();
    return task + "/files/" + std::to_string(attached ? attached->id : 0);
  };
  // Given to the specialist, with the head as reader: both find it among their tasks.
  const std::string shared_task = std::to_string(registered("Việc chung"));
  ASSERT_TRUE(assignments_.assign(
      own_.id, std::stoll(shared_task),
      {.main_handler = handler_of(Role::specialist), .readers = {handler_of(Role::head)}}, leader));
  const std::string own_urgency =
      std::to_string(catalogues_.entries(NamedCatalogue::urgency, own_.id).value().front().id);
  const std::string own_secrecy =
      std::to_string(catalogues_.entries(NamedCatalogue::secrecy, own_.id).value().front().id);
  const std::string own_field =
      std::to_string(catalogues_.entries(NamedCatalogue::field, own_.id).value().front().id);
  const std::string own_department = std::to_string(
      catalogues_.add_entry(NamedCatalogue::department, own_.id, "Văn phòng", kConsole).value().id);
  // An account of the agency for the admin to change, one per call.
  auto staff = [&](const std::string& unique) {
    const std::string username = "nhanvien." + unique;
    EXPECT_TRUE(accounts_.create_user(
        own_.id, {username, "Lê Văn D", Role::specialist, kTestPassword, ""}, kConsole));
    return username;
  };
  // A named catalogue's GET, POST (with a new name) and PUT (renaming entry `id`).
  auto catalogue_sample = [&](const std::string& route, const std::string& path,
                              const std::string& id,
                              const std::string& unique) -> std::optional<Sample> {
    const std::string api = "/office/api/v1";
    const std::string body = R"({"name":"Mục )" + unique + R"("})";
    if (route == "GET " + api + path) return Sample{api + path, "", 200};
    if (route == "POST " + api + path) return Sample{api + path, body, 201};
    if (route == "PUT " + api + path + "/{id}") return Sample{api + path + "/" + id, body, 200};
    return std::nullopt;
  };
  Role current_role = Role::clerk;
  auto samples = [&](const std::string& route) -> std::optional<Sample> {
    const std::string api = "/office/api/v1";
    std::string unique = std::to_string(++counter);
    if (route == "GET /office/api/v1/session") return Sample{api + "/session", "", 200};
    if (route == "DELETE /office/api/v1/session") return Sample{api + "/session", "", 204};
    if (route == "GET /office/api/v1/catalogues/document-types")
      return Sample{api + "/catalogues/document-types", "", 200};
    if (route == "POST /office/api/v1/catalogues/document-types")
      return Sample{api + "/catalogues/document-types",
                    R"({"abbreviation":"PTr","name":"Phiếu trình )" + unique + R"("})", 201};
    if (route == "PUT /office/api/v1/catalogues/document-types/{id}")
      return Sample{api + "/catalogues/document-types/" + std::to_string(own_type.id),
                    R"({"abbreviation":"NQ","name":"Nghị quyết )" + unique + R"("})", 200};
    if (route == "GET /office/api/v1/users") return Sample{api + "/users", "", 200};
    if (route == "PUT /office/api/v1/users/{username}")
      return Sample{api + "/users/" + staff(unique),
                    R"({"full_name":"Lê Văn Đ","role":"head","department":"Phòng Tổng hợp",)"
                    R"("active":false})",
                    200};
    if (route == "POST /office/api/v1/users/{username}/unlock")
      return Sample{api + "/users/" + staff(unique) + "/unlock", "", 200};
    if (route == "POST /office/api/v1/users/{username}/password")
      return Sample{api + "/users/" + staff(unique) + "/password",
                    R"({"password":"mật khẩu mới đủ dài"})", 200};
    if (route == "POST /office/api/v1/catalogues/registers")
      return Sample{
          api + "/catalogues/registers",
          R"({"direction":"incoming","year":2030,"name":"Sổ )" + unique + R"(","secret":true})",
          201};
    if (route == "POST /office/api/v1/catalogues/registers/next-year")
      return Sample{api + "/catalogues/registers/next-year", "", 200};
    for (auto [path, id] : {std::pair{"/catalogues/urgency-levels", &own_urgency},
                            std::pair{"/catalogues/secrecy-levels", &own_secrecy},
                            std::pair{"/catalogues/fields", &own_field},
                            std::pair{"/departments", &own_department}}) {
      if (auto sample = catalogue_sample(route, path, *id, unique)) return sample;
    }
    if (route == "GET /office/api/v1/catalogues/registers")
      return Sample{api + "/catalogues/registers?direction=incoming", "", 200};
    if (route == "GET /office/api/v1/incoming") return Sample{api + "/incoming", "", 200};
    if (route == "GET /office/api/v1/catalogues/registers/{id}/book")
      return Sample{api + "/catalogues/registers/" + own_register + "/book", "", 200};
    if (route == "GET /office/api/v1/incoming/{id}")
      return Sample{api + "/incoming/" + document, "", 200};
    if (route == "GET /office/api/v1/incoming/{id}/attachments/{index}")
      return Sample{api + "/incoming/" + document + "/attachments/0", "", 200};
    // A decision is taken once: each call gets a document of its own.
    if (route == "POST /office/api/v1/incoming/{id}/register")
      return Sample{
          api + "/incoming/" + std::to_string(arrive(own_, "Đến " + unique)) + "/register",
          R"({"register_id":)" + own_register + "}", 200};
    if (route == "POST /office/api/v1/incoming/{id}/return")
      return Sample{api + "/incoming/" + std::to_string(arrive(own_, "Đến " + unique)) + "/return",
                    R"({"reason":"Gửi nhầm cơ quan"})", 200};
    if (route == "POST /office/api/v1/incoming/{id}/recall/accept" ||
        route == "POST /office/api/v1/incoming/{id}/recall/refuse") {
      const auto recalled = arrive(own_, "Thu hồi " + unique);
      recall(own_, recalled, "hub-recall-" + unique);
      const bool accept = route.ends_with("accept");
      return Sample{api + "/incoming/" + std::to_string(recalled) +
                        (accept ? "/recall/accept" : "/recall/refuse"),
                    accept ? "" : R"({"reason":"Văn bản đang được thực hiện"})", 200};
    }
    if (route == "POST /office/api/v1/incoming/paper")
      return Sample{api + "/incoming/paper",
                    R"({"register_id":)" + own_register +
                        R"(,"sender_name":"UBND huyện Hòa Vang","code_number":")" + unique +
                        R"(","code_notation":"UBND-VP","document_type":"Công văn",)"
                        R"("subject":"Giấy mời","promulgation_date":"2026-11-30","priority":0,)"
                        R"("uploads":[)" +
                        clerk_scan(unique) + "]}",
                    201};
    if (route == "GET /office/api/v1/handlers") return Sample{api + "/handlers", "", 200};
    if (route == "POST /office/api/v1/incoming/{id}/assign")
      return Sample{api + "/incoming/" + std::to_string(registered("Giao " + unique)) + "/assign",
                    R"({"main_handler":")" + handler_of(Role::specialist) +
                        R"(","due_date":"2099-12-31","instructions":"Đề nghị xử lý"})",
                    200};
    if (route == "GET /office/api/v1/tasks") return Sample{api + "/tasks", "", 200};
    if (route == "GET /office/api/v1/tasks/{id}")
      return Sample{api + "/tasks/" + shared_task, "", 200};
    if (route == "GET /office/api/v1/tasks/{id}/attachments/{index}")
      return Sample{api + "/tasks/" + shared_task + "/attachments/0", "", 200};
    if (route == "POST /office/api/v1/tasks/{id}/start")
      return Sample{api + "/tasks/" + task_for(current_role, "Bắt đầu " + unique, false) + "/start",
                    "", 200};
    if (route == "POST /office/api/v1/tasks/{id}/finish")
      return Sample{api + "/tasks/" + task_for(current_role, "Xong " + unique, true) + "/finish",
                    R"({"result":"Đã xử lý xong"})", 200};
    if (route == "POST /office/api/v1/tasks/{id}/no-action")
      return Sample{
          api + "/tasks/" + task_for(current_role, "Không cần " + unique, false) + "/no-action",
          R"({"reason":"Đã giải quyết tại văn bản khác"})", 200};
    if (route == "GET /office/api/v1/tasks/{id}/colleagues")
      return Sample{
          api + "/tasks/" + task_for(current_role, "Đồng nghiệp " + unique, false) + "/colleagues",
          "", 200};
    if (route == "POST /office/api/v1/tasks/{id}/forward")
      return Sample{
          api + "/tasks/" + task_for(current_role, "Chuyển " + unique, false) + "/forward",
          R"({"to":")" + handler_of(current_role == Role::head ? Role::specialist : Role::head) +
              R"(","note":"Nhờ xử lý giúp"})",
          200};
    if (route == "GET /office/api/v1/tasks/{id}/comments")
      return Sample{api + "/tasks/" + discussed_by(current_role, "Ý kiến " + unique) + "/comments",
                    "", 200};
    if (route == "POST /office/api/v1/tasks/{id}/comments")
      return Sample{api + "/tasks/" + discussed_by(current_role, "Góp ý " + unique) + "/comments",
                    R"({"body":"Đề nghị bổ sung số liệu.\nCảm ơn."})", 201};
    if (route == "GET /office/api/v1/tasks/{id}/files")
      return Sample{api + "/tasks/" + discussed_by(current_role, "Tệp " + unique) + "/files", "",
                    200};
    if (route == "POST /office/api/v1/tasks/{id}/files")
      return Sample{
          api + "/tasks/" + discussed_by(current_role, "Đính kèm " + unique) + "/files",
          R"({"upload_id":)" +
              upload_of(std::string(role_name(role_may(current_role, Action::discuss_tasks)
                                                  ? current_role
                                                  : Role::specialist)) +
                        "." + std::to_string(own_.id)) +
              "}",
          201};
    if (route == "GET /office/api/v1/tasks/{id}/files/{file_id}")
      return Sample{api + "/tasks/" + file_of(current_role, "Tải " + unique), "", 200};
    if (route == "POST /office/api/v1/uploads")
      return Sample{api + "/uploads?name=Công văn " + unique + ".pdf", "%PDF-1.4 " + unique, 201,
                    "application/pdf"};
    if (route == "GET /office/api/v1/oversight/deadlines")
      return Sample{api + "/oversight/deadlines?state=due_soon", "", 200};
    if (route == "GET /office/api/v1/oversight/progress")
      return Sample{api + "/oversight/progress", "", 200};
    if (route == "GET /office/api/v1/reminders") return Sample{api + "/reminders", "", 200};
    if (route == "GET /office/api/v1/delegations") return Sample{api + "/delegations", "", 200};
    if (route == "GET /office/api/v1/delegations/candidates")
      return Sample{api + "/delegations/candidates", "", 200};
    // Each call a delegation to a person of its own, on days to come.
    if (route == "POST /office/api/v1/delegations") {
      EXPECT_TRUE(accounts_.create_user(
          own_.id, {"uyquyen." + unique, "Lê Thị C", Role::deputy, kTestPassword, ""}, kConsole));
      return Sample{
          api + "/delegations",
          R"({"delegate":"uyquyen.)" + unique +
              R"(","starts_on":"2099-01-01","ends_on":"2099-01-31","reason":"Đi công tác"})",
          201};
    }
    if (route == "POST /office/api/v1/delegations/{id}/end")
      return Sample{api + "/delegations/" +
                        std::to_string(count(
                            "INSERT INTO delegations (agency_id, delegator, delegate, starts_on, "
                            "ends_on, reason) SELECT $1, $2, u.id, '2099-02-01', '2099-02-02', "
                            "'Nghỉ phép' FROM users u WHERE u.username = $3 RETURNING id",
                            {std::to_string(own_.id), std::to_string(*leader.user_id),
                             handler_of(Role::head)})) +
                        "/end",
                    "", 200};
    if (route == "POST /office/api/v1/users")
      return Sample{
          api + "/users",
          R"({"username":"moi.)" + unique +
              R"(","full_name":"Lê Thị C","role":"specialist","password":"mật khẩu đủ dài"})",
          201};
    return std::nullopt;
  };

  for (Role role : all_roles()) {
    current_role = role;
    for (const auto& [route, action] : actions_) {
      if (!action) continue;  // signing in: open to anyone, tested below
      SCOPED_TRACE(std::string(role_name(role)) + " " + route);
      auto sample = samples(route);
      ASSERT_TRUE(sample) << "no sample request for " << route;
      // A fresh session per call: signing out ends it.
      Caller caller = user(own_, role);
      const std::string method = route.substr(0, route.find(' '));
      std::string path = sample->path;
      if (auto question = path.find('?'); question != std::string::npos) path.resize(question);
      Response answer =
          call(method, path, &caller, sample->body,
               /*with_csrf=*/true, sample->path.substr(path.size()), sample->content_type);
      if (role_may(role, *action)) {
        EXPECT_EQ(answer.status, sample->success) << answer.body;
      } else {
        EXPECT_EQ(answer.status, 403u) << answer.body;
        EXPECT_NE(answer.body.find("auth.forbidden"), std::string::npos);
      }
    }
  }

  // Another agency's ids are unknown ids, even to an admin, and its rows stay as they were.
  Caller admin = user(own_, Role::admin);
  Response foreign = call(
      "PUT", "/office/api/v1/catalogues/document-types/" + std::to_string(other_agency_type.id),
      &admin, R"({"abbreviation":"X","name":"Đổi tên"})");
  EXPECT_EQ(foreign.status, 404u);
  EXPECT_NE(foreign.body.find("catalogue.not_found"), std::string::npos);
  EXPECT_EQ(catalogues_.document_types(other_.id).value().front().name, other_agency_type.name);
  Caller other_admin = user(other_, Role::admin);
  Response listed = call("GET", "/office/api/v1/users", &other_admin);
  ASSERT_EQ(listed.status, 200u);
  auto items = json::parse(listed.body).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);  // only its own admin, none of the first agency's accounts
  EXPECT_EQ(items.front().at("username").as_string(), "admin." + std::to_string(other_.id));
  Response types = call("GET", "/office/api/v1/catalogues/document-types", &other_admin);
  EXPECT_EQ(json::parse(types.body).at("items").as_array().size(), 29u);

  // A clerk of the other agency sees none of the first agency's documents, cannot open or
  // register one, and cannot register its own into the first agency's register.
  Caller other_clerk = user(other_, Role::clerk);
  Response list = call("GET", "/office/api/v1/incoming", &other_clerk, "", true, "?state=all");
  ASSERT_EQ(list.status, 200u);
  EXPECT_TRUE(json::parse(list.body).at("items").as_array().empty());
  EXPECT_EQ(call("GET", "/office/api/v1/incoming/" + document, &other_clerk).status, 404u);
  EXPECT_EQ(
      call("GET", "/office/api/v1/incoming/" + document + "/attachments/0", &other_clerk).status,
      404u);
  Response steal = call("POST", "/office/api/v1/incoming/" + document + "/register", &other_clerk,
                        R"({"register_id":)" + own_register + "}");
  EXPECT_EQ(steal.status, 404u);
  EXPECT_NE(steal.body.find("incoming.not_found"), std::string::npos);
  const std::string theirs = std::to_string(arrive(other_, "Của sở tài chính"));
  Response wrong_register = call("POST", "/office/api/v1/incoming/" + theirs + "/register",
                                 &other_clerk, R"({"register_id":)" + own_register + "}");
  EXPECT_EQ(wrong_register.status, 404u);
  EXPECT_NE(wrong_register.body.find("register.not_found"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM incoming_documents WHERE id IN ($1, $2) AND state = 'new'",
                  {document, theirs}),
            2);
}

TEST_F(OfficeApi, TheRegisterBookIsAPdfOfTheCallersOwnIncomingRegisterOnly) {
  const auto own_register = incoming_.registers(own_.id, "incoming").value().front();
  const auto id = arrive(own_, "Về việc tăng cường công tác phòng, chống thiên tai năm 2026");
  ASSERT_TRUE(incoming_.register_document(own_.id, id, own_register.id, kConsole));
  Caller clerk = user(own_, Role::clerk);
  const std::string books = "/office/api/v1/catalogues/registers/";
  Response book = call("GET", books + std::to_string(own_register.id) + "/book", &clerk);
  ASSERT_EQ(book.status, 200u) << book.body;
  std::map<std::string, std::string> headers(book.headers.begin(), book.headers.end());
  EXPECT_EQ(headers["Content-Type"], "application/pdf");
  EXPECT_EQ(headers["Content-Disposition"],
            "inline; filename=\"so-den-" + std::to_string(own_register.year) + ".pdf\"");
  EXPECT_EQ(headers["X-Content-Type-Options"], "nosniff");
  // Written into the spool directory, for the transport to send and remove.
  ASSERT_TRUE(book.body_file);
  EXPECT_TRUE(book.body_file_temporary);
  EXPECT_EQ(book.body_file->parent_path(), blobs_.temporary_directory());
  std::string start(5, '\0');
  std::ifstream(*book.body_file, std::ios::binary).read(start.data(), 5);
  EXPECT_EQ(start, "%PDF-");
  std::filesystem::remove(*book.body_file);

  const auto theirs = incoming_.registers(other_.id, "incoming").value().front().id;
  const auto outgoing = incoming_.registers(own_.id, "outgoing").value().front().id;
  for (const auto& [path, status, code] :
       std::vector<std::tuple<std::string, unsigned, std::string>>{
           {std::to_string(theirs), 404, "register.not_found"},
           {"999999", 404, "register.not_found"},
           {"abc", 404, "request.not_found"},
           {std::to_string(outgoing), 409, "register.not_incoming"}}) {
    SCOPED_TRACE(path);
    Response refused = call("GET", books + path + "/book", &clerk);
    EXPECT_EQ(refused.status, status);
    EXPECT_NE(refused.body.find(code), std::string::npos) << refused.body;
    EXPECT_FALSE(refused.body_file);
  }
  EXPECT_TRUE(std::filesystem::is_empty(blobs_.temporary_directory()));
}

TEST_F(OfficeApi, WithoutASessionOrWithoutTheCsrfTokenNothingHappens) {
  Caller admin = user(own_, Role::admin);
  const std::string new_type = R"({"abbreviation":"PTr","name":"Phiếu trình"})";
  const auto types_before = count("SELECT count(*) FROM document_types");
  for (const auto& [route, action] : actions_) {
    if (!action) continue;
    SCOPED_TRACE(route);
    const std::string method = route.substr(0, route.find(' '));
    std::string path = route.substr(route.find(' ') + 1);
    for (auto brace = path.find('{'); brace != std::string::npos; brace = path.find('{')) {
      path.replace(brace, path.find('}', brace) - brace + 1, "1");
    }
    Response anonymous = call(method, path, nullptr, method == "GET" ? "" : new_type);
    EXPECT_EQ(anonymous.status, 401u);
    EXPECT_NE(anonymous.body.find("auth.session_missing"), std::string::npos);
    Caller forged{"truc_office_session=" + std::string(64, '0'), admin.csrf};
    EXPECT_EQ(call(method, path, &forged, method == "GET" ? "" : new_type).status, 401u);
    if (method != "GET") {
      Response without_token = call(method, path, &admin, new_type, /*with_csrf=*/false);
      EXPECT_EQ(without_token.status, 403u);
      EXPECT_NE(without_token.body.find("auth.csrf_mismatch"), std::string::npos);
      Caller wrong_token{admin.cookie, std::string(64, 'f')};
      EXPECT_EQ(call(method, path, &wrong_token, new_type).status, 403u);
    }
  }
  EXPECT_EQ(count("SELECT count(*) FROM document_types"), types_before);
  // The session survived the attempts to end it without the token.
  EXPECT_EQ(call("GET", "/office/api/v1/session", &admin).status, 200u);
}

TEST_F(OfficeApi, SignInAnswersOneWayForEveryWrongCredentialAndSetsAStrictCookie) {
  ASSERT_TRUE(accounts_.create_user(
      own_.id, {"vanthu", "Nguyễn Văn A", Role::clerk, kTestPassword, "Văn phòng"}, kConsole));
  auto attempt = [&](const std::string& body, const std::string& type = "application/json") {
    Request request;
    request.method = "POST";
    request.path = "/office/api/v1/session";
    request.body = body;
    request.headers.emplace_back("content-type", type);
    return router_.match("POST", request.path).route->handler(request);
  };
  Response unknown = attempt(R"({"username":"nobody","password":"mật khẩu đủ dài"})");
  Response wrong = attempt(R"({"username":"vanthu","password":"sai mật khẩu"})");
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_EQ(attempt("[1]").status, 400u);
  EXPECT_EQ(attempt("{").status, 400u);
  EXPECT_EQ(attempt(R"({"username":"vanthu","password":7})").status, 400u);
  EXPECT_EQ(attempt(R"({"username":"vanthu","password":"mật khẩu đủ dài"})", "text/plain").status,
            415u);

  Response right = attempt(R"({"username":"vanthu","password":"mật khẩu đủ dài"})");
  ASSERT_EQ(right.status, 200u) << right.body;
  std::string cookie;
  for (const auto& [name, value] : right.headers) {
    if (name == "Set-Cookie") cookie = value;
  }
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  json::value body = json::parse(right.body);
  EXPECT_EQ(body.at("user").at("role").as_string(), "clerk");
  EXPECT_EQ(body.at("user").at("agency_name").as_string(), "Sở Nội vụ");
  EXPECT_EQ(body.at("user").at("department").as_string(), "Văn phòng");
  EXPECT_EQ(body.at("csrf_token").as_string().size(), 64u);

  for (int failure = 0; failure < 5; ++failure) {
    attempt(R"({"username":"vanthu","password":"sai mật khẩu"})");
  }
  Response locked = attempt(R"({"username":"vanthu","password":"mật khẩu đủ dài"})");
  EXPECT_EQ(locked.status, 429u);
  bool retry_after = false;
  for (const auto& [name, value] : locked.headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
}

TEST_F(OfficeApi, BadInputGetsATypedErrorAndChangesNothing) {
  Caller admin = user(own_, Role::admin);
  const auto types_before = count("SELECT count(*) FROM document_types");
  const auto users_before = count("SELECT count(*) FROM users");
  struct Case {
    std::string method, path, body;
    unsigned status;
    std::string code;
  };
  const std::string types = "/office/api/v1/catalogues/document-types";
  for (const Case& bad : std::vector<Case>{
           {"POST", types, R"({"name":""})", 422, "field.invalid"},
           {"POST", types, R"({"abbreviation":"QUÁ DÀI QUÁ DÀI","name":"X"})", 422,
            "field.invalid"},
           {"POST", types, R"({"abbreviation":"QĐ","name":"Quyết định"})", 409,
            "catalogue.duplicate"},
           {"POST", types, R"({"name":)", 400, "request.invalid"},
           {"PUT", types + "/999999", R"({"name":"Không có"})", 404, "catalogue.not_found"},
           {"PUT", types + "/abc", R"({"name":"Không có"})", 404, "request.not_found"},
           {"POST", "/office/api/v1/users",
            R"({"username":"moi","full_name":"A","role":"superuser","password":"mật khẩu đủ dài"})",
            422, "field.invalid"},
           {"POST", "/office/api/v1/users",
            R"({"username":"moi","full_name":"A","role":"clerk","password":"ngắn"})", 422,
            "password.too_short"},
           {"POST", "/office/api/v1/users",
            R"({"username":"admin.)" + std::to_string(own_.id) +
                R"(","full_name":"A","role":"clerk","password":"mật khẩu đủ dài"})",
            409, "user.exists"},
       }) {
    SCOPED_TRACE(bad.method + " " + bad.path + " " + bad.body);
    Response answer = call(bad.method, bad.path, &admin, bad.body);
    EXPECT_EQ(answer.status, bad.status) << answer.body;
    EXPECT_EQ(json::parse(answer.body).at("code").as_string(), bad.code);
  }
  EXPECT_EQ(count("SELECT count(*) FROM document_types"), types_before);
  EXPECT_EQ(count("SELECT count(*) FROM users"), users_before);
}

TEST_F(OfficeApi, TaskWorkRoutesRefuseBadInputWithTypedErrorsAndChangeNothing) {
  Caller specialist = user(own_, Role::specialist);
  Caller leader_session = user(own_, Role::leader);
  const Actor leader_actor{
      count("SELECT id FROM users WHERE username = $1", {"leader." + std::to_string(own_.id)}), ""};
  const auto id = arrive(own_, "Về việc thử");
  const auto register_id = incoming_.registers(own_.id, "incoming").value().front().id;
  ASSERT_TRUE(incoming_.register_document(own_.id, id, register_id, kConsole));
  const std::string task = "/office/api/v1/tasks/" + std::to_string(id);
  struct Case {
    const Caller* caller;
    std::string method, path, body;
    unsigned status;
    std::string code;
  };
  for (const Case& bad : std::vector<Case>{
           {&leader_session, "POST", "/office/api/v1/incoming/" + std::to_string(id) + "/assign",
            R"({"main_department_id":"Phòng"})", 400, "request.invalid"},
           {&leader_session, "POST", "/office/api/v1/incoming/" + std::to_string(id) + "/assign",
            R"({"main_department_id":999999})", 404, "department.not_found"},
           {&leader_session, "POST", "/office/api/v1/incoming/" + std::to_string(id) + "/assign",
            R"({"instructions":"Không ai"})", 422, "field.invalid"},
       }) {
    SCOPED_TRACE(bad.method + " " + bad.path + " " + bad.body);
    Response answer = call(bad.method, bad.path, bad.caller, bad.body);
    EXPECT_EQ(answer.status, bad.status) << answer.body;
    EXPECT_EQ(json::parse(answer.body).at("code").as_string(), bad.code);
  }
  ASSERT_TRUE(assignments_.assign(
      own_.id, id, {.main_handler = "specialist." + std::to_string(own_.id)}, leader_actor));
  for (const Case& bad : std::vector<Case>{
           {&specialist, "POST", task + "/forward", R"({"to":7})", 400, "request.invalid"},
           {&specialist, "POST", task + "/forward", R"({"to":"nobody"})", 404, "user.not_found"},
           {&specialist, "POST", task + "/forward",
            R"({"to":"leader.)" + std::to_string(own_.id) + R"("})", 404, "user.not_found"},
           {&specialist, "POST", task + "/forward",
            R"({"to":"specialist.)" + std::to_string(own_.id) + R"("})", 409, "task.no_department"},
           {&specialist, "POST", task + "/comments", R"({"text":"sai tên"})", 400,
            "request.invalid"},
           {&specialist, "POST", task + "/comments", R"({"body":""})", 422, "field.invalid"},
           {&specialist, "POST", task + "/comments",
            R"({"body":")" + std::string(2001, 'a') + R"("})", 422, "field.invalid"},
           {&specialist, "POST", task + "/no-action", R"({"reason":""})", 422, "field.invalid"},
           {&specialist, "POST", task + "/no-action", R"({"reason":false})", 400,
            "request.invalid"},
           {&specialist, "POST", "/office/api/v1/tasks/999999/comments", R"({"body":"Có"})", 404,
            "incoming.not_found"},
           {&specialist, "GET", "/office/api/v1/tasks/999999/comments", "", 404,
            "incoming.not_found"},
           {&specialist, "GET", "/office/api/v1/tasks/abc/colleagues", "", 404,
            "request.not_found"},
           {&specialist, "POST", task + "/files", R"({"upload_id":"1"})", 400, "request.invalid"},
           {&specialist, "POST", task + "/files", R"({"upload_id":999999})", 404,
            "upload.not_found"},
           {&specialist, "GET", task + "/files/999999", "", 404, "incoming.not_found"},
           {&specialist, "GET", task + "/files/x", "", 404, "request.not_found"},
       }) {
    SCOPED_TRACE(bad.method + " " + bad.path + " " + bad.body);
    Response answer = call(bad.method, bad.path, bad.caller, bad.body);
    EXPECT_EQ(answer.status, bad.status) << answer.body;
    EXPECT_EQ(json::parse(answer.body).at("code").as_string(), bad.code);
  }
  EXPECT_EQ(count("SELECT count(*) FROM assignment_comments"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM assignment_handovers"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM assignment_files"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM assignments WHERE state = 'assigned'"), 1);

  // Another agency's head sees nothing of it, and cannot comment.
  Caller foreign = user(other_, Role::head);
  EXPECT_EQ(call("GET", task + "/comments", &foreign).status, 404u);
  EXPECT_EQ(call("POST", task + "/comments", &foreign, R"({"body":"Xin chào"})").status, 404u);
  Response thread = call("POST", task + "/comments", &leader_session, R"({"body":"Khẩn trương"})");
  ASSERT_EQ(thread.status, 201u) << thread.body;
  EXPECT_EQ(json::parse(thread.body).at("author").at("username").as_string(),
            "leader." + std::to_string(own_.id));
  Response read = call("GET", task, &specialist);
  ASSERT_EQ(read.status, 200u);
  EXPECT_TRUE(json::parse(read.body).at("assignment").at("main_department").is_null());
  EXPECT_FALSE(json::parse(read.body).at("assignment").at("no_action").as_bool());
}

TEST_F(OfficeApi, ScansAreCheckedByTheirBytesAndPaperIsRegisteredOnlyFromOnesOwnUploads) {
  Caller clerk = user(own_, Role::clerk);
  Caller leader = user(own_, Role::leader);
  Caller other_clerk = user(other_, Role::clerk);
  const std::string uploads = "/office/api/v1/uploads";
  const auto files_before = stored_files();
  struct Refusal {
    std::string name, bytes, type;
    unsigned status;
    std::string code;
  };
  for (const Refusal& bad : std::vector<Refusal>{
           {"?name=x.pdf", "<html><script>alert(1)</script></html>", "application/pdf", 415,
            "upload.unsupported_type"},
           {"?name=x.html", "<html></html>", "text/html", 415, "upload.unsupported_type"},
           {"?name=x.pdf", "", "application/pdf", 422, "upload.empty"},
           {"", "%PDF-1.4", "application/pdf", 422, "field.invalid"},
       }) {
    SCOPED_TRACE(bad.name + " " + bad.type);
    Response answer = call("POST", uploads, &clerk, bad.bytes, true, bad.name, bad.type);
    EXPECT_EQ(answer.status, bad.status) << answer.body;
    EXPECT_EQ(json::parse(answer.body).at("code").as_string(), bad.code);
  }
  EXPECT_EQ(count("SELECT count(*) FROM uploads"), 0);
  EXPECT_EQ(stored_files(), files_before);

  auto upload = [&](const Caller& by, const std::string& bytes) {
    Response answer =
        call("POST", uploads, &by, bytes, true, "?name=Trang 1 – bản chụp.pdf", "application/pdf");
    EXPECT_EQ(answer.status, 201u) << answer.body;
    json::value body = json::parse(answer.body);
    EXPECT_EQ(body.at("name").as_string(), "Trang 1 – bản chụp.pdf");
    EXPECT_EQ(body.at("content_type").as_string(), "application/pdf");
    EXPECT_EQ(body.at("size").as_int64(), static_cast<std::int64_t>(bytes.size()));
    return std::to_string(body.at("id").as_int64());
  };
  const std::string mine = upload(clerk, "%PDF-1.4 mine");
  const std::string leaders = upload(leader, "%PDF-1.4 the leader's");
  const std::string theirs = upload(other_clerk, "%PDF-1.4 theirs");
  const std::string own_register =
      std::to_string(incoming_.registers(own_.id, "incoming").value().front().id);
  auto paper = [&](const std::string& register_id, const std::string& scans) {
    return R"({"register_id":)" + register_id +
           R"(,"sender_name":"Sở Y tế","code_number":"7","code_notation":"SYT-VP",)"
           R"("document_type":"Công văn","subject":"Về việc tiêm chủng",)"
           R"("promulgation_date":"2026-11-30","priority":2,"signer_name":"Lê Văn Tám",)"
           R"("due_date":null,"uploads":)" +
           scans + "}";
  };
  const std::string path = "/office/api/v1/incoming/paper";
  const auto documents_before = count("SELECT count(*) FROM incoming_documents");
  struct Case {
    std::string body;
    unsigned status;
    std::string code;
  };
  for (const Case& bad : std::vector<Case>{
           {paper(own_register, "[" + theirs + "]"), 404, "upload.not_found"},
           {paper(own_register, "[" + leaders + "]"), 404, "upload.not_found"},
           {paper(own_register, "[]"), 422, "field.invalid"},
           {paper(own_register, "[\"" + mine + "\"]"), 400, "request.invalid"},
           {paper(own_register, mine), 400, "request.invalid"},
           {paper("\"" + own_register + "\"", "[" + mine + "]"), 400, "request.invalid"},
           {paper("999999", "[" + mine + "]"), 404, "register.not_found"},
           {R"({"register_id":1})", 400, "request.invalid"},
           {"[]", 400, "request.invalid"},
       }) {
    SCOPED_TRACE(bad.body);
    Response answer = call("POST", path, &clerk, bad.body);
    EXPECT_EQ(answer.status, bad.status) << answer.body;
    EXPECT_EQ(json::parse(answer.body).at("code").as_string(), bad.code);
  }
  EXPECT_EQ(call("POST", path, &leader, paper(own_register, "[" + leaders + "]")).status, 403u);
  EXPECT_EQ(count("SELECT count(*) FROM incoming_documents"), documents_before);
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE consumed_at IS NOT NULL"), 0);

  Response registered = call("POST", path, &clerk, paper(own_register, "[" + mine + "]"));
  ASSERT_EQ(registered.status, 201u) << registered.body;
  json::value document = json::parse(registered.body);
  EXPECT_EQ(document.at("source").as_string(), "paper");
  EXPECT_EQ(document.at("signature").as_string(), "paper");
  EXPECT_EQ(document.at("state").as_string(), "registered");
  EXPECT_EQ(document.at("priority").as_string(), "Thượng khẩn");
  EXPECT_TRUE(document.at("hub_package_id").is_null());
  EXPECT_TRUE(document.at("due_date").is_null());
  EXPECT_EQ(document.at("arrival_number").as_int64(), 1);
  const std::string id = std::to_string(document.at("id").as_int64());
  Response shown = call("GET", "/office/api/v1/incoming/" + id, &clerk);
  ASSERT_EQ(shown.status, 200u) << shown.body;
  EXPECT_EQ(json::parse(shown.body).at("attachments").as_array().size(), 1u);
  Response scan = call("GET", "/office/api/v1/incoming/" + id + "/attachments/0", &clerk);
  ASSERT_EQ(scan.status, 200u);
  ASSERT_TRUE(scan.body_file);
  EXPECT_TRUE(std::filesystem::exists(*scan.body_file));
  Response again = call("POST", path, &clerk, paper(own_register, "[" + mine + "]"));
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(json::parse(again.body).at("code").as_string(), "upload.already_used");
  EXPECT_EQ(call("GET", "/office/api/v1/incoming/" + id, &other_clerk).status, 404u);
}

// Delegation through the real gate: the delegate's own session gains the leader's actions on the
// days in force and loses them before, after and once ended early; what the delegate does is
// audited with the leader it acts for. Not part of the matrix, whose accounts hold none.
TEST_F(OfficeApi, DelegateActsForTheLeaderOnlyWhileTheDelegationIsInForce) {
  Caller leader = user(own_, Role::leader);
  Caller head = user(own_, Role::head);
  user(own_, Role::specialist);
  const std::string head_name = "head." + std::to_string(own_.id);
  const std::string specialist_name = "specialist." + std::to_string(own_.id);
  const auto leader_id =
      count("SELECT id FROM users WHERE username = $1", {"leader." + std::to_string(own_.id)});
  const auto head_id = count("SELECT id FROM users WHERE username = $1", {head_name});
  const std::string register_id =
      std::to_string(incoming_.registers(own_.id, "incoming").value().front().id);
  auto registered = [&](const std::string& subject) {
    const auto id = arrive(own_, subject);
    EXPECT_TRUE(incoming_.register_document(own_.id, id, std::stoll(register_id), kConsole));
    return std::to_string(id);
  };
  auto vietnam_day = [&](int days) {
    // yyyymmdd as a number, turned back into yyyy-mm-dd.
    const std::string digits = std::to_string(
        count("SELECT to_char((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + $1::integer, "
              "'YYYYMMDD')::bigint",
              {std::to_string(days)}));
    return digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2);
  };
  const std::string assign_body =
      R"({"main_handler":")" + specialist_name + R"(","due_date":"2099-12-31"})";
  auto assign = [&](const Caller& caller) {
    return call("POST", "/office/api/v1/incoming/" + registered("Giao thay") + "/assign", &caller,
                assign_body);
  };
  auto actions_of = [&](const Caller& caller) {
    Response answer = call("GET", "/office/api/v1/session", &caller);
    EXPECT_EQ(answer.status, 200u);
    return json::parse(answer.body).as_object();
  };
  auto holds = [](const json::object& session, const std::string& action) {
    for (const auto& listed : session.at("actions").as_array()) {
      if (listed.as_string() == action) return true;
    }
    return false;
  };

  // Created for tomorrow: nothing yet.
  Response created = call("POST", "/office/api/v1/delegations", &leader,
                          R"({"delegate":")" + head_name + R"(","starts_on":")" + vietnam_day(1) +
                              R"(","ends_on":")" + vietnam_day(3) + R"(","reason":"Đi công tác"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string delegation = std::to_string(json::parse(created.body).at("id").as_int64());
  EXPECT_EQ(json::parse(created.body).at("state").as_string(), "scheduled");
  EXPECT_EQ(assign(head).status, 403u);
  EXPECT_FALSE(holds(actions_of(head), "assign_incoming"));
  EXPECT_TRUE(actions_of(head).at("delegation").is_null());

  // In force (its first day moved to today): the same session now may what the leader may.
  run("UPDATE delegations SET starts_on = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date "
      "WHERE id = $1",
      {delegation});
  json::object session = actions_of(head);
  for (Action action : all_actions()) {
    const bool expected = role_may(Role::head, action) ||
                          (role_may(Role::leader, action) && action != Action::delegate_powers);
    EXPECT_EQ(holds(session, std::string(action_name(action))), expected) << action_name(action);
  }
  EXPECT_EQ(session.at("delegation").at("delegator").at("full_name").as_string(), "Trần Văn B");
  EXPECT_EQ(session.at("delegation").at("ends_on").as_string(), vietnam_day(3));
  Response assigned = assign(head);
  ASSERT_EQ(assigned.status, 200u) << assigned.body;
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'incoming.assigned' "
                  "AND user_id = $1 AND (detail->>'on_behalf_of')::bigint = $2",
                  {std::to_string(head_id), std::to_string(leader_id)}),
            1);
  EXPECT_EQ(call("GET", "/office/api/v1/oversight/progress", &head).status, 200u);
  // The delegate hands nothing on.
  EXPECT_EQ(call("GET", "/office/api/v1/delegations", &head).status, 403u);
  // Its own role's work is audited as its own.
  Response tasks = call("GET", "/office/api/v1/tasks", &head);
  EXPECT_EQ(tasks.status, 200u);

  // Ended early: forbidden again at once, in the same session.
  Response ended = call("POST", "/office/api/v1/delegations/" + delegation + "/end", &leader);
  ASSERT_EQ(ended.status, 200u) << ended.body;
  EXPECT_EQ(json::parse(ended.body).at("state").as_string(), "ended");
  EXPECT_EQ(assign(head).status, 403u);
  EXPECT_FALSE(holds(actions_of(head), "assign_incoming"));
  Response again = call("POST", "/office/api/v1/delegations/" + delegation + "/end", &leader);
  EXPECT_EQ(again.status, 409u);
  EXPECT_NE(again.body.find("delegation.already_ended"), std::string::npos);

  // Past its last day: forbidden too.
  Response second = call("POST", "/office/api/v1/delegations", &leader,
                         R"({"delegate":")" + head_name + R"(","starts_on":")" + vietnam_day(0) +
                             R"(","ends_on":")" + vietnam_day(0) + R"(","reason":"Họp thay"})");
  ASSERT_EQ(second.status, 201u) << second.body;
  EXPECT_EQ(assign(head).status, 200u);
  run("UPDATE delegations SET starts_on = starts_on - 5, ends_on = ends_on - 1 WHERE id = $1",
      {std::to_string(json::parse(second.body).at("id").as_int64())});
  EXPECT_EQ(assign(head).status, 403u);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'incoming.assigned' "
                  "AND detail ? 'on_behalf_of'"),
            2);

  // Bad input is refused with a typed error and creates nothing.
  const auto before = count("SELECT count(*) FROM delegations");
  struct Case {
    std::string body;
    unsigned status;
    std::string code;
  };
  for (const Case& bad : std::vector<Case>{
           {R"({"delegate":5,"starts_on":"2099-01-01","ends_on":"2099-01-02","reason":"x"})", 400,
            "request.invalid"},
           {R"({"delegate":"head.x"})", 400, "request.invalid"},
           {R"({"delegate":"leader.)" + std::to_string(own_.id) +
                R"(","starts_on":"2099-01-01","ends_on":"2099-01-02","reason":"x"})",
            422, "delegation.self"},
           {R"({"delegate":")" + head_name +
                R"(","starts_on":"2099-01-05","ends_on":"2099-01-02","reason":"x"})",
            422, "delegation.ends_before_start"},
           {R"({"delegate":")" + head_name +
                R"(","starts_on":"2099-01-01","ends_on":"2099-01-02","reason":")" +
                std::string(501, 'x') + R"("})",
            422, "field.invalid"},
       }) {
    SCOPED_TRACE(bad.body.substr(0, 80));
    Response answer = call("POST", "/office/api/v1/delegations", &leader, bad.body);
    EXPECT_EQ(answer.status, bad.status) << answer.body;
    EXPECT_EQ(json::parse(answer.body).at("code").as_string(), bad.code);
  }
  // Another agency's people and delegations are unknown.
  Caller other_leader = user(other_, Role::leader);
  Response foreign = call("POST", "/office/api/v1/delegations", &other_leader,
                          R"({"delegate":")" + head_name +
                              R"(","starts_on":"2099-01-01","ends_on":"2099-01-02","reason":"x"})");
  EXPECT_EQ(foreign.status, 404u);
  EXPECT_NE(foreign.body.find("user.not_found"), std::string::npos);
  EXPECT_EQ(call("POST", "/office/api/v1/delegations/" + delegation + "/end", &other_leader).status,
            404u);
  EXPECT_EQ(count("SELECT count(*) FROM delegations"), before);
}

TEST_F(OfficeApi, DeadlinesAreBoundToTheCallersScope) {
  Caller leader = user(own_, Role::leader);
  Caller head = user(own_, Role::head);  // without a department: the group of those without one
  ASSERT_TRUE(accounts_.create_user(
      own_.id, {"cv.phong", "Lê Thị C", Role::specialist, kTestPassword, "Phòng Tổng hợp"},
      kConsole));
  const std::string department =
      std::to_string(count("SELECT id FROM departments WHERE name = 'Phòng Tổng hợp'"));
  auto listed = [&](const Caller& caller, const std::string& query) {
    return call("GET", "/office/api/v1/oversight/deadlines", &caller, "", true, query);
  };
  EXPECT_EQ(listed(leader, "?department=" + department).status, 200u);
  EXPECT_EQ(listed(leader, "?department=none").status, 200u);
  EXPECT_EQ(listed(head, "?department=none").status, 200u);
  Response elsewhere = listed(head, "?department=" + department);
  EXPECT_EQ(elsewhere.status, 404u);
  EXPECT_NE(elsewhere.body.find("department.not_found"), std::string::npos);
  EXPECT_EQ(listed(leader, "?department=abc").status, 422u);
  EXPECT_EQ(listed(leader, "?department=999999").status, 404u);
  EXPECT_EQ(listed(leader, "?state=late").status, 422u);
  Response answer = listed(head, "?state=overdue");
  ASSERT_EQ(answer.status, 200u);
  EXPECT_FALSE(json::parse(answer.body).at("whole_agency").as_bool());
  EXPECT_EQ(json::parse(answer.body).at("due_soon_days").as_int64(), 3);
  Response reminders = call("GET", "/office/api/v1/reminders", &head);
  ASSERT_EQ(reminders.status, 200u);
  EXPECT_EQ(json::parse(reminders.body).at("scope_overdue").as_int64(), 0);
  Caller specialist = user(own_, Role::specialist);
  Response own = call("GET", "/office/api/v1/reminders", &specialist);
  EXPECT_TRUE(json::parse(own.body).at("scope_overdue").is_null());
}

}  // namespace
}  // namespace truc::office
