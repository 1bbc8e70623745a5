#pragma once

#include <string>
#include <string_view>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"

namespace truc::edxml {

// Minimal streaming XML writer for documents we produce: indented elements, escaped text, and a
// buffer flushed to the sink in large pieces. The first I/O error sticks and is returned by
// finish().
class XmlWriter {
 public:
  explicit XmlWriter(ByteSink& out) : out_(out) {}

  void declaration();
  // Opens an element; `attributes` is written verbatim and must already be escaped.
  void open(std::string_view name, std::string_view attributes = {});
  void close(std::string_view name);
  // <name>text</name>, always with an end tag (the canonical form has no empty-element tags).
  void leaf(std::string_view name, std::string_view text);
  // Starts a new line at the current depth, for markup written with raw().
  void newline() { indent(); }
  // Raw, already well-formed markup or escaped text at the current position.
  void raw(std::string_view markup);
  Status finish();

  static void escape_text(std::string_view text, std::string& out);

 private:
  void indent();
  void flush_if_large();

  ByteSink& out_;
  std::string buffer_;
  int depth_ = 0;
  Status status_ = ok_status();
};

}  // namespace truc::edxml
