#pragma once

#include <optional>
#include <string>

#include "truc/edxml/validate.hpp"
#include "truc/security/xmldsig.hpp"

namespace truc::cli {

// What `truc edxml inspect` shows about a document.
struct DocumentView {
  const edxml::Document& document;
  const edxml::ValidationReport& report;
  // Absent when the document carries no XML-DSig signature.
  const std::optional<security::SignatureSummary>& signature;
};

// One JSON object whose keys follow the element names in snake_case, nested as in the document.
std::string render_json(const DocumentView& view);
// A short, aligned text for people.
std::string render_text(const DocumentView& view);

}  // namespace truc::cli
