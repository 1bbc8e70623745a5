#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace truc::cli {

// The agency commands: `truc send|inbox|fetch|ack|nack|trace ...`; args start after the command.
// Nothing when `command` is not one of them.
std::optional<int> run_hub_command(std::string_view command, const std::vector<std::string>& args);

}  // namespace truc::cli
