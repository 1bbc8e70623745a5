#pragma once

// The agency directory as operators change it: validated agency entries, bulk CSV import, the
// client certificates each agency's systems present. Blocking (database).

#include <string>
#include <string_view>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/common/time.hpp"
#include "truc/store/database.hpp"
#include "truc/store/repository.hpp"

namespace truc::hub {

// A system of the national platform's API: its id and the enabled agencies it may act for (the
// agency entries naming it in system_ids).
struct SystemEntry {
  std::string system_id;
  std::vector<std::string> agencies;
};

struct ImportSummary {
  std::size_t created = 0;
  std::size_t updated = 0;
};

class Directory {
 public:
  explicit Directory(store::Pool& database) : database_(database) {}

  Result<std::vector<store::Agency>> list();
  Result<store::Agency> get(const std::string& code);
  // agency.invalid (detail: the field and why), agency.exists.
  Result<store::Agency> create(const store::Agency& agency);
  // agency.invalid, agency.not_found.
  Result<store::Agency> update(const store::Agency& agency);
  // agency.not_found, agency.in_use.
  Status remove(const std::string& code);

  // Columns (header row required): code,name,parent_code,kind,route_via,signature_policy,
  // enabled,system_ids — system ids separated by ';' — optionally followed by qd20_code,
  // signer_cas, signer_certificates (SHA-256 fingerprints separated by ';') and allow_sha1, in
  // this order; a column the file stops before keeps an existing entry's value. Rows may come
  // in any order; the whole file is applied in one transaction or not at all (agency.invalid
  // with the line number).
  Result<ImportSummary> import_csv(std::string_view csv);

  // Registers a client certificate (PEM) as one the agency's systems may present.
  Result<store::AgencyCertificate> add_certificate(const std::string& code, std::string_view pem);
  Status remove_certificate(const std::string& code, const std::string& fingerprint);
  Result<std::vector<store::AgencyCertificate>> certificates(const std::string& code);

  Result<std::vector<store::AgencyTraffic>> traffic(Instant since, Instant until);

  // The HMAC secrets of the national platform's API, stored as given (the caller encrypts them).
  // agency.invalid when the id is not a system id ([A-Za-z0-9._-], up to 100).
  Status save_system(const std::string& system_id, const std::string& secret_ciphertext);
  // agency.not_found when there is no such system.
  Status remove_system(const std::string& system_id);
  Result<std::vector<SystemEntry>> systems();

 private:
  store::Pool& database_;
};

// The checks an entry must pass on its own (code form, name, system ids); references to other
// entries are checked against the directory when saved.
Status validate_agency_fields(const store::Agency& agency);

// RFC 4180 rows (quoted fields, doubled quotes, CRLF or LF); agency.invalid on an unclosed quote.
Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text);

}  // namespace truc::hub
