#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "truc/common/error.hpp"

namespace truc {

using Timestamp = std::chrono::sys_seconds;
// A point in time with millisecond precision, as the hub records events.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

Timestamp now_timestamp();

// Parses "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM"/"-HH:MM", or a bare date "YYYY-MM-DD"
// (midnight UTC). Error code: "time.invalid".
Result<Timestamp> parse_iso8601(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ".
std::string format_iso8601(Timestamp time);
// "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string format_iso8601(Instant time);

}  // namespace truc
