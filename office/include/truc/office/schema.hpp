#pragma once

#include "truc/store/migrate.hpp"

namespace truc::office {

// The office's database: office/migrations, migrated by `truc-office migrate`. The audit trail is
// immutable: the service role may add to it and read it, never change or delete a line.
const store::Schema& office_schema();

}  // namespace truc::office
