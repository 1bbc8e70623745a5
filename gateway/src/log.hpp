#pragma once

// The transport's own events (a handler that threw, a connection coroutine that failed, a bad
// response from a handler), one JSON object per line on standard error. The access log proper is
// the caller's: it gets a RequestRecord per request through HttpServer::on_request.

#include <exception>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace truc::gateway {

using LogField = std::pair<std::string_view, std::string_view>;

// {"level": level, "event": event, <fields>...}
void log_event(std::string_view level, std::string_view event,
               std::initializer_list<LogField> fields = {});

// The completion of a co_spawn'ed coroutine: an exception that escaped it is a bug worth an
// error line (with what() when it has one), never silently dropped.
void log_if_failed(std::string_view event, std::exception_ptr failure);

}  // namespace truc::gateway
