#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/store/database.hpp"

namespace truc::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// One database's migrations, compiled into the binary by truc_migrations()
// (cmake/TrucTargets.cmake) from a directory of NNNN_name.sql files, applied in version order.
struct Schema {
  std::string_view program;   // who migrates it, for messages: "trucd", "truc-office"
  std::string_view lock_key;  // pg_advisory_lock's key, shared by every node of that program
  std::span<const Migration> migrations;
  // Tables appended to and never deleted from: the service role gets no DELETE on them.
  std::vector<std::string_view> append_only_tables;
  // Tables only inserted into and read (an audit trail): no UPDATE and no DELETE either.
  std::vector<std::string_view> immutable_tables;
};

// The hub's database: store/migrations.
const Schema& hub_schema();

struct SchemaVersion {
  int applied = 0;  // highest migration applied to the database
  int known = 0;    // highest migration this binary carries
};

// Applies the migrations the database lacks, each in its own transaction, under an advisory lock
// so that two hub nodes starting together do not race. Returns the version reached.
//
// With a service role (the role the program connects as, when it is not the owner the migrations
// run as), then grants it, afresh each time, exactly what the program needs: USAGE on the schema;
// SELECT, INSERT, UPDATE, DELETE on the tables, but no DELETE on the append-only ones, neither
// UPDATE nor DELETE on the immutable ones and only SELECT on schema_migrations; USAGE and SELECT on
// the sequences; never CREATE, TRUNCATE or ownership. store.service_role_unknown when no such role
// exists; store.service_role_too_powerful when the role could do more whatever is granted (it is a
// superuser, the owner or a member of the owner, owns a table in the schema, or may CREATE in the
// schema or database through PUBLIC).
Result<SchemaVersion> migrate(Connection& connection, const Schema& schema,
                              const std::optional<std::string>& service_role = std::nullopt);

// At start and for /ready: store.migrations_pending when the database is behind this binary,
// store.schema_too_new when it carries migrations this binary does not know.
Result<SchemaVersion> check_schema(Connection& connection, const Schema& schema);

}  // namespace truc::store
