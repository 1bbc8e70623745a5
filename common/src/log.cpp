#include "truc/common/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "truc/common/time.hpp"

namespace truc {
namespace {

spdlog::level::level_enum level_of(std::string_view level) {
  if (level == "debug") return spdlog::level::debug;
  if (level == "warn") return spdlog::level::warn;
  if (level == "error") return spdlog::level::err;
  return spdlog::level::info;
}

// One logger for the process: JSON lines on standard error, written whole by spdlog's
// thread-safe sink so that lines from several threads never interleave.
spdlog::logger& logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto created =
        std::make_shared<spdlog::logger>("truc", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    created->set_pattern("%v");
    created->flush_on(spdlog::level::debug);
    return created;
  }();
  return *instance;
}

}  // namespace

void set_log_level(std::string_view level) { logger().set_level(level_of(level)); }

void log_event(std::string_view level, std::string_view event,
               std::initializer_list<LogField> fields) {
  auto severity = level_of(level);
  if (!logger().should_log(severity)) return;
  boost::json::object line;
  line["time"] = format_iso8601(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
  line["level"] = level;
  line["event"] = event;
  for (const auto& [name, value] : fields) line[name] = value;
  logger().log(severity, "{}", boost::json::serialize(line));
}

void log_if_failed(std::string_view event, std::exception_ptr failure) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    log_event("error", event, {{"exception", error.what()}});
  } catch (...) {
    log_event("error", event, {{"exception", "not derived from std::exception"}});
  }
}

}  // namespace truc
