#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace truc::edxml {

// Appends the UTF-8 form of `length` UTF-16 code units (Xerces' XMLCh) to `out`. Unpaired
// surrogates cannot come out of a well-formed document; they become U+FFFD.
void append_utf8(std::string& out, const char16_t* text, std::size_t length);
std::string to_utf8(const char16_t* text);

// Checks bytes as they stream in: the document must be well-formed UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF).
class Utf8Validator {
 public:
  // Returns false at the first invalid byte; offset() then says where it was.
  bool feed(std::string_view bytes);
  // True when the input did not end inside a multi-byte sequence.
  bool complete() const { return pending_ == 0; }
  std::uint64_t offset() const { return offset_; }

 private:
  int pending_ = 0;
  unsigned char lower_ = 0x80;
  unsigned char upper_ = 0xbf;
  std::uint64_t offset_ = 0;
};

}  // namespace truc::edxml
