#include "truc/store/migrate.hpp"

#include "migration_list.hpp"

namespace truc::store {
namespace {

// An arbitrary constant shared by every Trục node: pg_advisory_lock's key for migrations.
constexpr const char* kMigrationLock = "7470120511";

constexpr const char* kCreateVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
))sql";

Result<int> applied_version(Connection& connection) {
  auto exists = connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists) return std::move(exists).error();
  if (!exists->boolean(0, 0)) return 0;
  auto rows = connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!rows) return std::move(rows).error();
  return static_cast<int>(rows->integer(0, 0));
}

int known_version() { return migrations().empty() ? 0 : migrations().back().version; }

}  // namespace

Result<SchemaVersion> migrate(Connection& connection) {
  TRUC_TRY(connection.execute("SELECT pg_advisory_lock($1)", {kMigrationLock}));
  auto unlock = [&] {
    (void)connection.execute("SELECT pg_advisory_unlock($1)", {kMigrationLock});
  };
  auto result = [&]() -> Result<SchemaVersion> {
    TRUC_TRY(connection.execute_script(kCreateVersionTable));
    auto applied = applied_version(connection);
    if (!applied) return std::move(applied).error();
    for (const auto& migration : migrations()) {
      if (migration.version <= *applied) continue;
      auto transaction = Transaction::begin(connection);
      if (!transaction) return std::move(transaction).error();
      if (Status done = connection.execute_script(migration.sql); !done) {
        Error error = std::move(done).error();
        error.detail = "migration " + std::to_string(migration.version) + " (" +
                       std::string(migration.name) + "): " + error.detail;
        return error;
      }
      TRUC_TRY(
          transaction->execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                               {std::to_string(migration.version), std::string(migration.name)}));
      TRUC_TRY(transaction->commit());
      *applied = migration.version;
    }
    return SchemaVersion{*applied, known_version()};
  }();
  unlock();
  return result;
}

Result<SchemaVersion> check_schema(Connection& connection) {
  auto applied = applied_version(connection);
  if (!applied) return std::move(applied).error();
  SchemaVersion version{*applied, known_version()};
  if (version.applied < version.known) {
    return Error{"store.migrations_pending",
                 "the database schema is older than this binary; run `trucd migrate`",
                 "database at " + std::to_string(version.applied) + ", binary at " +
                     std::to_string(version.known)};
  }
  if (version.applied > version.known) {
    return Error{"store.schema_too_new", "the database schema is newer than this binary",
                 "database at " + std::to_string(version.applied) + ", binary at " +
                     std::to_string(version.known)};
  }
  return version;
}

}  // namespace truc::store
