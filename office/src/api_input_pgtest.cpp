// The office API against a real PostgreSQL: bad input gets a typed error and changes nothing
// (catalogues, task work, uploads and paper documents), delegation through the real gate, and
// deadlines bound to the caller's scope.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <vector>

#include "api_fixture.hpp"

namespace truc::office {
namespace {

namespace json = boost::json;
using http::Response;

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
