#include "canonicalizer.hpp"

#include <algorithm>
#include <map>

namespace truc::security {
namespace {

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

using Bindings = std::vector<std::pair<std::string, std::string>>;

std::string_view value_of(const Bindings& bindings, std::string_view prefix) {
  for (const auto& [bound_prefix, uri] : bindings) {
    if (bound_prefix == prefix) return uri;
  }
  return {};
}

void bind_prefix(Bindings& bindings, std::string_view prefix, std::string_view uri) {
  for (auto& [bound_prefix, bound_uri] : bindings) {
    if (bound_prefix == prefix) {
      bound_uri = uri;
      return;
    }
  }
  bindings.emplace_back(prefix, uri);
}

bool is_xml_attribute(const edxml::XmlAttribute& attribute) {
  return attribute.name.namespace_uri == kXmlNamespace;
}

}  // namespace

void NamespaceScope::push(std::span<const edxml::NamespaceDeclaration> declarations,
                          std::span<const edxml::XmlAttribute> attributes) {
  Frame frame;
  for (const auto& declaration : declarations) {
    frame.declarations.emplace_back(declaration.prefix, declaration.uri);
  }
  for (const auto& attribute : attributes) {
    if (is_xml_attribute(attribute)) {
      frame.xml_attributes.emplace_back(attribute.name.qualified_name, attribute.value);
    }
  }
  frames_.push_back(std::move(frame));
}

void NamespaceScope::pop() { frames_.pop_back(); }

Bindings NamespaceScope::bindings() const {
  Bindings in_scope;
  for (const auto& frame : frames_) {
    for (const auto& [prefix, uri] : frame.declarations) bind_prefix(in_scope, prefix, uri);
  }
  std::erase_if(in_scope, [](const auto& binding) { return binding.second.empty(); });
  return in_scope;
}

Bindings NamespaceScope::xml_attributes() const {
  Bindings in_scope;
  for (const auto& frame : frames_) {
    for (const auto& [name, value] : frame.xml_attributes) bind_prefix(in_scope, name, value);
  }
  return in_scope;
}

Canonicalizer::Canonicalizer(Output output, bool with_comments)
    : output_(std::move(output)), with_comments_(with_comments) {}

void Canonicalizer::escape_text(std::string_view text, std::string& out) {
  // Most text (attachment base64 above all) needs no escaping: append it in runs.
  std::size_t start = 0;
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char* replacement = nullptr;
    switch (text[index]) {
      case '&':
        replacement = "&amp;";
        break;
      case '<':
        replacement = "&lt;";
        break;
      case '>':
        replacement = "&gt;";
        break;
      case '\r':
        replacement = "&#xD;";
        break;
      default:
        continue;
    }
    out.append(text.substr(start, index - start));
    out += replacement;
    start = index + 1;
  }
  out.append(text.substr(start));
}

void Canonicalizer::escape_attribute(std::string_view text, std::string& out) {
  for (char character : text) {
    switch (character) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\t':
        out += "&#x9;";
        break;
      case '\n':
        out += "&#xA;";
        break;
      case '\r':
        out += "&#xD;";
        break;
      default:
        out += character;
    }
  }
}

void Canonicalizer::start_apex(const edxml::XmlName& name,
                               std::span<const edxml::NamespaceDeclaration> declarations,
                               std::span<const edxml::XmlAttribute> attributes,
                               const Bindings& inherited_bindings,
                               const Bindings& inherited_xml_attributes) {
  Bindings scope = inherited_bindings;
  for (const auto& declaration : declarations)
    bind_prefix(scope, declaration.prefix, declaration.uri);
  Bindings rendered;
  for (const auto& [prefix, uri] : scope) {
    if (!uri.empty() && prefix != "xml") rendered.emplace_back(prefix, uri);
  }
  // xml:* attributes of ancestors outside the subset are inherited unless the apex has its own.
  Bindings inherited_xml;
  for (const auto& inherited : inherited_xml_attributes) {
    bool overridden = std::any_of(attributes.begin(), attributes.end(), [&](const auto& attribute) {
      return is_xml_attribute(attribute) && attribute.name.qualified_name == inherited.first;
    });
    if (!overridden) inherited_xml.push_back(inherited);
  }
  render_start(name, std::move(rendered), std::move(scope), attributes, inherited_xml);
}

void Canonicalizer::start_element(const edxml::XmlName& name,
                                  std::span<const edxml::NamespaceDeclaration> declarations,
                                  std::span<const edxml::XmlAttribute> attributes) {
  Bindings scope = rendered_scopes_.empty() ? Bindings{} : rendered_scopes_.back();
  Bindings rendered;
  for (const auto& declaration : declarations) {
    if (declaration.prefix == "xml") continue;
    // Superfluous declarations (same value as the parent's) are dropped; xmlns="" is rendered
    // only where it undoes a non-empty default namespace.
    if (value_of(scope, declaration.prefix) != declaration.uri) {
      rendered.emplace_back(declaration.prefix, declaration.uri);
    }
    bind_prefix(scope, declaration.prefix, declaration.uri);
  }
  render_start(name, std::move(rendered), std::move(scope), attributes, {});
}

void Canonicalizer::render_start(const edxml::XmlName& name, Bindings rendered, Bindings scope,
                                 std::span<const edxml::XmlAttribute> attributes,
                                 const Bindings& inherited_xml_attributes) {
  std::sort(rendered.begin(), rendered.end());

  struct SortedAttribute {
    std::string_view namespace_uri;
    std::string_view local_name;
    std::string_view qualified_name;
    std::string_view value;
  };
  std::vector<SortedAttribute> sorted;
  sorted.reserve(attributes.size() + inherited_xml_attributes.size());
  for (const auto& attribute : attributes) {
    sorted.push_back({attribute.name.namespace_uri, attribute.name.local_name,
                      attribute.name.qualified_name, attribute.value});
  }
  for (const auto& [qualified_name, value] : inherited_xml_attributes) {
    sorted.push_back(
        {kXmlNamespace, std::string_view(qualified_name).substr(4), qualified_name, value});
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto& left, const auto& right) {
    return std::tie(left.namespace_uri, left.local_name) <
           std::tie(right.namespace_uri, right.local_name);
  });

  scratch_.clear();
  scratch_ += '<';
  scratch_ += name.qualified_name;
  for (const auto& [prefix, uri] : rendered) {
    scratch_ += prefix.empty() ? " xmlns=\"" : " xmlns:" + prefix + "=\"";
    escape_attribute(uri, scratch_);
    scratch_ += '"';
  }
  for (const auto& attribute : sorted) {
    scratch_ += ' ';
    scratch_ += attribute.qualified_name;
    scratch_ += "=\"";
    escape_attribute(attribute.value, scratch_);
    scratch_ += '"';
  }
  scratch_ += '>';
  output_(scratch_);
  rendered_scopes_.push_back(std::move(scope));
  root_seen_ = true;
}

void Canonicalizer::end_element(const edxml::XmlName& name) {
  scratch_.clear();
  scratch_ += "</";
  scratch_ += name.qualified_name;
  scratch_ += '>';
  output_(scratch_);
  rendered_scopes_.pop_back();
}

void Canonicalizer::characters(std::string_view text) {
  scratch_.clear();
  escape_text(text, scratch_);
  output_(scratch_);
}

void Canonicalizer::comment(std::string_view text) {
  if (!with_comments_) return;
  emit_outside_root("<!--" + std::string(text) + "-->");
}

void Canonicalizer::processing_instruction(std::string_view target, std::string_view data) {
  std::string markup = "<?" + std::string(target);
  if (!data.empty()) markup += " " + std::string(data);
  markup += "?>";
  emit_outside_root(markup);
}

void Canonicalizer::emit_outside_root(const std::string& markup) {
  if (!rendered_scopes_.empty()) {
    output_(markup);
  } else if (!root_seen_) {
    output_(markup + "\n");
  } else {
    output_("\n" + markup);
  }
}

}  // namespace truc::security
