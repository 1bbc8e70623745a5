#pragma once

// The catalogues an agency admin edits (office-rules.md), seeded with the agency
// (Accounts::create_agency): document types with their abbreviations; the named lists
// (departments, urgency and secrecy levels, fields); and registers, one set per year. Registers
// are listed by IncomingDocuments::registers, which numbers documents in them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/office/accounts.hpp"
#include "truc/office/incoming.hpp"

namespace truc::store {
class Pool;
}

namespace truc::office {

struct DocumentType {
  std::int64_t id = 0;
  std::string abbreviation;  // e.g. "QĐ"; empty for types without one (công văn)
  std::string name;
};

// The catalogues that are a list of names. Urgency and secrecy levels have a rank tied to the
// edXML codes: they are renamed, never added.
enum class NamedCatalogue { department, urgency, secrecy, field };

struct NamedEntry {
  std::int64_t id = 0;
  std::string name;
  std::optional<int> rank;            // urgency and secrecy levels
  std::optional<std::int64_t> users;  // departments: active accounts in it
};

struct NewRegister {
  std::string direction;  // incoming or outgoing
  int year = 0;
  std::string name;
  bool secret = false;
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

  // By rank, or by name for departments and fields.
  Result<std::vector<NamedEntry>> entries(NamedCatalogue catalogue, std::int64_t agency_id);
  // Departments and fields. Errors: field.invalid (name 1–200 characters, one line),
  // catalogue.duplicate.
  Result<NamedEntry> add_entry(NamedCatalogue catalogue, std::int64_t agency_id,
                               const std::string& name, const Actor& actor);
  // The same errors, and catalogue.not_found for an id that is not one of the agency's.
  Result<NamedEntry> rename_entry(NamedCatalogue catalogue, std::int64_t agency_id, std::int64_t id,
                                  const std::string& name, const Actor& actor);

  // Errors: field.invalid (direction, a year from 2000 to 2200, name), catalogue.duplicate.
  Result<Register> add_register(std::int64_t agency_id, const NewRegister& entry,
                                const Actor& actor);
  // Next year's registers (Vietnam time), as copies of this year's that it does not have yet,
  // numbered from 1: numbering restarts each year. The registers opened, none when done before.
  Result<std::vector<Register>> open_next_year(std::int64_t agency_id, const Actor& actor);

 private:
  store::Pool& database_;
};

}  // namespace truc::office
