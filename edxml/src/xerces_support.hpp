#pragma once

// Xerces-C++ glue shared by the parser: process-wide initialisation, the guarded input stream,
// and the cached, locked schema grammar.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <xercesc/framework/XMLGrammarPool.hpp>
#include <xercesc/sax/InputSource.hpp>
#include <xercesc/util/BinInputStream.hpp>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/edxml/parse.hpp"
#include "utf.hpp"

namespace truc::edxml {

// Initialises Xerces once per process (thread-safe); later calls are free.
void ensure_xerces_initialized();

// What the guarded stream learned while Xerces read through it. An input failure recorded here
// (size, encoding, token length, I/O) explains the parse error Xerces reports after it.
struct InputState {
  InputState(ByteSource& source_in, const Limits& limits_in)
      : source(source_in), limits(limits_in) {}

  ByteSource& source;
  const Limits& limits;
  std::uint64_t total_bytes = 0;
  std::uint64_t bytes_since_event = 0;
  bool end_reached = false;
  bool prolog_checked = false;
  std::optional<Error> failure;
  Utf8Validator utf8;
  // Where the input ends, and where the markup it ends in (if any) began, counted as Xerces counts
  // lines and columns: to tell a document cut short from one malformed earlier.
  struct Position {
    std::uint64_t line = 1;
    std::uint64_t column = 1;
    bool after_carriage_return = false;
  };
  Position end;
  std::optional<Position> open_markup;  // the last '<' when no '>' followed it

  // The SAX handler calls this on every event: Xerces is not buffering an unbounded token.
  void note_event() { bytes_since_event = 0; }
};

// An InputSource whose stream enforces Limits::max_document_bytes and max_token_bytes, checks
// UTF-8 as the bytes pass and refuses an XML declaration naming another encoding.
class GuardedInputSource final : public xercesc::InputSource {
 public:
  explicit GuardedInputSource(InputState& state);
  xercesc::BinInputStream* makeStream() const override;

 private:
  InputState& state_;
};

struct GrammarPoolDeleter {
  void operator()(xercesc::XMLGrammarPool* pool) const;
};
using GrammarPoolPtr = std::unique_ptr<xercesc::XMLGrammarPool, GrammarPoolDeleter>;

// The project's edXML schema, preparsed and locked so that concurrent parsers can share it.
GrammarPoolPtr load_edxml_grammar();

}  // namespace truc::edxml
