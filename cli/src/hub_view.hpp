#pragma once

// Text renderings of the hub's JSON answers (docs/api/openapi.yaml) for people; --json prints
// the answers themselves for programs.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "truc/common/error.hpp"

namespace truc::cli {

// The answer as a JSON object; "client.protocol" when the hub sent something else.
Result<boost::json::object> parse_answer(std::string_view body);

// Columns padded to their widest cell (counted in characters, not bytes: names are Vietnamese).
std::string render_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows);

std::string render_receipt(const boost::json::object& receipt, bool duplicate);
std::string render_inbox(const boost::json::array& items);
// The package line, one line per delivery, then the events in time order.
std::string render_trace(const boost::json::object& trace);
std::string render_agency(const boost::json::object& agency);
std::string render_agencies(const boost::json::array& agencies);
std::string render_certificates(const boost::json::array& certificates);
std::string render_registered_certificate(const boost::json::object& certificate);
// {"created", "updated"} of an import.
std::string render_import(const boost::json::object& counts);
std::string render_traffic(const boost::json::array& traffic);
// {"dead_letters": [...]} as a table.
std::string render_dead_letters(const boost::json::object& answer);

}  // namespace truc::cli
