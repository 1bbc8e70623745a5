#include "truc/conf/office_config.hpp"

#include <vector>

#include "section.hpp"

namespace truc::conf {
namespace {

using detail::Section;

// A section the office cannot start without, reported by its name rather than by its first key.
Section required_section(Section& root, const std::string& key) {
  Section section = root.section(key);
  if (!section.present()) root.fail(key, "the section is required");
  return section;
}

void read_web(Section& web, OfficeWebConfig& config) {
  config.listen = web.listen("listen");
  config.tls = detail::read_optional_tls(web, config.listen, "the web app");
  config.static_directory = web.directory("static_directory");
  if (!config.static_directory.empty()) {
    if (!std::filesystem::is_directory(config.static_directory)) {
      web.fail("static_directory", "no such directory: " + config.static_directory.string());
    } else if (!std::filesystem::is_regular_file(config.static_directory / "index.html")) {
      web.fail("static_directory", "holds no index.html (npm run build in office/web makes it): " +
                                       config.static_directory.string());
    }
  }
  config.max_body_bytes =
      static_cast<std::uint64_t>(web.integer("max_body_bytes", 50ll << 20, 1ll << 20, 1ll << 32));
}

}  // namespace

Result<OfficeConfig> load_office_config(const std::filesystem::path& path) {
  auto document = detail::parse_file(path);
  if (!document) return std::move(document).error();
  Section root(&*document, "", std::filesystem::absolute(path).parent_path());
  OfficeConfig config;

  Section office = root.section("office");
  config.log_level = detail::read_log_level(office);
  root.adopt(office);

  Section web = required_section(root, "web");
  read_web(web, config.web);
  root.adopt(web);

  Section monitor = required_section(root, "monitor");
  config.monitor.listen = monitor.listen("listen");
  config.monitor.tls = detail::read_optional_tls(monitor, config.monitor.listen, "the monitor");
  root.adopt(monitor);

  Section database = required_section(root, "database");
  config.database = detail::read_database(database);
  root.adopt(database);

  Section storage = required_section(root, "storage");
  config.blob_directory = storage.directory("blob_directory");
  root.adopt(storage);

  Section sessions = root.section("sessions");
  config.sessions.idle_timeout =
      std::chrono::minutes(sessions.integer("idle_timeout_minutes", 30, 1, 1440));
  config.sessions.lifetime = std::chrono::hours(sessions.integer("lifetime_hours", 12, 1, 168));
  root.adopt(sessions);

  Section lockout = root.section("lockout");
  config.lockout.max_failed_attempts =
      static_cast<std::uint32_t>(lockout.integer("max_failed_attempts", 5, 1, 100));
  config.lockout.duration = std::chrono::minutes(lockout.integer("lockout_minutes", 15, 1, 1440));
  root.adopt(lockout);

  Section reminders = root.section("reminders");
  config.reminders.due_soon_days = static_cast<int>(reminders.integer("due_soon_days", 3, 1, 30));
  root.adopt(reminders);

  Section workers = root.section("workers");
  config.workers = detail::read_workers(workers);
  root.adopt(workers);

  Section hub = root.section("hub");
  if (hub.present()) {
    OfficeHubConfig& settings = config.hub.emplace();
    settings.url = hub.string("url");
    if (!settings.url.empty() && !settings.url.starts_with("https://"))
      hub.fail("url", "the hub's agency API is https:// only");
    settings.ca = hub.files("ca");
    if (settings.ca.empty()) hub.fail("ca", "at least one CA is required");
    settings.poll_interval =
        std::chrono::seconds(hub.integer("poll_interval_seconds", 60, 1, 86400));
    settings.timeout = std::chrono::seconds(hub.integer("timeout_seconds", 30, 1, 3600));
    settings.first_retry = std::chrono::seconds(hub.integer("first_retry_seconds", 10, 1, 86400));
    settings.max_retry = std::chrono::seconds(hub.integer("max_retry_seconds", 3600, 1, 7 * 86400));
  }
  root.adopt(hub);

  Section push = root.section("push");
  if (push.present()) {
    OfficePushConfig& settings = config.push.emplace();
    settings.listen = push.listen("listen");
    settings.tls = {push.file("tls_certificate"), push.file("tls_private_key")};
    settings.client_ca = push.files("client_ca");
    if (settings.client_ca.empty()) push.fail("client_ca", "at least one CA is required");
    settings.hub_certificate = push.file("hub_certificate");
  }
  root.adopt(push);

  Section signatures = root.section("signatures");
  config.signatures.trust_ca = signatures.files("trust_ca");
  config.signatures.crl = signatures.files("crl");
  config.signatures.forbid_sha1 = signatures.boolean("forbid_sha1", true);
  if ((config.hub || config.push) && config.signatures.trust_ca.empty())
    signatures.fail("trust_ca", "at least one CA is required with [hub] or [push]");
  root.adopt(signatures);

  root.report_unknown_keys();
  if (root.error()) return *root.error();

  std::vector<std::filesystem::path> secrets;
  if (config.web.tls) secrets.push_back(config.web.tls->private_key);
  if (config.monitor.tls) secrets.push_back(config.monitor.tls->private_key);
  if (config.push) secrets.push_back(config.push->tls.private_key);
  for (const auto& secret : detail::database_secrets(config.database)) secrets.push_back(secret);
  for (const auto& secret : secrets) TRUC_TRY(detail::check_secret_permissions(secret));
  return config;
}

}  // namespace truc::conf
