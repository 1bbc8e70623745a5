// Following up deadlines against a real PostgreSQL: which open assignments are overdue or due
// soon (days in Vietnam, relative to the database's now()), a head's view bound to the
// department, the progress counts per department, and one person's reminders.

#include <gtest/gtest.h>

#include <algorithm>

#include "office_fixture.hpp"
#include "truc/office/oversight.hpp"

namespace truc::office {
namespace {

constexpr const char* kVietnamToday = "(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date";

class OversightTest : public OfficeFixture {
 protected:
  OversightTest() : agency_(agency("000.00.04.H57")) {
    for (const auto& [username, role, name, department] :
         {std::tuple{"lanhdao", Role::leader, "Lê Văn Lãnh", ""},
          std::tuple{"tp.tonghop", Role::head, "Hoàng Văn Trưởng", "Phòng Tổng hợp"},
          std::tuple{"cv.tonghop", Role::specialist, "Phạm Thị Chuyên", "Phòng Tổng hợp"},
          std::tuple{"cv.kehoach", Role::specialist, "Đỗ Thị Hai", "Phòng Kế hoạch"},
          std::tuple{"cv.tudo", Role::specialist, "Ngô Văn Ba", ""}}) {
      EXPECT_TRUE(accounts_.create_user(
          agency_.id, {username, name, role, kTestPassword, department}, kConsole));
    }
    register_id_ = incoming_.registers(agency_.id, "incoming").value().front().id;
    tonghop_ = count("SELECT id FROM departments WHERE name = 'Phòng Tổng hợp'");
    kehoach_ = count("SELECT id FROM departments WHERE name = 'Phòng Kế hoạch'");
  }

  Actor as(const std::string& username) {
    return {count("SELECT id FROM users WHERE username = $1", {username}), ""};
  }

  // A document given to `handler`, due `days` after today in Vietnam (none without), optionally
  // with a co-handler.
  std::int64_t assigned(const std::string& handler, std::optional<int> days,
                        const std::vector<std::string>& co_handlers = {}) {
    const auto id = arrive(agency_, "Việc số " + std::to_string(++documents_));
    EXPECT_TRUE(incoming_.register_document(agency_.id, id, register_id_, kConsole));
    EXPECT_TRUE(assignments_.assign(agency_.id, id,
                                    {.main_handler = handler,
                                     .co_handlers = co_handlers,
                                     .due_date = std::string("2099-12-31")},
                                    as("lanhdao")));
    // assign() refuses a past due date: the past is set behind its back.
    if (days) {
      run("UPDATE assignments SET due_date = " + std::string(kVietnamToday) +
              " + $2::integer WHERE incoming_id = $1",
          {std::to_string(id), std::to_string(*days)});
    } else {
      run("UPDATE assignments SET due_date = NULL WHERE incoming_id = $1", {std::to_string(id)});
    }
    return id;
  }
  // Finished by its main handler `days_late` days after its due date (negative: early).
  void finished(std::int64_t id, const std::string& handler, int days_late) {
    ASSERT_TRUE(assignments_.start(agency_.id, id, as(handler)));
    ASSERT_TRUE(assignments_.finish(agency_.id, id, "Đã xong", as(handler)));
    run("UPDATE assignments SET finished_at = coalesce(((due_date - $2::integer)::timestamp "
        "+ interval '23 hours 59 minutes') AT TIME ZONE 'Asia/Ho_Chi_Minh', finished_at) "
        "WHERE incoming_id = $1",
        {std::to_string(id), std::to_string(-days_late)});
  }

  std::vector<std::int64_t> ids(const OversightScope& scope, Deadline state) {
    auto items = oversight_.deadlines(agency_.id, scope, state);
    std::vector<std::int64_t> found;
    if (!items) {
      ADD_FAILURE() << items.error().to_string();
      return found;
    }
    for (const auto& item : *items) found.push_back(item.incoming_id);
    return found;
  }

  Agency agency_;
  std::int64_t register_id_ = 0;
  std::int64_t tonghop_ = 0;
  std::int64_t kehoach_ = 0;
  int documents_ = 0;
};

using Ids = std::vector<std::int64_t>;

TEST_F(OversightTest, OverdueMeansBeforeTodayInVietnamAndDueSoonTheNextDays) {
  const OversightScope agency{.whole_agency = true};
  const auto yesterday = assigned("cv.tonghop", -1);
  const auto today = assigned("cv.tonghop", 0);
  const auto in_three_days = assigned("cv.kehoach", 3);  // the last day of due_soon_days = 3
  const auto in_four_days = assigned("cv.kehoach", 4);
  const auto undated = assigned("cv.tudo", std::nullopt);
  const auto long_overdue = assigned("cv.tudo", -30);

  EXPECT_EQ(ids(agency, Deadline::overdue), (Ids{long_overdue, yesterday}));
  EXPECT_EQ(ids(agency, Deadline::due_soon), (Ids{today, in_three_days}));
  EXPECT_EQ(ids(agency, Deadline::open),
            (Ids{long_overdue, yesterday, today, in_three_days, in_four_days, undated}));
  auto items = oversight_.deadlines(agency_.id, agency, Deadline::overdue).value();
  EXPECT_EQ(items.front().days_left, -30);
  EXPECT_TRUE(items.front().overdue);
  EXPECT_EQ(items.front().main_handler.username, "cv.tudo");
  EXPECT_FALSE(items.front().department_id);
  EXPECT_EQ(items.back().department_id, tonghop_);

  // Vietnam's day is not the server's: a due date of today in UTC is already yesterday in
  // Vietnam from 17:00 UTC to midnight UTC, and overdue then; due today otherwise.
  run("UPDATE assignments SET due_date = (now() AT TIME ZONE 'UTC')::date WHERE incoming_id = $1",
      {std::to_string(in_four_days)});
  const bool vietnam_is_ahead = count("SELECT ((now() AT TIME ZONE 'UTC')::date < " +
                                      std::string(kVietnamToday) + ")::integer") == 1;
  const Ids overdue = ids(agency, Deadline::overdue);
  EXPECT_EQ(std::find(overdue.begin(), overdue.end(), in_four_days) != overdue.end(),
            vietnam_is_ahead);
}

TEST_F(OversightTest, AHeadsScopeIsTheDepartmentAndUsersWithoutOneFormTheirOwnGroup) {
  const auto general = assigned("cv.tonghop", -2);
  const auto by_head = assigned("tp.tonghop", -1);
  const auto planning = assigned("cv.kehoach", -1);
  const auto loose = assigned("cv.tudo", -1);
  EXPECT_EQ(ids({.department_id = tonghop_}, Deadline::overdue), (Ids{general, by_head}));
  EXPECT_EQ(ids({.department_id = kehoach_}, Deadline::overdue), (Ids{planning}));
  EXPECT_EQ(ids({}, Deadline::overdue), (Ids{loose}));
  // A department of another agency is unknown.
  const Agency other = agency("000.00.05.H57", "Sở Tài chính");
  ASSERT_TRUE(accounts_.create_user(
      other.id, {"cv.taichinh", "Lý Văn Tư", Role::specialist, kTestPassword, "Phòng Ngân sách"},
      kConsole));
  const std::int64_t foreign = count("SELECT id FROM departments WHERE name = 'Phòng Ngân sách'");
  EXPECT_EQ(
      oversight_.deadlines(agency_.id, {.department_id = foreign}, Deadline::overdue).error().code,
      "department.not_found");
  EXPECT_TRUE(oversight_.deadlines(other.id, {.whole_agency = true}, Deadline::open)->empty());
}

TEST_F(OversightTest, ProgressCountsEachDepartmentsWorkAndWhetherItWasDoneOnTime) {
  assigned("cv.tonghop", 5);                        // assigned, not started
  const auto started = assigned("cv.tonghop", -1);  // in progress, overdue
  ASSERT_TRUE(assignments_.start(agency_.id, started, as("cv.tonghop")));
  finished(assigned("cv.tonghop", 2), "cv.tonghop", 0);       // on its last day: on time
  finished(assigned("tp.tonghop", 2), "tp.tonghop", 1);       // a day late
  finished(assigned("cv.tudo", std::nullopt), "cv.tudo", 0);  // no due date: on time
  assigned("cv.tudo", -3);

  auto progress = oversight_.progress(agency_.id);
  ASSERT_TRUE(progress) << progress.error().to_string();
  ASSERT_EQ(progress->size(), 3u);  // both departments, then the users without one
  const DepartmentProgress& planning = (*progress)[0];
  EXPECT_EQ(planning.department, "Phòng Kế hoạch");
  EXPECT_EQ(planning.department_id, kehoach_);
  EXPECT_EQ(planning.total, 0);
  const DepartmentProgress& general = (*progress)[1];
  EXPECT_EQ(general.department, "Phòng Tổng hợp");
  EXPECT_EQ(general.total, 4);
  EXPECT_EQ(general.assigned, 1);
  EXPECT_EQ(general.in_progress, 1);
  EXPECT_EQ(general.done, 2);
  EXPECT_EQ(general.overdue, 1);
  EXPECT_EQ(general.done_on_time, 1);
  EXPECT_EQ(general.done_late, 1);
  const DepartmentProgress& none = (*progress)[2];
  EXPECT_FALSE(none.department_id);
  EXPECT_EQ(none.total, 2);
  EXPECT_EQ(none.assigned, 1);
  EXPECT_EQ(none.done_on_time, 1);
  EXPECT_EQ(none.overdue, 1);
  // Another agency sees its own (empty) group only.
  const Agency other = agency("000.00.05.H57", "Sở Tài chính");
  auto theirs = oversight_.progress(other.id);
  ASSERT_EQ(theirs->size(), 1u);
  EXPECT_EQ(theirs->front().total, 0);
}

TEST_F(OversightTest, WorkGivenToADepartmentCountsForItBeforeItsHeadPassesItOn) {
  const auto id = arrive(agency_, "Việc của cả phòng");
  ASSERT_TRUE(incoming_.register_document(agency_.id, id, register_id_, kConsole));
  auto given = assignments_.assign(
      agency_.id, id, {.main_department_id = tonghop_, .due_date = "2099-12-31"}, as("lanhdao"));
  ASSERT_TRUE(given) << given.error().to_string();
  run("UPDATE assignments SET due_date = " + std::string(kVietnamToday) +
          " - 1 WHERE incoming_id = $1",
      {std::to_string(id)});
  EXPECT_EQ(ids({.whole_agency = false, .department_id = tonghop_}, Deadline::overdue), Ids{id});
  EXPECT_TRUE(ids({.whole_agency = false, .department_id = kehoach_}, Deadline::overdue).empty());
  auto progress = oversight_.progress(agency_.id);
  ASSERT_TRUE(progress) << progress.error().to_string();
  EXPECT_EQ((*progress)[1].department, "Phòng Tổng hợp");
  EXPECT_EQ((*progress)[1].total, 1);
  EXPECT_EQ((*progress)[1].overdue, 1);
}

TEST_F(OversightTest, RemindersCountOnesOwnTasksAndTheScopesOverdueWork) {
  const auto late = assigned("cv.tonghop", -2);
  const auto soon = assigned("cv.kehoach", 1, {"cv.tonghop"});  // as co-handler
  assigned("cv.tonghop", 10);
  finished(assigned("cv.tonghop", -1), "cv.tonghop", 0);  // done: no reminder
  assigned("cv.kehoach", -1);
  const std::int64_t reader_only = assigned("cv.kehoach", -5);
  run("INSERT INTO assignment_participants (assignment_id, user_id, part) "
      "SELECT id, $2, 'reader' FROM assignments WHERE incoming_id = $1",
      {std::to_string(reader_only), std::to_string(as("cv.tonghop").user_id.value())});

  auto specialist =
      accounts_.session(accounts_.sign_in("cv.tonghop", kTestPassword, "")->session_token);
  ASSERT_TRUE(specialist);
  auto mine = oversight_.reminders(specialist->account, std::nullopt);
  ASSERT_TRUE(mine) << mine.error().to_string();
  EXPECT_EQ(mine->overdue, 1);
  EXPECT_EQ(mine->due_soon, 1);
  ASSERT_EQ(mine->most_urgent.size(), 2u);
  EXPECT_EQ(mine->most_urgent[0].incoming_id, late);
  EXPECT_EQ(mine->most_urgent[1].incoming_id, soon);
  EXPECT_FALSE(mine->scope_overdue);

  auto leader = accounts_.session(accounts_.sign_in("lanhdao", kTestPassword, "")->session_token);
  auto agency_wide = oversight_.reminders(leader->account, OversightScope{.whole_agency = true});
  EXPECT_EQ(agency_wide->overdue, 0);
  EXPECT_EQ(agency_wide->scope_overdue, 3);
  auto head = accounts_.session(accounts_.sign_in("tp.tonghop", kTestPassword, "")->session_token);
  auto department = oversight_.reminders(head->account, OversightScope{.department_id = tonghop_});
  EXPECT_EQ(department->scope_overdue, 1);
}

}  // namespace
}  // namespace truc::office
