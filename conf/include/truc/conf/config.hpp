#pragma once

// The hub daemon's configuration: one TOML file, documented key by key in
// conf/trucd.example.toml. Unknown keys are errors; relative paths are relative to the file;
// secrets are read from files that only their owner may read.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"

namespace truc::conf {

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;  // 0: the kernel picks one (tests)

  bool is_loopback() const;
  std::string to_string() const;
};

struct TlsFiles {
  std::filesystem::path certificate;
  std::filesystem::path private_key;  // a secret: mode 0600 or stricter
};

struct AgencyApiConfig {
  ListenAddress listen;
  TlsFiles tls;
  // CAs that issue agency client certificates (mutual TLS).
  std::vector<std::filesystem::path> client_ca;
  std::uint64_t max_body_bytes = 150ull << 20;
  std::chrono::seconds io_timeout{30};    // longest wait for the peer on one read or write
  std::chrono::seconds idle_timeout{60};  // keep-alive: longest wait for the next request
  // From accept to the first request's first byte, TLS handshake included.
  std::chrono::seconds first_request_timeout{10};
  // Connections without a client certificate, in all and from one address (0: no cap), and the
  // places beyond those kept for connections with one.
  std::size_t max_connections = 512;
  std::size_t max_connections_per_address = 64;
  std::size_t reserved_connections = 128;
};

struct MonitorConfig {
  ListenAddress listen;
  std::optional<TlsFiles> tls;             // required when not on loopback
  std::filesystem::path admin_token_file;  // a secret
};

struct DatabaseConfig {
  std::string conninfo;  // libpq connection string, without a password
  std::optional<std::filesystem::path> password_file;  // a secret
  std::size_t pool_size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  // How `trucd migrate` connects, as the role that owns the schema; without it, as conninfo.
  std::optional<std::string> migration_conninfo;
  std::optional<std::filesystem::path> migration_password_file;  // a secret
  // The role the daemon connects as when it is not the migration owner: `trucd migrate` grants it
  // what the daemon needs and no more (docs/security.md, "Database roles").
  std::optional<std::string> service_role;
};

struct SignatureConfig {
  std::vector<std::filesystem::path> trust_ca;
  std::vector<std::filesystem::path> crl;
  // SHA-1 signatures refused except from agencies whose entry has allow_sha1.
  bool forbid_sha1 = true;
};

// Certificate revocation ([revocation]). Without the section only signatures.crl applies, to
// signer certificates. With it, CRLs cover every certificate of a chain, of signers and (unless
// turned off) of agency client certificates at the TLS handshake.
struct RevocationConfig {
  std::vector<std::filesystem::path> crl;  // files always in force (PEM or DER)
  // Fetched over HTTP, beside the CRL distribution points named in the trusted CA certificates.
  std::vector<std::string> crl_urls;
  std::filesystem::path cache_directory;  // fetched CRLs, kept across restarts
  // The longest time between two fetches of one CRL (sooner when its nextUpdate is nearer).
  std::chrono::seconds refresh_interval{3600};
  std::chrono::seconds fetch_timeout{10};
  bool check_client_certificates = true;
  // OCSP for a signer certificate no current CRL covers (its responder from the certificate's
  // Authority Information Access); answers are used again for ocsp_max_age at most.
  bool ocsp = false;
  std::chrono::seconds ocsp_max_age{3600};
  std::chrono::seconds ocsp_timeout{10};
  // When neither a current CRL nor OCSP answers for a signer: refuse it, or accept it and
  // count it (truc_revocation_unknown_accepted_total).
  bool accept_unknown = false;
};

// Sealing and timestamping the evidence log ([evidence]; docs/evidence.md). Entries are written
// with or without it; without it, no batch is sealed.
struct EvidenceConfig {
  std::filesystem::path signing_key;          // PEM, a secret
  std::filesystem::path signing_certificate;  // PEM: the certificate, then its chain
  std::string tsa_url;                        // http:// RFC 3161 authority
  std::chrono::seconds seal_interval{60};
  std::chrono::seconds tsa_timeout{10};
};

// Push delivery to agencies with a push endpoint in the directory.
struct PushConfig {
  std::size_t workers = 2;               // concurrent pushes
  std::size_t max_attempts = 10;         // then the delivery becomes a dead letter
  std::chrono::seconds first_retry{10};  // the wait after the first failure, doubled each time
  std::chrono::seconds max_retry{3600};  // the longest wait between attempts
  std::chrono::seconds timeout{60};  // longest wait on one step of a push (connect, write, read)
  std::chrono::seconds poll_interval{5};  // looking for due retries without being woken
  // How long a push claim holds a delivery unless renewed (every third of it, while the push
  // goes on): the longest a delivery waits for another node after its node dies.
  std::chrono::seconds claim_lease{30};
  // The client certificate the hub presents to endpoints that ask for it.
  std::optional<TlsFiles> client_certificate;
};

struct WorkerConfig {
  std::size_t threads = 4;
  std::size_t io_threads = 2;     // network I/O of every listener: TLS, HTTP parsing
  std::size_t queue_limit = 256;  // requests waiting for a worker before the hub answers 503
};

// The national platform's API (docs/api/compat.md); the face is off without this section.
struct CompatConfig {
  // 32 random bytes as 64 hex digits (a secret): the AES-256-GCM key under which the systems'
  // HMAC secrets are stored in the database.
  std::filesystem::path secret_key_file;
  // How far a request's XroadVnpt-timestamp may be from the hub's clock, either way.
  std::chrono::seconds max_clock_skew{300};
};

struct HubConfig {
  std::string hub_code;  // the hub's own name in traces, e.g. "truc.hue"
  // This node among those sharing the hub's database: unique among them, kept across restarts
  // (a restart frees the push claims its previous run held). The host name by default.
  std::string node_id;
  AgencyApiConfig agency_api;
  MonitorConfig monitor;
  DatabaseConfig database;
  std::filesystem::path blob_directory;
  SignatureConfig signatures;
  std::optional<RevocationConfig> revocation;
  std::optional<EvidenceConfig> evidence;
  PushConfig push;
  WorkerConfig workers;
  std::optional<CompatConfig> compat;
  std::string log_level = "info";
};

// Reads and checks the file: syntax, types, ranges, unknown keys, that every referenced file
// exists, that secret files are not readable by others. Error code config.invalid (detail: the
// key and the reason) or config.insecure_permissions.
Result<HubConfig> load_config(const std::filesystem::path& path);

// Reads a secret (token, password) from a file that must not be readable by group or others.
// Trailing line breaks are removed.
Result<std::string> read_secret_file(const std::filesystem::path& path);

// Reads a 256-bit key written as 64 hex digits (e.g. `openssl rand -hex 32`) from a secret file;
// returns the 32 bytes. config.invalid when the file holds anything else.
Result<std::string> read_key_file(const std::filesystem::path& path);

// The libpq connection string with the password from the password file, if any.
Result<std::string> database_conninfo(const DatabaseConfig& database);

// The same for `trucd migrate`: migration_conninfo with migration_password_file, or else what
// database_conninfo returns.
Result<std::string> migration_conninfo(const DatabaseConfig& database);

}  // namespace truc::conf
