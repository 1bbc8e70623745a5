#include "truc/common/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "truc/common/time.hpp"

namespace truc {
namespace {

constexpr std::size_t kQueuedLines = 8192;

spdlog::level::level_enum level_of(std::string_view level) {
  if (level == "debug") return spdlog::level::debug;
  if (level == "warn") return spdlog::level::warn;
  if (level == "error") return spdlog::level::err;
  return spdlog::level::info;
}

// One logger for the process: JSON lines on standard error. Asynchronous: a caller (an I/O
// thread, most often) only queues the line; one background thread writes and flushes it, so
// lines never interleave and a slow stderr never stalls a request. When the queue is full the
// caller waits rather than lose a line. At exit the queue is written out before the thread ends
// (the pool is destroyed after the logger and drains first).
struct ProcessLogger {
  std::shared_ptr<spdlog::details::thread_pool> pool =
      std::make_shared<spdlog::details::thread_pool>(kQueuedLines, 1);
  std::shared_ptr<spdlog::async_logger> logger = [this] {
    auto created = std::make_shared<spdlog::async_logger>(
        "truc", std::make_shared<spdlog::sinks::stderr_sink_mt>(), pool,
        spdlog::async_overflow_policy::block);
    created->set_pattern("%v");
    created->flush_on(spdlog::level::debug);
    return created;
  }();
};

spdlog::logger& logger() {
  static ProcessLogger instance;
  return *instance.logger;
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
