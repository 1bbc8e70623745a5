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

struct OfficeConfig {
  std::string log_level = "info";  // debug, info, warn or error
  OfficeWebConfig web;
  OfficeMonitorConfig monitor;
  DatabaseConfig database;  // the office's own database; the same keys as the hub's
  std::filesystem::path blob_directory;
  SessionConfig sessions;
  LockoutConfig lockout;
  WorkerConfig workers;
};

// Reads and checks the file as load_config does the hub's: syntax, types, ranges, unknown keys,
// that every referenced file exists, that secret files are not readable by others. Error code
// config.invalid (detail: the key and the reason) or config.insecure_permissions.
Result<OfficeConfig> load_office_config(const std::filesystem::path& path);

}  // namespace truc::conf
