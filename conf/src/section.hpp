#pragma once

// The TOML machinery shared by the daemons' configuration loaders (trucd, truc-office): walking a
// table with typed getters that record the first problem and the keys read, so that unknown keys
// are errors; and the sections both daemons have. Internal to the conf module: toml++ stays out
// of the public headers.

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/conf/config.hpp"

namespace truc::conf::detail {

// config.invalid with the detail "key: reason".
Error invalid(const std::string& key, const std::string& reason);

// Reads a TOML file; a syntax error is config.invalid with file:line in the detail.
Result<toml::table> parse_file(const std::filesystem::path& path);

// Walks one TOML table, remembering which keys were read so that the rest can be reported.
class Section {
 public:
  // `prefix` is the table's dotted name in errors ("" for the document); relative paths are
  // resolved against `base`, the configuration file's directory.
  Section(const toml::table* table, std::string prefix, std::filesystem::path base);

  bool present() const { return table_ != nullptr; }

  // A sub-table; absent (present() false) when the key is missing.
  Section section(const std::string& key);

  std::optional<std::string> optional_string(const std::string& key);
  std::string string(const std::string& key);
  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t minimum,
                       std::int64_t maximum);
  bool boolean(const std::string& key, bool fallback);

  // A path that must name an existing file; relative paths start at the configuration's directory.
  std::filesystem::path file(const std::string& key);
  std::optional<std::filesystem::path> optional_file(const std::string& key);
  std::vector<std::filesystem::path> files(const std::string& key);
  // `what` names the strings in the error, e.g. "file names".
  std::vector<std::string> strings(const std::string& key, const std::string& what = "strings");
  // A required path, resolved but not checked: the daemon may create it.
  std::filesystem::path directory(const std::string& key);
  ListenAddress listen(const std::string& key);

  // Records problems; the first one is what the loader reports.
  void fail(const std::string& key, const std::string& reason);
  // Takes a finished sub-section's first problem, its unknown keys included.
  void adopt(Section& child);
  void report_unknown_keys();
  const std::optional<Error>& error() const { return error_; }

 private:
  const toml::node* get(const std::string& key);
  std::string path(const std::string& key) const;
  std::filesystem::path resolve(const std::string& value) const;

  const toml::table* table_;
  std::string prefix_;
  std::filesystem::path base_;
  std::set<std::string> seen_;
  std::optional<Error> error_;
};

// config.insecure_permissions when group or others may read the file (or write, or run it).
Status check_secret_permissions(const std::filesystem::path& path);

// log_level: debug, info (the default), warn or error.
std::string read_log_level(Section& section);

// tls_certificate and tls_private_key, which may be left out only when `listen` is on loopback;
// `listener` names it in the error ("the monitor").
std::optional<TlsFiles> read_optional_tls(Section& section, const ListenAddress& listen,
                                          const std::string& listener);

// The [database] section's keys and checks.
DatabaseConfig read_database(Section& database);
// Its secret files, to go through check_secret_permissions.
std::vector<std::filesystem::path> database_secrets(const DatabaseConfig& database);

// The [workers] section's keys and defaults.
WorkerConfig read_workers(Section& workers);

}  // namespace truc::conf::detail
