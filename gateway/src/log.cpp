#include "log.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace truc::gateway {

void log_event(std::string_view level, std::string_view event,
               std::initializer_list<LogField> fields) {
  boost::json::object line;
  line["level"] = level;
  line["event"] = event;
  line["module"] = "gateway";
  for (const auto& [name, value] : fields) line[name] = value;
  std::string text = boost::json::serialize(line);
  text += '\n';
  // One write per line so that lines from several threads do not interleave.
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
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

}  // namespace truc::gateway
