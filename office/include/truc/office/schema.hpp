#pragma once

#include "truc/store/migrate.hpp"

namespace truc::office {

// The office's database: office/migrations, migrated by `truc-office migrate`. The audit trail is
// append-only: the service role may not delete from it.
const store::Schema& office_schema();

}  // namespace truc::office
