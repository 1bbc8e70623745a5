#include "truc/conf/config.hpp"

#include <unistd.h>

#include "section.hpp"
#include "truc/common/file.hpp"

namespace truc::conf {
namespace {

using detail::check_secret_permissions;
using detail::Section;

// The default node id: one node per host is the usual layout, and the name survives a restart.
std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
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
  auto document = detail::parse_file(path);
  if (!document) return std::move(document).error();
  Section root(&*document, "", std::filesystem::absolute(path).parent_path());
  HubConfig config;

  Section hub = root.section("hub");
  config.hub_code = hub.string("code");
  config.node_id = hub.optional_string("node_id").value_or(host_name());
  if (config.node_id.empty() || config.node_id.size() > 200)
    hub.fail("node_id", "a name of 1 to 200 characters");
  config.log_level = detail::read_log_level(hub);
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
  config.monitor.tls = detail::read_optional_tls(monitor, config.monitor.listen, "the monitor");
  root.adopt(monitor);

  Section database = root.section("database");
  config.database = detail::read_database(database);
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
  config.workers = detail::read_workers(workers);
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
  for (const auto& secret : detail::database_secrets(config.database)) secrets.push_back(secret);
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
