#include "truc/edxml/model.hpp"

#include <charconv>
#include <cstdio>

namespace truc::edxml {
namespace {

std::optional<int> parse_small_int(std::string_view text) {
  int value = 0;
  if (text.empty() || text.size() > 4) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool digits_at(std::string_view text, std::size_t position, std::size_t count) {
  if (position + count > text.size()) return false;
  for (std::size_t index = position; index < position + count; ++index) {
    if (text[index] < '0' || text[index] > '9') return false;
  }
  return true;
}

int number_at(std::string_view text, std::size_t position, std::size_t count) {
  int value = 0;
  std::from_chars(text.data() + position, text.data() + position + count, value);
  return value;
}

}  // namespace

std::optional<StatusCode> parse_status_code(std::string_view text) {
  if (text.size() != 2) return std::nullopt;
  auto value = parse_small_int(text);
  if (!value) return std::nullopt;
  switch (*value) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 13:
    case 15:
    case 16:
      return static_cast<StatusCode>(*value);
    default:
      return std::nullopt;
  }
}

std::string format_status_code(StatusCode code) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d", static_cast<int>(code));
  return text;
}

std::string_view status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::arrived:
      return "arrived";
    case StatusCode::rejected:
      return "rejected";
    case StatusCode::accepted:
      return "accepted";
    case StatusCode::assigned:
      return "assigned";
    case StatusCode::processing:
      return "processing";
    case StatusCode::finished:
      return "finished";
    case StatusCode::recall_request:
      return "recall_request";
    case StatusCode::agreed:
      return "agreed";
    case StatusCode::refused:
      return "refused";
  }
  return "unknown";
}

std::optional<Priority> parse_priority(std::string_view text) {
  auto value = parse_small_int(text);
  if (!value || *value < 0 || *value > 4) return std::nullopt;
  return static_cast<Priority>(*value);
}

std::optional<BusinessDocType> parse_business_doc_type(std::string_view text) {
  auto value = parse_small_int(text);
  if (!value || *value < 0 || *value > 3) return std::nullopt;
  return static_cast<BusinessDocType>(*value);
}

std::optional<SteeringType> parse_steering_type(std::string_view text) {
  auto value = parse_small_int(text);
  if (!value || *value < 0 || *value > 2) return std::nullopt;
  return static_cast<SteeringType>(*value);
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || !digits_at(text, 0, 4) || text[4] != '/' || !digits_at(text, 5, 2) ||
      text[7] != '/' || !digits_at(text, 8, 2)) {
    return std::nullopt;
  }
  Date date{std::chrono::year(number_at(text, 0, 4)),
            std::chrono::month(static_cast<unsigned>(number_at(text, 5, 2))),
            std::chrono::day(static_cast<unsigned>(number_at(text, 8, 2)))};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_date(Date date) {
  char text[48];
  std::snprintf(text, sizeof text, "%04d/%02u/%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::optional<LocalDateTime> parse_local_date_time(std::string_view text) {
  if (text.size() != 19 || text[10] != ' ' || !digits_at(text, 11, 2) || text[13] != ':' ||
      !digits_at(text, 14, 2) || text[16] != ':' || !digits_at(text, 17, 2)) {
    return std::nullopt;
  }
  auto date = parse_date(text.substr(0, 10));
  int hours = number_at(text, 11, 2), minutes = number_at(text, 14, 2),
      seconds = number_at(text, 17, 2);
  if (!date || hours > 23 || minutes > 59 || seconds > 59) return std::nullopt;
  return std::chrono::local_days(*date) + std::chrono::hours(hours) +
         std::chrono::minutes(minutes) + std::chrono::seconds(seconds);
}

std::string format_local_date_time(LocalDateTime time) {
  auto days = std::chrono::floor<std::chrono::days>(time);
  std::chrono::hh_mm_ss clock(time - days);
  char text[48];
  std::snprintf(text, sizeof text, " %02ld:%02ld:%02ld", static_cast<long>(clock.hours().count()),
                static_cast<long>(clock.minutes().count()),
                static_cast<long>(clock.seconds().count()));
  return format_date(Date(std::chrono::sys_days(days.time_since_epoch()))) + text;
}

bool is_agency_code(std::string_view text) {
  // ddd.dd.dd.Ldd
  if (text.size() != 13) return false;
  return digits_at(text, 0, 3) && text[3] == '.' && digits_at(text, 4, 2) && text[6] == '.' &&
         digits_at(text, 7, 2) && text[9] == '.' && text[10] >= 'A' && text[10] <= 'Z' &&
         digits_at(text, 11, 2);
}

}  // namespace truc::edxml
