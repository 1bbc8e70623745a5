#pragma once

#include <optional>
#include <string>

#include "truc/common/error.hpp"
#include "truc/store/database.hpp"

namespace truc::store {

struct SchemaVersion {
  int applied = 0;  // highest migration applied to the database
  int known = 0;    // highest migration this binary carries
};

// Applies the migrations the database lacks, each in its own transaction, under an advisory lock
// so that two hub nodes starting together do not race. Returns the version reached.
//
// With a service role (the role trucd connects as, when it is not the owner the migrations run
// as), then grants it, afresh each time, exactly what trucd needs: USAGE on the schema; SELECT,
// INSERT, UPDATE, DELETE on the tables, but no DELETE on the evidence log's and only SELECT on
// schema_migrations; USAGE and SELECT on the sequences; never CREATE, TRUNCATE or ownership.
// store.service_role_unknown when no such role exists; store.service_role_too_powerful when the
// role could do more whatever is granted (it is a superuser, the owner or a member of the owner,
// owns a table in the schema, or may CREATE in the schema or database through PUBLIC).
Result<SchemaVersion> migrate(Connection& connection,
                              const std::optional<std::string>& service_role = std::nullopt);

// At start and for /ready: store.migrations_pending when the database is behind this binary,
// store.schema_too_new when it carries migrations this binary does not know.
Result<SchemaVersion> check_schema(Connection& connection);

}  // namespace truc::store
