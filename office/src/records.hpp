#pragma once

// What every writer of office rows shares: the checks of free text from forms, and the audit
// trail entry written in the same transaction as the change it records.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "truc/common/error.hpp"
#include "truc/office/accounts.hpp"
#include "truc/store/database.hpp"

namespace truc::office {

// field.invalid, detail "<field>: <rule>".
Error invalid_field(const std::string& field, const std::string& rule);

enum class Lines { one, several };

// Text of 1 to `maximum` characters (`minimum` 0 allows it empty), well-formed UTF-8, without
// control characters but, for Lines::several, line breaks.
Status check_text(const std::string& field, const std::string& value, std::size_t maximum,
                  std::size_t minimum = 1, Lines lines = Lines::one);

// A day of the calendar, yyyy-mm-dd, in the years 1900 to 2200.
Status check_date(const std::string& field, const std::string& value);

Status audit(store::Transaction& transaction, std::optional<std::int64_t> agency_id,
             const Actor& actor, std::string_view action, const std::string& subject);

// A status the change owes the sender of incoming document `incoming_id`, with the name and
// department of the staff member who made it; the hub link sends it after the commit. A paper
// document owes nothing: its sender is not on the hub.
Status owe_status(store::Transaction& transaction, std::int64_t agency_id, std::int64_t incoming_id,
                  const Actor& actor, const std::string& code, const std::string& description);

}  // namespace truc::office
