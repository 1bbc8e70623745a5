#include <utility>

#include "api_support.hpp"

namespace truc::office {
namespace {

using http::BodyMode;
using http::Request;
using http::Response;

json::object document_type_json(const DocumentType& type) {
  return {{"id", type.id}, {"abbreviation", type.abbreviation}, {"name", type.name}};
}

json::object register_json(const Register& entry) {
  return {{"id", entry.id},         {"name", entry.name},
          {"year", entry.year},     {"direction", entry.direction},
          {"secret", entry.secret}, {"next_number", entry.next_number}};
}

json::object entry_json(const NamedEntry& entry) {
  json::object object{{"id", entry.id}, {"name", entry.name}};
  if (entry.rank) object["rank"] = *entry.rank;
  if (entry.users) object["users"] = *entry.users;
  return object;
}

// Reads {abbreviation, name} and calls `write` with them.
template <typename Write>
Response document_type_change(Request& request, unsigned status, Write&& write) {
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto abbreviation = string_member(*body, "abbreviation", "");
  if (!abbreviation) return error_response(abbreviation.error());
  auto name = string_member(*body, "name");
  if (!name) return error_response(name.error());
  auto written = write(*abbreviation, *name);
  if (!written) return error_response(written.error());
  return json_response(status, document_type_json(*written));
}

// A named catalogue under `path`: listed by everyone, renamed by the admin and, unless its entries
// are tied to edXML codes, added to.
void add_named_catalogue(RouteTable& routes, Catalogues& catalogues, const std::string& path,
                         NamedCatalogue catalogue, bool may_add) {
  routes.add("GET", path, BodyMode::none, Action::view_catalogues,
             [&catalogues, catalogue](Request& request) {
               auto entries = catalogues.entries(catalogue, session_of(request).account.agency_id);
               if (!entries) return error_response(entries.error());
               json::array items;
               for (const auto& entry : *entries) items.push_back(entry_json(entry));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  if (may_add) {
    routes.add("POST", path, BodyMode::memory, Action::edit_catalogues,
               [&catalogues, catalogue](Request& request) {
                 auto body = json_body(request);
                 if (!body) return error_response(body.error());
                 auto name = string_member(*body, "name");
                 if (!name) return error_response(name.error());
                 auto added = catalogues.add_entry(catalogue, session_of(request).account.agency_id,
                                                   *name, actor_of(request));
                 if (!added) return error_response(added.error());
                 return json_response(201, entry_json(*added));
               });
  }
  routes.add("PUT", path + "/{id}", BodyMode::memory, Action::edit_catalogues,
             [&catalogues, catalogue](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto name = string_member(*body, "name");
               if (!name) return error_response(name.error());
               auto renamed = catalogues.rename_entry(
                   catalogue, session_of(request).account.agency_id, *id, *name, actor_of(request));
               if (!renamed) return error_response(renamed.error());
               return json_response(200, entry_json(*renamed));
             });
}

// {direction, year, name, secret?}
Result<NewRegister> register_body(const json::object& body) {
  NewRegister entry;
  auto direction = string_member(body, "direction");
  if (!direction) return std::move(direction).error();
  entry.direction = std::move(*direction);
  auto name = string_member(body, "name");
  if (!name) return std::move(name).error();
  entry.name = std::move(*name);
  const json::value* year = body.if_contains("year");
  if (year == nullptr || !year->is_int64() || year->as_int64() < 0 || year->as_int64() > 9999) {
    return Error{"request.invalid", "a member is missing or not a year", "year"};
  }
  entry.year = static_cast<int>(year->as_int64());
  if (const json::value* secret = body.if_contains("secret"); secret != nullptr) {
    if (!secret->is_bool()) return Error{"request.invalid", "a member is not a boolean", "secret"};
    entry.secret = secret->as_bool();
  }
  return entry;
}

}  // namespace

void add_catalogue_routes(RouteTable& routes, ApiServices services) {
  Catalogues& catalogues = services.catalogues;
  IncomingDocuments& incoming = services.incoming;
  routes.add("GET", "/catalogues/document-types", BodyMode::none, Action::view_catalogues,
             [&catalogues](Request& request) {
               auto types = catalogues.document_types(session_of(request).account.agency_id);
               if (!types) return error_response(types.error());
               json::array items;
               for (const auto& type : *types) items.push_back(document_type_json(type));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  routes.add("POST", "/catalogues/document-types", BodyMode::memory, Action::edit_catalogues,
             [&catalogues](Request& request) {
               return document_type_change(
                   request, 201, [&](const auto& abbreviation, const auto& name) {
                     return catalogues.add_document_type(session_of(request).account.agency_id,
                                                         abbreviation, name, actor_of(request));
                   });
             });
  routes.add(
      "PUT", "/catalogues/document-types/{id}", BodyMode::memory, Action::edit_catalogues,
      [&catalogues](Request& request) {
        auto id = id_parameter(request, "id");
        if (!id) return error_response(id.error());
        return document_type_change(request, 200, [&](const auto& abbreviation, const auto& name) {
          return catalogues.change_document_type(session_of(request).account.agency_id, *id,
                                                 abbreviation, name, actor_of(request));
        });
      });

  routes.add("GET", "/catalogues/registers", BodyMode::none, Action::view_catalogues,
             [&incoming](Request& request) {
               auto direction = request.query.find("direction");
               auto registers = incoming.registers(
                   session_of(request).account.agency_id,
                   direction == request.query.end() ? "incoming" : direction->second);
               if (!registers) return error_response(registers.error());
               json::array items;
               for (const auto& entry : *registers) {
                 items.push_back(register_json(entry));
               }
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  routes.add("POST", "/catalogues/registers", BodyMode::memory, Action::edit_catalogues,
             [&catalogues](Request& request) {
               auto body = json_body(request);
               if (!body) return error_response(body.error());
               auto entry = register_body(*body);
               if (!entry) return error_response(entry.error());
               auto added = catalogues.add_register(session_of(request).account.agency_id, *entry,
                                                    actor_of(request));
               if (!added) return error_response(added.error());
               return json_response(201, register_json(*added));
             });
  routes.add("POST", "/catalogues/registers/next-year", BodyMode::none, Action::edit_catalogues,
             [&catalogues](Request& request) {
               auto opened = catalogues.open_next_year(session_of(request).account.agency_id,
                                                       actor_of(request));
               if (!opened) return error_response(opened.error());
               json::array items;
               for (const auto& entry : *opened) items.push_back(register_json(entry));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  add_named_catalogue(routes, catalogues, "/catalogues/urgency-levels", NamedCatalogue::urgency,
                      false);
  add_named_catalogue(routes, catalogues, "/catalogues/secrecy-levels", NamedCatalogue::secrecy,
                      false);
  add_named_catalogue(routes, catalogues, "/catalogues/fields", NamedCatalogue::field, true);
  add_named_catalogue(routes, catalogues, "/departments", NamedCatalogue::department, true);
}

}  // namespace truc::office
