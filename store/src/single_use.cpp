// Single-use credentials of the repository: a header set of the national platform's face is
// accepted once (docs/api/compat.md). The rest of Repository is in repository.cpp.

#include "truc/store/repository.hpp"

namespace truc::store {

Result<bool> Repository::use_once(const std::string& scope, const std::string& token,
                                  Instant valid_until) {
  // One statement, so two nodes racing with the same token cannot both see it as new.
  auto rows = connection_.execute(
      "INSERT INTO used_credentials (scope, token, valid_until) VALUES ($1, $2, $3) "
      "ON CONFLICT (scope, token) DO NOTHING",
      {scope, token, format_iso8601(valid_until)});
  if (!rows) return std::move(rows).error();
  return rows->affected() == 1;
}

Result<std::uint64_t> Repository::forget_used_before(Instant now) {
  auto rows = connection_.execute("DELETE FROM used_credentials WHERE valid_until < $1",
                                  {format_iso8601(now)});
  if (!rows) return std::move(rows).error();
  return rows->affected();
}

}  // namespace truc::store
