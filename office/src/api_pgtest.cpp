// The office API against a real PostgreSQL, called without sockets: every route × every role ×
// the caller's own agency and another one, the register book's answer, and the CSRF, cookie and
// sign-in checks.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>
#include <vector>

#include "api_fixture.hpp"
#include "truc/office/catalogues.hpp"

namespace truc::office {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

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

}  // namespace
}  // namespace truc::office
