#pragma once

// UTF-8 text from outside (forms, JSON, the command line): whether it is well formed, and how
// many characters it has, since length rules are about what people type, not bytes.

#include <cstddef>
#include <optional>
#include <string_view>

namespace truc {

// The number of code points in `text`, or nothing when it is not well-formed UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF included).
std::optional<std::size_t> utf8_characters(std::string_view text);

}  // namespace truc
