// The office as a user meets it: truc-office started from its command line on a real
// PostgreSQL, set up with `truc-office migrate` and `truc-office admin`, serving the built web
// app over TLS, driven by Debian's Chromium through tests/browser (playwright-core).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "truc/testing/pki.hpp"
#include "truc/testing/postgres.hpp"
#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::testing {
namespace {

constexpr std::chrono::seconds kStartTimeout{60};

std::filesystem::path office_binary() { return binary_dir() / "office" / "truc-office"; }

std::uint16_t port_in(const std::string& line, const std::string& key) {
  std::smatch match;
  std::regex pattern("\"" + key + "\":\"([0-9]+)\"");
  if (!std::regex_search(line, match, pattern)) return 0;
  return static_cast<std::uint16_t>(std::stoi(match[1]));
}

class OfficeBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dist = source_dir() / "office" / "web" / "dist";
    const auto browser_modules = source_dir() / "tests" / "browser" / "node_modules";
    ASSERT_TRUE(std::filesystem::is_regular_file(dist / "index.html"))
        << "build the web app first: (cd office/web && npm ci && npm run build)";
    ASSERT_TRUE(std::filesystem::is_directory(browser_modules / "playwright-core"))
        << "install the browser tests' modules first: (cd tests/browser && npm ci)";

    TestPki pki(directory_.path());
    Issued ca = pki.create_ca("Office Test CA");
    Issued server = pki.issue(ca, "office-server",
                              {.common_name = "localhost",
                               .key_usage = "digitalSignature,keyEncipherment",
                               .extended_key_usage = "serverAuth",
                               .dns_names = {"localhost"}});
    ::chmod(server.key.c_str(), 0600);
    password_file_ = directory_.write("password", password_);
    ::chmod(password_file_.c_str(), 0600);
    config_ = directory_.write(
        "truc-office.toml",
        "[web]\nlisten = \"127.0.0.1:0\"\ntls_certificate = \"" + server.certificate.string() +
            "\"\ntls_private_key = \"" + server.key.string() + "\"\nstatic_directory = \"" +
            dist.string() +
            "\"\n\n[monitor]\nlisten = \"127.0.0.1:0\"\n\n[database]\nconninfo = \"" +
            shared_postgres().create_database() + "\"\n\n[storage]\nblob_directory = \"" +
            (directory_.path() / "blobs").string() + "\"\n");

    cli({"migrate", "--config", config_.string()});
    cli({"admin", "create-agency", "--config", config_.string(), "--code", "000.00.04.H57",
         "--name", "Sở Nội vụ tỉnh Thừa Thiên Huế"});
    cli({"admin", "create-user", "--config", config_.string(), "--agency", "000.00.04.H57",
         "--username", "vanthu", "--full-name", "Nguyễn Thị Văn Thư", "--role", "clerk",
         "--department", "Văn phòng", "--password-file", password_file_.string()});

    office_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{office_binary().string(), "--config", config_.string()});
    auto listening = office_->wait_for_line("\"listening\"", kStartTimeout);
    ASSERT_TRUE(listening) << office_->stderr_text();
    web_port_ = port_in(*listening, "web_port");
    monitor_port_ = port_in(*listening, "monitor_port");
  }

  void cli(const std::vector<std::string>& arguments) {
    std::vector<std::string> argv{office_binary().string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    ProcessResult result = run_process(argv);
    ASSERT_EQ(result.exit_status, 0) << result.err;
  }

  std::string monitor(const std::string& path) {
    ProcessResult result =
        run_process({"/usr/bin/curl", "--silent", "--show-error",
                     "http://127.0.0.1:" + std::to_string(monitor_port_) + path});
    EXPECT_EQ(result.exit_status, 0) << result.err;
    return result.out;
  }

  TempDir directory_;
  const std::string password_ = "Mật khẩu của văn thư 2026";
  std::filesystem::path password_file_;
  std::filesystem::path config_;
  std::unique_ptr<ChildProcess> office_;
  std::uint16_t web_port_ = 0;
  std::uint16_t monitor_port_ = 0;
};

TEST_F(OfficeBrowser, AClerkSignsInSeesTheHomePageAndSignsOutInChromium) {
  // TRUC_SCREENSHOT_DIR keeps the pictures (scripts/screenshots uses it for docs/); otherwise
  // they go to the test's directory and away with it.
  const char* keep = std::getenv("TRUC_SCREENSHOT_DIR");
  const std::string screenshots =
      keep != nullptr ? std::string(keep) : (directory_.path() / "screenshots").string();
  ProcessResult browser = run_process(
      {"/usr/bin/node", (source_dir() / "tests" / "browser" / "office_signin.mjs").string()},
      {.environment = {"TRUC_OFFICE_URL=https://127.0.0.1:" + std::to_string(web_port_),
                       "TRUC_OFFICE_USER=vanthu", "TRUC_OFFICE_PASSWORD=" + password_,
                       "TRUC_SCREENSHOT_DIR=" + screenshots, "HOME=" + directory_.path().string()},
       .timeout = std::chrono::seconds(240)});
  EXPECT_EQ(browser.exit_status, 0) << browser.out << browser.err << office_->stderr_text();
  EXPECT_NE(browser.out.find("ok: e. "), std::string::npos) << browser.out;
  EXPECT_TRUE(
      std::filesystem::is_regular_file(std::filesystem::path(screenshots) / "trang-chu.png"));

  // What the browser did is in the metrics and the audit trail's effects: one refused and one
  // accepted sign-in.
  std::string metrics = monitor("/metrics");
  EXPECT_NE(metrics.find("route=\"/office/api/v1/session\",status=\"401\""), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("route=\"/office/api/v1/session\",status=\"200\""), std::string::npos);
  EXPECT_NE(monitor("/ready").find("\"ready\":true"), std::string::npos);
}

TEST_F(OfficeBrowser, TheCommandLineRefusesBadInputWithATypedError) {
  ProcessResult duplicate =
      run_process({office_binary().string(), "admin", "create-agency", "--config", config_.string(),
                   "--code", "000.00.04.H57", "--name", "Lần nữa"});
  EXPECT_EQ(duplicate.exit_status, 1);
  EXPECT_EQ(duplicate.first_error_line().rfind("error: agency.exists", 0), 0u) << duplicate.err;
  ProcessResult bad_role =
      run_process({office_binary().string(), "admin", "create-user", "--config", config_.string(),
                   "--agency", "000.00.04.H57", "--username", "x.y", "--full-name", "X", "--role",
                   "boss", "--password-file", password_file_.string()});
  EXPECT_EQ(bad_role.exit_status, 2);
  ::chmod(password_file_.c_str(), 0644);
  ProcessResult readable =
      run_process({office_binary().string(), "admin", "create-user", "--config", config_.string(),
                   "--agency", "000.00.04.H57", "--username", "lanhdao", "--full-name", "Lãnh Đạo",
                   "--role", "leader", "--password-file", password_file_.string()});
  EXPECT_EQ(readable.exit_status, 1);
  EXPECT_EQ(readable.first_error_line().rfind("error: config.insecure_permissions", 0), 0u)
      << readable.err;
  ProcessResult help = run_process({office_binary().string(), "--help"});
  EXPECT_EQ(help.exit_status, 0);
  EXPECT_NE(help.out.find("admin create-user"), std::string::npos);
}

}  // namespace
}  // namespace truc::testing
