#include "truc/conf/config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::conf {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest() {
    std::filesystem::create_directories(directory_.path() / "pki");
    for (const char* file :
         {"pki/hub.crt", "pki/hub.key", "pki/ca.crt", "admin.token", "compat.key"}) {
      directory_.write(file, "x");
      ::chmod((directory_.path() / file).c_str(), 0600);
    }
  }

  // The example configuration with `replace` applied (pairs of from, to).
  std::filesystem::path example(
      const std::vector<std::pair<std::string, std::string>>& replace = {}) {
    std::string text = testing::read_file(testing::source_dir() / "conf" / "trucd.example.toml");
    for (const auto& [from, to] : replace) {
      auto position = text.find(from);
      EXPECT_NE(position, std::string::npos) << from;
      if (position != std::string::npos) text.replace(position, from.size(), to);
    }
    return directory_.write("trucd.toml", text);
  }

  std::string error_detail(const std::filesystem::path& file) {
    auto config = load_config(file);
    return config ? "loaded" : config.error().code + " " + config.error().detail;
  }

  testing::TempDir directory_;
};

TEST_F(ConfigTest, TheExampleLoadsWithItsDocumentedValues) {
  auto config = load_config(example());
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->hub_code, "truc.demo");
  EXPECT_EQ(config->agency_api.listen.host, "127.0.0.1");
  EXPECT_EQ(config->agency_api.listen.port, 8443);
  EXPECT_EQ(config->agency_api.tls.private_key, directory_.path() / "pki/hub.key");
  EXPECT_EQ(config->agency_api.max_body_bytes, 157286400u);
  EXPECT_EQ(config->monitor.listen.port, 9090);
  EXPECT_TRUE(config->monitor.listen.is_loopback());
  EXPECT_EQ(config->database.pool_size, 8u);
  EXPECT_EQ(config->blob_directory, directory_.path() / "blobs");
  EXPECT_EQ(config->signatures.trust_ca.size(), 1u);
  EXPECT_EQ(config->workers.queue_limit, 256u);
  EXPECT_EQ(config->push.max_attempts, 10u);
  EXPECT_EQ(config->push.first_retry, std::chrono::seconds(10));
  EXPECT_FALSE(config->push.client_certificate);
  EXPECT_EQ(config->push.claim_lease, std::chrono::seconds(30));
  char host[256] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(config->node_id, host) << "a node is its host by default";
  ASSERT_TRUE(config->compat);
  EXPECT_EQ(config->compat->secret_key_file, directory_.path() / "compat.key");
  EXPECT_EQ(config->compat->max_clock_skew, std::chrono::seconds(300));
}

TEST_F(ConfigTest, TheCompatibleFaceIsOffWithoutItsSection) {
  std::string text = testing::read_file(testing::source_dir() / "conf" / "trucd.example.toml");
  text = text.substr(0, text.find("[compat]"));
  auto config = load_config(directory_.write("trucd.toml", text));
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_FALSE(config->compat);
  EXPECT_EQ(error_detail(example({{"max_clock_skew_seconds = 300", "max_clock_skew_seconds = 0"}})),
            "config.invalid compat.max_clock_skew_seconds: must be between 1 and 3600");
  ::chmod((directory_.path() / "compat.key").c_str(), 0640);
  EXPECT_EQ(load_config(example()).error().code, "config.insecure_permissions");
}

TEST_F(ConfigTest, RevocationIsReadFromItsSection) {
  auto off = load_config(example());
  ASSERT_TRUE(off) << off.error().to_string();
  EXPECT_FALSE(off->revocation);
  auto config = load_config(
      example({{"#[revocation]", "[revocation]"},
               {"#crl_urls", "crl_urls"},
               {"#cache_directory", "cache_directory"},
               {"#refresh_interval_seconds = 3600", "refresh_interval_seconds = 600"},
               {"#check_client_certificates = true", "check_client_certificates = false"},
               {"#ocsp = false", "ocsp = true"},
               {"#ocsp_max_age_seconds = 3600", "ocsp_max_age_seconds = 900"},
               {"#when_unknown = \"refuse\"", "when_unknown = \"accept_and_flag\""}}));
  ASSERT_TRUE(config) << config.error().to_string();
  ASSERT_TRUE(config->revocation);
  EXPECT_TRUE(config->revocation->ocsp);
  EXPECT_EQ(config->revocation->ocsp_max_age, std::chrono::seconds(900));
  EXPECT_EQ(config->revocation->ocsp_timeout, std::chrono::seconds(10));
  EXPECT_TRUE(config->revocation->accept_unknown);
  EXPECT_EQ(config->revocation->crl_urls,
            std::vector<std::string>{"http://crl.example.gov.vn/ca.crl"});
  EXPECT_EQ(config->revocation->cache_directory, directory_.path() / "crl-cache");
  EXPECT_EQ(config->revocation->refresh_interval, std::chrono::seconds(600));
  EXPECT_EQ(config->revocation->fetch_timeout, std::chrono::seconds(10));
  EXPECT_FALSE(config->revocation->check_client_certificates);
  EXPECT_EQ(error_detail(example({{"#[revocation]", "[revocation]"},
                                  {"#cache_directory", "cache_directory"},
                                  {"#crl_urls = [\"http:", "crl_urls = [\"https:"}})),
            "config.invalid revocation.crl_urls: expected http:// URLs: "
            "https://crl.example.gov.vn/ca.crl");
  EXPECT_EQ(error_detail(example({{"#[revocation]", "[revocation]"},
                                  {"#cache_directory", "cache_directory"},
                                  {"#when_unknown = \"refuse\"", "when_unknown = \"accept\""}})),
            "config.invalid revocation.when_unknown: one of refuse, accept_and_flag");
  auto defaults = load_config(
      example({{"#[revocation]", "[revocation]"}, {"#cache_directory", "cache_directory"}}));
  ASSERT_TRUE(defaults) << defaults.error().to_string();
  EXPECT_FALSE(defaults->revocation->ocsp);
  EXPECT_FALSE(defaults->revocation->accept_unknown);
}

TEST_F(ConfigTest, EvidenceSealingIsReadFromItsSection) {
  auto off = load_config(example());
  ASSERT_TRUE(off) << off.error().to_string();
  EXPECT_FALSE(off->evidence);
  std::filesystem::create_directories(directory_.path() / "evidence");
  for (const char* file : {"evidence/hub-seal.key", "evidence/hub-seal.pem"}) {
    directory_.write(file, "x");
    ::chmod((directory_.path() / file).c_str(), 0600);
  }
  std::vector<std::pair<std::string, std::string>> on{
      {"#[evidence]", "[evidence]"},
      {"#signing_key", "signing_key"},
      {"#signing_certificate", "signing_certificate"},
      {"#tsa_url", "tsa_url"},
      {"#seal_interval_seconds = 60", "seal_interval_seconds = 5"}};
  auto config = load_config(example(on));
  ASSERT_TRUE(config) << config.error().to_string();
  ASSERT_TRUE(config->evidence);
  EXPECT_EQ(config->evidence->signing_key, directory_.path() / "evidence/hub-seal.key");
  EXPECT_EQ(config->evidence->tsa_url, "http://tsa.example.gov.vn/tsr");
  EXPECT_EQ(config->evidence->seal_interval, std::chrono::seconds(5));
  EXPECT_EQ(config->evidence->tsa_timeout, std::chrono::seconds(10));

  auto https = on;
  https.push_back({"tsa_url = \"http:", "tsa_url = \"https:"});
  EXPECT_EQ(error_detail(example(https)),
            "config.invalid evidence.tsa_url: expected an http:// URL (tokens are signed)");
  ::chmod((directory_.path() / "evidence/hub-seal.key").c_str(), 0644);
  EXPECT_EQ(load_config(example(on)).error().code, "config.insecure_permissions");
}

TEST_F(ConfigTest, ANodeIdAndAClaimLeaseAreReadWhenGiven) {
  auto config = load_config(example({{"#node_id = \"hub-1\"", "node_id = \"hub-2\""},
                                     {"claim_lease_seconds = 30", "claim_lease_seconds = 3"}}));
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->node_id, "hub-2");
  EXPECT_EQ(config->push.claim_lease, std::chrono::seconds(3));
  EXPECT_EQ(error_detail(example({{"#node_id = \"hub-1\"", "node_id = \"\""}})),
            "config.invalid hub.node_id: a name of 1 to 200 characters");
  EXPECT_EQ(error_detail(example({{"claim_lease_seconds = 30", "claim_lease_seconds = 1"}})),
            "config.invalid push.claim_lease_seconds: must be between 2 and 3600");
}

TEST_F(ConfigTest, RefusesUnknownKeysWithTheirFullName) {
  EXPECT_EQ(error_detail(example({{"pool_size = 8", "pool_size = 8\npool_sise = 9"}})),
            "config.invalid database.pool_sise: unknown key");
  EXPECT_EQ(error_detail(example({{"[workers]", "[wrokers]"}})),
            "config.invalid wrokers: unknown key");
}

TEST_F(ConfigTest, RefusesBadValuesWithTheKeyAndTheReason) {
  EXPECT_EQ(error_detail(example({{"listen = \"127.0.0.1:8443\"", "listen = \"8443\""}})),
            "config.invalid agency_api.listen: expected host:port, e.g. 0.0.0.0:8443");
  EXPECT_EQ(error_detail(example({{"threads = 4", "threads = 0"}})),
            "config.invalid workers.threads: must be between 1 and 256");
  EXPECT_EQ(error_detail(example({{"threads = 4", "threads = \"four\""}})),
            "config.invalid workers.threads: expected an integer");
  EXPECT_EQ(error_detail(example({{"\"pki/hub.crt\"", "\"pki/missing.crt\""}})),
            "config.invalid agency_api.tls_certificate: no such file: " +
                (directory_.path() / "pki/missing.crt").string());
  EXPECT_EQ(error_detail(example({{"code = \"truc.demo\"\n", ""}})),
            "config.invalid hub.code: is required");
  EXPECT_EQ(
      error_detail(example({{"dbname=truc", "dbname=truc password=hunter2"}})),
      "config.invalid database.conninfo: must not hold a password; use database.password_file");
  EXPECT_EQ(error_detail(example({{"listen = \"127.0.0.1:9090\"", "listen = \"0.0.0.0:9090\""}})),
            "config.invalid monitor.tls_certificate: is required when the monitor listens beyond "
            "loopback");
  auto broken = directory_.write("broken.toml", "[hub\ncode = 1");
  EXPECT_EQ(load_config(broken).error().code, "config.invalid");
}

TEST_F(ConfigTest, RefusesSecretsReadableByOthers) {
  ::chmod((directory_.path() / "pki/hub.key").c_str(), 0644);
  auto config = load_config(example());
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config.insecure_permissions");
  EXPECT_EQ(config.error().detail, (directory_.path() / "pki/hub.key").string());
}

TEST_F(ConfigTest, ReadsSecretsAndAddsTheDatabasePassword) {
  auto token = directory_.write("token", "s3cr3t\n");
  ::chmod(token.c_str(), 0600);
  EXPECT_EQ(*read_secret_file(token), "s3cr3t");
  ::chmod(token.c_str(), 0640);
  EXPECT_EQ(read_secret_file(token).error().code, "config.insecure_permissions");

  auto password = directory_.write("db.password", "it's\n");
  ::chmod(password.c_str(), 0600);
  DatabaseConfig database;
  database.conninfo = "host=/run/pg dbname=truc";
  database.password_file = password;
  EXPECT_EQ(*database_conninfo(database), "host=/run/pg dbname=truc password='it\\'s'");
  EXPECT_EQ(*migration_conninfo(database), "host=/run/pg dbname=truc password='it\\'s'");

  // The migration owner's password is its own, never the service role's.
  database.migration_conninfo = "host=/run/pg dbname=truc user=truc_owner";
  EXPECT_EQ(*migration_conninfo(database), "host=/run/pg dbname=truc user=truc_owner");
  auto owner_password = directory_.write("db-owner.password", "owner\n");
  ::chmod(owner_password.c_str(), 0600);
  database.migration_password_file = owner_password;
  EXPECT_EQ(*migration_conninfo(database),
            "host=/run/pg dbname=truc user=truc_owner password='owner'");
}

TEST_F(ConfigTest, MigrationOwnerAndServiceRoleAreOptionalAndChecked) {
  auto plain = load_config(example());
  ASSERT_TRUE(plain) << plain.error().to_string();
  EXPECT_FALSE(plain->database.migration_conninfo);
  EXPECT_FALSE(plain->database.migration_password_file);
  EXPECT_FALSE(plain->database.service_role);

  auto owner_password = directory_.write("db-owner.password", "owner");
  ::chmod(owner_password.c_str(), 0600);
  std::vector<std::pair<std::string, std::string>> split = {
      {"# migration_conninfo = ", "migration_conninfo = "},
      {"# migration_password_file = ", "migration_password_file = "},
      {"# service_role = ", "service_role = "}};
  auto config = load_config(example(split));
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->database.migration_conninfo, "host=postgres dbname=truc user=truc_owner");
  EXPECT_EQ(config->database.migration_password_file, owner_password);
  EXPECT_EQ(config->database.service_role, "truc");

  EXPECT_EQ(
      error_detail(example({{"# migration_conninfo = \"host=postgres dbname=truc",
                             "migration_conninfo = \"password=x host=postgres dbname=truc"}})),
      "config.invalid database.migration_conninfo: must not hold a password; use "
      "database.migration_password_file");
  EXPECT_EQ(error_detail(example({{"# migration_password_file = ", "migration_password_file = "}})),
            "config.invalid database.migration_password_file: needs database.migration_conninfo");
  EXPECT_EQ(error_detail(example({{"# service_role = \"truc\"", "service_role = \"\""}})),
            "config.invalid database.service_role: must name a role");
  ::chmod(owner_password.c_str(), 0644);
  auto exposed = load_config(example(split));
  ASSERT_FALSE(exposed);
  EXPECT_EQ(exposed.error().code, "config.insecure_permissions");
  EXPECT_EQ(exposed.error().detail, owner_password.string());
}

TEST_F(ConfigTest, ReadsA256BitKeyWrittenInHex) {
  auto key = directory_.write("good.key", std::string(62, 'a') + "0F\n");
  ::chmod(key.c_str(), 0600);
  auto bytes = read_key_file(key);
  ASSERT_TRUE(bytes) << bytes.error().to_string();
  EXPECT_EQ(*bytes, std::string(31, '\xaa') + "\x0f");
  for (const char* content : {"abcd", "zz", ""}) {
    std::string text = content == std::string("zz") ? std::string(64, 'z') : content;
    auto bad = directory_.write("bad.key", text + "\n");
    ::chmod(bad.c_str(), 0600);
    EXPECT_EQ(read_key_file(bad).error().code, "config.invalid") << content;
  }
}

}  // namespace
}  // namespace truc::conf
