#include "truc/store/migrate.hpp"

#include "migration_list.hpp"

namespace truc::store {

const Schema& hub_schema() {
  // The lock key is an arbitrary constant shared by every hub node.
  static const Schema schema{"trucd",
                             "7470120511",
                             migrations(),
                             {"evidence_entries", "evidence_batches", "evidence_chain_head"}};
  return schema;
}

namespace {

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

int known_version(const Schema& schema) {
  return schema.migrations.empty() ? 0 : schema.migrations.back().version;
}

// Why `role` could do more than its program needs whatever it is granted; "" when it could not. Run
// after the grants, so that CREATE counts only when it comes through PUBLIC or a membership.
constexpr const char* kExcessPower = R"sql(
SELECT CASE
  WHEN r.rolsuper THEN 'is a superuser'
  WHEN pg_has_role(r.oid, current_user, 'MEMBER')
    THEN 'is, or is a member of, the migration owner ' || current_user
  WHEN EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND pg_has_role(r.oid, c.relowner, 'MEMBER'))
    THEN 'owns tables in schema ' || current_schema()
         || ' (a superuser can hand them over: REASSIGN OWNED BY it TO the migration owner)'
  WHEN has_schema_privilege(r.oid, current_schema(), 'CREATE')
    THEN 'may CREATE in schema ' || current_schema() || ' (REVOKE CREATE ON SCHEMA '
         || current_schema() || ' FROM PUBLIC)'
  WHEN has_database_privilege(r.oid, current_database(), 'CREATE')
    THEN 'may CREATE schemas in database ' || current_database()
  ELSE '' END
FROM pg_roles r WHERE r.rolname = $1)sql";

// Grants the service role what the program does at runtime, afresh, so that a privilege dropped
// here in a later release is revoked too. In the hub, DELETE is for the directory (agencies, their
// certificates and system ids, the national platform's systems) and for expired single-use
// credentials; the evidence log (0006) is appended to, sealed and stamped, never deleted from: its
// triggers refuse a DELETE as well, but the missing privilege still holds when a trigger has been
// dropped.
Status grant_service_role(Connection& connection, const Schema& schema_spec,
                          const std::string& role) {
  auto transaction = Transaction::begin(connection);
  if (!transaction) return std::move(transaction).error();
  auto known = transaction->execute("SELECT 1 FROM pg_roles WHERE rolname = $1", {role});
  if (!known) return std::move(known).error();
  if (known->empty()) {
    return Error{"store.service_role_unknown", "database.service_role names no database role",
                 role + " (create it first: CREATE ROLE ... LOGIN)"};
  }
  auto current_schema = transaction->execute("SELECT current_schema()");
  if (!current_schema) return std::move(current_schema).error();
  auto quoted_role = connection.quote_identifier(role);
  if (!quoted_role) return std::move(quoted_role).error();
  auto quoted_schema = connection.quote_identifier(current_schema->text(0, 0));
  if (!quoted_schema) return std::move(quoted_schema).error();
  const std::string& schema = *quoted_schema;
  const std::string from = " FROM " + *quoted_role + ";\n";
  const std::string to = " TO " + *quoted_role + ";\n";
  auto table_list = [&schema](const std::vector<std::string_view>& tables) {
    std::string list;
    for (std::string_view table : tables) {
      list += (list.empty() ? "" : ", ") + schema + "." + std::string(table);
    }
    return list;
  };
  const std::string append_only = table_list(schema_spec.append_only_tables);
  const std::string immutable = table_list(schema_spec.immutable_tables);
  // Everything taken away, then granted again: the result does not depend on earlier grants.
  std::string script = "REVOKE ALL ON SCHEMA " + schema + from;
  script += "REVOKE ALL ON ALL TABLES IN SCHEMA " + schema + from;
  script += "REVOKE ALL ON ALL SEQUENCES IN SCHEMA " + schema + from;
  script += "GRANT USAGE ON SCHEMA " + schema + to;
  script += "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + to;
  if (!append_only.empty()) script += "REVOKE DELETE ON " + append_only + from;
  if (!immutable.empty()) script += "REVOKE UPDATE, DELETE ON " + immutable + from;
  script += "REVOKE INSERT, UPDATE, DELETE ON " + schema + ".schema_migrations" + from;
  script += "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + to;
  TRUC_TRY(connection.execute_script(script));
  auto excess = transaction->execute(kExcessPower, {role});
  if (!excess) return std::move(excess).error();
  if (std::string reason = excess->text(0, 0); !reason.empty()) {
    return Error{
        "store.service_role_too_powerful",
        "database.service_role could do more than " + std::string(schema_spec.program) + " needs",
        role + " " + reason};
  }
  return transaction->commit();
}

}  // namespace

Result<SchemaVersion> migrate(Connection& connection, const Schema& schema,
                              const std::optional<std::string>& service_role) {
  const std::string lock_key(schema.lock_key);
  TRUC_TRY(connection.execute("SELECT pg_advisory_lock($1)", {lock_key}));
  auto unlock = [&] { (void)connection.execute("SELECT pg_advisory_unlock($1)", {lock_key}); };
  auto result = [&]() -> Result<SchemaVersion> {
    TRUC_TRY(connection.execute_script(kCreateVersionTable));
    auto applied = applied_version(connection);
    if (!applied) return std::move(applied).error();
    for (const auto& migration : schema.migrations) {
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
    if (service_role) TRUC_TRY(grant_service_role(connection, schema, *service_role));
    return SchemaVersion{*applied, known_version(schema)};
  }();
  unlock();
  return result;
}

Result<SchemaVersion> check_schema(Connection& connection, const Schema& schema) {
  auto applied = applied_version(connection);
  if (!applied) return std::move(applied).error();
  SchemaVersion version{*applied, known_version(schema)};
  if (version.applied < version.known) {
    return Error{"store.migrations_pending",
                 "the database schema is older than this binary; run `" +
                     std::string(schema.program) + " migrate`",
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
