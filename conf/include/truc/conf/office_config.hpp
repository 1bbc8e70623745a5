#pragma once

// The document office daemon's (truc-office) configuration: one TOML file, documented key by key
// in conf/truc-office.example.toml, under the hub's rules: unknown keys are errors; relative
// paths are relative to the file; secrets are read from files that only their owner may read.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "truc/common/error.hpp"
#include "truc/conf/config.hpp"

namespace truc::conf {

// [web]: the web app and its API, for the agency's staff.
struct OfficeWebConfig {
  ListenAddress listen;
  std::optional<TlsFiles> tls;  // required when not on loopback
  // The built web app (office/web/dist): a directory holding index.html.
  std::filesystem::path static_directory;
  // Largest request body (scanned paper documents, later).
  std::uint64_t max_body_bytes = 50ull << 20;
};

// [monitor]: /live, /ready, /metrics.
struct OfficeMonitorConfig {
  ListenAddress listen;
  std::optional<TlsFiles> tls;  // required when not on loopback
};

// [sessions]: how long a signed-in session lasts.
struct SessionConfig {
  std::chrono::minutes idle_timeout{30};  // without a request
  std::chrono::hours lifetime{12};        // since sign-in, however busy
};

// [lockout]: an account refuses sign-in for `duration` after `max_failed_attempts` in a row.
struct LockoutConfig {
  std::uint32_t max_failed_attempts = 5;
  std::chrono::minutes duration{15};
};

// [reminders]: when an open assignment counts as due soon (sắp đến hạn): its due date is today or
// within the next `due_soon_days` days, in Vietnam.
struct ReminderConfig {
  int due_soon_days = 3;
};

// [hub]: the hub the served agencies exchange documents through, called with each agency's own
// client certificate (docs/office.md, "The link with the hub").
struct OfficeHubConfig {
  std::string url;                        // https://host:port of its agency API
  std::vector<std::filesystem::path> ca;  // CAs the hub's TLS certificate chains to
  // Pull reconcile: how often each agency's hub inbox is read, whatever push brought.
  std::chrono::seconds poll_interval{60};
  std::chrono::seconds timeout{30};  // longest wait on one step of a call
  // Sending statuses: the wait after a failure, doubled each time up to max_retry.
  std::chrono::seconds first_retry{10};
  std::chrono::seconds max_retry{3600};
};

// [push]: the endpoint the hub pushes packages to (every served agency's push URL is
// https://<listen>/push). TLS with client certificates; only the pinned hub certificate may post.
struct OfficePushConfig {
  ListenAddress listen;
  TlsFiles tls;
  std::vector<std::filesystem::path> client_ca;  // the CA of the hub's push certificate
  std::filesystem::path hub_certificate;         // that certificate (PEM), pinned by its SHA-256
};

struct OfficeConfig {
  std::string log_level = "info";  // debug, info, warn or error
  OfficeWebConfig web;
  OfficeMonitorConfig monitor;
  DatabaseConfig database;  // the office's own database; the same keys as the hub's
  std::filesystem::path blob_directory;
  SessionConfig sessions;
  LockoutConfig lockout;
  ReminderConfig reminders;
  WorkerConfig workers;
  // Without [hub] the office keeps its accounts and documents but exchanges nothing.
  std::optional<OfficeHubConfig> hub;
  std::optional<OfficePushConfig> push;
  // The CAs agencies' signing certificates chain to: what the office checks arriving documents'
  // signatures against (the same keys as the hub's [signatures]; required with [hub] or [push]).
  SignatureConfig signatures;
};

// Reads and checks the file as load_config does the hub's: syntax, types, ranges, unknown keys,
// that every referenced file exists, that secret files are not readable by others. Error code
// config.invalid (detail: the key and the reason) or config.insecure_permissions.
Result<OfficeConfig> load_office_config(const std::filesystem::path& path);

}  // namespace truc::conf
