#pragma once

#include <vector>

#include "attachment_stream.hpp"
#include "element_tree.hpp"
#include "truc/edxml/model.hpp"
#include "truc/edxml/parse.hpp"

namespace truc::edxml {

// Reads the typed model out of the element tree. Values the model cannot hold (a malformed date,
// an undefined code) become error findings; variants tolerated from deployed senders become
// warnings. Missing elements are left empty: the schema and validate() report them.
Document map_document(const Element& root, const std::vector<AttachmentMeasure>& attachments,
                      std::vector<Finding>& findings);

}  // namespace truc::edxml
