#include "attachment_stream.hpp"

#include "truc/edxml/content_type.hpp"

namespace truc::edxml {

AttachmentStream::AttachmentStream(std::unique_ptr<ByteSink> sink, std::uint64_t max_bytes)
    : sink_(std::move(sink)), max_bytes_(max_bytes) {}

Status AttachmentStream::feed(std::string_view base64_text) {
  TRUC_TRY(decoder_.feed(base64_text, decoded_));
  return deliver();
}

Status AttachmentStream::deliver() {
  if (decoded_.empty()) return ok_status();
  size_ += decoded_.size();
  if (size_ > max_bytes_) {
    return Error{"attachment.too_large", "an attachment is larger than the limit",
                 "limit " + std::to_string(max_bytes_) + " bytes"};
  }
  if (head_.size() < kContentSniffBytes) {
    head_.append(decoded_.substr(0, kContentSniffBytes - head_.size()));
  }
  sha256_.update(decoded_);
  Status written = sink_->write(decoded_);
  decoded_.clear();
  return written;
}

Result<AttachmentMeasure> AttachmentStream::finish() {
  TRUC_TRY(decoder_.finish(decoded_));
  TRUC_TRY(deliver());
  TRUC_TRY(sink_->finish());
  return AttachmentMeasure{size_, to_hex(sha256_.finish()), detect_content_type(head_)};
}

}  // namespace truc::edxml
