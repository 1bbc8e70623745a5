#include "truc/hub/directory.hpp"

#include <algorithm>
#include <map>

#include "truc/common/url.hpp"
#include "truc/edxml/model.hpp"
#include "truc/security/certificate.hpp"

namespace truc::hub {
namespace {

using store::Agency;
using store::Repository;

Error invalid(const std::string& field, const std::string& reason) {
  return Error{"agency.invalid", "the agency entry is not valid", field + ": " + reason};
}

bool is_system_id(const std::string& text) {
  return !text.empty() && text.size() <= 100 &&
         std::all_of(text.begin(), text.end(), [](unsigned char character) {
           return std::isalnum(character) || character == '.' || character == '_' ||
                  character == '-';
         });
}

// Parent and gateway must exist; a gateway is a peer_hub or national entry that collects for
// itself, and an agency behind it has the gateway's kind.
Status check_references(Repository& repository, const Agency& agency) {
  if (agency.parent_code) {
    auto parent = repository.agency(*agency.parent_code);
    if (!parent) return std::move(parent).error();
    if (!*parent) return invalid("parent_code", "no agency " + *agency.parent_code);
  }
  if (!agency.route_via) return ok_status();
  if (agency.kind == store::Route::local)
    return invalid("route_via", "a local agency collects its own packages");
  auto gateway = repository.agency(*agency.route_via);
  if (!gateway) return std::move(gateway).error();
  if (!*gateway) return invalid("route_via", "no agency " + *agency.route_via);
  if ((*gateway)->route_via || (*gateway)->kind != agency.kind) {
    return invalid("route_via", *agency.route_via + " is not a " +
                                    std::string(store::to_string(agency.kind)) +
                                    " gateway that collects for itself");
  }
  return ok_status();
}

bool is_fingerprint(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The columns of the CSV import: the first eight are required; each later one came with a
// feature, and a file may stop before any of them (what it leaves out keeps its recorded value).
const std::vector<std::string> kCsvColumns{
    "code",    "name",       "parent_code", "kind",       "route_via",           "signature_policy",
    "enabled", "system_ids", "qd20_code",   "signer_cas", "signer_certificates", "allow_sha1"};
constexpr std::size_t kRequiredCsvColumns = 8;

std::optional<std::string> optional_field(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

std::vector<std::string> split_on_semicolons(const std::string& text) {
  std::vector<std::string> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    std::string id = text.substr(start, end - start);
    if (!id.empty()) ids.push_back(id);
    start = end + 1;
  }
  return ids;
}

Result<Agency> agency_from_row(const std::vector<std::string>& row, std::size_t columns,
                               std::size_t line) {
  auto where = [&](const std::string& column) {
    return "line " + std::to_string(line) + ", " + column;
  };
  if (row.size() != columns)
    return invalid(
        "line " + std::to_string(line),
        "expected " + std::to_string(columns) + " columns, found " + std::to_string(row.size()));
  Agency agency;
  agency.code = row[0];
  agency.name = row[1];
  agency.parent_code = optional_field(row[2]);
  auto kind = store::parse_route(row[3].empty() ? "local" : row[3]);
  if (!kind) return invalid(where("kind"), "one of local, peer_hub, national");
  agency.kind = *kind;
  agency.route_via = optional_field(row[4]);
  auto policy = store::parse_signature_policy(row[5].empty() ? "require" : row[5]);
  if (!policy) return invalid(where("signature_policy"), "one of require, verify_if_present, off");
  agency.signature_policy = *policy;
  if (row[6] != "" && row[6] != "true" && row[6] != "false")
    return invalid(where("enabled"), "true or false");
  agency.enabled = row[6] != "false";
  agency.system_ids = split_on_semicolons(row[7]);
  if (columns > 8) agency.qd20_code = optional_field(row[8]);
  if (columns > 9) agency.signer_cas = split_on_semicolons(row[9]);
  if (columns > 10) agency.signer_certificates = split_on_semicolons(row[10]);
  if (columns > 11) {
    if (row[11] != "" && row[11] != "true" && row[11] != "false")
      return invalid(where("allow_sha1"), "true or false");
    agency.allow_sha1 = row[11] == "true";
  }
  if (Status valid = validate_agency_fields(agency); !valid) {
    Error error = std::move(valid).error();
    error.detail = "line " + std::to_string(line) + ", " + error.detail;
    return error;
  }
  return agency;
}

}  // namespace

Status validate_agency_fields(const Agency& agency) {
  if (!edxml::is_agency_code(agency.code))
    return invalid("code", "'" + agency.code + "' is not in the form 000.00.00.G22");
  if (agency.name.empty() || agency.name.size() > 600)
    return invalid("name", "1 to 200 characters");
  if (agency.parent_code == agency.code)
    return invalid("parent_code", "an agency is not its own parent");
  // Decision 20/2020/QĐ-TTg codes have the same four-group form as edXML's.
  if (agency.qd20_code && !edxml::is_agency_code(*agency.qd20_code))
    return invalid("qd20_code", "'" + *agency.qd20_code + "' is not in the form 000.00.00.G22");
  if (agency.push) {
    auto url = parse_url(agency.push->url);
    if (!url || !url->tls || agency.push->url.rfind("https://", 0) != 0) {
      return invalid("push.url",
                     "must be an https://host[:port][/path] URL (no user, query or "
                     "fragment)");
    }
    if (agency.push->ca_pem && !security::Certificate::from_pem(*agency.push->ca_pem)) {
      return invalid("push.ca_pem", "must hold the CA certificates in PEM");
    }
    if (!agency.push->ca_pem && !agency.push->pinned_sha256) {
      return invalid("push",
                     "needs ca_pem (the CAs to trust) or pinned_sha256 (the server certificate)");
    }
    if (agency.push->pinned_sha256 &&
        (agency.push->pinned_sha256->size() != 64 ||
         agency.push->pinned_sha256->find_first_not_of("0123456789abcdef") != std::string::npos)) {
      return invalid("push.pinned_sha256", "64 lowercase hex digits");
    }
  }
  for (const auto& [field, fingerprints] :
       {std::pair{"signer_cas", &agency.signer_cas},
        std::pair{"signer_certificates", &agency.signer_certificates}}) {
    for (const auto& fingerprint : *fingerprints) {
      if (!is_fingerprint(fingerprint)) {
        return invalid(
            field, "'" + fingerprint + "' is not a SHA-256 fingerprint (64 lowercase hex digits)");
      }
    }
  }
  for (const auto& system_id : agency.system_ids) {
    if (!is_system_id(system_id))
      return invalid("system_ids", "'" + system_id + "' is not a system id ([A-Za-z0-9._-])");
  }
  return ok_status();
}

Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text) {
  if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);  // the BOM spreadsheets write
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  for (std::size_t index = 0; index < text.size(); ++index) {
    char character = text[index];
    if (quoted) {
      if (character != '"') {
        field += character;
      } else if (index + 1 < text.size() && text[index + 1] == '"') {
        field += '"';
        ++index;
      } else {
        quoted = false;
      }
      continue;
    }
    if (character == '"' && field.empty() && !field_started) {
      quoted = field_started = true;
    } else if (character == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (character == '\n' || character == '\r') {
      if (character == '\r' && index + 1 < text.size() && text[index + 1] == '\n') ++index;
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
      if (!(row.size() == 1 && row[0].empty())) rows.push_back(std::move(row));
      row.clear();
    } else {
      field += character;
      field_started = true;
    }
  }
  if (quoted) return invalid("csv", "a quoted field is not closed");
  if (field_started || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::vector<Agency>> Directory::list() {
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  return Repository(**lease).agencies();
}

Result<Agency> Directory::get(const std::string& code) {
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  auto agency = Repository(**lease).agency(code);
  if (!agency) return std::move(agency).error();
  if (!*agency) return Error{"agency.not_found", "no agency with this code in the directory", code};
  return **agency;
}

Result<Agency> Directory::create(const Agency& agency) {
  TRUC_TRY(validate_agency_fields(agency));
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  Repository repository(**lease);
  auto transaction = store::Transaction::begin(**lease);
  if (!transaction) return std::move(transaction).error();
  TRUC_TRY(check_references(repository, agency));
  if (Status inserted = repository.insert_agency(agency); !inserted) {
    if (inserted.error().code == "store.unique_violation") {
      return Error{"agency.exists", "an agency with this code is already in the directory",
                   agency.code};
    }
    return std::move(inserted).error();
  }
  if (agency.push) TRUC_TRY(repository.set_push_endpoint(agency.code, agency.push));
  TRUC_TRY(transaction->commit());
  return agency;
}

Result<Agency> Directory::update(const Agency& agency) {
  TRUC_TRY(validate_agency_fields(agency));
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  Repository repository(**lease);
  auto transaction = store::Transaction::begin(**lease);
  if (!transaction) return std::move(transaction).error();
  TRUC_TRY(check_references(repository, agency));
  TRUC_TRY(repository.update_agency(agency));
  TRUC_TRY(repository.set_push_endpoint(agency.code, agency.push));
  TRUC_TRY(transaction->commit());
  return agency;
}

Status Directory::remove(const std::string& code) {
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  return Repository(**lease).delete_agency(code);
}

Result<ImportSummary> Directory::import_csv(std::string_view csv) {
  auto rows = parse_csv(csv);
  if (!rows) return std::move(rows).error();
  const std::vector<std::string>* header = rows->empty() ? nullptr : &(*rows)[0];
  const bool header_valid = header != nullptr && header->size() >= kRequiredCsvColumns &&
                            header->size() <= kCsvColumns.size() &&
                            std::equal(header->begin(), header->end(), kCsvColumns.begin());
  if (!header_valid) {
    return invalid("line 1",
                   "the header must be "
                   "code,name,parent_code,kind,route_via,signature_policy,enabled,system_ids"
                   "[,qd20_code[,signer_cas[,signer_certificates[,allow_sha1]]]]");
  }
  const std::size_t columns = header->size();
  std::vector<Agency> agencies;
  std::map<std::string, std::size_t> lines;
  for (std::size_t index = 1; index < rows->size(); ++index) {
    auto agency = agency_from_row((*rows)[index], columns, index + 1);
    if (!agency) return std::move(agency).error();
    if (!lines.emplace(agency->code, index + 1).second) {
      return invalid("line " + std::to_string(index + 1), agency->code + " appears twice");
    }
    agencies.push_back(std::move(*agency));
  }

  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  Repository repository(**lease);
  auto transaction = store::Transaction::begin(**lease);
  if (!transaction) return std::move(transaction).error();
  ImportSummary summary;
  // First every entry without its links, so that rows may name entries further down.
  for (auto& agency : agencies) {
    auto existing = repository.agency(agency.code);
    if (!existing) return std::move(existing).error();
    if (*existing) {
      if (columns <= 8) agency.qd20_code = (*existing)->qd20_code;
      if (columns <= 9) agency.signer_cas = (*existing)->signer_cas;
      if (columns <= 10) agency.signer_certificates = (*existing)->signer_certificates;
      if (columns <= 11) agency.allow_sha1 = (*existing)->allow_sha1;
    }
    Agency unlinked = agency;
    unlinked.parent_code.reset();
    unlinked.route_via.reset();
    if (*existing) {
      unlinked.parent_code = (*existing)->parent_code;
      unlinked.route_via = (*existing)->route_via;
      TRUC_TRY(repository.update_agency(unlinked));
      ++summary.updated;
    } else {
      TRUC_TRY(repository.insert_agency(unlinked));
      ++summary.created;
    }
  }
  for (const auto& agency : agencies) {
    if (Status linked = check_references(repository, agency); !linked) {
      Error error = std::move(linked).error();
      error.detail = "line " + std::to_string(lines.at(agency.code)) + ", " + error.detail;
      return error;
    }
    TRUC_TRY(repository.update_agency(agency));
  }
  TRUC_TRY(transaction->commit());
  return summary;
}

Result<store::AgencyCertificate> Directory::add_certificate(const std::string& code,
                                                            std::string_view pem) {
  auto certificate = security::Certificate::from_pem(pem);
  if (!certificate) return Error{"agency.invalid", "not a PEM certificate", "certificate"};
  store::AgencyCertificate record{certificate->sha256_fingerprint(), code, certificate->subject(),
                                  certificate->not_after()};
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  Repository repository(**lease);
  auto agency = repository.agency(code);
  if (!agency) return std::move(agency).error();
  if (!*agency) return Error{"agency.not_found", "no agency with this code in the directory", code};
  TRUC_TRY(repository.add_certificate(record));
  return record;
}

Status Directory::remove_certificate(const std::string& code, const std::string& fingerprint) {
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  return Repository(**lease).remove_certificate(code, fingerprint);
}

Result<std::vector<store::AgencyCertificate>> Directory::certificates(const std::string& code) {
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  return Repository(**lease).certificates(code);
}

Result<std::vector<store::AgencyTraffic>> Directory::traffic(Instant since, Instant until) {
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  return Repository(**lease).traffic(since, until);
}

Status Directory::save_system(const std::string& system_id, const std::string& secret_ciphertext) {
  if (!is_system_id(system_id)) {
    return invalid("system_id", "'" + system_id + "' is not a system id ([A-Za-z0-9._-])");
  }
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  return Repository(**lease).upsert_system(system_id, secret_ciphertext);
}

Status Directory::remove_system(const std::string& system_id) {
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  return Repository(**lease).delete_system(system_id);
}

Result<std::vector<SystemEntry>> Directory::systems() {
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  Repository repository(**lease);
  auto ids = repository.systems();
  if (!ids) return std::move(ids).error();
  std::vector<SystemEntry> entries;
  for (auto& id : *ids) {
    auto agencies = repository.agencies_for_system(id);
    if (!agencies) return std::move(agencies).error();
    entries.push_back({std::move(id), std::move(*agencies)});
  }
  return entries;
}

}  // namespace truc::hub
