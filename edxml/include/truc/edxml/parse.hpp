#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/edxml/model.hpp"
#include "truc/edxml/xml_events.hpp"

namespace truc::edxml {

// Bounds on hostile input. A document that crosses one fails with the code in the comment.
struct Limits {
  std::uint64_t max_document_bytes = 150ull << 20;    // parse.too_large
  std::uint64_t max_attachment_bytes = 100ull << 20;  // attachment.too_large (decoded, per file)
  std::size_t max_attachments = 100;                  // attachment.too_many
  std::size_t max_depth = 32;                         // parse.too_deep
  std::size_t max_elements = 20000;                   // parse.too_many_elements
  std::size_t max_attributes_per_element = 16;        // parse.too_many_attributes
  std::size_t max_text_bytes = 256u << 10;  // parse.text_too_long (one value, outside attachments)
  std::size_t max_total_text_bytes = 8u << 20;  // parse.text_too_long (all values together)
  // Bytes the parser may read without reporting anything (a name, attribute, comment or
  // processing instruction it would have to buffer whole).
  std::size_t max_token_bytes = 1u << 20;  // parse.token_too_long
};

enum class Severity { error, warning };

// A finding about a document that parsed: a schema or rule violation (error) or something
// tolerated from deployed senders (warning). Codes are stable; see docs/errors.md.
struct Finding {
  Severity severity = Severity::error;
  std::string code;
  std::string message;
  std::string path;  // e.g. "edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId", or line
};

struct Parsed {
  Document document;
  std::vector<Finding> findings;
};

// Metadata of an attachment known when its content starts (elements that precede
// ContentTransferEncoded in the Attachment element).
struct AttachmentHeader {
  std::string content_id;
  std::string attachment_name;
  std::string content_type;
};

// Receives decoded attachment bytes as they stream out of the document.
class AttachmentSink {
 public:
  virtual ~AttachmentSink() = default;
  // `index` counts attachments in document order from 0.
  virtual Result<std::unique_ptr<ByteSink>> open_attachment(std::size_t index,
                                                            const AttachmentHeader& header) = 0;
};

// Drops the bytes; size, SHA-256 and type are still measured by the parser.
class DiscardAttachments final : public AttachmentSink {
 public:
  Result<std::unique_ptr<ByteSink>> open_attachment(std::size_t index,
                                                    const AttachmentHeader& header) override;
};

struct ParseOptions {
  Limits limits;
  // Validate against the project's edXML schema (edxml/schema/edxml.xsd) while parsing; schema
  // violations become error findings.
  bool validate_schema = true;
};

// Hardened streaming edXML reader (Xerces-C++ SAX2): no DTDs, no external entities, no schema
// loaded on the document's say-so, bounded depth, counts, text and token sizes; attachments
// decoded from base64 straight into the sink. Create once and share: parse() is const and
// thread-safe.
class Parser {
 public:
  explicit Parser(ParseOptions options = {});
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Fails (parse.*, attachment.*) when the input is not a well-formed, bounded edXML document.
  // A document that parses may still carry error findings; see validate().
  Result<Parsed> parse(ByteSource& input, AttachmentSink& attachments,
                       XmlEventListener* listener = nullptr) const;

  const ParseOptions& options() const { return options_; }
  // Namespace URIs the shared schema grammar currently interns (diagnostics and tests): Xerces
  // keeps every URI a document declares, so the parser starts a fresh grammar past a bound.
  std::size_t interned_namespace_count() const;

 private:
  struct Grammar;
  std::shared_ptr<Grammar> current_grammar() const;

  ParseOptions options_;
  mutable std::mutex grammar_mutex_;
  mutable std::shared_ptr<Grammar> grammar_;
};

}  // namespace truc::edxml
