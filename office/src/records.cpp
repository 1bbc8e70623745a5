#include "records.hpp"

#include <chrono>
#include <regex>

#include "truc/common/utf8.hpp"

namespace truc::office {

Error invalid_field(const std::string& field, const std::string& rule) {
  return Error{"field.invalid", "a field breaks its rule", field + ": " + rule};
}

Status check_text(const std::string& field, const std::string& value, std::size_t maximum,
                  std::size_t minimum, Lines lines) {
  std::optional<std::size_t> characters = utf8_characters(value);
  if (!characters) return invalid_field(field, "is not UTF-8 text");
  if (*characters < minimum || *characters > maximum) {
    return invalid_field(
        field, "has " + std::to_string(minimum) + " to " + std::to_string(maximum) + " characters");
  }
  for (unsigned char byte : value) {
    const bool line_break = byte == '\n' || byte == '\r';
    if ((byte < 0x20 && !(line_break && lines == Lines::several)) || byte == 0x7F) {
      return invalid_field(field, "has a control character");
    }
  }
  return ok_status();
}

Status check_date(const std::string& field, const std::string& value) {
  static const std::regex kDate("([0-9]{4})-([0-9]{2})-([0-9]{2})");
  std::smatch parts;
  if (!std::regex_match(value, parts, kDate) || std::stoi(parts[1]) < 1900 ||
      std::stoi(parts[1]) > 2200 ||
      !std::chrono::year_month_day(std::chrono::year(std::stoi(parts[1])),
                                   std::chrono::month(static_cast<unsigned>(std::stoi(parts[2]))),
                                   std::chrono::day(static_cast<unsigned>(std::stoi(parts[3]))))
           .ok()) {
    return invalid_field(field, "a day of the calendar such as 2026-12-31");
  }
  return ok_status();
}

Status audit(store::Transaction& transaction, std::optional<std::int64_t> agency_id,
             const Actor& actor, std::string_view action, const std::string& subject) {
  auto written = transaction.execute(
      "INSERT INTO audit_log (agency_id, user_id, action, subject, detail) "
      "VALUES ($1, $2, $3, $4, jsonb_build_object('remote_address', $5::text) || "
      "CASE WHEN $6::bigint IS NULL THEN '{}'::jsonb "
      "ELSE jsonb_build_object('on_behalf_of', $6::bigint) END)",
      {agency_id ? store::Parameter(std::to_string(*agency_id)) : std::nullopt,
       actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt,
       std::string(action), subject, actor.remote_address,
       actor.on_behalf_of ? store::Parameter(std::to_string(*actor.on_behalf_of)) : std::nullopt});
  if (!written) return std::move(written).error();
  return ok_status();
}

Status owe_status(store::Transaction& transaction, std::int64_t agency_id, std::int64_t id,
                  const Actor& actor, const std::string& code, const std::string& description) {
  auto owed = transaction.execute(
      "INSERT INTO outgoing_statuses (agency_id, incoming_id, status_code, description, "
      "staff_name, staff_department) SELECT $1, $2, $3, $4, coalesce(u.full_name, ''), "
      "coalesce(d.name, '') FROM incoming_documents i LEFT JOIN users u ON u.id = $5 "
      "LEFT JOIN departments d ON d.id = u.department_id "
      "WHERE i.agency_id = $1 AND i.id = $2 AND i.source = 'hub'",
      {std::to_string(agency_id), std::to_string(id), code, description,
       actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt});
  if (!owed) return std::move(owed).error();
  return ok_status();
}

}  // namespace truc::office
