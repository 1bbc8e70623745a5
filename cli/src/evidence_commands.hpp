#pragma once

#include <string>
#include <vector>

namespace truc::cli {

// `truc evidence export|verify ...`: a document's evidence container from the hub, and its
// offline check; args start after "evidence".
int run_evidence(const std::vector<std::string>& args);

}  // namespace truc::cli
