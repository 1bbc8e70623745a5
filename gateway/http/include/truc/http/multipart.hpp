#pragma once

// multipart/form-data (RFC 7578 on RFC 2046 §5.1) read as a stream: the one file part goes to a
// sink in bounded pieces as it is read, so memory does not grow with the upload (a 100 MB
// attachment makes a ~134 MB part); the other parts are small text fields.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"

namespace truc::http {

struct MultipartForm {
  std::map<std::string, std::string> fields;  // part name (lowercased) -> value
  bool has_file = false;                      // the file part was present
  std::uint64_t file_size = 0;
};

struct MultipartLimits {
  std::size_t max_field_bytes = 64 * 1024;
  std::size_t max_header_bytes = 8 * 1024;  // the header block of one part
  std::size_t max_parts = 64;
  std::size_t max_preamble_bytes = 64 * 1024;
};

// The boundary parameter of a multipart/form-data Content-Type (quoted or not); nothing for
// another type, or when the parameter is missing or not a valid boundary (1 to 70 characters).
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Reads `body` up to the closing delimiter: the part named `file_part` (case-insensitive) is
// written to `file` (finish() is left to the caller), every other part becomes a field. Errors:
// request.multipart_invalid (detail: what is wrong: no delimiter line, a part without a name,
// two file parts, a limit) and request.multipart_truncated (the body ends before the closing
// delimiter); the source's and the sink's own errors pass through.
Result<MultipartForm> read_multipart(ByteSource& body, std::string_view boundary,
                                     std::string_view file_part, ByteSink& file,
                                     const MultipartLimits& limits = {});

}  // namespace truc::http
