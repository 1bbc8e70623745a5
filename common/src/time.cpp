#include "truc/common/time.hpp"

#include <charconv>
#include <cstdio>

namespace truc {
namespace {

bool read_number(std::string_view text, std::size_t position, std::size_t digits, int& value) {
  if (position + digits > text.size()) return false;
  for (std::size_t index = position; index < position + digits; ++index) {
    if (text[index] < '0' || text[index] > '9') return false;
  }
  auto [end, error] =
      std::from_chars(text.data() + position, text.data() + position + digits, value);
  return error == std::errc() && end == text.data() + position + digits;
}

Error invalid_time(std::string_view text) {
  return Error{"time.invalid", "expected an ISO 8601 time such as 2020-06-01T00:00:00Z",
               std::string(text)};
}

}  // namespace

Result<Timestamp> parse_iso8601(std::string_view text) {
  using namespace std::chrono;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_number(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !read_number(text, 5, 2, month) || text[7] != '-' || !read_number(text, 8, 2, day)) {
    return invalid_time(text);
  }
  year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                      std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return invalid_time(text);
  if (text.size() == 10) return Timestamp(sys_days(date));

  if (text.size() < 20 || (text[10] != 'T' && text[10] != ' ') || !read_number(text, 11, 2, hour) ||
      text[13] != ':' || !read_number(text, 14, 2, minute) || text[16] != ':' ||
      !read_number(text, 17, 2, second) || hour > 23 || minute > 59 || second > 60) {
    return invalid_time(text);
  }
  std::string_view zone = text.substr(19);
  seconds offset{0};
  if (zone != "Z") {
    int offset_hours = 0, offset_minutes = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
        !read_number(zone, 1, 2, offset_hours) || zone[3] != ':' ||
        !read_number(zone, 4, 2, offset_minutes)) {
      return invalid_time(text);
    }
    offset = hours(offset_hours) + minutes(offset_minutes);
    if (zone[0] == '-') offset = -offset;
  }
  return Timestamp(sys_days(date)) + hours(hour) + minutes(minute) + seconds(second) - offset;
}

std::string format_iso8601(Timestamp time) {
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(time);
  year_month_day date(days);
  hh_mm_ss clock(time - days);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<long>(clock.hours().count()),
                static_cast<long>(clock.minutes().count()),
                static_cast<long>(clock.seconds().count()));
  return text;
}

std::string format_iso8601(Instant time) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  auto milliseconds = (time - seconds).count();
  std::string text = format_iso8601(Timestamp(seconds));
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(milliseconds));
  return text.insert(text.size() - 1, fraction);
}

Timestamp now_timestamp() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace truc
