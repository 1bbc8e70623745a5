#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "truc/common/error.hpp"

namespace truc {

// Streaming base64 decoder (RFC 4648 alphabet). Whitespace between characters is ignored, as
// deployed edXML senders wrap lines; anything else outside the alphabet is an error.
class Base64Decoder {
 public:
  // Appends the bytes decoded from `chunk` to `out`.
  Status feed(std::string_view chunk, std::string& out);
  // Checks that the input ended on a complete quantum.
  Status finish(std::string& out);

  std::uint64_t consumed() const { return consumed_; }

 private:
  std::uint32_t quantum_ = 0;
  int quantum_length_ = 0;
  int padding_ = 0;
  std::uint64_t consumed_ = 0;
};

// Streaming base64 encoder without line breaks.
class Base64Encoder {
 public:
  void feed(std::string_view bytes, std::string& out);
  void finish(std::string& out);

 private:
  unsigned char pending_[3] = {};
  int pending_length_ = 0;
};

std::string base64_encode(std::string_view bytes);
Result<std::string> base64_decode(std::string_view text);

}  // namespace truc
