#include "truc/conf/office_config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::conf {
namespace {

// The smallest file truc-office accepts: its four required sections, each with its required keys.
constexpr const char* kMinimal = R"(
[web]
listen = "127.0.0.1:8444"
static_directory = "web"

[monitor]
listen = "127.0.0.1:9091"

[database]
conninfo = "dbname=truc_office"

[storage]
blob_directory = "blobs"
)";

class OfficeConfigTest : public ::testing::Test {
 protected:
  OfficeConfigTest() {
    std::filesystem::create_directories(directory_.path() / "pki");
    std::filesystem::create_directories(directory_.path() / "web");
    directory_.write("web/index.html", "<!doctype html>");
    for (const char* file :
         {"pki/office.crt", "pki/office.key", "pki/hub-ca.crt", "pki/office-push.crt",
          "pki/office-push.key", "pki/hub-push.crt", "pki/ca.crt"}) {
      directory_.write(file, "x");
      ::chmod((directory_.path() / file).c_str(), 0600);
    }
  }

  // `text` with `replace` applied (pairs of from, to), written as office.toml.
  std::filesystem::path write(
      std::string text, const std::vector<std::pair<std::string, std::string>>& replace = {}) {
    for (const auto& [from, to] : replace) {
      auto position = text.find(from);
      EXPECT_NE(position, std::string::npos) << from;
      if (position != std::string::npos) text.replace(position, from.size(), to);
    }
    return directory_.write("office.toml", text);
  }

  std::filesystem::path minimal(
      const std::vector<std::pair<std::string, std::string>>& replace = {}) {
    return write(kMinimal, replace);
  }

  std::filesystem::path example(
      const std::vector<std::pair<std::string, std::string>>& replace = {}) {
    return write(testing::read_file(testing::source_dir() / "conf" / "truc-office.example.toml"),
                 replace);
  }

  std::string error_detail(const std::filesystem::path& file) {
    auto config = load_office_config(file);
    return config ? "loaded" : config.error().code + " " + config.error().detail;
  }

  testing::TempDir directory_;
};

TEST_F(OfficeConfigTest, AMinimalFileLoadsWithTheDefaults) {
  auto config = load_office_config(minimal());
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->log_level, "info");
  EXPECT_EQ(config->web.listen.host, "127.0.0.1");
  EXPECT_EQ(config->web.listen.port, 8444);
  EXPECT_FALSE(config->web.tls);
  EXPECT_EQ(config->web.static_directory, directory_.path() / "web");
  EXPECT_EQ(config->web.max_body_bytes, 50u << 20);
  EXPECT_EQ(config->monitor.listen.port, 9091);
  EXPECT_FALSE(config->monitor.tls);
  EXPECT_EQ(config->database.conninfo, "dbname=truc_office");
  EXPECT_FALSE(config->database.password_file);
  EXPECT_FALSE(config->database.migration_conninfo);
  EXPECT_EQ(config->database.pool_size, 8u);
  EXPECT_EQ(config->database.acquire_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(config->blob_directory, directory_.path() / "blobs");
  EXPECT_EQ(config->sessions.idle_timeout, std::chrono::minutes(30));
  EXPECT_EQ(config->sessions.lifetime, std::chrono::hours(12));
  EXPECT_EQ(config->lockout.max_failed_attempts, 5u);
  EXPECT_EQ(config->lockout.duration, std::chrono::minutes(15));
  EXPECT_EQ(config->reminders.due_soon_days, 3);
  EXPECT_EQ(config->workers.threads, 4u);
  EXPECT_EQ(config->workers.io_threads, 2u);
  EXPECT_EQ(config->workers.queue_limit, 256u);
}

TEST_F(OfficeConfigTest, TheExampleLoadsWithItsDocumentedValues) {
  auto config = load_office_config(example());
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->log_level, "info");
  EXPECT_EQ(config->web.listen.to_string(), "127.0.0.1:8444");
  ASSERT_TRUE(config->web.tls);
  EXPECT_EQ(config->web.tls->certificate, directory_.path() / "pki/office.crt");
  EXPECT_EQ(config->web.tls->private_key, directory_.path() / "pki/office.key");
  EXPECT_EQ(config->web.static_directory, directory_.path() / "web");
  EXPECT_EQ(config->web.max_body_bytes, 52428800u);
  EXPECT_EQ(config->monitor.listen.to_string(), "127.0.0.1:9091");
  EXPECT_FALSE(config->monitor.tls);
  EXPECT_EQ(config->database.conninfo, "host=postgres dbname=truc_office user=truc_office");
  EXPECT_EQ(config->blob_directory, directory_.path() / "blobs");
  EXPECT_EQ(config->sessions.idle_timeout, std::chrono::minutes(30));
  EXPECT_EQ(config->lockout.duration, std::chrono::minutes(15));
  EXPECT_EQ(config->reminders.due_soon_days, 3);
  EXPECT_EQ(config->workers.queue_limit, 256u);
  ASSERT_TRUE(config->hub);
  EXPECT_EQ(config->hub->url, "https://hub.example.gov.vn:8443");
  EXPECT_EQ(config->hub->poll_interval, std::chrono::seconds(60));
  ASSERT_TRUE(config->push);
  EXPECT_EQ(config->push->listen.to_string(), "0.0.0.0:8446");
  EXPECT_EQ(config->push->hub_certificate, directory_.path() / "pki/hub-push.crt");
  EXPECT_EQ(config->signatures.trust_ca.size(), 1u);

  // The commented-out keys are spelled as the loader expects.
  for (const char* file : {"pki/office-monitor.crt", "pki/office-monitor.key", "office-db.password",
                           "office-db-owner.password"}) {
    directory_.write(file, "x");
    ::chmod((directory_.path() / file).c_str(), 0600);
  }
  std::vector<std::pair<std::string, std::string>> uncomment;
  for (const char* key : {"tls_certificate", "tls_private_key", "password_file",
                          "migration_conninfo", "migration_password_file", "service_role"}) {
    uncomment.emplace_back(std::string("# ") + key + " = ", std::string(key) + " = ");
  }
  auto everything = load_office_config(example(uncomment));
  ASSERT_TRUE(everything) << everything.error().to_string();
  ASSERT_TRUE(everything->monitor.tls);
  EXPECT_EQ(everything->monitor.tls->private_key, directory_.path() / "pki/office-monitor.key");
  EXPECT_EQ(everything->database.password_file, directory_.path() / "office-db.password");
  EXPECT_EQ(everything->database.service_role, "truc_office");
}

TEST_F(OfficeConfigTest, RefusesUnknownKeysWithTheirFullName) {
  EXPECT_EQ(error_detail(minimal({{"static_directory", "static_directory = \"web\"\nstatic_dir"}})),
            "config.invalid web.static_dir: unknown key");
  EXPECT_EQ(error_detail(minimal({{"[storage]", "[sessions]\nidle_timeout = 5\n[storage]"}})),
            "config.invalid sessions.idle_timeout: unknown key");
  EXPECT_EQ(error_detail(minimal({{"[storage]", "[lockouts]\n[storage]"}})),
            "config.invalid lockouts: unknown key");
}

TEST_F(OfficeConfigTest, RequiresItsFourSections) {
  for (const char* section : {"web", "monitor", "database", "storage"}) {
    std::string text = kMinimal;
    auto start = text.find(std::string("[") + section + "]");
    auto end = text.find("\n\n", start);
    text.erase(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_EQ(error_detail(write(text)),
              std::string("config.invalid ") + section + ": the section is required");
  }
  EXPECT_EQ(error_detail(minimal({{"blob_directory = \"blobs\"", ""}})),
            "config.invalid storage.blob_directory: is required");
}

TEST_F(OfficeConfigTest, RequiresTlsBeyondLoopback) {
  EXPECT_EQ(error_detail(minimal({{"127.0.0.1:8444", "0.0.0.0:8444"}})),
            "config.invalid web.tls_certificate: is required when the web app listens beyond "
            "loopback");
  EXPECT_EQ(error_detail(minimal({{"127.0.0.1:9091", "[::]:9091"}})),
            "config.invalid monitor.tls_certificate: is required when the monitor listens beyond "
            "loopback");
  auto config = load_office_config(minimal({{"127.0.0.1:8444", "0.0.0.0:8444"},
                                            {"static_directory",
                                             "tls_certificate = \"pki/office.crt\"\n"
                                             "tls_private_key = \"pki/office.key\"\n"
                                             "static_directory"}}));
  ASSERT_TRUE(config) << config.error().to_string();
  ASSERT_TRUE(config->web.tls);
  EXPECT_EQ(error_detail(minimal({{"static_directory",
                                   "tls_certificate = \"pki/office.crt\"\n"
                                   "static_directory"}})),
            "config.invalid web.tls_private_key: is required");
}

TEST_F(OfficeConfigTest, RequiresAStaticDirectoryHoldingIndexHtml) {
  std::filesystem::remove(directory_.path() / "web/index.html");
  EXPECT_EQ(error_detail(minimal()),
            "config.invalid web.static_directory: holds no index.html (npm run build in "
            "office/web makes it): " +
                (directory_.path() / "web").string());
  EXPECT_EQ(error_detail(minimal({{"\"web\"", "\"dist\""}})),
            "config.invalid web.static_directory: no such directory: " +
                (directory_.path() / "dist").string());
  EXPECT_EQ(error_detail(minimal({{"static_directory = \"web\"", ""}})),
            "config.invalid web.static_directory: is required");
}

TEST_F(OfficeConfigTest, RefusesSecretsReadableByOthers) {
  ::chmod((directory_.path() / "pki/office.key").c_str(), 0644);
  auto config = load_office_config(example());
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config.insecure_permissions");
  EXPECT_EQ(config.error().detail, (directory_.path() / "pki/office.key").string());

  auto password = directory_.write("office-db.password", "x");
  ::chmod(password.c_str(), 0640);
  auto database = load_office_config(minimal({{"dbname=truc_office\"",
                                               "dbname=truc_office\"\n"
                                               "password_file = \"office-db.password\""}}));
  ASSERT_FALSE(database);
  EXPECT_EQ(database.error().code, "config.insecure_permissions");
  EXPECT_EQ(database.error().detail, password.string());
}

TEST_F(OfficeConfigTest, RefusesValuesOutOfRange) {
  const std::string lockout = "[lockout]\nmax_failed_attempts = 5\nlockout_minutes = 15\n";
  auto with = [&](const std::string& section) {
    return minimal({{"[storage]", section + "[storage]"}});
  };
  EXPECT_EQ(error_detail(with("[lockout]\nlockout_minutes = 0\n")),
            "config.invalid lockout.lockout_minutes: must be between 1 and 1440");
  EXPECT_EQ(error_detail(with("[lockout]\nmax_failed_attempts = 101\n")),
            "config.invalid lockout.max_failed_attempts: must be between 1 and 100");
  EXPECT_EQ(error_detail(with("[lockout]\nmax_failed_attempts = \"five\"\n")),
            "config.invalid lockout.max_failed_attempts: expected an integer");
  EXPECT_EQ(error_detail(with("[sessions]\nidle_timeout_minutes = 1441\n")),
            "config.invalid sessions.idle_timeout_minutes: must be between 1 and 1440");
  EXPECT_EQ(error_detail(with("[sessions]\nlifetime_hours = 169\n")),
            "config.invalid sessions.lifetime_hours: must be between 1 and 168");
  EXPECT_EQ(error_detail(with("[reminders]\ndue_soon_days = 0\n")),
            "config.invalid reminders.due_soon_days: must be between 1 and 30");
  EXPECT_EQ(error_detail(with("[reminders]\ndue_soon_days = 31\n")),
            "config.invalid reminders.due_soon_days: must be between 1 and 30");
  EXPECT_EQ(error_detail(with("[workers]\nthreads = 0\n")),
            "config.invalid workers.threads: must be between 1 and 256");
  EXPECT_EQ(error_detail(with("[office]\nlog_level = \"trace\"\n")),
            "config.invalid office.log_level: one of debug, info, warn, error");
  EXPECT_EQ(
      error_detail(minimal({{"static_directory", "max_body_bytes = 1000\nstatic_directory"}})),
      "config.invalid web.max_body_bytes: must be between 1048576 and 4294967296");

  auto config =
      load_office_config(with(lockout + "[sessions]\nidle_timeout_minutes = 5\n"
                                        "lifetime_hours = 1\n[office]\nlog_level = \"debug\"\n"));
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->sessions.idle_timeout, std::chrono::minutes(5));
  EXPECT_EQ(config->sessions.lifetime, std::chrono::hours(1));
  EXPECT_EQ(config->log_level, "debug");
}

TEST_F(OfficeConfigTest, ChecksTheDatabaseAsTheHubDoes) {
  EXPECT_EQ(error_detail(minimal({{"dbname=truc_office", "dbname=truc_office password=x"}})),
            "config.invalid database.conninfo: must not hold a password; use "
            "database.password_file");
  EXPECT_EQ(error_detail(
                minimal({{"dbname=truc_office\"",
                          "dbname=truc_office\"\nmigration_password_file = \"web/index.html\""}})),
            "config.invalid database.migration_password_file: needs database.migration_conninfo");
}

TEST_F(OfficeConfigTest, ResolvesRelativePathsAgainstTheFilesDirectory) {
  std::filesystem::create_directories(directory_.path() / "etc/app");
  std::filesystem::create_directories(directory_.path() / "etc/pki");
  directory_.write("etc/app/index.html", "<!doctype html>");
  directory_.write("etc/pki/office.crt", "x");
  ::chmod(directory_.write("etc/pki/office.key", "x").c_str(), 0600);
  std::string text = R"(
[web]
listen = "127.0.0.1:8444"
tls_certificate = "pki/office.crt"
tls_private_key = "pki/office.key"
static_directory = "app"
[monitor]
listen = "127.0.0.1:9091"
[database]
conninfo = "dbname=truc_office"
[storage]
blob_directory = "STORE"
)";
  text.replace(text.find("STORE"), 5, (directory_.path() / "store").string());
  directory_.write("etc/office.toml", text);

  // The file named relatively, from elsewhere: paths follow the file, not the working directory.
  auto working_directory = std::filesystem::current_path();
  std::filesystem::current_path(directory_.path());
  auto config = load_office_config("etc/office.toml");
  std::filesystem::current_path(working_directory);
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->web.static_directory, directory_.path() / "etc/app");
  ASSERT_TRUE(config->web.tls);
  EXPECT_EQ(config->web.tls->certificate, directory_.path() / "etc/pki/office.crt");
  EXPECT_EQ(config->web.tls->private_key, directory_.path() / "etc/pki/office.key");
  EXPECT_EQ(config->blob_directory, directory_.path() / "store") << "absolute paths stay";
}

TEST_F(OfficeConfigTest, ReportsWhereTheTomlIsBroken) {
  auto file = write("[web]\nlisten = \"127.0.0.1:8444\"\n[monitor\n");
  auto config = load_office_config(file);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config.invalid");
  EXPECT_EQ(config.error().detail.rfind(file.string() + ":3: ", 0), 0u) << config.error().detail;
}

TEST_F(OfficeConfigTest, TheHubLinkIsHttpsWithItsCasAndSignaturesToCheck) {
  auto hub = [](const std::string& section) {
    return std::vector<std::pair<std::string, std::string>>{{"[storage]", section + "\n[storage]"}};
  };
  EXPECT_EQ(error_detail(minimal(hub("[hub]\nurl = \"http://hub:8443\"\nca = [\"pki/hub-ca.crt\"]\n"
                                     "[signatures]\ntrust_ca = [\"pki/ca.crt\"]"))),
            "config.invalid hub.url: the hub's agency API is https:// only");
  EXPECT_EQ(error_detail(minimal(hub("[hub]\nurl = \"https://hub:8443\"\n"
                                     "[signatures]\ntrust_ca = [\"pki/ca.crt\"]"))),
            "config.invalid hub.ca: at least one CA is required");
  EXPECT_EQ(
      error_detail(minimal(hub("[hub]\nurl = \"https://hub:8443\"\nca = [\"pki/hub-ca.crt\"]"))),
      "config.invalid signatures.trust_ca: at least one CA is required with [hub] or [push]");
  EXPECT_EQ(error_detail(minimal(hub("[push]\nlisten = \"0.0.0.0:8446\"\n"
                                     "tls_certificate = \"pki/office-push.crt\"\n"
                                     "tls_private_key = \"pki/office-push.key\"\n"
                                     "client_ca = [\"pki/hub-ca.crt\"]\n"
                                     "[signatures]\ntrust_ca = [\"pki/ca.crt\"]"))),
            "config.invalid push.hub_certificate: is required");
  ::chmod((directory_.path() / "pki/office-push.key").c_str(), 0644);
  EXPECT_EQ(error_detail(example()).substr(0, 27), "config.insecure_permissions");
}

}  // namespace
}  // namespace truc::conf
