#pragma once

// ASCII text helpers for protocol tokens (header names, parameters), which are case-insensitive
// and may be padded with blanks.

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace truc {

inline std::string ascii_lowercase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char character) {
    return static_cast<char>(std::tolower(character));
  });
  return lower;
}

// Without the spaces and tabs around it.
inline std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace truc
