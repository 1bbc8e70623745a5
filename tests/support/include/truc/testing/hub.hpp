#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "truc/testing/pki.hpp"
#include "truc/testing/postgres.hpp"
#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::testing {

// A demo agency as the end-to-end tests see it: its code and one certificate that serves both
// as its TLS client certificate and as its XML signing certificate (UID = code).
struct TestAgency {
  std::string code;
  std::string name;
  Issued certificate;
  // Its system of the national platform's API (the compat face): id and HMAC secret.
  std::string system_id;
  std::string secret;
};

// An HTTP answer as curl saw it.
struct HttpResult {
  int status = 0;  // 0: no answer (connection or TLS failure)
  std::string body;
  std::string error;  // curl's stderr
};

// Runs curl with `arguments` (after its own: silent, the status code written after the body).
HttpResult curl(std::vector<std::string> arguments);

// A real trucd process for end-to-end tests: a fresh database in the shared test cluster,
// migrated with `trucd migrate`; a generated PKI (CA, hub server certificate for "localhost",
// one certificate per agency); a configuration on port 0 with the compat face on; three local
// agencies registered in the directory through the admin API, each with a system id and its
// secret. Requests go through curl, an independent HTTP client.
struct HubOptions {
  // TOML appended to the generated configuration, e.g. a [push] section.
  std::string extra_config;
  // Keys added to its [agency_api] section (a table cannot be reopened further down), e.g.
  // "max_connections = 6000\n" for a benchmark that holds thousands of connections.
  std::string agency_api_config;
  // The keys of its [signatures] section, instead of trust_ca = ["pki/ca.crt"].
  std::string signatures_config;
  // Where the hub's database is created: shared_postgres() when null (a benchmark brings a
  // cluster with durable commits). Must outlive the HubProcess.
  PostgresCluster* cluster = nullptr;
  // The monitoring listener serves TLS with the hub's server certificate, as a monitor
  // listening beyond loopback must; monitor_url() is then https://localhost:PORT and
  // monitor_request() trusts the test CA. Plain HTTP on loopback otherwise, as most
  // deployments keep it.
  bool monitor_tls = false;
  // Least privilege (docs/security.md, "Database roles"): the database is owned by a migration
  // owner of its own, `trucd migrate` connects as it and grants a service role of its own, which
  // trucd connects as. One role, the cluster's superuser, does both otherwise.
  bool separate_database_roles = false;
  // Its [hub] node_id; trucd's default (the host name) when empty.
  std::string node_id;
};

// Another trucd of the same hub (docs/design.md, "Several nodes"), from HubProcess::
// start_another_node: the process and the ports the kernel gave it.
struct HubNode {
  std::unique_ptr<ChildProcess> process;
  std::uint16_t agency_port = 0;
  std::uint16_t monitor_port = 0;
};

class HubProcess {
 public:
  explicit HubProcess(HubOptions options = {});
  ~HubProcess();

  void start();
  // Starts another node of this hub: the same configuration (database, blob store, PKI), its own
  // node id and ports. It lives as long as the HubNode; start() must have run first.
  HubNode start_another_node(const std::string& node_id);
  // SIGKILL, as a crash would; the database and the blob store stay.
  void kill();
  // SIGTERM and wait for the drain; returns the exit status.
  int stop();

  const TestAgency& agency(std::size_t index) const { return agencies_.at(index); }
  const std::filesystem::path& directory() const { return directory_.path(); }
  const std::filesystem::path& config_file() const { return config_file_; }
  const Issued& ca() const { return ca_; }
  TestPki& pki() { return pki_; }
  std::string agency_url() const;
  std::string monitor_url() const;
  std::uint16_t agency_port() const { return agency_port_; }
  std::uint16_t monitor_port() const { return monitor_port_; }
  ChildProcess& process() { return *process_; }
  // The hub's database as the cluster's superuser, and the role trucd connects as when
  // separate_database_roles (else empty: the superuser).
  const std::string& conninfo() const { return conninfo_; }
  const std::string& service_role() const { return service_role_; }

  // As agency `index` (its client certificate), with curl. `body_file` is sent as the body.
  HttpResult agency_request(std::size_t index, const std::string& method, const std::string& path,
                            const std::optional<std::filesystem::path>& body_file = std::nullopt,
                            const std::vector<std::string>& extra_curl_arguments = {});
  // The same, to the node whose agency listener is on `agency_port` (see start_another_node).
  HttpResult agency_request_at(std::uint16_t agency_port, std::size_t index,
                               const std::string& method, const std::string& path,
                               const std::optional<std::filesystem::path>& body_file = std::nullopt,
                               const std::vector<std::string>& extra_curl_arguments = {});
  // On the monitoring listener, with the admin token (unless `with_token` is false).
  HttpResult monitor_request(const std::string& method, const std::string& path,
                             const std::string& body = {}, bool with_token = true,
                             const std::string& content_type = "application/json");

  // Makes agency `index` a push recipient: the hub POSTs its packages to `url`, trusting
  // `ca_pem` (or exactly the certificate whose SHA-256 is `pinned_sha256`), presenting its
  // [push] client certificate when `present_client_certificate`.
  void enable_push(std::size_t index, const std::string& url, const std::string& ca_pem,
                   const std::string& pinned_sha256 = "", bool present_client_certificate = false);

  // An unsigned package from agency `from` to agencies `to`, built by the truc CLI (a new
  // DocumentId each time unless `code` repeats); returns its path.
  std::filesystem::path new_package(std::size_t from, const std::vector<std::size_t>& to,
                                    const std::string& code = "",
                                    std::size_t attachment_bytes = 2048);
  // An unsigned recall (BussinessDocType 1) of `original_document_id`, from `from` to `to`.
  std::filesystem::path new_recall(std::size_t from, const std::vector<std::size_t>& to,
                                   const std::string& original_document_id);
  // The same, signed with `from`'s certificate.
  std::filesystem::path signed_package(std::size_t from, const std::vector<std::size_t>& to,
                                       const std::string& code = "",
                                       std::size_t attachment_bytes = 2048);
  // A status packet from `from` about `package`, signed.
  std::filesystem::path signed_status(std::size_t from, const std::filesystem::path& package,
                                      const std::string& code);
  // Signs any document with agency `from`'s certificate.
  std::filesystem::path sign(std::size_t from, const std::filesystem::path& document);
  // Signs with any certificate, e.g. one under another CA carrying an agency's code.
  std::filesystem::path sign(const Issued& signer, const std::filesystem::path& document);

  // Environment for the truc CLI acting as agency `index` (TRUC_URL, TRUC_CERT, TRUC_KEY, TRUC_CA)
  // and as operator (TRUC_MONITOR_URL, TRUC_ADMIN_TOKEN_FILE).
  std::vector<std::string> cli_environment(std::size_t index) const;

  static std::filesystem::path trucd();
  static std::filesystem::path truc_cli();

 private:
  void write_config();
  std::string database_config() const;  // the keys of [database]
  std::string config_text(const std::string& node_id) const;
  void register_agencies();

  TempDir directory_;
  TestPki pki_;
  Issued ca_;
  Issued server_;
  std::vector<TestAgency> agencies_;
  std::string conninfo_;         // as the cluster's superuser
  std::string migration_owner_;  // with separate_database_roles
  std::string service_role_;
  std::filesystem::path config_file_;
  HubOptions options_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t agency_port_ = 0;
  std::uint16_t monitor_port_ = 0;
  int package_counter_ = 0;
  bool registered_ = false;
};

}  // namespace truc::testing
