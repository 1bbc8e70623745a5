#include "truc/common/utf8.hpp"

namespace truc {

std::optional<std::size_t> utf8_characters(std::string_view text) {
  std::size_t characters = 0;
  std::size_t index = 0;
  while (index < text.size()) {
    auto lead = static_cast<unsigned char>(text[index]);
    std::size_t length = 0;
    char32_t code_point = 0;
    char32_t smallest = 0;  // below this, the form is overlong
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1Fu;
      smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0Fu;
      smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07u;
      smallest = 0x10000;
    } else {
      return std::nullopt;
    }
    if (text.size() - index < length) return std::nullopt;
    for (std::size_t offset = 1; offset < length; ++offset) {
      auto continuation = static_cast<unsigned char>(text[index + offset]);
      if ((continuation & 0xC0) != 0x80) return std::nullopt;
      code_point = (code_point << 6) | (continuation & 0x3Fu);
    }
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return std::nullopt;
    }
    index += length;
    ++characters;
  }
  return characters;
}

}  // namespace truc
