#include "section.hpp"

#include <sys/stat.h>

#include <charconv>

namespace truc::conf::detail {

Error invalid(const std::string& key, const std::string& reason) {
  return Error{"config.invalid", "invalid configuration", key + ": " + reason};
}

Result<toml::table> parse_file(const std::filesystem::path& path) {
  try {
    return toml::parse_file(path.string());
  } catch (const toml::parse_error& problem) {
    return Error{"config.invalid", "the configuration is not valid TOML",
                 path.string() + ":" + std::to_string(problem.source().begin.line) + ": " +
                     std::string(problem.description())};
  }
}

Section::Section(const toml::table* table, std::string prefix, std::filesystem::path base)
    : table_(table), prefix_(std::move(prefix)), base_(std::move(base)) {}

Section Section::section(const std::string& key) {
  seen_.insert(key);
  const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
  if (node != nullptr && !node->is_table()) {
    fail(key, "expected a table");
    node = nullptr;
  }
  return Section(node != nullptr ? node->as_table() : nullptr, path(key), base_);
}

std::optional<std::string> Section::optional_string(const std::string& key) {
  const toml::node* node = get(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_string()) {
    fail(key, "expected a string");
    return std::nullopt;
  }
  return node->as_string()->get();
}

std::string Section::string(const std::string& key) {
  auto value = optional_string(key);
  if (!value) fail(key, "is required");
  return value.value_or("");
}

std::int64_t Section::integer(const std::string& key, std::int64_t fallback, std::int64_t minimum,
                              std::int64_t maximum) {
  const toml::node* node = get(key);
  if (node == nullptr) return fallback;
  if (!node->is_integer()) {
    fail(key, "expected an integer");
    return fallback;
  }
  std::int64_t value = node->as_integer()->get();
  if (value < minimum || value > maximum) {
    fail(key, "must be between " + std::to_string(minimum) + " and " + std::to_string(maximum));
  }
  return value;
}

bool Section::boolean(const std::string& key, bool fallback) {
  const toml::node* node = get(key);
  if (node == nullptr) return fallback;
  if (!node->is_boolean()) {
    fail(key, "expected true or false");
    return fallback;
  }
  return node->as_boolean()->get();
}

std::filesystem::path Section::file(const std::string& key) {
  std::filesystem::path value = resolve(string(key));
  if (!value.empty() && !std::filesystem::is_regular_file(value))
    fail(key, "no such file: " + value.string());
  return value;
}

std::optional<std::filesystem::path> Section::optional_file(const std::string& key) {
  if (get(key) == nullptr) return std::nullopt;
  return file(key);
}

std::vector<std::filesystem::path> Section::files(const std::string& key) {
  std::vector<std::filesystem::path> values;
  for (const auto& name : strings(key, "file names")) {
    std::filesystem::path value = resolve(name);
    if (!std::filesystem::is_regular_file(value)) fail(key, "no such file: " + value.string());
    values.push_back(value);
  }
  return values;
}

std::vector<std::string> Section::strings(const std::string& key, const std::string& what) {
  std::vector<std::string> values;
  const toml::node* node = get(key);
  if (node == nullptr) return values;
  if (!node->is_array()) {
    fail(key, "expected an array of " + what);
    return values;
  }
  for (const auto& element : *node->as_array()) {
    if (!element.is_string()) {
      fail(key, "expected an array of " + what);
      continue;
    }
    values.push_back(element.as_string()->get());
  }
  return values;
}

std::filesystem::path Section::directory(const std::string& key) { return resolve(string(key)); }

ListenAddress Section::listen(const std::string& key) {
  std::string text = string(key);
  auto colon = text.rfind(':');
  ListenAddress address;
  unsigned port = 0;
  if (colon == std::string::npos || colon == 0 ||
      std::from_chars(text.data() + colon + 1, text.data() + text.size(), port).ec != std::errc() ||
      port > 65535) {
    if (!text.empty()) fail(key, "expected host:port, e.g. 0.0.0.0:8443");
    return address;
  }
  address.host = text.substr(0, colon);
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  address.port = static_cast<std::uint16_t>(port);
  return address;
}

void Section::fail(const std::string& key, const std::string& reason) {
  if (!error_) error_ = invalid(path(key), reason);
}

void Section::adopt(Section& child) {
  child.report_unknown_keys();
  if (!error_ && child.error_) error_ = child.error_;
}

void Section::report_unknown_keys() {
  if (table_ == nullptr) return;
  for (const auto& [key, value] : *table_) {
    if (!seen_.contains(std::string(key.str()))) fail(std::string(key.str()), "unknown key");
  }
}

const toml::node* Section::get(const std::string& key) {
  seen_.insert(key);
  return table_ != nullptr ? table_->get(key) : nullptr;
}

std::string Section::path(const std::string& key) const {
  return prefix_.empty() ? key : prefix_ + "." + key;
}

std::filesystem::path Section::resolve(const std::string& value) const {
  if (value.empty()) return {};
  std::filesystem::path path_value(value);
  return path_value.is_absolute() ? path_value : base_ / path_value;
}

Status check_secret_permissions(const std::filesystem::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0)
    return Error{"config.invalid", "cannot read a secret file", path.string()};
  if ((status.st_mode & 077) != 0) {
    return Error{"config.insecure_permissions", "a secret file is readable by others; chmod 600 it",
                 path.string()};
  }
  return ok_status();
}

std::string read_log_level(Section& section) {
  std::string level = section.optional_string("log_level").value_or("info");
  if (level != "debug" && level != "info" && level != "warn" && level != "error") {
    section.fail("log_level", "one of debug, info, warn, error");
  }
  return level;
}

std::optional<TlsFiles> read_optional_tls(Section& section, const ListenAddress& listen,
                                          const std::string& listener) {
  if (auto certificate = section.optional_file("tls_certificate")) {
    return TlsFiles{*certificate, section.file("tls_private_key")};
  }
  if (section.present() && !listen.host.empty() && !listen.is_loopback()) {
    section.fail("tls_certificate", "is required when " + listener + " listens beyond loopback");
  }
  return std::nullopt;
}

DatabaseConfig read_database(Section& database) {
  DatabaseConfig config;
  config.conninfo = database.string("conninfo");
  if (config.conninfo.find("password") != std::string::npos) {
    database.fail("conninfo", "must not hold a password; use database.password_file");
  }
  config.password_file = database.optional_file("password_file");
  config.migration_conninfo = database.optional_string("migration_conninfo");
  if (config.migration_conninfo &&
      config.migration_conninfo->find("password") != std::string::npos) {
    database.fail("migration_conninfo",
                  "must not hold a password; use database.migration_password_file");
  }
  config.migration_password_file = database.optional_file("migration_password_file");
  if (config.migration_password_file && !config.migration_conninfo) {
    database.fail("migration_password_file", "needs database.migration_conninfo");
  }
  config.service_role = database.optional_string("service_role");
  if (config.service_role && config.service_role->empty()) {
    database.fail("service_role", "must name a role");
  }
  config.pool_size = static_cast<std::size_t>(database.integer("pool_size", 8, 1, 512));
  config.acquire_timeout =
      std::chrono::milliseconds(database.integer("acquire_timeout_milliseconds", 5000, 10, 600000));
  return config;
}

std::vector<std::filesystem::path> database_secrets(const DatabaseConfig& database) {
  std::vector<std::filesystem::path> secrets;
  if (database.password_file) secrets.push_back(*database.password_file);
  if (database.migration_password_file) secrets.push_back(*database.migration_password_file);
  return secrets;
}

WorkerConfig read_workers(Section& workers) {
  WorkerConfig config;
  config.threads = static_cast<std::size_t>(workers.integer("threads", 4, 1, 256));
  config.io_threads = static_cast<std::size_t>(workers.integer("io_threads", 2, 1, 64));
  config.queue_limit = static_cast<std::size_t>(workers.integer("queue_limit", 256, 1, 100000));
  return config;
}

}  // namespace truc::conf::detail
