#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <latch>
#include <thread>
#include <vector>

#include "migration_list.hpp"
#include "truc/store/migrate.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::store {
namespace {

TEST(Migrate, BringsAnEmptyDatabaseToTheLatestVersionOnce) {
  auto conninfo = testing::shared_postgres().create_database();
  auto connection = Connection::open(conninfo);
  ASSERT_TRUE(connection);
  auto before = check_schema(**connection, hub_schema());
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, "store.migrations_pending");

  auto migrated = migrate(**connection, hub_schema());
  ASSERT_TRUE(migrated) << migrated.error().to_string();
  EXPECT_EQ(migrated->applied, migrations().back().version);
  auto again = migrate(**connection, hub_schema());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->applied, migrated->applied);
  EXPECT_TRUE(check_schema(**connection, hub_schema()));
  auto tables =
      (*connection)
          ->execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'packages'");
  EXPECT_EQ(tables->integer(0, 0), 1);
}

TEST(Migrate, ConcurrentNodesApplyEachMigrationExactlyOnce) {
  auto conninfo = testing::shared_postgres().create_database();
  constexpr int kNodes = 3;
  // Every node has its connection before any starts migrating, so that they really race.
  std::latch connected(kNodes);
  std::vector<std::thread> nodes;
  std::atomic<int> succeeded{0};
  for (int node = 0; node < kNodes; ++node) {
    nodes.emplace_back([&] {
      auto connection = Connection::open(conninfo);
      connected.arrive_and_wait();
      if (connection && migrate(**connection, hub_schema())) ++succeeded;
    });
  }
  for (auto& node : nodes) node.join();
  EXPECT_EQ(succeeded, kNodes);
  auto connection = Connection::open(conninfo);
  ASSERT_TRUE(connection);
  auto version = check_schema(**connection, hub_schema());
  ASSERT_TRUE(version) << version.error().to_string();
  EXPECT_EQ(version->applied, migrations().back().version);
  auto applied =
      (*connection)->execute("SELECT count(*), count(DISTINCT version) FROM schema_migrations");
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->integer(0, 0), static_cast<std::int64_t>(migrations().size()));
  EXPECT_EQ(applied->integer(0, 1), static_cast<std::int64_t>(migrations().size()));
}

TEST(Migrate, RefusesADatabaseNewerThanTheBinary) {
  auto conninfo = testing::shared_postgres().create_migrated_database();
  auto connection = Connection::open(conninfo);
  ASSERT_TRUE(
      (*connection)
          ->execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')"));
  auto checked = check_schema(**connection, hub_schema());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, "store.schema_too_new");
}

}  // namespace
}  // namespace truc::store
