#pragma once

#include <string>
#include <vector>

namespace truc::cli {

// `truc admin <command> ...`, the operator's side of the hub; args start after "admin".
int run_admin(const std::vector<std::string>& args);

}  // namespace truc::cli
