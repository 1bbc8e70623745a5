#include "xml_writer.hpp"

namespace truc::edxml {
namespace {
constexpr std::size_t kFlushBytes = 256 * 1024;
}

void XmlWriter::declaration() { buffer_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }

void XmlWriter::indent() {
  if (depth_ > 0) {
    buffer_ += '\n';
    buffer_.append(static_cast<std::size_t>(depth_) * 2, ' ');
  }
}

void XmlWriter::open(std::string_view name, std::string_view attributes) {
  indent();
  buffer_ += '<';
  buffer_ += name;
  if (!attributes.empty()) {
    buffer_ += ' ';
    buffer_ += attributes;
  }
  buffer_ += '>';
  ++depth_;
}

void XmlWriter::close(std::string_view name) {
  --depth_;
  indent();
  buffer_ += "</";
  buffer_ += name;
  buffer_ += '>';
  if (depth_ == 0) buffer_ += '\n';
  flush_if_large();
}

void XmlWriter::leaf(std::string_view name, std::string_view text) {
  indent();
  buffer_ += '<';
  buffer_ += name;
  buffer_ += '>';
  escape_text(text, buffer_);
  buffer_ += "</";
  buffer_ += name;
  buffer_ += '>';
  flush_if_large();
}

void XmlWriter::raw(std::string_view markup) {
  buffer_ += markup;
  flush_if_large();
}

void XmlWriter::escape_text(std::string_view text, std::string& out) {
  for (char character : text) {
    switch (character) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\r':
        out += "&#xD;";
        break;
      default:
        out += character;
    }
  }
}

void XmlWriter::flush_if_large() {
  if (buffer_.size() < kFlushBytes || !status_) return;
  status_ = out_.write(buffer_);
  buffer_.clear();
}

Status XmlWriter::finish() {
  if (status_ && !buffer_.empty()) status_ = out_.write(buffer_);
  buffer_.clear();
  return status_;
}

}  // namespace truc::edxml
