#include <optional>
#include <string>
#include <vector>
#include <xercesc/framework/XMLErrorCodes.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLExceptMsgs.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLString.hpp>
#include <xercesc/util/XMLUni.hpp>

#include "attachment_stream.hpp"
#include "element_tree.hpp"
#include "map_document.hpp"
#include "truc/edxml/parse.hpp"
#include "utf.hpp"
#include "xerces_support.hpp"

namespace truc::edxml {

struct Parser::Grammar {
  GrammarPoolPtr pool;
};

std::shared_ptr<Parser::Grammar> Parser::current_grammar() const {
  std::lock_guard lock(grammar_mutex_);
  return grammar_;
}

std::size_t Parser::interned_namespace_count() const {
  auto grammar = current_grammar();
  return grammar->pool ? grammar->pool->getURIStringPool()->getStringCount() : 0;
}

namespace {

// Thrown from a SAX callback to stop Xerces once the handler has recorded why.
struct AbortParse {};

// Past this many interned namespace URIs the shared grammar is replaced (see Parser::parse).
constexpr std::size_t kMaxInternedNamespaces = 4096;

// The SAX2 reader, remembering the code and position of the first fatal error, which the SAX
// interface does not pass on.
class Reader final : public xercesc::SAX2XMLReaderImpl {
 public:
  explicit Reader(xercesc::XMLGrammarPool* pool)
      : SAX2XMLReaderImpl(xercesc::XMLPlatformUtils::fgMemoryManager, pool) {}

  void error(const unsigned int code, const XMLCh* const domain,
             const xercesc::XMLErrorReporter::ErrTypes type, const XMLCh* const text,
             const XMLCh* const system_id, const XMLCh* const public_id, const XMLFileLoc line,
             const XMLFileLoc column) override {
    if (type == xercesc::XMLErrorReporter::ErrType_Fatal && !fatal_code) {
      fatal_code = code;
      fatal_is_exception = xercesc::XMLString::equals(domain, xercesc::XMLUni::fgExceptDomain);
      fatal_line = line;
      fatal_column = column;
    }
    SAX2XMLReaderImpl::error(code, domain, type, text, system_id, public_id, line, column);
  }

  std::optional<unsigned> fatal_code;
  bool fatal_is_exception = false;  // a reader exception (XMLExcepts), not an XMLErrs code
  XMLFileLoc fatal_line = 0;
  XMLFileLoc fatal_column = 0;
};

// Whether a fatal error means that the input stopped: an error only the end of input causes, or
// one found in the markup the input ends in, or where it ends.
bool cut_short(const Reader& reader, const InputState& input) {
  if (!reader.fatal_code) return false;
  if (reader.fatal_is_exception) {
    return *reader.fatal_code == xercesc::XMLExcepts::Gen_UnexpectedEOF;
  }
  switch (*reader.fatal_code) {
    case xercesc::XMLErrs::EndedWithTagsOnStack:
    case xercesc::XMLErrs::EmptyMainEntity:
    case xercesc::XMLErrs::UnterminatedXMLDecl:
    case xercesc::XMLErrs::UnterminatedComment:
    case xercesc::XMLErrs::UnterminatedPI:
    case xercesc::XMLErrs::UnterminatedStartTag:
    case xercesc::XMLErrs::UnterminatedEndTag:
    case xercesc::XMLErrs::UnterminatedCDATASection:
    case xercesc::XMLErrs::UnterminatedCharRef:
    case xercesc::XMLErrs::UnterminatedEntityRef:
      return true;
    default:
      break;
  }
  auto at_or_after = [&](const InputState::Position& position) {
    return reader.fatal_line > position.line ||
           (reader.fatal_line == position.line && reader.fatal_column + 1 >= position.column);
  };
  return (input.open_markup && at_or_after(*input.open_markup)) || at_or_after(input.end);
}

constexpr std::size_t kMaxSchemaFindings = 50;
// Bounds what one characters() call carries, so attachment text streams in small pieces.
constexpr XMLSize_t kCharacterChunk = 64 * 1024;

std::string location(const xercesc::Locator* locator) {
  if (locator == nullptr) return {};
  return "line " + std::to_string(locator->getLineNumber()) + ", column " +
         std::to_string(locator->getColumnNumber());
}

// Receives Xerces' SAX2 events, enforces the limits Xerces does not know, builds the element
// tree, streams attachment content into the sink and repeats every event to the listener.
class SaxHandler final : public xercesc::DefaultHandler {
 public:
  SaxHandler(const Limits& limits, InputState& input, AttachmentSink& sink,
             XmlEventListener* listener)
      : limits_(limits), input_(input), sink_(sink), listener_(listener) {}

  std::unique_ptr<Element> root;
  std::vector<AttachmentMeasure> attachments;
  std::vector<Finding> findings;
  std::optional<Error> failure;
  std::optional<Error> xerces_fatal;
  bool root_closed = false;

  void setDocumentLocator(const xercesc::Locator* const locator) override { locator_ = locator; }

  void startPrefixMapping(const XMLCh* const prefix, const XMLCh* const uri) override {
    input_.note_event();
    pending_declarations_.emplace_back(to_utf8(prefix), to_utf8(uri));
  }

  void startElement(const XMLCh* const uri, const XMLCh* const local_name, const XMLCh* const qname,
                    const xercesc::Attributes& attributes) override {
    input_.note_event();
    if (root_closed)
      abort({"parse.malformed", "content after the root element", location(locator_)});
    if (open_.size() + 1 > limits_.max_depth) {
      abort({"parse.too_deep", "elements are nested too deeply",
             "limit " + std::to_string(limits_.max_depth) + " levels, " + location(locator_)});
    }
    if (++element_count_ > limits_.max_elements) {
      abort({"parse.too_many_elements", "document has too many elements",
             "limit " + std::to_string(limits_.max_elements)});
    }
    if (attributes.getLength() > limits_.max_attributes_per_element) {
      abort({"parse.too_many_attributes", "an element has too many attributes",
             "limit " + std::to_string(limits_.max_attributes_per_element) + ", " +
                 location(locator_)});
    }
    if (active_attachment_) {
      abort({"attachment.malformed", "ContentTransferEncoded must contain only base64 text",
             location(locator_)});
    }

    auto element = std::make_unique<Element>();
    element->namespace_uri = to_utf8(uri);
    element->local_name = to_utf8(local_name);
    element->line = locator_ != nullptr ? static_cast<std::size_t>(locator_->getLineNumber()) : 0;
    if (open_.empty()) check_root(*element);

    std::string qualified = to_utf8(qname);
    attribute_text_.clear();
    attribute_text_.reserve(attributes.getLength() * 4);
    for (XMLSize_t index = 0; index < attributes.getLength(); ++index) {
      attribute_text_.push_back(to_utf8(attributes.getURI(index)));
      attribute_text_.push_back(to_utf8(attributes.getLocalName(index)));
      attribute_text_.push_back(to_utf8(attributes.getQName(index)));
      attribute_text_.push_back(to_utf8(attributes.getValue(index)));
      add_text_bytes(attribute_text_.back().size());
      element->attributes.emplace_back(attribute_text_[attribute_text_.size() - 3],
                                       attribute_text_.back());
    }
    if (listener_ != nullptr) {
      std::vector<NamespaceDeclaration> declarations;
      declarations.reserve(pending_declarations_.size());
      for (const auto& [prefix, namespace_uri] : pending_declarations_) {
        declarations.push_back({prefix, namespace_uri});
      }
      std::vector<XmlAttribute> listened;
      listened.reserve(attributes.getLength());
      for (std::size_t index = 0; index + 3 < attribute_text_.size(); index += 4) {
        listened.push_back(
            {{attribute_text_[index], attribute_text_[index + 1], attribute_text_[index + 2]},
             attribute_text_[index + 3]});
      }
      listener_->start_element({element->namespace_uri, element->local_name, qualified},
                               declarations, listened);
    }
    pending_declarations_.clear();

    Element* parent = open_.empty() ? nullptr : open_.back();
    Element* added = element.get();
    if (parent == nullptr) {
      root = std::move(element);
    } else {
      parent->children.push_back(std::move(element));
    }
    open_.push_back(added);
    if (is_attachment_content()) start_attachment(*added);
  }

  void endElement(const XMLCh* const uri, const XMLCh* const local_name,
                  const XMLCh* const qname) override {
    input_.note_event();
    if (active_attachment_) finish_attachment();
    if (listener_ != nullptr) {
      std::string namespace_uri = to_utf8(uri), local = to_utf8(local_name),
                  qualified = to_utf8(qname);
      listener_->end_element({namespace_uri, local, qualified});
    }
    open_.pop_back();
    if (open_.empty()) root_closed = true;
  }

  void characters(const XMLCh* const text, const XMLSize_t length) override {
    input_.note_event();
    text_.clear();
    append_utf8(text_, text, length);
    if (listener_ != nullptr) listener_->characters(text_);
    if (active_attachment_) {
      if (Status fed = active_attachment_->feed(text_); !fed) abort(std::move(fed).error());
      return;
    }
    if (open_.empty()) return;
    Element& current = *open_.back();
    if (current.text.size() + text_.size() > limits_.max_text_bytes) {
      abort({"parse.text_too_long", "an element's text is longer than the limit",
             "limit " + std::to_string(limits_.max_text_bytes) + " bytes, element " +
                 current.local_name});
    }
    add_text_bytes(text_.size());
    current.text += text_;
  }

  // Schema validation reports whitespace in element-only content here; it is content all the same.
  void ignorableWhitespace(const XMLCh* const text, const XMLSize_t length) override {
    characters(text, length);
  }

  void processingInstruction(const XMLCh* const target, const XMLCh* const data) override {
    input_.note_event();
    if (listener_ != nullptr) listener_->processing_instruction(to_utf8(target), to_utf8(data));
  }

  void comment(const XMLCh* const text, const XMLSize_t length) override {
    input_.note_event();
    if (listener_ != nullptr) {
      text_.clear();
      append_utf8(text_, text, length);
      listener_->comment(text_);
    }
  }

  void startDTD(const XMLCh* const, const XMLCh* const, const XMLCh* const) override {
    // QCVN 102 documents have no DTD; refusing every DOCTYPE closes XXE and entity expansion.
    abort({"parse.dtd_forbidden", "a DOCTYPE declaration is not allowed in edXML",
           location(locator_)});
  }

  void endDocument() override {
    if (listener_ != nullptr && root_closed) listener_->end_document();
  }

  void warning(const xercesc::SAXParseException&) override {}

  void error(const xercesc::SAXParseException& problem) override {
    if (findings.size() >= kMaxSchemaFindings) return;
    findings.push_back({Severity::error, "schema.invalid", to_utf8(problem.getMessage()),
                        "line " + std::to_string(problem.getLineNumber()) + ", column " +
                            std::to_string(problem.getColumnNumber())});
  }

  void fatalError(const xercesc::SAXParseException& problem) override {
    if (!xerces_fatal) {
      xerces_fatal = Error{"parse.malformed",
                           "document is not well-formed XML: " + to_utf8(problem.getMessage()),
                           "line " + std::to_string(problem.getLineNumber()) + ", column " +
                               std::to_string(problem.getColumnNumber())};
    }
  }

 private:
  [[noreturn]] void abort(Error error) {
    failure = std::move(error);
    throw AbortParse{};
  }

  void check_root(const Element& element) {
    if (element.local_name != "edXML") {
      abort({"parse.not_edxml", "the root element is not edXML", "found " + element.local_name});
    }
    if (element.namespace_uri != kNamespace) {
      abort({"parse.wrong_namespace", "the edXML element is not in the QCVN 102:2016 namespace",
             "expected " + std::string(kNamespace) + ", found '" + element.namespace_uri + "'"});
    }
  }

  void add_text_bytes(std::size_t count) {
    total_text_ += count;
    if (total_text_ > limits_.max_total_text_bytes) {
      abort({"parse.text_too_long",
             "the document's text outside attachments is longer than the limit",
             "limit " + std::to_string(limits_.max_total_text_bytes) + " bytes"});
    }
  }

  bool is_attachment_content() const {
    static constexpr std::string_view kPath[] = {"edXML", "AttachmentEncoded", "Attachment",
                                                 "ContentTransferEncoded"};
    if (open_.size() != std::size(kPath)) return false;
    for (std::size_t level = 0; level < open_.size(); ++level) {
      if (open_[level]->local_name != kPath[level] || !open_[level]->in_namespace(kNamespace))
        return false;
    }
    return true;
  }

  std::string sibling_text(const Element& attachment, std::string_view name) const {
    for (const auto& child : attachment.children) {
      if (child->local_name == name && child->in_namespace(kNamespace)) return child->text;
    }
    return {};
  }

  void start_attachment(Element& content) {
    if (attachments.size() >= limits_.max_attachments) {
      abort({"attachment.too_many", "document has too many attachments",
             "limit " + std::to_string(limits_.max_attachments)});
    }
    const Element& attachment = *open_[open_.size() - 2];
    AttachmentHeader header{sibling_text(attachment, "ContentId"),
                            sibling_text(attachment, "AttachmentName"),
                            sibling_text(attachment, "ContentType")};
    auto sink = sink_.open_attachment(attachments.size(), header);
    if (!sink) abort(std::move(sink).error());
    content.attachment_index = attachments.size();
    attachments.emplace_back();
    active_attachment_.emplace(std::move(*sink), limits_.max_attachment_bytes);
  }

  void finish_attachment() {
    auto measured = active_attachment_->finish();
    active_attachment_.reset();
    if (!measured) abort(std::move(measured).error());
    attachments.back() = std::move(*measured);
  }

  const Limits& limits_;
  InputState& input_;
  AttachmentSink& sink_;
  XmlEventListener* listener_;
  const xercesc::Locator* locator_ = nullptr;

  std::vector<Element*> open_;
  std::vector<std::pair<std::string, std::string>> pending_declarations_;
  std::vector<std::string> attribute_text_;
  std::string text_;
  std::size_t element_count_ = 0;
  std::size_t total_text_ = 0;
  std::optional<AttachmentStream> active_attachment_;
};

void configure(xercesc::SAX2XMLReader& reader, bool validate_schema) {
  using xercesc::XMLUni;
  reader.setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
  reader.setFeature(XMLUni::fgSAX2CoreNameSpacePrefixes, false);
  reader.setFeature(XMLUni::fgSAX2CoreValidation, validate_schema);
  reader.setFeature(XMLUni::fgXercesDynamic, false);
  reader.setFeature(XMLUni::fgXercesSchema, validate_schema);
  reader.setFeature(XMLUni::fgXercesSchemaFullChecking, false);
  reader.setFeature(XMLUni::fgXercesIdentityConstraintChecking, false);
  // Only the project's cached grammar is used: a document cannot bring its own schema or DTD.
  reader.setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
  reader.setFeature(XMLUni::fgXercesCacheGrammarFromParse, false);
  reader.setFeature(XMLUni::fgXercesLoadSchema, false);
  reader.setFeature(XMLUni::fgXercesLoadExternalDTD, false);
  reader.setFeature(XMLUni::fgXercesSkipDTDValidation, true);
  reader.setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
  reader.setFeature(XMLUni::fgXercesContinueAfterFatalError, false);
  reader.setInputBufferSize(kCharacterChunk);
}

}  // namespace

Result<std::unique_ptr<ByteSink>> DiscardAttachments::open_attachment(std::size_t,
                                                                      const AttachmentHeader&) {
  class Discard final : public ByteSink {
    Status write(std::string_view) override { return ok_status(); }
  };
  return std::unique_ptr<ByteSink>(std::make_unique<Discard>());
}

Parser::Parser(ParseOptions options) : options_(options), grammar_(std::make_shared<Grammar>()) {
  ensure_xerces_initialized();
  if (options_.validate_schema) grammar_->pool = load_edxml_grammar();
}

Parser::~Parser() = default;

Result<Parsed> Parser::parse(ByteSource& input, AttachmentSink& attachments,
                             XmlEventListener* listener) const {
  InputState state(input, options_.limits);
  SaxHandler handler(options_.limits, state, attachments, listener);
  // Defence in depth: DOCTYPEs are refused outright, but no entity may expand much either.
  xercesc::SecurityManager security;
  security.setEntityExpansionLimit(16);

  auto grammar = current_grammar();
  auto reader = std::make_unique<Reader>(grammar->pool.get());
  configure(*reader, options_.validate_schema);
  reader->setProperty(xercesc::XMLUni::fgXercesSecurityManager, &security);
  reader->setContentHandler(&handler);
  reader->setErrorHandler(&handler);
  reader->setLexicalHandler(&handler);

  GuardedInputSource source(state);
  try {
    reader->parse(source);
  } catch (const AbortParse&) {
  } catch (const xercesc::OutOfMemoryException&) {
    return Error{"parse.out_of_memory", "the parser ran out of memory", {}};
  } catch (const xercesc::XMLException& problem) {
    if (!handler.xerces_fatal) {
      handler.xerces_fatal = Error{
          "parse.malformed", "document could not be read: " + to_utf8(problem.getMessage()), {}};
    }
  } catch (const xercesc::SAXException& problem) {
    if (!handler.xerces_fatal) {
      handler.xerces_fatal = Error{
          "parse.malformed", "document could not be read: " + to_utf8(problem.getMessage()), {}};
    }
  }

  // Xerces keeps every namespace URI a document declares in the shared grammar's string pool;
  // replacing the grammar now and then bounds that memory (the old one goes with its last user).
  if (grammar->pool &&
      grammar->pool->getURIStringPool()->getStringCount() > kMaxInternedNamespaces) {
    auto fresh = std::make_shared<Grammar>(Grammar{load_edxml_grammar()});
    std::lock_guard lock(grammar_mutex_);
    if (grammar_ == grammar) grammar_ = std::move(fresh);
  }

  // The first cause wins: an input limit explains the parse error Xerces reports after it.
  if (state.failure) return std::move(*state.failure);
  if (handler.failure) return std::move(*handler.failure);
  if (!handler.root_closed && state.end_reached && handler.xerces_fatal &&
      cut_short(*reader, state)) {
    return Error{"parse.truncated", "document ends before its root element closes",
                 "after " + std::to_string(state.total_bytes) + " bytes"};
  }
  if (handler.xerces_fatal) return std::move(*handler.xerces_fatal);
  if (!handler.root || !handler.root_closed) {
    return Error{"parse.truncated", "document ends before its root element closes", {}};
  }

  Document document = map_document(*handler.root, handler.attachments, handler.findings);
  return Parsed{std::move(document), std::move(handler.findings)};
}

}  // namespace truc::edxml
