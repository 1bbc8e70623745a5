#include "truc/conf/config.hpp"

#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <charconv>
#include <set>

#include "truc/common/file.hpp"

namespace truc::conf {
namespace {

// The default node id: one node per host is the usual layout, and the name survives a restart.
std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

Error invalid(const std::string& key, const std::string& reason) {
  return Error{"config.invalid", "invalid configuration", key + ": " + reason};
}

// Walks one TOML table, remembering which keys were read so that the rest can be reported.
class Section {
 public:
  Section(const toml::table* table, std::string prefix, std::filesystem::path base)
      : table_(table), prefix_(std::move(prefix)), base_(std::move(base)) {}

  bool present() const { return table_ != nullptr; }

  Section section(const std::string& key) {
    seen_.insert(key);
    const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
    if (node != nullptr && !node->is_table()) {
      fail(key, "expected a table");
      node = nullptr;
    }
    return Section(node != nullptr ? node->as_table() : nullptr, path(key), base_);
  }

  std::optional<std::string> optional_string(const std::string& key) {
    const toml::node* node = get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string()) {
      fail(key, "expected a string");
      return std::nullopt;
    }
    return node->as_string()->get();
  }

  std::string string(const std::string& key) {
    auto value = optional_string(key);
    if (!value) fail(key, "is required");
    return value.value_or("");
  }

  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t minimum,
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

  bool boolean(const std::string& key, bool fallback) {
    const toml::node* node = get(key);
    if (node == nullptr) return fallback;
    if (!node->is_boolean()) {
      fail(key, "expected true or false");
      return fallback;
    }
    return node->as_boolean()->get();
  }

  // A path that must name an existing file; relative paths start at the configuration's directory.
  std::filesystem::path file(const std::string& key) {
    std::filesystem::path value = resolve(string(key));
    if (!value.empty() && !std::filesystem::is_regular_file(value))
      fail(key, "no such file: " + value.string());
    return value;
  }

  std::optional<std::filesystem::path> optional_file(const std::string& key) {
    if (get(key) == nullptr) return std::nullopt;
    return file(key);
  }

  std::vector<std::filesystem::path> files(const std::string& key) {
    std::vector<std::filesystem::path> values;
    for (const auto& name : strings(key, "file names")) {
      std::filesystem::path value = resolve(name);
      if (!std::filesystem::is_regular_file(value)) fail(key, "no such file: " + value.string());
      values.push_back(value);
    }
    return values;
  }

  // `what` names the strings in the error, e.g. "file names".
  std::vector<std::string> strings(const std::string& key, const std::string& what = "strings") {
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

  std::filesystem::path directory(const std::string& key) { return resolve(string(key)); }

  ListenAddress listen(const std::string& key) {
    std::string text = string(key);
    auto colon = text.rfind(':');
    ListenAddress address;
    unsigned port = 0;
    if (colon == std::string::npos || colon == 0 ||
        std::from_chars(text.data() + colon + 1, text.data() + text.size(), port).ec !=
            std::errc() ||
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

  // Records problems; the first one is what load_config reports.
  void fail(const std::string& key, const std::string& reason) {
    if (!error_) error_ = invalid(path(key), reason);
  }
  void adopt(Section& child) {
    child.report_unknown_keys();
    if (!error_ && child.error_) error_ = child.error_;
  }
  void report_unknown_keys() {
    if (table_ == nullptr) return;
    for (const auto& [key, value] : *table_) {
      if (!seen_.contains(std::string(key.str()))) fail(std::string(key.str()), "unknown key");
    }
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  const toml::node* get(const std::string& key) {
    seen_.insert(key);
    return table_ != nullptr ? table_->get(key) : nullptr;
  }
  std::string path(const std::string& key) const {
    return prefix_.empty() ? key : prefix_ + "." + key;
  }
  std::filesystem::path resolve(const std::string& value) const {
    if (value.empty()) return {};
    std::filesystem::path path_value(value);
    return path_value.is_absolute() ? path_value : base_ / path_value;
  }

  const toml::table* table_;
  std::string prefix_;
  std::filesystem::path base_;
  std::set<std::string> seen_;
  std::optional<Error> error_;
};

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

}  // namespace

bool ListenAddress::is_loopback() const {
  return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

std::string ListenAddress::to_string() const {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

Result<HubConfig> load_config(const std::filesystem::path& path) {
  toml::table document;
  try {
    document = toml::parse_file(path.string());
  } catch (const toml::parse_error& problem) {
    return Error{"config.invalid", "the configuration is not valid TOML",
                 path.string() + ":" + std::to_string(problem.source().begin.line) + ": " +
                     std::string(problem.description())};
  }
  Section root(&document, "", std::filesystem::absolute(path).parent_path());
  HubConfig config;

  Section hub = root.section("hub");
  config.hub_code = hub.string("code");
  config.node_id = hub.optional_string("node_id").value_or(host_name());
  if (config.node_id.empty() || config.node_id.size() > 200)
    hub.fail("node_id", "a name of 1 to 200 characters");
  config.log_level = hub.optional_string("log_level").value_or("info");
  if (config.log_level != "debug" && config.log_level != "info" && config.log_level != "warn" &&
      config.log_level != "error") {
    hub.fail("log_level", "one of debug, info, warn, error");
  }
  root.adopt(hub);

  Section api = root.section("agency_api");
  config.agency_api.listen = api.listen("listen");
  config.agency_api.tls = {api.file("tls_certificate"), api.file("tls_private_key")};
  config.agency_api.client_ca = api.files("client_ca");
  if (api.present() && config.agency_api.client_ca.empty())
    api.fail("client_ca", "at least one CA is required");
  config.agency_api.max_body_bytes =
      static_cast<std::uint64_t>(api.integer("max_body_bytes", 150ll << 20, 1 << 20, 1ll << 32));
  config.agency_api.io_timeout =
      std::chrono::seconds(api.integer("io_timeout_seconds", 30, 1, 3600));
  config.agency_api.idle_timeout =
      std::chrono::seconds(api.integer("idle_timeout_seconds", 60, 1, 3600));
  config.agency_api.first_request_timeout =
      std::chrono::seconds(api.integer("first_request_timeout_seconds", 10, 1, 3600));
  config.agency_api.max_connections =
      static_cast<std::size_t>(api.integer("max_connections", 512, 1, 100000));
  config.agency_api.max_connections_per_address =
      static_cast<std::size_t>(api.integer("max_connections_per_address", 64, 0, 100000));
  config.agency_api.reserved_connections =
      static_cast<std::size_t>(api.integer("reserved_connections", 128, 0, 100000));
  root.adopt(api);

  Section monitor = root.section("monitor");
  config.monitor.listen = monitor.listen("listen");
  config.monitor.admin_token_file = monitor.file("admin_token_file");
  if (auto certificate = monitor.optional_file("tls_certificate")) {
    config.monitor.tls = TlsFiles{*certificate, monitor.file("tls_private_key")};
  } else if (monitor.present() && !config.monitor.listen.host.empty() &&
             !config.monitor.listen.is_loopback()) {
    monitor.fail("tls_certificate", "is required when the monitor listens beyond loopback");
  }
  root.adopt(monitor);

  Section database = root.section("database");
  config.database.conninfo = database.string("conninfo");
  if (config.database.conninfo.find("password") != std::string::npos) {
    database.fail("conninfo", "must not hold a password; use database.password_file");
  }
  config.database.password_file = database.optional_file("password_file");
  config.database.migration_conninfo = database.optional_string("migration_conninfo");
  if (config.database.migration_conninfo &&
      config.database.migration_conninfo->find("password") != std::string::npos) {
    database.fail("migration_conninfo",
                  "must not hold a password; use database.migration_password_file");
  }
  config.database.migration_password_file = database.optional_file("migration_password_file");
  if (config.database.migration_password_file && !config.database.migration_conninfo) {
    database.fail("migration_password_file", "needs database.migration_conninfo");
  }
  config.database.service_role = database.optional_string("service_role");
  if (config.database.service_role && config.database.service_role->empty()) {
    database.fail("service_role", "must name a role");
  }
  config.database.pool_size = static_cast<std::size_t>(database.integer("pool_size", 8, 1, 512));
  config.database.acquire_timeout =
      std::chrono::milliseconds(database.integer("acquire_timeout_milliseconds", 5000, 10, 600000));
  root.adopt(database);

  Section storage = root.section("storage");
  config.blob_directory = storage.directory("blob_directory");
  root.adopt(storage);

  Section signatures = root.section("signatures");
  config.signatures.trust_ca = signatures.files("trust_ca");
  if (config.signatures.trust_ca.empty())
    signatures.fail("trust_ca", "at least one CA is required");
  config.signatures.crl = signatures.files("crl");
  config.signatures.forbid_sha1 = signatures.boolean("forbid_sha1", true);
  root.adopt(signatures);

  Section revocation = root.section("revocation");
  if (revocation.present()) {
    RevocationConfig& settings = config.revocation.emplace();
    settings.crl = revocation.files("crl");
    settings.crl_urls = revocation.strings("crl_urls");
    for (const auto& url : settings.crl_urls) {
      if (!url.starts_with("http://")) revocation.fail("crl_urls", "expected http:// URLs: " + url);
    }
    settings.cache_directory = revocation.directory("cache_directory");
    settings.refresh_interval =
        std::chrono::seconds(revocation.integer("refresh_interval_seconds", 3600, 10, 7 * 86400));
    settings.fetch_timeout =
        std::chrono::seconds(revocation.integer("fetch_timeout_seconds", 10, 1, 600));
    settings.check_client_certificates = revocation.boolean("check_client_certificates", true);
    settings.ocsp = revocation.boolean("ocsp", false);
    settings.ocsp_max_age =
        std::chrono::seconds(revocation.integer("ocsp_max_age_seconds", 3600, 0, 7 * 86400));
    settings.ocsp_timeout =
        std::chrono::seconds(revocation.integer("ocsp_timeout_seconds", 10, 1, 600));
    std::string when_unknown = revocation.optional_string("when_unknown").value_or("refuse");
    if (when_unknown != "refuse" && when_unknown != "accept_and_flag")
      revocation.fail("when_unknown", "one of refuse, accept_and_flag");
    settings.accept_unknown = when_unknown == "accept_and_flag";
  }
  root.adopt(revocation);

  Section evidence = root.section("evidence");
  if (evidence.present()) {
    EvidenceConfig& settings = config.evidence.emplace();
    settings.signing_key = evidence.file("signing_key");
    settings.signing_certificate = evidence.file("signing_certificate");
    settings.tsa_url = evidence.string("tsa_url");
    if (!settings.tsa_url.starts_with("http://"))
      evidence.fail("tsa_url", "expected an http:// URL (tokens are signed)");
    settings.seal_interval =
        std::chrono::seconds(evidence.integer("seal_interval_seconds", 60, 1, 86400));
    settings.tsa_timeout =
        std::chrono::seconds(evidence.integer("tsa_timeout_seconds", 10, 1, 600));
  }
  root.adopt(evidence);

  Section push = root.section("push");
  config.push.workers = static_cast<std::size_t>(push.integer("workers", 2, 0, 64));
  config.push.max_attempts = static_cast<std::size_t>(push.integer("max_attempts", 10, 1, 1000));
  config.push.first_retry = std::chrono::seconds(push.integer("first_retry_seconds", 10, 1, 86400));
  config.push.max_retry =
      std::chrono::seconds(push.integer("max_retry_seconds", 3600, 1, 7 * 86400));
  config.push.timeout = std::chrono::seconds(push.integer("timeout_seconds", 60, 1, 3600));
  config.push.poll_interval =
      std::chrono::seconds(push.integer("poll_interval_seconds", 5, 1, 3600));
  config.push.claim_lease = std::chrono::seconds(push.integer("claim_lease_seconds", 30, 2, 3600));
  if (auto certificate = push.optional_file("client_certificate")) {
    config.push.client_certificate = TlsFiles{*certificate, push.file("client_private_key")};
  }
  root.adopt(push);

  Section workers = root.section("workers");
  config.workers.threads = static_cast<std::size_t>(workers.integer("threads", 4, 1, 256));
  config.workers.io_threads = static_cast<std::size_t>(workers.integer("io_threads", 2, 1, 64));
  config.workers.queue_limit =
      static_cast<std::size_t>(workers.integer("queue_limit", 256, 1, 100000));
  root.adopt(workers);

  Section compat = root.section("compat");
  if (compat.present()) {
    config.compat =
        CompatConfig{compat.file("secret_key_file"),
                     std::chrono::seconds(compat.integer("max_clock_skew_seconds", 300, 1, 3600))};
  }
  root.adopt(compat);

  root.report_unknown_keys();
  if (root.error()) return *root.error();

  std::vector<std::filesystem::path> secrets{config.agency_api.tls.private_key,
                                             config.monitor.admin_token_file};
  if (config.monitor.tls) secrets.push_back(config.monitor.tls->private_key);
  if (config.push.client_certificate)
    secrets.push_back(config.push.client_certificate->private_key);
  if (config.database.password_file) secrets.push_back(*config.database.password_file);
  if (config.database.migration_password_file)
    secrets.push_back(*config.database.migration_password_file);
  if (config.compat) secrets.push_back(config.compat->secret_key_file);
  if (config.evidence) secrets.push_back(config.evidence->signing_key);
  for (const auto& secret : secrets) TRUC_TRY(check_secret_permissions(secret));
  return config;
}

Result<std::string> read_secret_file(const std::filesystem::path& path) {
  TRUC_TRY(check_secret_permissions(path));
  auto text = read_small_file(path, 64 * 1024);
  if (!text) return std::move(text).error();
  while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) text->pop_back();
  if (text->empty()) return Error{"config.invalid", "a secret file is empty", path.string()};
  return text;
}

Result<std::string> read_key_file(const std::filesystem::path& path) {
  auto text = read_secret_file(path);
  if (!text) return std::move(text).error();
  auto hex_value = [](char digit) -> int {
    if (digit >= '0' && digit <= '9') return digit - '0';
    if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
    if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
    return -1;
  };
  std::string key;
  for (std::size_t index = 0; text->size() == 64 && index < text->size(); index += 2) {
    int high = hex_value((*text)[index]);
    int low = hex_value((*text)[index + 1]);
    if (high < 0 || low < 0) break;
    key.push_back(static_cast<char>(high * 16 + low));
  }
  if (key.size() != 32) {
    return Error{"config.invalid", "a key file must hold 64 hex digits (openssl rand -hex 32)",
                 path.string()};
  }
  return key;
}

namespace {

Result<std::string> with_password(const std::string& conninfo,
                                  const std::optional<std::filesystem::path>& password_file) {
  if (!password_file) return conninfo;
  auto password = read_secret_file(*password_file);
  if (!password) return std::move(password).error();
  std::string quoted;
  for (char character : *password) {
    if (character == '\'' || character == '\\') quoted += '\\';
    quoted += character;
  }
  return conninfo + " password='" + quoted + "'";
}

}  // namespace

Result<std::string> database_conninfo(const DatabaseConfig& database) {
  return with_password(database.conninfo, database.password_file);
}

Result<std::string> migration_conninfo(const DatabaseConfig& database) {
  if (!database.migration_conninfo) return database_conninfo(database);
  return with_password(*database.migration_conninfo, database.migration_password_file);
}

}  // namespace truc::conf
