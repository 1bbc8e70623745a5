#pragma once

#include <vector>

#include "truc/edxml/parse.hpp"

namespace truc::edxml {

// Every finding about a parsed document: the parser's (schema, value formats, tolerated variants)
// followed by the rules a schema cannot express.
struct ValidationReport {
  std::vector<Finding> findings;

  bool valid() const;
  // The first error, if any: what a caller that stops at one problem reports.
  const Finding* first_error() const;
  std::vector<Finding> errors() const;
  std::vector<Finding> warnings() const;
};

// Rules checked here (codes in docs/errors.md): required values present, agency codes in the
// national form, ContentIds unique and consistent between manifest and attachments, attachment
// names safe to use as file names, declared vs detected attachment types, business references,
// and the field lengths deployed validators enforce.
ValidationReport validate(const Parsed& parsed);

}  // namespace truc::edxml
