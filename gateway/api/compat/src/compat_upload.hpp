#pragma once

// The document a /sendEdoc request carries (docs/api/compat.md), taken out of the spooled body
// in one streaming pass with its SHA-256: the `file_doc` part of a multipart/form-data body, or
// the body itself, which is what the platform's Java SDK sends (the file's bytes and a line
// break, labelled application/octet-stream).

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "truc/common/error.hpp"
#include "truc/http/http.hpp"
#include "truc/http/spool_file.hpp"

namespace truc::api {

struct Upload {
  std::filesystem::path document;  // in the spool directory, for hub::Hub::submit to adopt
  std::optional<http::SpoolFile> extracted;   // owns `document` when taken out of a form
  std::map<std::string, std::string> fields;  // the form's other parts
  std::string sha256;                         // of `document`, raw
  std::optional<std::string> sha256_trimmed;  // a raw body ending in CRLF: of it without
};

// request.empty_body; request.multipart_invalid (a multipart type without a boundary, or a
// malformed form), request.multipart_truncated, request.missing_file (no file_doc part); io.*.
Result<Upload> receive_upload(const http::Request& request,
                              const std::filesystem::path& spool_directory);

// Drops the final CRLF of a raw body whose signed hash-file named the bytes without it.
Status trim_line_break(Upload& upload);

}  // namespace truc::api
