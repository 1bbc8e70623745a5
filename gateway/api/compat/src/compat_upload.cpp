#include "compat_upload.hpp"

#include <strings.h>

#include <span>
#include <vector>

#include "truc/common/byte_stream.hpp"
#include "truc/common/digest.hpp"
#include "truc/http/multipart.hpp"

namespace truc::api {

using http::multipart_boundary;
using http::read_multipart;
using http::Request;
using http::SpoolFile;

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

class HashingSink final : public ByteSink {
 public:
  explicit HashingSink(ByteSink& inner) : inner_(inner) {}
  Status write(std::string_view bytes) override {
    digest_.update(bytes);
    return inner_.write(bytes);
  }
  Status finish() override { return inner_.finish(); }
  std::string sha256() { return digest_.finish(); }

 private:
  ByteSink& inner_;
  Digest digest_{DigestAlgorithm::sha256};
};

Result<Upload> from_form(const Request& request, const std::string& boundary,
                         const std::filesystem::path& spool_directory) {
  auto body = FileSource::open(*request.body_file);
  if (!body) return std::move(body).error();
  auto file = SpoolFile::create(spool_directory, request.request_id + "-file_doc");
  if (!file) return std::move(file).error();
  HashingSink sink(*file);
  auto form = read_multipart(*body, boundary, "file_doc", sink);
  if (!form) return std::move(form).error();
  if (!form->has_file || form->file_size == 0) {
    return Error{
        "request.missing_file", "the form has no file_doc part with the edXML document", {}};
  }
  TRUC_TRY(sink.finish());
  Upload upload{file->path(), std::move(*file), std::move(form->fields), sink.sha256(), {}};
  return upload;
}

// The body is the document: hashed as it is and, when it ends with CRLF, without that.
Result<Upload> from_body(const Request& request) {
  auto body = FileSource::open(*request.body_file);
  if (!body) return std::move(body).error();
  Digest whole(DigestAlgorithm::sha256);
  Digest trimmed(DigestAlgorithm::sha256);
  std::string held;  // the last two bytes read, not yet given to `trimmed`
  std::vector<char> chunk(kChunkBytes);
  while (true) {
    auto count = body->read(std::span<char>(chunk));
    if (!count) return std::move(count).error();
    if (*count == 0) break;
    std::string_view bytes(chunk.data(), *count);
    whole.update(bytes);
    if (bytes.size() >= 2) {
      trimmed.update(held);
      trimmed.update(bytes.substr(0, bytes.size() - 2));
      held.assign(bytes.substr(bytes.size() - 2));
    } else {
      held.append(bytes);
      if (held.size() > 2) {
        trimmed.update(std::string_view(held).substr(0, 1));
        held.erase(0, 1);
      }
    }
  }
  Upload upload{*request.body_file, std::nullopt, {}, whole.finish(), std::nullopt};
  if (held == "\r\n") upload.sha256_trimmed = trimmed.finish();
  return upload;
}

}  // namespace

Result<Upload> receive_upload(const Request& request,
                              const std::filesystem::path& spool_directory) {
  if (!request.body_file || request.body_size == 0) {
    return Error{
        "request.empty_body", "the body must carry the edXML document (part file_doc)", {}};
  }
  std::string_view content_type = request.header("content-type").value_or("");
  if (auto boundary = multipart_boundary(content_type)) {
    return from_form(request, *boundary, spool_directory);
  }
  if (content_type.size() >= 10 && strncasecmp(content_type.data(), "multipart/", 10) == 0) {
    return Error{"request.multipart_invalid", "the multipart/form-data body is malformed",
                 "the Content-Type has no valid boundary parameter"};
  }
  return from_body(request);
}

Status trim_line_break(Upload& upload) {
  std::error_code error;
  auto size = std::filesystem::file_size(upload.document, error);
  if (!error && size >= 2) std::filesystem::resize_file(upload.document, size - 2, error);
  if (error) return Error{"io.write", error.message(), upload.document.string()};
  return ok_status();
}

}  // namespace truc::api
