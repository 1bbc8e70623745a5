#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "truc/edxml/xml_events.hpp"

namespace truc::security {

// In-scope namespace bindings and inherited xml:* attributes, maintained from parser events.
// Canonical XML needs both at the apex of a document subset (SignedInfo).
class NamespaceScope {
 public:
  void push(std::span<const edxml::NamespaceDeclaration> declarations,
            std::span<const edxml::XmlAttribute> attributes);
  void pop();

  // Every binding in scope, one per prefix ("" for the default namespace), innermost first
  // wins; an empty default namespace is omitted.
  std::vector<std::pair<std::string, std::string>> bindings() const;
  // xml:* attributes in scope (qualified name, value), innermost first wins.
  std::vector<std::pair<std::string, std::string>> xml_attributes() const;

 private:
  struct Frame {
    std::vector<std::pair<std::string, std::string>> declarations;
    std::vector<std::pair<std::string, std::string>> xml_attributes;
  };
  std::vector<Frame> frames_;
};

// Canonical XML 1.0 (http://www.w3.org/TR/2001/REC-xml-c14n-20010315) of a document or of the
// subtree starting at an apex element, produced from parser events and written to `output` as
// it goes. Each output element is rendered with the namespace declarations that differ from its
// parent's (all in-scope bindings at the apex), attributes sorted by namespace URI then local
// name, and the escaping rules of the specification.
class Canonicalizer {
 public:
  using Output = std::function<void(std::string_view)>;

  Canonicalizer(Output output, bool with_comments);

  // For a subset apex: bindings and xml:* attributes inherited from ancestors outside the subset.
  void start_apex(const edxml::XmlName& name,
                  std::span<const edxml::NamespaceDeclaration> declarations,
                  std::span<const edxml::XmlAttribute> attributes,
                  const std::vector<std::pair<std::string, std::string>>& inherited_bindings,
                  const std::vector<std::pair<std::string, std::string>>& inherited_xml_attributes);
  void start_element(const edxml::XmlName& name,
                     std::span<const edxml::NamespaceDeclaration> declarations,
                     std::span<const edxml::XmlAttribute> attributes);
  void end_element(const edxml::XmlName& name);
  void characters(std::string_view text);
  void comment(std::string_view text);
  void processing_instruction(std::string_view target, std::string_view data);

  static void escape_text(std::string_view text, std::string& out);
  static void escape_attribute(std::string_view text, std::string& out);

 private:
  void render_start(
      const edxml::XmlName& name, std::vector<std::pair<std::string, std::string>> rendered,
      std::vector<std::pair<std::string, std::string>> bindings,
      std::span<const edxml::XmlAttribute> attributes,
      const std::vector<std::pair<std::string, std::string>>& inherited_xml_attributes);
  // Text before the root element gets a line break after it, text after the root one before it.
  void emit_outside_root(const std::string& markup);

  Output output_;
  bool with_comments_;
  // Namespace bindings rendered in scope for each open output element (prefix -> uri).
  std::vector<std::vector<std::pair<std::string, std::string>>> rendered_scopes_;
  bool root_seen_ = false;
  std::string scratch_;
};

}  // namespace truc::security
