#pragma once

#include <string>
#include <string_view>

namespace truc::evidence {

// The byte encoding of entries and batch statements: each field as `length:bytes\n`, so that no
// value can be read as the end of another.
inline void append_field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

}  // namespace truc::evidence
