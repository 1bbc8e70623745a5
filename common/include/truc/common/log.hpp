#pragma once

// Structured logs: one JSON object per line on standard error, {"time", "level", "event", fields}.
// Lines about a document carry the hub id and agency codes, never content or secrets.

#include <exception>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace truc {

using LogField = std::pair<std::string_view, std::string_view>;

// Lines below this level ("debug", "info", "warn", "error") are dropped; "info" by default.
void set_log_level(std::string_view level);

// {"time": now, "level": level, "event": event, <fields>...}
void log_event(std::string_view level, std::string_view event,
               std::initializer_list<LogField> fields = {});

// The completion of a co_spawn'ed coroutine: an exception that escaped it is a bug worth an
// error line (with what() when it has one), never silently dropped.
void log_if_failed(std::string_view event, std::exception_ptr failure);

}  // namespace truc
