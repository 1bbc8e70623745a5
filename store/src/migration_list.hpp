#pragma once

#include <vector>

#include "truc/store/migrate.hpp"

namespace truc::store {

// Every migration in store/migrations, in version order, compiled into the binary.
const std::vector<Migration>& migrations();

}  // namespace truc::store
