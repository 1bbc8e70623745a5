#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace truc::edxml {

// The document's elements without attachment content: small (bounded by Limits) and easy to map
// onto the typed model. Attachment bytes never enter it; an Attachment's ContentTransferEncoded
// element records which streamed attachment it held.
struct Element {
  std::string namespace_uri;
  std::string local_name;
  std::vector<std::pair<std::string, std::string>> attributes;  // local name, value
  std::string text;
  std::vector<std::unique_ptr<Element>> children;
  std::size_t line = 0;
  std::optional<std::size_t> attachment_index;

  bool in_namespace(std::string_view uri) const { return namespace_uri == uri; }
};

}  // namespace truc::edxml
