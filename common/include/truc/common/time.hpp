#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "truc/common/error.hpp"

namespace truc {

using Timestamp = std::chrono::sys_seconds;

// Parses "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM"/"-HH:MM", or a bare date "YYYY-MM-DD"
// (midnight UTC). Error code: "time.invalid".
Result<Timestamp> parse_iso8601(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ".
std::string format_iso8601(Timestamp time);

}  // namespace truc
