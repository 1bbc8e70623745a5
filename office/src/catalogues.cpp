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

Error duplicate_entry(const std::string& name) {
  return Error{"catalogue.duplicate", "the catalogue has an entry of this name", name};
}

// The table behind a named catalogue and how its entries are listed; only these fixed texts are
// ever put into SQL.
struct NamedTable {
  const char* table;
  const char* audit_name;  // "department" in "department.added"
  const char* select;      // id, name, rank, users
  const char* order;
};

NamedTable named_table(NamedCatalogue catalogue) {
  switch (catalogue) {
    case NamedCatalogue::department:
      return {"departments", "department",
              "SELECT e.id, e.name, NULL::integer, (SELECT count(*) FROM users u WHERE "
              "u.department_id = e.id AND u.active) FROM departments e ",
              "ORDER BY e.name"};
    case NamedCatalogue::urgency:
      return {"urgency_levels", "urgency_level",
              "SELECT e.id, e.name, e.rank, NULL::bigint FROM urgency_levels e ",
              "ORDER BY e.rank"};
    case NamedCatalogue::secrecy:
      return {"secrecy_levels", "secrecy_level",
              "SELECT e.id, e.name, e.rank, NULL::bigint FROM secrecy_levels e ",
              "ORDER BY e.rank"};
    case NamedCatalogue::field:
      return {"fields", "field", "SELECT e.id, e.name, NULL::integer, NULL::bigint FROM fields e ",
              "ORDER BY e.name"};
  }
  return {};
}

std::vector<NamedEntry> named_entries(const store::Rows& rows) {
  std::vector<NamedEntry> entries;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    NamedEntry entry{rows.integer(row, 0), rows.text(row, 1), std::nullopt, std::nullopt};
    if (!rows.is_null(row, 2)) entry.rank = static_cast<int>(rows.integer(row, 2));
    if (!rows.is_null(row, 3)) entry.users = rows.integer(row, 3);
    entries.push_back(std::move(entry));
  }
  return entries;
}

Register register_at(const store::Rows& rows, std::size_t row) {
  return Register{rows.integer(row, 0),  rows.text(row, 1),    static_cast<int>(rows.integer(row, 2)),
                  rows.text(row, 3),     rows.boolean(row, 4), rows.integer(row, 5)};
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

Result<std::vector<NamedEntry>> Catalogues::entries(NamedCatalogue catalogue,
                                                    std::int64_t agency_id) {
  const NamedTable table = named_table(catalogue);
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows = (*connection)
                  ->execute(std::string(table.select) + "WHERE e.agency_id = $1 " + table.order,
                            {std::to_string(agency_id)});
  if (!rows) return std::move(rows).error();
  return named_entries(*rows);
}

Result<NamedEntry> Catalogues::add_entry(NamedCatalogue catalogue, std::int64_t agency_id,
                                         const std::string& name, const Actor& actor) {
  TRUC_TRY(check_text("name", name, 200));
  const NamedTable table = named_table(catalogue);
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto inserted = transaction->execute(
      std::string("INSERT INTO ") + table.table + " (agency_id, name) VALUES ($1, $2) RETURNING id",
      {std::to_string(agency_id), name});
  if (!inserted) {
    if (inserted.error().code == "store.unique_violation") return duplicate_entry(name);
    return std::move(inserted).error();
  }
  TRUC_TRY(audit(*transaction, agency_id, actor, std::string(table.audit_name) + ".added", name));
  auto entry =
      transaction->execute(std::string(table.select) + "WHERE e.id = $1", {inserted->text(0, 0)});
  if (!entry) return std::move(entry).error();
  TRUC_TRY(transaction->commit());
  return named_entries(*entry).front();
}

Result<NamedEntry> Catalogues::rename_entry(NamedCatalogue catalogue, std::int64_t agency_id,
                                            std::int64_t id, const std::string& name,
                                            const Actor& actor) {
  TRUC_TRY(check_text("name", name, 200));
  const NamedTable table = named_table(catalogue);
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto renamed = transaction->execute(
      std::string("UPDATE ") + table.table + " SET name = $3 WHERE agency_id = $1 AND id = $2",
      {std::to_string(agency_id), std::to_string(id), name});
  if (!renamed) {
    if (renamed.error().code == "store.unique_violation") return duplicate_entry(name);
    return std::move(renamed).error();
  }
  if (renamed->affected() == 0) {
    return Error{"catalogue.not_found", "the catalogue has no entry of the agency with this id",
                 std::to_string(id)};
  }
  TRUC_TRY(audit(*transaction, agency_id, actor, std::string(table.audit_name) + ".renamed", name));
  auto entry =
      transaction->execute(std::string(table.select) + "WHERE e.id = $1", {std::to_string(id)});
  if (!entry) return std::move(entry).error();
  TRUC_TRY(transaction->commit());
  return named_entries(*entry).front();
}

Result<Register> Catalogues::add_register(std::int64_t agency_id, const NewRegister& entry,
                                          const Actor& actor) {
  if (entry.direction != "incoming" && entry.direction != "outgoing") {
    return invalid_field("direction", "incoming or outgoing");
  }
  if (entry.year < 2000 || entry.year > 2200) return invalid_field("year", "2000 to 2200");
  TRUC_TRY(check_text("name", entry.name, 200));
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto inserted = transaction->execute(
      "INSERT INTO registers (agency_id, direction, year, name, secret) "
      "VALUES ($1, $2, $3, $4, $5) RETURNING id, name, year, direction, secret, next_number",
      {std::to_string(agency_id), entry.direction, std::to_string(entry.year), entry.name,
       entry.secret ? "true" : "false"});
  if (!inserted) {
    if (inserted.error().code == "store.unique_violation") {
      return Error{"catalogue.duplicate", "the agency has a register of this name for this year",
                   entry.name + " (" + std::to_string(entry.year) + ")"};
    }
    return std::move(inserted).error();
  }
  TRUC_TRY(audit(*transaction, agency_id, actor, "register.added",
                 entry.name + " (" + std::to_string(entry.year) + ")"));
  TRUC_TRY(transaction->commit());
  return register_at(*inserted, 0);
}

Result<std::vector<Register>> Catalogues::open_next_year(std::int64_t agency_id,
                                                         const Actor& actor) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto opened = transaction->execute(
      "INSERT INTO registers (agency_id, direction, year, name, secret) "
      "SELECT agency_id, direction, year + 1, name, secret FROM registers "
      "WHERE agency_id = $1 AND year = extract(year FROM now() AT TIME ZONE "
      "'Asia/Ho_Chi_Minh')::integer "
      "ON CONFLICT (agency_id, direction, year, name) DO NOTHING "
      "RETURNING id, name, year, direction, secret, next_number",
      {std::to_string(agency_id)});
  if (!opened) return std::move(opened).error();
  std::vector<Register> registers;
  for (std::size_t row = 0; row < opened->size(); ++row) {
    registers.push_back(register_at(*opened, row));
    TRUC_TRY(audit(*transaction, agency_id, actor, "register.added",
                   registers.back().name + " (" + std::to_string(registers.back().year) + ")"));
  }
  TRUC_TRY(transaction->commit());
  return registers;
}

}  // namespace truc::office
