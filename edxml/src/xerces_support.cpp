#include "xerces_support.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <string_view>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/sax/ErrorHandler.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/validators/schema/ComplexTypeInfo.hpp>
#include <xercesc/validators/schema/SchemaElementDecl.hpp>
#include <xercesc/validators/schema/SchemaGrammar.hpp>

namespace truc::edxml {

extern const std::string_view kEdxmlSchema;

namespace {

// The encoding pseudo-attribute of an XML declaration at the start of `head`, if any.
std::optional<std::string> declared_encoding(std::string_view head) {
  if (head.substr(0, 3) == "\xef\xbb\xbf") head.remove_prefix(3);
  if (head.substr(0, 5) != "<?xml") return std::nullopt;
  auto end = head.find("?>");
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view declaration = head.substr(0, end);
  auto key = declaration.find("encoding");
  if (key == std::string_view::npos) return std::nullopt;
  auto quote = declaration.find_first_of("\"'", key);
  if (quote == std::string_view::npos) return std::nullopt;
  auto close = declaration.find(declaration[quote], quote + 1);
  if (close == std::string_view::npos) return std::nullopt;
  return std::string(declaration.substr(quote + 1, close - quote - 1));
}

bool is_utf8_name(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char character) {
    return static_cast<char>(std::toupper(character));
  });
  return name == "UTF-8" || name == "UTF8";
}

// Advances a position over `bytes` (line breaks: LF, CR, CRLF; a column per character, i.e. per
// UTF-8 lead byte).
void advance(InputState::Position& position, std::string_view bytes) {
  auto counts_as_character = [](char byte) {
    return (static_cast<unsigned char>(byte) & 0xc0) != 0x80;
  };
  auto last_break = bytes.find_last_of("\r\n");
  if (last_break == std::string_view::npos) {
    position.column +=
        static_cast<std::uint64_t>(std::count_if(bytes.begin(), bytes.end(), counts_as_character));
    if (!bytes.empty()) position.after_carriage_return = false;
    return;
  }
  for (std::size_t index = 0; index <= last_break; ++index) {
    if (bytes[index] == '\n') {
      if (!position.after_carriage_return) ++position.line;
      position.after_carriage_return = false;
    } else if (bytes[index] == '\r') {
      ++position.line;
      position.after_carriage_return = true;
    } else {
      position.after_carriage_return = false;
    }
  }
  auto tail = bytes.substr(last_break + 1);
  position.column =
      1 + static_cast<std::uint64_t>(std::count_if(tail.begin(), tail.end(), counts_as_character));
  if (!tail.empty()) position.after_carriage_return = false;
}

void track_position(InputState& state, std::string_view bytes) {
  auto last_angle = bytes.find_last_of("<>");
  if (last_angle != std::string_view::npos) {
    if (bytes[last_angle] == '>') {
      state.open_markup.reset();
    } else {
      InputState::Position markup = state.end;
      advance(markup, bytes.substr(0, last_angle));
      state.open_markup = markup;
    }
  }
  advance(state.end, bytes);
}

class GuardedInputStream final : public xercesc::BinInputStream {
 public:
  explicit GuardedInputStream(InputState& state) : state_(state) {}

  XMLFilePos curPos() const override { return state_.total_bytes; }
  const XMLCh* getContentType() const override { return nullptr; }

  XMLSize_t readBytes(XMLByte* const destination, const XMLSize_t capacity) override {
    if (state_.failure || state_.end_reached) return 0;
    auto* buffer = reinterpret_cast<char*>(destination);
    std::size_t filled = 0;
    // The first chunk holds the whole XML declaration (when the input has one), so its encoding
    // is checked before Xerces acts on it.
    std::size_t wanted = state_.prolog_checked ? 1 : std::min<std::size_t>(capacity, 1024);
    while (filled < wanted) {
      auto count = state_.source.read(std::span<char>(buffer + filled, capacity - filled));
      if (!count) return fail(std::move(count).error());
      if (*count == 0) {
        state_.end_reached = true;
        break;
      }
      filled += *count;
    }
    if (!state_.prolog_checked) {
      state_.prolog_checked = true;
      auto encoding = declared_encoding(std::string_view(buffer, filled));
      if (encoding && !is_utf8_name(*encoding)) {
        return fail({"parse.unsupported_encoding", "edXML documents must be UTF-8",
                     "declared encoding: " + *encoding});
      }
    }
    state_.total_bytes += filled;
    state_.bytes_since_event += filled;
    if (state_.total_bytes > state_.limits.max_document_bytes) {
      return fail({"parse.too_large", "document is larger than the limit",
                   "limit " + std::to_string(state_.limits.max_document_bytes) + " bytes"});
    }
    if (state_.bytes_since_event > state_.limits.max_token_bytes) {
      return fail({"parse.token_too_long",
                   "a name, attribute, comment or processing instruction is too long",
                   "limit " + std::to_string(state_.limits.max_token_bytes) + " bytes"});
    }
    track_position(state_, std::string_view(buffer, filled));
    // Input that ends inside a character is left to Xerces, which reports it as truncated.
    if (!state_.utf8.feed(std::string_view(buffer, filled))) {
      return fail({"parse.invalid_utf8", "document is not valid UTF-8",
                   "byte offset " + std::to_string(state_.utf8.offset())});
    }
    return filled;
  }

 private:
  XMLSize_t fail(Error error) {
    state_.failure = std::move(error);
    return 0;
  }

  InputState& state_;
};

// Any problem in our own schema is a build defect: fail loudly at start-up.
class SchemaErrorHandler final : public xercesc::ErrorHandler {
 public:
  void warning(const xercesc::SAXParseException&) override {}
  void error(const xercesc::SAXParseException& problem) override { fail(problem); }
  void fatalError(const xercesc::SAXParseException& problem) override { fail(problem); }
  void resetErrors() override {}

 private:
  [[noreturn]] static void fail(const xercesc::SAXParseException& problem) {
    throw std::logic_error("edxml.xsd line " + std::to_string(problem.getLineNumber()) + ": " +
                           to_utf8(problem.getMessage()));
  }
};

// Xerces builds a complex type's content model the first time a document uses the type, inside
// the shared grammar: two threads doing so at once race (one model leaks, and the pointer is
// written while read). Building every model here, before the grammar is shared, leaves nothing
// for a parse to write.
void build_content_models(const xercesc::XMLGrammarPool& pool) {
  auto grammars = pool.getGrammarEnumerator();
  while (grammars.hasMoreElements()) {
    xercesc::Grammar& grammar = grammars.nextElement();
    if (grammar.getGrammarType() != xercesc::Grammar::SchemaGrammarType) continue;
    auto& schema = static_cast<xercesc::SchemaGrammar&>(grammar);
    if (auto* types = schema.getComplexTypeRegistry()) {
      xercesc::RefHashTableOfEnumerator<xercesc::ComplexTypeInfo> named(types);
      while (named.hasMoreElements()) named.nextElement().getContentModel();
    }
    auto elements = schema.getElemEnumerator();
    while (elements.hasMoreElements()) {
      if (auto* type = elements.nextElement().getComplexTypeInfo()) type->getContentModel();
    }
  }
}

}  // namespace

void ensure_xerces_initialized() {
  static const bool initialized = [] {
    xercesc::XMLPlatformUtils::Initialize();
    return true;
  }();
  (void)initialized;
}

GuardedInputSource::GuardedInputSource(InputState& state) : state_(state) {
  // Whatever the declaration says, bytes are read as UTF-8; other declared encodings are refused
  // by the stream itself.
  static const XMLCh kUtf8[] = {u'U', u'T', u'F', u'-', u'8', 0};
  setEncoding(kUtf8);
}

xercesc::BinInputStream* GuardedInputSource::makeStream() const {
  return new GuardedInputStream(state_);
}

void GrammarPoolDeleter::operator()(xercesc::XMLGrammarPool* pool) const { delete pool; }

GrammarPoolPtr load_edxml_grammar() {
  ensure_xerces_initialized();
  GrammarPoolPtr pool(new xercesc::XMLGrammarPoolImpl(xercesc::XMLPlatformUtils::fgMemoryManager));
  std::unique_ptr<xercesc::SAX2XMLReader> reader(xercesc::XMLReaderFactory::createXMLReader(
      xercesc::XMLPlatformUtils::fgMemoryManager, pool.get()));
  reader->setFeature(xercesc::XMLUni::fgSAX2CoreNameSpaces, true);
  reader->setFeature(xercesc::XMLUni::fgXercesSchema, true);
  reader->setFeature(xercesc::XMLUni::fgXercesSchemaFullChecking, true);
  reader->setFeature(xercesc::XMLUni::fgXercesLoadExternalDTD, false);
  reader->setFeature(xercesc::XMLUni::fgXercesDisableDefaultEntityResolution, true);
  SchemaErrorHandler errors;
  reader->setErrorHandler(&errors);
  xercesc::MemBufInputSource schema(reinterpret_cast<const XMLByte*>(kEdxmlSchema.data()),
                                    kEdxmlSchema.size(), "edxml.xsd");
  if (reader->loadGrammar(schema, xercesc::Grammar::SchemaGrammarType, true) == nullptr) {
    throw std::logic_error("the built-in edXML schema does not load");
  }
  reader.reset();
  build_content_models(*pool);
  pool->lockPool();
  return pool;
}

}  // namespace truc::edxml
