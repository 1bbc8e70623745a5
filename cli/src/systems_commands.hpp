#pragma once

#include <string>
#include <vector>

namespace truc::cli {

// `truc admin systems add|list|remove ...`, the systems of the national platform's API and their
// HMAC secrets; args start after "systems".
int run_systems(const std::vector<std::string>& args);

}  // namespace truc::cli
