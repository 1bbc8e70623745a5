#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "truc/common/base64.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/common/digest.hpp"
#include "truc/common/error.hpp"

namespace truc::edxml {

struct AttachmentMeasure {
  std::uint64_t size = 0;
  std::string sha256;
  std::string detected_type;
};

// Decodes one attachment's base64 text as it arrives and passes the bytes to the caller's sink,
// measuring size, SHA-256 and type on the way. Holds at most one decoded chunk in memory.
class AttachmentStream {
 public:
  AttachmentStream(std::unique_ptr<ByteSink> sink, std::uint64_t max_bytes);

  Status feed(std::string_view base64_text);
  Result<AttachmentMeasure> finish();

 private:
  Status deliver();

  std::unique_ptr<ByteSink> sink_;
  std::uint64_t max_bytes_;
  Base64Decoder decoder_;
  Digest sha256_{DigestAlgorithm::sha256};
  std::uint64_t size_ = 0;
  std::string head_;
  std::string decoded_;
};

}  // namespace truc::edxml
