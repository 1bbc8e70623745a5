#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "truc/store/database.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::store {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  DatabaseTest() : conninfo_(testing::shared_postgres().create_database()) {}
  std::string conninfo_;
};

TEST_F(DatabaseTest, RunsParameterizedStatementsWithNulls) {
  auto connection = Connection::open(conninfo_);
  ASSERT_TRUE(connection) << connection.error().to_string();
  ASSERT_TRUE((*connection)->execute_script("CREATE TABLE t (id int PRIMARY KEY, name text)"));
  ASSERT_TRUE(
      (*connection)
          ->execute("INSERT INTO t VALUES ($1, $2), ($3, $4)", {"1", "Hà Nội", "2", std::nullopt}));
  auto rows = (*connection)->execute("SELECT id, name FROM t ORDER BY id");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->integer(0, 0), 1);
  EXPECT_EQ(rows->text(0, 1), "Hà Nội");
  EXPECT_TRUE(rows->is_null(1, 1));
  EXPECT_EQ(rows->optional_text(1, 1), std::nullopt);
}

TEST_F(DatabaseTest, ReportsUniqueViolationsWithTheirOwnCode) {
  auto connection = Connection::open(conninfo_);
  ASSERT_TRUE((*connection)->execute_script("CREATE TABLE t (id int PRIMARY KEY)"));
  ASSERT_TRUE((*connection)->execute("INSERT INTO t VALUES ($1)", {"1"}));
  auto again = (*connection)->execute("INSERT INTO t VALUES ($1)", {"1"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "store.unique_violation");
  auto bad = (*connection)->execute("SELECT * FROM missing_table");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "store.query_failed");
  EXPECT_NE(bad.error().detail.find("42P01"), std::string::npos);
}

TEST_F(DatabaseTest, ReportsCheckViolationsWithTheirOwnCode) {
  auto connection = Connection::open(conninfo_);
  ASSERT_TRUE((*connection)->execute_script("CREATE TABLE t (size int CHECK (size >= 0))"));
  ASSERT_TRUE((*connection)->execute("INSERT INTO t VALUES ($1)", {"0"}));
  auto negative = (*connection)->execute("INSERT INTO t VALUES ($1)", {"-1"});
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code, "store.check_violation");
  EXPECT_THAT(negative.error().detail, ::testing::HasSubstr("t_size_check"));
}

TEST_F(DatabaseTest, TransactionsRollBackUnlessCommitted) {
  auto connection = Connection::open(conninfo_);
  ASSERT_TRUE((*connection)->execute_script("CREATE TABLE t (id int)"));
  {
    auto transaction = Transaction::begin(**connection);
    ASSERT_TRUE(transaction);
    ASSERT_TRUE(transaction->execute("INSERT INTO t VALUES ($1)", {"1"}));
  }
  {
    auto transaction = Transaction::begin(**connection);
    ASSERT_TRUE(transaction->execute("INSERT INTO t VALUES ($1)", {"2"}));
    ASSERT_TRUE(transaction->commit());
  }
  auto rows = (*connection)->execute("SELECT id FROM t");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->integer(0, 0), 2);
}

TEST_F(DatabaseTest, PoolBoundsConnectionsAndGivesUpAfterItsTimeout) {
  Pool pool(conninfo_, 2, std::chrono::milliseconds(200));
  {
    auto first = pool.acquire();
    auto second = pool.acquire();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(pool.stats().in_use, 2u);
    auto third = pool.acquire();
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().code, "store.pool_exhausted");
  }
  EXPECT_EQ(pool.stats().in_use, 0u);
  EXPECT_EQ(pool.stats().waiting, 0u);
}

TEST_F(DatabaseTest, PoolMakesAnAcquisitionWaitForAReleasedConnectionAndReusesIt) {
  // The timeout is far beyond the test, so that only a release can end the wait.
  Pool pool(conninfo_, 2, std::chrono::minutes(5));
  auto backend_of = [](Connection& connection) {
    auto rows = connection.execute("SELECT pg_backend_pid()");
    return rows ? rows->integer(0, 0) : -1;
  };
  std::vector<std::int64_t> held;
  std::atomic<bool> obtained{false};
  std::int64_t reused = -1;
  std::thread waiter;
  {
    auto first = pool.acquire();
    auto second = pool.acquire();
    ASSERT_TRUE(first && second);
    held = {backend_of(**first), backend_of(**second)};
    waiter = std::thread([&] {
      auto lease = pool.acquire();
      if (lease) reused = backend_of(**lease);
      obtained = static_cast<bool>(lease);
    });
    // The pool counts the waiter when it blocks; there is no event to wait on from outside.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (pool.stats().waiting == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(pool.stats().waiting, 1u) << "the third acquisition waits while both are leased";
    EXPECT_FALSE(obtained);
  }
  waiter.join();
  EXPECT_TRUE(obtained);
  EXPECT_THAT(held, ::testing::Contains(reused)) << "the waiter gets a released connection";
  auto stats = pool.stats();
  EXPECT_EQ(stats.waits, 1u);
  EXPECT_EQ(stats.waiting, 0u);
  EXPECT_EQ(stats.in_use, 0u);
}

TEST_F(DatabaseTest, PoolDropsConnectionsThatBroke) {
  Pool pool(conninfo_, 1, std::chrono::milliseconds(1000));
  {
    auto lease = pool.acquire();
    ASSERT_TRUE(lease);
    // Kill our own backend, as a server restart would.
    auto killed = (*lease)->execute("SELECT pg_terminate_backend(pg_backend_pid())");
    EXPECT_FALSE(killed);
  }
  auto fresh = pool.acquire();
  ASSERT_TRUE(fresh) << fresh.error().to_string();
  EXPECT_TRUE((*fresh)->execute("SELECT 1"));
}

TEST(DatabaseConnection, FailsClearlyWhenTheServerIsUnreachable) {
  auto connection = Connection::open("host=/nonexistent dbname=x connect_timeout=1");
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().code, "store.connection_failed");
}

}  // namespace
}  // namespace truc::store
