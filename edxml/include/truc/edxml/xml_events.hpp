#pragma once

#include <span>
#include <string_view>

namespace truc::edxml {

// One XML name as the parser resolved it. Strings are UTF-8 and valid only during the callback.
struct XmlName {
  std::string_view namespace_uri;
  std::string_view local_name;
  std::string_view qualified_name;  // as written, with its prefix
};

struct XmlAttribute {
  XmlName name;
  std::string_view value;  // after XML attribute-value normalization
};

// An xmlns or xmlns:prefix attribute; `prefix` is empty for the default namespace.
struct NamespaceDeclaration {
  std::string_view prefix;
  std::string_view uri;
};

// The document as the hardened parser saw it, event by event. Whoever must agree with the parser
// on the content (the signature verifier above all) listens here instead of parsing again, so
// that what is verified is exactly what is read. Namespace declarations are not repeated among
// the attributes. Comments and processing instructions are reported wherever they occur.
class XmlEventListener {
 public:
  virtual ~XmlEventListener() = default;
  virtual void start_element(const XmlName& name,
                             std::span<const NamespaceDeclaration> declarations,
                             std::span<const XmlAttribute> attributes) = 0;
  virtual void end_element(const XmlName& name) = 0;
  virtual void characters(std::string_view text) = 0;
  virtual void comment(std::string_view text) = 0;
  virtual void processing_instruction(std::string_view target, std::string_view data) = 0;
  // Called once, after the root element closed and the input ended without error.
  virtual void end_document() = 0;
};

}  // namespace truc::edxml
