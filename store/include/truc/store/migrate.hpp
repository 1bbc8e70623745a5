#pragma once

#include "truc/common/error.hpp"
#include "truc/store/database.hpp"

namespace truc::store {

struct SchemaVersion {
  int applied = 0;  // highest migration applied to the database
  int known = 0;    // highest migration this binary carries
};

// Applies the migrations the database lacks, each in its own transaction, under an advisory lock
// so that two hub nodes starting together do not race. Returns the version reached.
Result<SchemaVersion> migrate(Connection& connection);

// At start and for /ready: store.migrations_pending when the database is behind this binary,
// store.schema_too_new when it carries migrations this binary does not know.
Result<SchemaVersion> check_schema(Connection& connection);

}  // namespace truc::store
