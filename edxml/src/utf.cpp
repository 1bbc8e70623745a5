#include "utf.hpp"

namespace truc::edxml {

void append_utf8(std::string& out, const char16_t* text, std::size_t length) {
  // Attachment text (base64) is all ASCII and dominates the volume: copy runs of it in one go.
  std::size_t start = out.size();
  out.resize(start + length);
  std::size_t written = start;
  std::size_t index = 0;
  while (index < length && text[index] < 0x80) out[written++] = static_cast<char>(text[index++]);
  out.resize(written);
  for (; index < length; ++index) {
    std::uint32_t code = text[index];
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < length && text[index + 1] >= 0xdc00 &&
        text[index + 1] <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (text[index + 1] - 0xdc00u);
      ++index;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      code = 0xfffd;
    }
    if (code < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xe0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xf0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
    }
  }
}

std::string to_utf8(const char16_t* text) {
  std::string out;
  if (text == nullptr) return out;
  std::size_t length = 0;
  while (text[length] != 0) ++length;
  append_utf8(out, text, length);
  return out;
}

bool Utf8Validator::feed(std::string_view bytes) {
  for (unsigned char byte : bytes) {
    if (pending_ == 0) {
      if (byte < 0x80) {
        ++offset_;
        continue;
      }
      lower_ = 0x80;
      upper_ = 0xbf;
      if (byte >= 0xc2 && byte <= 0xdf) {
        pending_ = 1;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        pending_ = 2;
        if (byte == 0xe0) lower_ = 0xa0;  // overlong
        if (byte == 0xed) upper_ = 0x9f;  // surrogates
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        pending_ = 3;
        if (byte == 0xf0) lower_ = 0x90;  // overlong
        if (byte == 0xf4) upper_ = 0x8f;  // above U+10FFFF
      } else {
        return false;
      }
    } else {
      if (byte < lower_ || byte > upper_) return false;
      lower_ = 0x80;
      upper_ = 0xbf;
      --pending_;
    }
    ++offset_;
  }
  return true;
}

}  // namespace truc::edxml
