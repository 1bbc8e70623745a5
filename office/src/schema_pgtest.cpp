#include <gtest/gtest.h>

#include "truc/office/schema.hpp"
#include "truc/store/database.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::office {
namespace {

class OfficeSchema : public ::testing::Test {
 protected:
  std::unique_ptr<store::Connection> fresh_database() {
    auto connection = store::Connection::open(testing::shared_postgres().create_database());
    EXPECT_TRUE(connection) << connection.error().code;
    return std::move(connection).value();
  }
};

TEST_F(OfficeSchema, MigratesOnceThenIsCurrentAndSeedsTheCataloguesOfDecree30) {
  auto connection = fresh_database();
  EXPECT_EQ(store::check_schema(*connection, office_schema()).error().code,
            "store.migrations_pending");
  auto migrated = store::migrate(*connection, office_schema());
  ASSERT_TRUE(migrated) << migrated.error().code << ": " << migrated.error().detail;
  EXPECT_EQ(migrated->applied, office_schema().migrations.back().version);
  ASSERT_TRUE(store::migrate(*connection, office_schema()));
  EXPECT_TRUE(store::check_schema(*connection, office_schema()));

  auto types = connection->execute(
      "SELECT count(*), count(*) FILTER (WHERE abbreviation = '') FROM catalogue_seed "
      "WHERE catalogue = 'document_type'");
  ASSERT_TRUE(types);
  EXPECT_EQ(types->integer(0, 0), 29);  // Appendix III
  EXPECT_EQ(types->integer(0, 1), 2);   // công văn and thư công have no abbreviation
  auto decision =
      connection->execute("SELECT abbreviation FROM catalogue_seed WHERE name = 'Quyết định'");
  ASSERT_TRUE(decision);
  EXPECT_EQ(decision->text(0, 0), "QĐ");
}

TEST_F(OfficeSchema, SearchIgnoresDiacriticsThroughUnaccent) {
  auto connection = fresh_database();
  ASSERT_TRUE(store::migrate(*connection, office_schema()));
  auto folded = connection->execute("SELECT lower(unaccent($1))", {"Công văn Hỏa tốc ĐƯỜNG"});
  ASSERT_TRUE(folded) << folded.error().detail;
  EXPECT_EQ(folded->text(0, 0), "cong van hoa toc duong");
}

TEST_F(OfficeSchema, RowsThatBreakTheRulesAreRefusedByTheDatabase) {
  auto connection = fresh_database();
  ASSERT_TRUE(store::migrate(*connection, office_schema()));
  auto bad_code = connection->execute("INSERT INTO agencies (code, name) VALUES ($1, $2)",
                                      {"not a code", "Sở Nội vụ"});
  EXPECT_EQ(bad_code.error().code, "store.check_violation");
  ASSERT_TRUE(connection->execute("INSERT INTO agencies (code, name) VALUES ($1, $2)",
                                  {"000.00.04.H01", "Sở Nội vụ"}));
  auto bad_role = connection->execute(
      "INSERT INTO users (agency_id, username, full_name, role, password_hash) "
      "SELECT id, 'vanthu', 'Nguyễn Văn A', 'superuser', 'x' FROM agencies");
  EXPECT_EQ(bad_role.error().code, "store.check_violation");
}

}  // namespace
}  // namespace truc::office
