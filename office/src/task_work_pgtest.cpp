// What handlers do with a task besides starting and finishing it, against a real PostgreSQL: a
// task given to a department reaches its head, who passes it to a member; the holder forwards it
// within the department and the handovers are kept; every participant comments and nobody else
// reads the thread, nor the working files they attach; the main handler closes it as needing no
// action, which owes the sender 06.

#include <gtest/gtest.h>

#include "office_fixture.hpp"
#include "truc/office/assignments.hpp"
#include "truc/office/uploads.hpp"

namespace truc::office {
namespace {

constexpr const char* kGeneral = "Phòng Tổng hợp";
constexpr const char* kPlanning = "Phòng Kế hoạch";

class TaskWorkTest : public OfficeFixture {
 protected:
  TaskWorkTest() : agency_(agency("000.00.04.H57")), other_(agency("000.00.05.H57")) {
    for (const auto& [username, role, name, department] :
         {std::tuple{"lanhdao", Role::leader, "Lê Văn Lãnh", ""},
          std::tuple{"pholanhdao", Role::deputy, "Vũ Thị Phó", ""},
          std::tuple{"truongphong", Role::head, "Hoàng Văn Trưởng", kGeneral},
          std::tuple{"chuyenvien", Role::specialist, "Phạm Thị Chuyên", kGeneral},
          std::tuple{"chuyenvien2", Role::specialist, "Đỗ Thị Hai", kGeneral},
          std::tuple{"truongphongkh", Role::head, "Ngô Văn Kế", kPlanning},
          std::tuple{"chuyenvienkh", Role::specialist, "Bùi Thị Hoạch", kPlanning},
          std::tuple{"tudo", Role::specialist, "Mai Văn Tự", ""},
          std::tuple{"vanthu", Role::clerk, "Trần Thị Hoa", "Văn phòng"}}) {
      EXPECT_TRUE(accounts_.create_user(
          agency_.id, {username, name, role, kTestPassword, department}, kConsole));
    }
    EXPECT_TRUE(accounts_.create_user(
        other_.id, {"khac", "Lý Văn Khác", Role::specialist, kTestPassword, kGeneral}, kConsole));
    register_id_ = incoming_.registers(agency_.id, "incoming").value().front().id;
  }

  Actor as(const std::string& username) {
    return {count("SELECT id FROM users WHERE username = $1", {username}), ""};
  }
  std::int64_t user_id(const std::string& username) { return as(username).user_id.value(); }
  std::int64_t department(const std::string& name) {
    return count("SELECT id FROM departments WHERE agency_id = $1 AND name = $2",
                 {std::to_string(agency_.id), name});
  }
  std::int64_t registered(const std::string& subject) {
    const std::int64_t id = arrive(agency_, subject);
    EXPECT_TRUE(incoming_.register_document(agency_.id, id, register_id_, as("vanthu")));
    return id;
  }
  std::int64_t assigned(const std::string& subject, NewAssignment assignment) {
    const std::int64_t id = registered(subject);
    auto done = assignments_.assign(agency_.id, id, assignment, as("lanhdao"));
    EXPECT_TRUE(done) << done.error().to_string();
    return id;
  }
  std::string part_of(const std::string& username, bool done = false) {
    auto tasks = assignments_.tasks(agency_.id, user_id(username), done);
    EXPECT_TRUE(tasks);
    return tasks && tasks->size() == 1 ? tasks->front().part
                                       : "(" + std::to_string(tasks->size()) + " tasks)";
  }
  // An upload of `username`, as POST /uploads makes it.
  std::int64_t upload(const std::string& username, const std::string& name,
                      const std::string& bytes = "%PDF-1.4\n%%EOF\n",
                      const std::string& type = "application/pdf") {
    Account account;
    account.user_id = user_id(username);
    account.agency_id =
        count("SELECT agency_id FROM users WHERE id = $1", {std::to_string(account.user_id)});
    auto stored = uploads_.receive(account, name, type, spooled(bytes), as(username));
    EXPECT_TRUE(stored) << stored.error().to_string();
    return stored ? stored->id : 0;
  }
  std::int64_t audited(const std::string& action) {
    return count("SELECT count(*) FROM audit_log WHERE action = $1", {action});
  }

  Agency agency_;
  Agency other_;
  std::int64_t register_id_ = 0;
};

TEST_F(TaskWorkTest, ADepartmentsTaskReachesItsHeadAloneWhoPassesItToAMember) {
  const std::int64_t document = registered("Về việc kiểm tra công vụ");
  auto both = assignments_.assign(
      agency_.id, document,
      {.main_handler = "chuyenvien", .main_department_id = department(kGeneral)}, as("lanhdao"));
  EXPECT_EQ(both.error().code, "field.invalid");
  EXPECT_EQ(assignments_.assign(agency_.id, document, {}, as("lanhdao")).error().code,
            "field.invalid");
  EXPECT_EQ(assignments_.assign(agency_.id, document, {.main_department_id = 999999}, as("lanhdao"))
                .error()
                .code,
            "department.not_found");
  EXPECT_EQ(assignments_
                .assign(agency_.id, document, {.main_department_id = department("Văn phòng")},
                        as("lanhdao"))
                .error()
                .code,
            "department.no_head");  // only a clerk works there: nobody would pass it on
  const std::int64_t foreign_department =
      count("SELECT id FROM departments WHERE agency_id = $1", {std::to_string(other_.id)});
  EXPECT_EQ(
      assignments_
          .assign(agency_.id, document, {.main_department_id = foreign_department}, as("lanhdao"))
          .error()
          .code,
      "department.not_found");
  EXPECT_EQ(count("SELECT count(*) FROM assignments"), 0);
  auto departments = assignments_.departments(agency_.id);
  ASSERT_TRUE(departments);
  ASSERT_EQ(departments->size(), 2u);  // the two with a head, not the clerk's
  EXPECT_EQ(departments->front().name, kPlanning);

  auto given = assignments_.assign(
      agency_.id, document,
      {.main_department_id = department(kGeneral), .due_date = std::string("2099-12-31")},
      as("lanhdao"));
  ASSERT_TRUE(given) << given.error().to_string();
  EXPECT_FALSE(given->main_handler);
  ASSERT_TRUE(given->main_department);
  EXPECT_EQ(given->main_department->name, kGeneral);
  EXPECT_EQ(part_of("truongphong"), "department");
  EXPECT_EQ(part_of("truongphongkh"), "(0 tasks)");
  EXPECT_EQ(part_of("chuyenvien"), "(0 tasks)");
  EXPECT_EQ(assignments_.task(agency_.id, user_id("truongphongkh"), document).error().code,
            "incoming.not_found");
  ASSERT_TRUE(assignments_.task(agency_.id, user_id("truongphong"), document));
  // The head passes it on; the work itself is a person's.
  EXPECT_EQ(assignments_.start(agency_.id, document, as("truongphong")).error().code,
            "incoming.not_found");

  auto colleagues = assignments_.colleagues(agency_.id, user_id("truongphong"), document);
  ASSERT_TRUE(colleagues);
  EXPECT_EQ(colleagues->size(), 3u);  // both specialists and the head, who may keep it
  EXPECT_EQ(assignments_.colleagues(agency_.id, user_id("chuyenvien"), document).error().code,
            "incoming.not_found");
  EXPECT_EQ(assignments_.forward(agency_.id, document, "chuyenvien", "", as("truongphongkh"))
                .error()
                .code,
            "incoming.not_found");
  EXPECT_EQ(assignments_.forward(agency_.id, document, "chuyenvienkh", "", as("truongphong"))
                .error()
                .code,
            "task.outside_department");
  EXPECT_EQ(
      assignments_.forward(agency_.id, document, "nobody", "", as("truongphong")).error().code,
      "user.not_found");
  EXPECT_EQ(
      assignments_.forward(agency_.id, document, "vanthu", "", as("truongphong")).error().code,
      "user.not_found");  // a clerk handles no documents
  EXPECT_EQ(
      assignments_
          .forward(agency_.id, document, "chuyenvien", std::string(2001, 'x'), as("truongphong"))
          .error()
          .code,
      "field.invalid");
  EXPECT_EQ(count("SELECT count(*) FROM assignment_handovers"), 0);

  auto forwarded = assignments_.forward(agency_.id, document, "chuyenvien",
                                        "Đề nghị đồng chí Chuyên\nxử lý.", as("truongphong"));
  ASSERT_TRUE(forwarded) << forwarded.error().to_string();
  ASSERT_TRUE(forwarded->main_handler);
  EXPECT_EQ(forwarded->main_handler->username, "chuyenvien");
  EXPECT_FALSE(forwarded->main_department);
  ASSERT_EQ(forwarded->handovers.size(), 1u);
  EXPECT_EQ(forwarded->handovers[0].from_department, kGeneral);
  EXPECT_FALSE(forwarded->handovers[0].from);
  EXPECT_EQ(forwarded->handovers[0].to.full_name, "Phạm Thị Chuyên");
  EXPECT_EQ(forwarded->handovers[0].by.full_name, "Hoàng Văn Trưởng");
  EXPECT_EQ(forwarded->handovers[0].note, "Đề nghị đồng chí Chuyên\nxử lý.");
  EXPECT_EQ(part_of("chuyenvien"), "main_handler");
  EXPECT_EQ(part_of("truongphong"), "forwarded");
  EXPECT_EQ(audited("task.forwarded"), 1);
  EXPECT_TRUE(assignments_.start(agency_.id, document, as("chuyenvien")));
}

TEST_F(TaskWorkTest, TheHolderForwardsWithinTheDepartmentOnlyAndEveryHandoverIsKept) {
  const std::int64_t document = assigned(
      "Về việc tổng hợp số liệu", {.main_handler = "chuyenvien", .co_handlers = {"chuyenvien2"}});
  ASSERT_TRUE(assignments_.start(agency_.id, document, as("chuyenvien")));
  EXPECT_EQ(
      assignments_.forward(agency_.id, document, "chuyenvienkh", "", as("chuyenvien")).error().code,
      "task.outside_department");
  EXPECT_EQ(
      assignments_.forward(agency_.id, document, "chuyenvien", "", as("chuyenvien")).error().code,
      "field.invalid");
  EXPECT_EQ(
      assignments_.forward(agency_.id, document, "chuyenvien", "", as("chuyenvien2")).error().code,
      "incoming.not_found");  // a co-handler does not hold the task
  EXPECT_EQ(
      assignments_.forward(agency_.id, document, "chuyenvien2", "", as("truongphong")).error().code,
      "incoming.not_found");  // nor does the head of a person's task

  auto first = assignments_.forward(agency_.id, document, "chuyenvien2", "Nhờ chị xử lý tiếp",
                                    as("chuyenvien"));
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->main_handler->username, "chuyenvien2");
  EXPECT_TRUE(first->co_handlers.empty());  // the new holder left the co-handlers
  EXPECT_EQ(first->state, "in_progress");
  EXPECT_EQ(part_of("chuyenvien"), "forwarded");
  EXPECT_EQ(assignments_.finish(agency_.id, document, "Xong", as("chuyenvien")).error().code,
            "incoming.not_found");
  auto back = assignments_.forward(agency_.id, document, "chuyenvien", "", as("chuyenvien2"));
  ASSERT_TRUE(back) << back.error().to_string();
  ASSERT_EQ(back->handovers.size(), 2u);
  EXPECT_EQ(back->handovers[0].from->username, "chuyenvien");
  EXPECT_EQ(back->handovers[0].to.username, "chuyenvien2");
  EXPECT_EQ(back->handovers[1].from->username, "chuyenvien2");
  EXPECT_EQ(back->handovers[1].to.username, "chuyenvien");
  EXPECT_EQ(part_of("chuyenvien"), "main_handler");
  EXPECT_EQ(part_of("chuyenvien2"), "forwarded");

  ASSERT_TRUE(assignments_.finish(agency_.id, document, "Đã tổng hợp", as("chuyenvien")));
  EXPECT_EQ(
      assignments_.forward(agency_.id, document, "chuyenvien2", "", as("chuyenvien")).error().code,
      "task.already_done");
  EXPECT_EQ(count("SELECT count(*) FROM assignment_handovers"), 2);

  const std::int64_t lonely = assigned("Về việc riêng", {.main_handler = "tudo"});
  EXPECT_EQ(assignments_.forward(agency_.id, lonely, "chuyenvien", "", as("tudo")).error().code,
            "task.no_department");
  EXPECT_TRUE(assignments_.colleagues(agency_.id, user_id("tudo"), lonely)->empty());
}

TEST_F(TaskWorkTest, EveryParticipantAndTheAssigningLeaderCommentAndNobodyElseSeesTheThread) {
  const std::int64_t document = assigned(
      "Về việc góp ý dự thảo",
      {.main_handler = "chuyenvien", .co_handlers = {"chuyenvien2"}, .readers = {"truongphongkh"}});
  for (const auto& [username, body] :
       {std::pair{"chuyenvien", "Tôi đang tổng hợp.\nSẽ xong trước hạn."},
        std::pair{"chuyenvien2", "Đã gửi số liệu phần của tôi."},
        std::pair{"truongphongkh", "Đã biết."}, std::pair{"lanhdao", "Đồng ý."}}) {
    auto written = assignments_.comment(agency_.id, document, body, as(username));
    ASSERT_TRUE(written) << username << ": " << written.error().to_string();
    EXPECT_EQ(written->body, body);
  }
  for (const std::string outsider : {"pholanhdao", "chuyenvienkh", "truongphong", "khac"}) {
    EXPECT_EQ(assignments_.comment(agency_.id, document, "Xin góp ý", as(outsider)).error().code,
              "incoming.not_found")
        << outsider;
    EXPECT_EQ(assignments_.comments(agency_.id, user_id(outsider), document).error().code,
              "incoming.not_found")
        << outsider;
  }
  EXPECT_EQ(assignments_.comments(other_.id, user_id("khac"), document).error().code,
            "incoming.not_found");
  for (const std::string& bad : {std::string(), std::string(" \n\t "), std::string(2001, 'a'),
                                 std::string("a\x01"), std::string("\xff")}) {
    EXPECT_EQ(assignments_.comment(agency_.id, document, bad, as("chuyenvien")).error().code,
              "field.invalid");
  }
  std::string longest;
  for (int i = 0; i < 2000; ++i) longest += "ý";
  ASSERT_TRUE(assignments_.comment(agency_.id, document, longest, as("chuyenvien2")));

  auto thread = assignments_.comments(agency_.id, user_id("truongphongkh"), document);
  ASSERT_TRUE(thread) << thread.error().to_string();
  ASSERT_EQ(thread->size(), 5u);
  EXPECT_EQ((*thread)[0].author.full_name, "Phạm Thị Chuyên");
  EXPECT_EQ((*thread)[0].author.department, kGeneral);
  EXPECT_EQ((*thread)[0].body, "Tôi đang tổng hợp.\nSẽ xong trước hạn.");
  EXPECT_EQ((*thread)[3].author.username, "lanhdao");
  EXPECT_EQ((*thread)[4].body, longest);
  EXPECT_EQ((*thread)[0].written_at.size(), 20u);  // 2026-12-04T21:00:00Z
  EXPECT_EQ(audited("task.commented"), 5);

  ASSERT_TRUE(assignments_.close_without_action(agency_.id, document, "Đã có văn bản khác",
                                                as("chuyenvien")));
  EXPECT_EQ(assignments_.comment(agency_.id, document, "Muộn", as("chuyenvien")).error().code,
            "task.already_done");
  EXPECT_EQ(assignments_.comments(agency_.id, user_id("lanhdao"), document)->size(), 5u);
}

TEST_F(TaskWorkTest, NoActionNeededClosesTheTaskAsDoneAndOwesTheSender06) {
  const std::int64_t document =
      assigned("Về việc đã giải quyết", {.main_handler = "chuyenvien", .readers = {"chuyenvien2"}});
  const int woken = statuses_owed_;
  EXPECT_EQ(assignments_.close_without_action(agency_.id, document, "Lý do", as("chuyenvien2"))
                .error()
                .code,
            "incoming.not_found");  // only the main handler closes it
  for (const std::string& bad : {std::string(), std::string(2001, 'a'), std::string("a\x07")}) {
    EXPECT_EQ(
        assignments_.close_without_action(agency_.id, document, bad, as("chuyenvien")).error().code,
        "field.invalid");
  }
  EXPECT_EQ(count("SELECT count(*) FROM outgoing_statuses WHERE status_code = '06'"), 0);

  // Not started: a document that needs no work needs no start either.
  auto closed = assignments_.close_without_action(
      agency_.id, document, "Nội dung đã được giải quyết\ntại văn bản số 12/UBND-VP.",
      as("chuyenvien"));
  ASSERT_TRUE(closed) << closed.error().to_string();
  EXPECT_EQ(closed->state, "done");
  EXPECT_TRUE(closed->no_action);
  EXPECT_EQ(closed->result, "Nội dung đã được giải quyết\ntại văn bản số 12/UBND-VP.");
  EXPECT_TRUE(closed->finished_at);
  EXPECT_EQ(count("SELECT count(*) FROM outgoing_statuses WHERE status_code = '06' AND "
                  "description = $1 AND staff_name = 'Phạm Thị Chuyên'",
                  {"Không cần xử lý: Nội dung đã được giải quyết\ntại văn bản số 12/UBND-VP."}),
            1);
  EXPECT_EQ(statuses_owed_, woken + 1);
  EXPECT_EQ(audited("task.closed_without_action"), 1);
  EXPECT_EQ(part_of("chuyenvien", true), "main_handler");
  EXPECT_EQ(part_of("chuyenvien"), "(0 tasks)");
  EXPECT_EQ(assignments_.close_without_action(agency_.id, document, "Lần nữa", as("chuyenvien"))
                .error()
                .code,
            "task.already_done");
  EXPECT_EQ(assignments_.start(agency_.id, document, as("chuyenvien")).error().code,
            "task.already_done");
  EXPECT_EQ(assignments_.finish(agency_.id, document, "Xong", as("chuyenvien")).error().code,
            "task.already_done");
  EXPECT_EQ(count("SELECT count(*) FROM outgoing_statuses WHERE status_code = '06'"), 1);

  // A started task closes the same way.
  const std::int64_t started = assigned("Về việc khác", {.main_handler = "chuyenvien"});
  ASSERT_TRUE(assignments_.start(agency_.id, started, as("chuyenvien")));
  ASSERT_TRUE(assignments_.close_without_action(agency_.id, started, "Trùng", as("chuyenvien")));
}

TEST_F(TaskWorkTest, ParticipantsAttachTheirOwnUploadsOnceAndOnlyParticipantsReadThem) {
  const std::int64_t document = assigned(
      "Về việc dự thảo báo cáo", {.main_handler = "chuyenvien", .readers = {"chuyenvien2"}});
  const std::int64_t draft = upload("chuyenvien", "Dự thảo báo cáo.pdf");
  const std::int64_t photo = upload("chuyenvien2", "Ảnh hiện trường.png",
                                    std::string("\x89PNG\r\n\x1a\n", 8) + "data", "image/png");
  const std::int64_t outsiders = upload("chuyenvienkh", "Của người khác.pdf");
  const std::int64_t foreign = upload("khac", "Của sở khác.pdf");

  // Only one's own upload, once, to a task one takes part in.
  EXPECT_EQ(assignments_.attach_file(agency_.id, document, photo, as("chuyenvien")).error().code,
            "upload.not_found");
  EXPECT_EQ(assignments_.attach_file(agency_.id, document, foreign, as("chuyenvien")).error().code,
            "upload.not_found");
  EXPECT_EQ(
      assignments_.attach_file(agency_.id, document, outsiders, as("chuyenvienkh")).error().code,
      "incoming.not_found");
  EXPECT_EQ(assignments_.attach_file(agency_.id, document, 999999, as("chuyenvien")).error().code,
            "upload.not_found");
  EXPECT_EQ(count("SELECT count(*) FROM assignment_files"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE consumed_at IS NOT NULL"), 0);

  auto attached = assignments_.attach_file(agency_.id, document, draft, as("chuyenvien"));
  ASSERT_TRUE(attached) << attached.error().to_string();
  EXPECT_EQ(attached->name, "Dự thảo báo cáo.pdf");
  EXPECT_EQ(attached->content_type, "application/pdf");
  EXPECT_EQ(attached->added_by.full_name, "Phạm Thị Chuyên");
  EXPECT_EQ(assignments_.attach_file(agency_.id, document, draft, as("chuyenvien")).error().code,
            "upload.already_used");
  ASSERT_TRUE(assignments_.attach_file(agency_.id, document, photo, as("chuyenvien2")));
  EXPECT_EQ(audited("task.file_attached"), 2);

  auto listed = assignments_.files(agency_.id, user_id("lanhdao"), document);
  ASSERT_TRUE(listed) << listed.error().to_string();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "Dự thảo báo cáo.pdf");
  EXPECT_EQ((*listed)[1].content_type, "image/png");
  auto one = assignments_.file(agency_.id, user_id("chuyenvien2"), document, attached->id);
  ASSERT_TRUE(one) << one.error().to_string();
  EXPECT_TRUE(std::filesystem::exists(blobs_.path_of(one->blob_sha256)));
  for (const std::string outsider : {"pholanhdao", "chuyenvienkh", "khac"}) {
    EXPECT_EQ(assignments_.files(agency_.id, user_id(outsider), document).error().code,
              "incoming.not_found")
        << outsider;
    EXPECT_EQ(assignments_.file(agency_.id, user_id(outsider), document, attached->id).error().code,
              "incoming.not_found")
        << outsider;
  }
  // A file id of another task is unknown under this one.
  const std::int64_t other_task = assigned("Về việc khác", {.main_handler = "chuyenvien"});
  EXPECT_EQ(
      assignments_.file(agency_.id, user_id("chuyenvien"), other_task, attached->id).error().code,
      "incoming.not_found");

  ASSERT_TRUE(assignments_.close_without_action(agency_.id, document, "Xong", as("chuyenvien")));
  EXPECT_EQ(
      assignments_
          .attach_file(agency_.id, document, upload("chuyenvien", "Muộn.pdf"), as("chuyenvien"))
          .error()
          .code,
      "task.already_done");
  EXPECT_EQ(assignments_.files(agency_.id, user_id("chuyenvien"), document)->size(), 2u);
}

}  // namespace
}  // namespace truc::office
