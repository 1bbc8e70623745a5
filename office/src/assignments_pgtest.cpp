// Assignment and processing against a real PostgreSQL: a leader assigns a registered document,
// the participants find it among their tasks, the main handler starts and finishes it, and each
// step owes the sender its status (04, 05, 06).

#include <gtest/gtest.h>

#include "office_fixture.hpp"
#include "truc/office/assignments.hpp"

namespace truc::office {
namespace {

class AssignmentsTest : public OfficeFixture {
 protected:
  AssignmentsTest() : agency_(agency("000.00.04.H57")) {
    for (const auto& [username, role, name] :
         {std::tuple{"lanhdao", Role::leader, "Lê Văn Lãnh"},
          std::tuple{"chuyenvien", Role::specialist, "Phạm Thị Chuyên"},
          std::tuple{"truongphong", Role::head, "Hoàng Văn Trưởng"},
          std::tuple{"chuyenvien2", Role::specialist, "Đỗ Thị Hai"},
          std::tuple{"vanthu", Role::clerk, "Trần Thị Hoa"}}) {
      EXPECT_TRUE(accounts_.create_user(
          agency_.id, {username, name, role, kTestPassword, "Phòng Tổng hợp"}, kConsole));
    }
    document_ = arrive(agency_, "Về việc báo cáo tình hình");
    register_id_ = incoming_.registers(agency_.id, "incoming").value().front().id;
  }

  Actor as(const std::string& username) {
    return {count("SELECT id FROM users WHERE username = $1", {username}), ""};
  }
  void registered() {
    ASSERT_TRUE(incoming_.register_document(agency_.id, document_, register_id_, as("vanthu")));
  }
  std::int64_t owed(const std::string& code) {
    return count("SELECT count(*) FROM outgoing_statuses WHERE status_code = $1", {code});
  }

  Agency agency_;
  std::int64_t document_ = 0;
  std::int64_t register_id_ = 0;
};

TEST_F(AssignmentsTest, OnlyARegisteredDocumentIsAssignedOnceToTheAgencysHandlers) {
  const NewAssignment plain{.main_handler = "chuyenvien"};
  EXPECT_EQ(assignments_.assign(agency_.id, document_, plain, as("lanhdao")).error().code,
            "incoming.not_registered");
  registered();
  EXPECT_EQ(assignments_.assign(agency_.id, document_, {.main_handler = "vanthu"}, as("lanhdao"))
                .error()
                .code,
            "user.not_found");  // a clerk handles no documents
  EXPECT_EQ(assignments_.assign(agency_.id, document_, {.main_handler = "nobody"}, as("lanhdao"))
                .error()
                .code,
            "user.not_found");
  for (const char* bad_date : {"2020-01-01", "2099-02-30", "31/12/2099"}) {
    EXPECT_EQ(assignments_
                  .assign(agency_.id, document_,
                          {.main_handler = "chuyenvien", .due_date = std::string(bad_date)},
                          as("lanhdao"))
                  .error()
                  .code,
              "field.invalid")
        << bad_date;
  }
  EXPECT_EQ(assignments_
                .assign(agency_.id, document_,
                        {.main_handler = "chuyenvien", .readers = {"chuyenvien"}}, as("lanhdao"))
                .error()
                .code,
            "field.invalid");
  EXPECT_EQ(count("SELECT count(*) FROM assignments"), 0);
  EXPECT_EQ(owed("04"), 0);

  auto assigned = assignments_.assign(agency_.id, document_,
                                      {.main_handler = "chuyenvien",
                                       .co_handlers = {"chuyenvien2"},
                                       .readers = {"truongphong"},
                                       .due_date = std::string("2099-12-31"),
                                       .instructions = "Đề nghị tổng hợp,\nbáo cáo trước hạn."},
                                      as("lanhdao"));
  ASSERT_TRUE(assigned) << assigned.error().to_string();
  EXPECT_EQ(assigned->state, "assigned");
  EXPECT_EQ(assigned->assigned_by.full_name, "Lê Văn Lãnh");
  EXPECT_EQ(assigned->main_handler->full_name, "Phạm Thị Chuyên");
  ASSERT_EQ(assigned->co_handlers.size(), 1u);
  ASSERT_EQ(assigned->readers.size(), 1u);
  EXPECT_EQ(assigned->readers.front().username, "truongphong");
  EXPECT_EQ(assigned->due_date, "2099-12-31");
  EXPECT_EQ(owed("04"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM outgoing_statuses WHERE status_code = '04' "
                  "AND staff_name = 'Lê Văn Lãnh'"),
            1);
  EXPECT_EQ(assignments_.assign(agency_.id, document_, plain, as("lanhdao")).error().code,
            "incoming.already_assigned");
  auto handlers = assignments_.handlers(agency_.id);
  ASSERT_TRUE(handlers);
  EXPECT_EQ(handlers->size(), 3u);  // two specialists and the head
}

TEST_F(AssignmentsTest, TheMainHandlerStartsAndFinishesAndEveryParticipantSeesTheTask) {
  registered();
  ASSERT_TRUE(assignments_.assign(agency_.id, document_,
                                  {.main_handler = "chuyenvien",
                                   .readers = {"truongphong"},
                                   .due_date = std::string("2099-12-31")},
                                  as("lanhdao")));
  auto mine = assignments_.tasks(agency_.id, as("chuyenvien").user_id.value(), false);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().part, "main_handler");
  EXPECT_EQ(mine->front().document.subject, "Về việc báo cáo tình hình");
  EXPECT_FALSE(mine->front().overdue);
  auto reader = assignments_.tasks(agency_.id, as("truongphong").user_id.value(), false);
  ASSERT_TRUE(reader);
  ASSERT_EQ(reader->size(), 1u);
  EXPECT_EQ(reader->front().part, "reader");
  EXPECT_TRUE(assignments_.tasks(agency_.id, as("chuyenvien2").user_id.value(), false)->empty());
  EXPECT_EQ(
      assignments_.task(agency_.id, as("chuyenvien2").user_id.value(), document_).error().code,
      "incoming.not_found");
  ASSERT_TRUE(assignments_.task(agency_.id, as("truongphong").user_id.value(), document_));

  EXPECT_EQ(assignments_.finish(agency_.id, document_, "Xong", as("chuyenvien")).error().code,
            "task.not_started");
  EXPECT_EQ(assignments_.start(agency_.id, document_, as("truongphong")).error().code,
            "incoming.not_found");  // a reader does not do the work
  auto started = assignments_.start(agency_.id, document_, as("chuyenvien"));
  ASSERT_TRUE(started) << started.error().to_string();
  EXPECT_EQ(started->state, "in_progress");
  EXPECT_EQ(owed("05"), 1);
  EXPECT_EQ(assignments_.start(agency_.id, document_, as("chuyenvien")).error().code,
            "task.already_started");
  EXPECT_EQ(assignments_.finish(agency_.id, document_, "", as("chuyenvien")).error().code,
            "field.invalid");
  auto finished =
      assignments_.finish(agency_.id, document_, "Đã báo cáo UBND tỉnh.", as("chuyenvien"));
  ASSERT_TRUE(finished) << finished.error().to_string();
  EXPECT_EQ(finished->state, "done");
  EXPECT_EQ(finished->result, "Đã báo cáo UBND tỉnh.");
  EXPECT_EQ(owed("06"), 1);
  EXPECT_EQ(assignments_.finish(agency_.id, document_, "Lần nữa", as("chuyenvien")).error().code,
            "task.already_done");
  EXPECT_TRUE(assignments_.tasks(agency_.id, as("chuyenvien").user_id.value(), false)->empty());
  EXPECT_EQ(assignments_.tasks(agency_.id, as("chuyenvien").user_id.value(), true)->size(), 1u);
  // Registering owed 01 and 03; the three steps here 04, 05 and 06; each woke the sender.
  EXPECT_EQ(statuses_owed_, 4);
}

TEST_F(AssignmentsTest, AnOpenTaskPastItsDueDateIsOverdue) {
  registered();
  ASSERT_TRUE(assignments_.assign(
      agency_.id, document_, {.main_handler = "chuyenvien", .due_date = std::string("2099-12-31")},
      as("lanhdao")));
  run("UPDATE assignments SET due_date = current_date - 1");
  auto tasks = assignments_.tasks(agency_.id, as("chuyenvien").user_id.value(), false);
  ASSERT_TRUE(tasks);
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_TRUE(tasks->front().overdue);
}

}  // namespace
}  // namespace truc::office
