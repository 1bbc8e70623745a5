#pragma once

#include <string>
#include <vector>

namespace truc::cli {

// `truc edxml <subcommand> ...`; args start after "edxml".
int run_edxml(const std::vector<std::string>& args);

}  // namespace truc::cli
