#pragma once

#include <string>
#include <vector>

namespace truc::cli {

// `truc admin deadletters list|replay ...`; args start after "deadletters".
int run_deadletters(const std::vector<std::string>& args);

}  // namespace truc::cli
