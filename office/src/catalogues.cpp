#include "truc/office/catalogues.hpp"

#include "records.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

Status check_document_type(const std::string& abbreviation, const std::string& name) {
  TRUC_TRY(check_text("abbreviation", abbreviation, 10, 0));
  return check_text("name", name, 100);
}

Error duplicate_type(const std::string& name) {
  return Error{"catalogue.duplicate", "the agency has a document type of this name", name};
}

}  // namespace

Result<std::vector<DocumentType>> Catalogues::document_types(std::int64_t agency_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows =
      (*connection)
          ->execute(
              "SELECT id, abbreviation, name FROM document_types WHERE agency_id = $1 ORDER BY id",
              {std::to_string(agency_id)});
  if (!rows) return std::move(rows).error();
  std::vector<DocumentType> types;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    types.push_back({rows->integer(row, 0), rows->text(row, 1), rows->text(row, 2)});
  }
  return types;
}

Result<DocumentType> Catalogues::add_document_type(std::int64_t agency_id,
                                                   const std::string& abbreviation,
                                                   const std::string& name, const Actor& actor) {
  TRUC_TRY(check_document_type(abbreviation, name));
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto inserted = transaction->execute(
      "INSERT INTO document_types (agency_id, abbreviation, name) VALUES ($1, $2, $3) "
      "RETURNING id",
      {std::to_string(agency_id), abbreviation, name});
  if (!inserted) {
    if (inserted.error().code == "store.unique_violation") return duplicate_type(name);
    return std::move(inserted).error();
  }
  TRUC_TRY(audit(*transaction, agency_id, actor, "document_type.added", name));
  TRUC_TRY(transaction->commit());
  return DocumentType{inserted->integer(0, 0), abbreviation, name};
}

Result<DocumentType> Catalogues::change_document_type(std::int64_t agency_id, std::int64_t id,
                                                      const std::string& abbreviation,
                                                      const std::string& name, const Actor& actor) {
  TRUC_TRY(check_document_type(abbreviation, name));
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto changed = transaction->execute(
      "UPDATE document_types SET abbreviation = $3, name = $4 WHERE agency_id = $1 AND id = $2",
      {std::to_string(agency_id), std::to_string(id), abbreviation, name});
  if (!changed) {
    if (changed.error().code == "store.unique_violation") return duplicate_type(name);
    return std::move(changed).error();
  }
  if (changed->affected() == 0) {
    return Error{"catalogue.not_found", "the agency has no document type with this id",
                 std::to_string(id)};
  }
  TRUC_TRY(audit(*transaction, agency_id, actor, "document_type.changed", name));
  TRUC_TRY(transaction->commit());
  return DocumentType{id, abbreviation, name};
}

}  // namespace truc::office
