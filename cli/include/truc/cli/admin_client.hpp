#pragma once

// The operators' calls to the admin API on the monitoring listener, with the admin token.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/https/http_client.hpp"

namespace truc::cli {

// Reads the admin bearer token, refusing a file that group or others may access
// ("config.insecure_permissions") as trucd refuses its own secret files: a token others can read
// is an admin password shared with them.
Result<std::string> read_token_file(const std::filesystem::path& path);

struct AdminClientOptions {
  https::ClientOptions connection;  // the monitor listener; http only on loopback
  std::filesystem::path token_file;
};

// The operator side of the hub API (/admin/v1 on the monitor listener), authenticated with the
// bearer token. Methods return the hub's JSON answers as text (docs/api/openapi.yaml).
class AdminClient {
 public:
  // Refuses plain http to a host other than loopback ("client.insecure_url"): the token would
  // cross the network readable.
  static Result<AdminClient> create(const AdminClientOptions& options);

  Result<std::string> list_agencies();
  Result<std::string> get_agency(std::string_view code);
  Result<std::string> create_agency(std::string_view agency_json);
  Result<std::string> replace_agency(std::string_view code, std::string_view agency_json);
  Status remove_agency(std::string_view code);
  // {"created", "updated"}; the hub applies the whole file or nothing.
  Result<std::string> import_agencies(const std::filesystem::path& csv_file);

  Result<std::string> list_certificates(std::string_view code);
  Result<std::string> add_certificate(std::string_view code, const std::filesystem::path& pem_file);
  Status remove_certificate(std::string_view code, std::string_view fingerprint);

  Result<std::string> trace(std::string_view id);
  // {"packages": [trace...]}: the document, its status packets and recalls.
  Result<std::string> trace_document(std::string_view document_id);
  // A package's evidence container (docs/evidence.md), streamed into `sink` (finish() is left to
  // the caller). evidence.not_sealed while its entries wait for the next seal.
  Status evidence(std::string_view id, ByteSink& sink);
  // {"dead_letters": [...]}: deliveries whose push gave up, of one collector or all.
  Result<std::string> dead_letters(const std::optional<std::string>& collector);
  // {"replayed": n}: back in the push queue; all of a collector's, one package's, or every one.
  Result<std::string> replay_dead_letters(const std::optional<std::string>& collector,
                                          const std::optional<std::string>& package_id);
  // Systems of the national platform's API: {"system_id", "secret"} with a new secret (the only
  // time the hub shows it; a system that had one gets a new one), {"systems": [...]}, removal.
  Result<std::string> add_system(std::string_view system_id);
  Result<std::string> list_systems();
  Status remove_system(std::string_view system_id);
  // Times are ISO 8601; the hub's default period is the last 24 hours.
  Result<std::string> traffic(const std::optional<std::string>& since,
                              const std::optional<std::string>& until);

 private:
  AdminClient(Url url, https::HttpClient http) : url_(std::move(url)), http_(std::move(http)) {}
  Url url_;
  https::HttpClient http_;
};

}  // namespace truc::cli
