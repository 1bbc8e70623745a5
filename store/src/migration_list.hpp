#pragma once

#include <string_view>
#include <vector>

namespace truc::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Every migration in store/migrations, in version order, compiled into the binary.
const std::vector<Migration>& migrations();

}  // namespace truc::store
