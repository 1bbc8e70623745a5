#pragma once

// The catalogues an agency admin edits (office-rules.md): document types with their
// abbreviations for now; registers, urgency and secrecy levels and fields are seeded with the
// agency (Accounts::create_agency) and read by the documents that use them.

#include <cstdint>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/office/accounts.hpp"

namespace truc::store {
class Pool;
}

namespace truc::office {

struct DocumentType {
  std::int64_t id = 0;
  std::string abbreviation;  // e.g. "QĐ"; empty for types without one (công văn)
  std::string name;
};

class Catalogues {
 public:
  explicit Catalogues(store::Pool& database) : database_(database) {}

  // In the order of Appendix III, then the agency's own additions.
  Result<std::vector<DocumentType>> document_types(std::int64_t agency_id);
  // Errors: field.invalid (name 1–100 characters, abbreviation up to 10), catalogue.duplicate.
  Result<DocumentType> add_document_type(std::int64_t agency_id, const std::string& abbreviation,
                                         const std::string& name, const Actor& actor);
  // The same errors, and catalogue.not_found for an id that is not one of the agency's types.
  Result<DocumentType> change_document_type(std::int64_t agency_id, std::int64_t id,
                                            const std::string& abbreviation,
                                            const std::string& name, const Actor& actor);

 private:
  store::Pool& database_;
};

}  // namespace truc::office
