#include "hub_view.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "truc/cli/progress.hpp"

namespace truc::cli {
namespace {

namespace json = boost::json;

// Text from the hub goes to a terminal and into table cells: a control character could rewrite
// the screen or break the columns.
std::string cell_text(std::string_view text) {
  std::string cell(text);
  for (char& character : cell) {
    if (static_cast<unsigned char>(character) < 0x20 || character == 0x7f) character = ' ';
  }
  return cell;
}

// A value as a cell: "-" for null or absent, yes/no, numbers, lists joined with ", ".
std::string text_of(const json::value* value) {
  if (value == nullptr || value->is_null()) return "-";
  if (value->is_string()) return cell_text(value->get_string());
  if (value->is_bool()) return value->get_bool() ? "yes" : "no";
  if (value->is_array()) {
    std::string joined;
    for (const auto& element : value->get_array()) {
      joined += (joined.empty() ? "" : ", ") + text_of(&element);
    }
    return joined.empty() ? "-" : joined;
  }
  return cell_text(json::serialize(*value));
}

std::string field(const json::object& object, std::string_view key) {
  return text_of(object.if_contains(key));
}

std::string size_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value != nullptr && value->is_int64() && value->get_int64() >= 0) {
    return cli::format_size(static_cast<std::uint64_t>(value->get_int64()));
  }
  if (value != nullptr && value->is_uint64()) return cli::format_size(value->get_uint64());
  return field(object, key);
}

// A field appended as "  <label> <value>" only when the hub gave one.
std::string optional_field(const json::object& object, std::string_view key,
                           std::string_view label) {
  std::string value = field(object, key);
  if (value == "-") return {};
  return "  " + std::string(label) + (label.empty() ? "" : " ") + value;
}

const json::object& object_or_empty(const json::value* value) {
  static const json::object kEmpty;
  return value != nullptr && value->is_object() ? value->get_object() : kEmpty;
}

const json::array& array_or_empty(const json::value* value) {
  static const json::array kEmpty;
  return value != nullptr && value->is_array() ? value->get_array() : kEmpty;
}

std::size_t display_width(std::string_view text) {
  // UTF-8 continuation bytes (10xxxxxx) do not start a character.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char byte) {
    return (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  }));
}

}  // namespace

Result<json::object> parse_answer(std::string_view body) {
  boost::system::error_code not_json;
  auto value = json::parse(body, not_json);
  if (not_json || !value.is_object()) {
    return Error{"client.protocol", "the hub's answer is not the JSON object the API describes",
                 cell_text(body.substr(0, 200))};
  }
  return std::move(value.get_object());
}

std::string render_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(header.size(), 0);
  auto widen = [&](const std::vector<std::string>& row) {
    for (std::size_t column = 0; column < row.size() && column < widths.size(); ++column) {
      widths[column] = std::max(widths[column], display_width(row[column]));
    }
  };
  widen(header);
  for (const auto& row : rows) widen(row);
  std::string table;
  auto append = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t column = 0; column < row.size(); ++column) {
      line += row[column];
      if (column + 1 < row.size())
        line.append(widths[column] - display_width(row[column]) + 2, ' ');
    }
    table += line + "\n";
  };
  append(header);
  for (const auto& row : rows) append(row);
  return table;
}

std::string render_receipt(const json::object& receipt, bool duplicate) {
  std::string text = duplicate ? "already accepted: " + field(receipt, "id") +
                                     " (the hub had this document; this is its first receipt)\n"
                               : "accepted: " + field(receipt, "id") + "\n";
  text += "  kind         " + field(receipt, "kind") + "\n";
  text += "  document     " + field(receipt, "document_id") + "\n";
  text += "  received at  " + field(receipt, "received_at") + "\n";
  for (const auto& recipient : array_or_empty(receipt.if_contains("recipients"))) {
    const auto& entry = object_or_empty(&recipient);
    text += "  recipient    " + field(entry, "organ_id") + "  " + field(entry, "route") + "\n";
  }
  for (const auto& warning : array_or_empty(receipt.if_contains("warnings"))) {
    text += "  warning      " + text_of(&warning) + "\n";
  }
  return text;
}

std::string render_inbox(const json::array& items) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : items) {
    const auto& package = object_or_empty(&item);
    rows.push_back({field(package, "id"), field(package, "kind"), field(package, "sender"),
                    field(package, "document_id"), field(package, "received_at"),
                    size_field(package, "size")});
  }
  return render_table({"ID", "KIND", "SENDER", "DOCUMENT_ID", "RECEIVED_AT", "SIZE"}, rows);
}

std::string render_trace(const json::object& trace) {
  const auto& package = object_or_empty(trace.if_contains("package"));
  std::string text = "package " + field(package, "id") + "  " + field(package, "kind") + " from " +
                     field(package, "sender") + "  document " + field(package, "document_id") +
                     "  received " + field(package, "received_at") + "  " +
                     size_field(package, "size") + "  signature " + field(package, "signature") +
                     optional_field(package, "signer", "by") +
                     optional_field(package, "status_code", "status") +
                     optional_field(package, "original_id", "about") + "\n";
  for (const auto& entry : array_or_empty(trace.if_contains("deliveries"))) {
    const auto& delivery = object_or_empty(&entry);
    text += "  delivery " + field(delivery, "recipient") + "  via " + field(delivery, "route") +
            "  " + field(delivery, "state") + "  " + field(delivery, "updated_at") +
            optional_field(delivery, "collector", "collected by") +
            optional_field(delivery, "reported_status", "status") +
            optional_field(delivery, "after", "after") +
            optional_field(delivery, "reason", "reason:") + "\n";
  }
  std::vector<const json::object*> events;
  for (const auto& entry : array_or_empty(trace.if_contains("events"))) {
    events.push_back(&object_or_empty(&entry));
  }
  // The hub formats every time the same way (ISO 8601, UTC), so text order is time order.
  std::stable_sort(events.begin(), events.end(), [](const auto* left, const auto* right) {
    return field(*left, "at") < field(*right, "at");
  });
  for (const auto* event : events) {
    text += "  " + field(*event, "at") + "  " + field(*event, "event") +
            optional_field(*event, "recipient", "for") + optional_field(*event, "actor", "by") +
            optional_field(*event, "detail", "") + "\n";
  }
  return text;
}

std::string render_agency(const json::object& agency) {
  return "code              " + field(agency, "code") + "\n" + "name              " +
         field(agency, "name") + "\n" + "parent            " + field(agency, "parent_code") + "\n" +
         "kind              " + field(agency, "kind") + "\n" + "route via         " +
         field(agency, "route_via") + "\n" + "system ids        " + field(agency, "system_ids") +
         "\n" + "signature policy  " + field(agency, "signature_policy") + "\n" +
         "enabled           " + field(agency, "enabled") + "\n" + "signer CAs        " +
         field(agency, "signer_cas") + "\n" + "signer certs      " +
         field(agency, "signer_certificates") + "\n" + "allow SHA-1       " +
         field(agency, "allow_sha1") + "\n";
}

std::string render_agencies(const json::array& agencies) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& entry : agencies) {
    const auto& agency = object_or_empty(&entry);
    rows.push_back({field(agency, "code"), field(agency, "name"), field(agency, "kind"),
                    field(agency, "parent_code"), field(agency, "route_via"),
                    field(agency, "signature_policy"), field(agency, "enabled")});
  }
  return render_table({"CODE", "NAME", "KIND", "PARENT", "ROUTE_VIA", "SIGNATURE", "ENABLED"},
                      rows);
}

std::string render_certificates(const json::array& certificates) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& entry : certificates) {
    const auto& certificate = object_or_empty(&entry);
    rows.push_back({field(certificate, "fingerprint"), field(certificate, "not_after"),
                    field(certificate, "subject")});
  }
  return render_table({"FINGERPRINT", "NOT_AFTER", "SUBJECT"}, rows);
}

std::string render_registered_certificate(const json::object& certificate) {
  return "registered: " + field(certificate, "fingerprint") + " for " +
         field(certificate, "agency_code") + "\n  subject    " + field(certificate, "subject") +
         "\n  not after  " + field(certificate, "not_after") + "\n";
}

std::string render_import(const json::object& counts) {
  return "imported: " + field(counts, "created") + " created, " + field(counts, "updated") +
         " updated\n";
}

std::string render_traffic(const json::array& traffic) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& entry : traffic) {
    const auto& row = object_or_empty(&entry);
    rows.push_back({field(row, "agency"), field(row, "sent"), field(row, "received"),
                    field(row, "acknowledged"), field(row, "pending"), field(row, "rejected")});
  }
  return render_table({"AGENCY", "SENT", "RECEIVED", "ACKNOWLEDGED", "PENDING", "REJECTED"}, rows);
}

std::string render_dead_letters(const json::object& answer) {
  std::vector<std::vector<std::string>> rows;
  if (const auto* letters = answer.if_contains("dead_letters");
      letters != nullptr && letters->is_array()) {
    for (const auto& entry : letters->as_array()) {
      const auto& row = object_or_empty(&entry);
      rows.push_back({field(row, "id"), field(row, "recipient"), field(row, "collector"),
                      field(row, "attempts"), field(row, "dead_lettered_at"),
                      field(row, "last_error")});
    }
  }
  return render_table({"ID", "RECIPIENT", "COLLECTOR", "ATTEMPTS", "GAVE_UP_AT", "LAST_ERROR"},
                      rows);
}

}  // namespace truc::cli
