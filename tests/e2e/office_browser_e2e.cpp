// The office as its users meet it: truc-office started from its command line on a real
// PostgreSQL, set up with `truc-office migrate` and `truc-office admin`, serving the built web
// app over TLS, driven by Debian's Chromium through tests/browser (playwright-core). The second
// suite adds a real hub: another agency sends a package, the hub pushes it to the office, the
// clerk registers it in the browser, and the sender's hub inbox receives statuses 01 and 03.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <regex>
#include <set>

#include "truc/testing/hub.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/postgres.hpp"
#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::testing {
namespace {

namespace json = boost::json;

constexpr std::chrono::seconds kStartTimeout{60};
constexpr const char* kClerkPassword = "Mật khẩu của văn thư 2026";

std::filesystem::path office_binary() { return binary_dir() / "office" / "truc-office"; }

std::uint16_t port_in(const std::string& line, const std::string& key) {
  std::smatch match;
  std::regex pattern("\"" + key + "\":\"([0-9]+)\"");
  if (!std::regex_search(line, match, pattern)) return 0;
  return static_cast<std::uint16_t>(std::stoi(match[1]));
}

void make_secret(const std::filesystem::path& file) { ::chmod(file.c_str(), 0600); }

// One truc-office: its configuration, its setup through the command line, the daemon.
class OfficeProcess {
 public:
  // `extra_config`: further sections ([hub], [push], [signatures]), where @SERVER_CERTIFICATE@
  // and @SERVER_KEY@ name the office's server certificate and key.
  OfficeProcess(const TempDir& directory, TestPki& pki, const Issued& ca,
                const std::string& extra_config = "")
      : directory_(directory) {
    Issued server = pki.issue(ca, "office-server",
                              {.common_name = "localhost",
                               .key_usage = "digitalSignature,keyEncipherment",
                               .extended_key_usage = "serverAuth",
                               .dns_names = {"localhost"}});
    make_secret(server.key);
    server_ = server;
    auto expand = [&](std::string text) {
      for (const auto& [placeholder, value] :
           {std::pair{std::string("@SERVER_CERTIFICATE@"), server.certificate.string()},
            std::pair{std::string("@SERVER_KEY@"), server.key.string()}}) {
        for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder))
          text.replace(at, placeholder.size(), value);
      }
      return text;
    };
    password_file_ = directory.write("clerk.password", kClerkPassword);
    make_secret(password_file_);
    config_ = directory.write(
        "truc-office.toml",
        "[web]\nlisten = \"127.0.0.1:0\"\ntls_certificate = \"" + server.certificate.string() +
            "\"\ntls_private_key = \"" + server.key.string() + "\"\nstatic_directory = \"" +
            (source_dir() / "office" / "web" / "dist").string() +
            "\"\n\n[monitor]\nlisten = \"127.0.0.1:0\"\n\n[database]\nconninfo = \"" +
            shared_postgres().create_database() + "\"\n\n[storage]\nblob_directory = \"" +
            (directory.path() / "office-blobs").string() + "\"\n\n" + expand(extra_config));
  }

  const Issued& server_certificate() const { return server_; }
  const std::filesystem::path& config() const { return config_; }
  const std::filesystem::path& password_file() const { return password_file_; }

  ProcessResult command(const std::vector<std::string>& arguments) const {
    std::vector<std::string> argv{office_binary().string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run_process(argv);
  }
  // The same, failing the test unless it succeeds.
  void setup(const std::vector<std::string>& arguments) const {
    ProcessResult result = command(arguments);
    ASSERT_EQ(result.exit_status, 0) << result.err;
  }

  void start() {
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{office_binary().string(), "--config", config_.string()});
    auto listening = process_->wait_for_line("\"listening\"", kStartTimeout);
    ASSERT_TRUE(listening) << process_->stderr_text();
    web_port_ = port_in(*listening, "web_port");
    monitor_port_ = port_in(*listening, "monitor_port");
    push_port_ = port_in(*listening, "push_port");
  }

  std::string url() const { return "https://127.0.0.1:" + std::to_string(web_port_); }
  std::uint16_t push_port() const { return push_port_; }
  ChildProcess& process() { return *process_; }

  std::string monitor(const std::string& path) const {
    ProcessResult result =
        run_process({"/usr/bin/curl", "--silent", "--show-error",
                     "http://127.0.0.1:" + std::to_string(monitor_port_) + path});
    EXPECT_EQ(result.exit_status, 0) << result.err;
    return result.out;
  }

  // A tests/browser script against this office as `user`, screenshots into TRUC_SCREENSHOT_DIR
  // when set (to keep them, e.g. for docs/screenshots) and into the test's directory otherwise.
  ProcessResult browser(const std::string& script, const std::string& user,
                        std::vector<std::string> environment = {}) const {
    const char* keep = std::getenv("TRUC_SCREENSHOT_DIR");
    environment.insert(
        environment.end(),
        {"TRUC_OFFICE_URL=" + url(), "TRUC_OFFICE_USER=" + user,
         std::string("TRUC_OFFICE_PASSWORD=") + kClerkPassword,
         "TRUC_SCREENSHOT_DIR=" +
             (keep != nullptr ? std::string(keep) : (directory_.path() / "screenshots").string()),
         "HOME=" + directory_.path().string()});
    return run_process({"/usr/bin/node", (source_dir() / "tests" / "browser" / script).string()},
                       {.environment = environment, .timeout = std::chrono::seconds(240)});
  }

 private:
  const TempDir& directory_;
  Issued server_;
  std::filesystem::path password_file_;
  std::filesystem::path config_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t web_port_ = 0;
  std::uint16_t monitor_port_ = 0;
  std::uint16_t push_port_ = 0;
};

void require_browser_tooling() {
  ASSERT_TRUE(std::filesystem::is_regular_file(source_dir() / "office/web/dist/index.html"))
      << "build the web app first: (cd office/web && npm ci && npm run build)";
  ASSERT_TRUE(
      std::filesystem::is_directory(source_dir() / "tests/browser/node_modules/playwright-core"))
      << "install the browser tests' modules first: (cd tests/browser && npm ci)";
}

class OfficeBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    require_browser_tooling();
    office_.setup({"migrate", "--config", office_.config().string()});
    office_.setup({"admin", "create-agency", "--config", office_.config().string(), "--code",
                   "000.00.04.H57", "--name", "Sở Nội vụ tỉnh Thừa Thiên Huế"});
    office_.setup({"admin", "create-user", "--config", office_.config().string(), "--agency",
                   "000.00.04.H57", "--username", "vanthu", "--full-name", "Nguyễn Thị Văn Thư",
                   "--role", "clerk", "--department", "Văn phòng", "--password-file",
                   office_.password_file().string()});
    office_.start();
  }

  TempDir directory_;
  TestPki pki_{directory_.path()};
  Issued ca_ = pki_.create_ca("Office Test CA");
  OfficeProcess office_{directory_, pki_, ca_};
};

TEST_F(OfficeBrowser, AClerkSignsInSeesTheHomePageAndSignsOutInChromium) {
  ProcessResult browser = office_.browser("office_signin.mjs", "vanthu");
  EXPECT_EQ(browser.exit_status, 0)
      << browser.out << browser.err << office_.process().stderr_text();
  EXPECT_NE(browser.out.find("ok: e. "), std::string::npos) << browser.out;

  // What the browser did shows in the metrics: one refused and one accepted sign-in.
  std::string metrics = office_.monitor("/metrics");
  EXPECT_NE(metrics.find("route=\"/office/api/v1/session\",status=\"401\""), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("route=\"/office/api/v1/session\",status=\"200\""), std::string::npos);
  EXPECT_NE(office_.monitor("/ready").find("\"ready\":true"), std::string::npos);
}

TEST_F(OfficeBrowser, TheAdminAddsADepartmentAndAUserDeactivatesThemAndAddsAField) {
  office_.setup({"admin", "create-user", "--config", office_.config().string(), "--agency",
                 "000.00.04.H57", "--username", "quantri", "--full-name", "Lê Quản Trị", "--role",
                 "admin", "--password-file", office_.password_file().string()});
  ProcessResult browser = office_.browser("office_admin.mjs", "quantri");
  EXPECT_EQ(browser.exit_status, 0)
      << browser.out << browser.err << office_.process().stderr_text();
  EXPECT_NE(browser.out.find("ok: h. "), std::string::npos) << browser.out;

  // The refused sign-in of the deactivated user is the only 401 on the session route.
  std::string metrics = office_.monitor("/metrics");
  EXPECT_NE(metrics.find("route=\"/office/api/v1/session\",status=\"401\""), std::string::npos)
      << metrics;
}

TEST_F(OfficeBrowser, TheCommandLineRefusesBadInputWithATypedError) {
  const std::string config = office_.config().string();
  ProcessResult duplicate = office_.command({"admin", "create-agency", "--config", config, "--code",
                                             "000.00.04.H57", "--name", "Lần nữa"});
  EXPECT_EQ(duplicate.exit_status, 1);
  EXPECT_EQ(duplicate.first_error_line().rfind("error: agency.exists", 0), 0u) << duplicate.err;
  ProcessResult bad_role = office_.command(
      {"admin", "create-user", "--config", config, "--agency", "000.00.04.H57", "--username", "x.y",
       "--full-name", "X", "--role", "boss", "--password-file", office_.password_file().string()});
  EXPECT_EQ(bad_role.exit_status, 2);
  ProcessResult half_credentials = office_.command(
      {"admin", "create-agency", "--config", config, "--code", "000.00.05.H57", "--name", "Sở",
       "--certificate", office_.server_certificate().certificate.string()});
  EXPECT_EQ(half_credentials.exit_status, 2);
  ::chmod(office_.password_file().c_str(), 0644);
  ProcessResult readable =
      office_.command({"admin", "create-user", "--config", config, "--agency", "000.00.04.H57",
                       "--username", "lanhdao", "--full-name", "Lãnh Đạo", "--role", "leader",
                       "--password-file", office_.password_file().string()});
  EXPECT_EQ(readable.exit_status, 1);
  EXPECT_EQ(readable.first_error_line().rfind("error: config.insecure_permissions", 0), 0u)
      << readable.err;
  ProcessResult help = office_.command({"--help"});
  EXPECT_EQ(help.exit_status, 0);
  EXPECT_NE(help.out.find("admin create-user"), std::string::npos);
  ProcessResult checked = office_.command({"--check-config", config});
  EXPECT_EQ(checked.exit_status, 0) << checked.err;
  // A web key that is not the certificate's is found before the listener would start.
  Issued stranger = pki_.issue(pki_.create_ca("Other CA"), "stranger", {.common_name = "x"});
  make_secret(stranger.key);
  std::string mismatched = read_file(office_.config());
  mismatched.replace(mismatched.find(office_.server_certificate().key.string()),
                     office_.server_certificate().key.string().size(), stranger.key.string());
  const auto mismatched_file = directory_.write("mismatched.toml", mismatched);
  make_secret(mismatched_file);
  ProcessResult unpaired = office_.command({"--check-config", mismatched_file.string()});
  EXPECT_EQ(unpaired.exit_status, 1);
  EXPECT_EQ(unpaired.first_error_line().rfind("error: config.invalid", 0), 0u) << unpaired.err;
  EXPECT_NE(unpaired.err.find("[web] tls_private_key"), std::string::npos) << unpaired.err;
}

// The hub pushes with a certificate of its own CA, which the office pins.
class OfficeWithHub : public ::testing::Test {
 protected:
  OfficeWithHub()
      : push_ca_(own_pki_.create_ca("Hub push CA")),
        hub_push_(own_pki_.issue(push_ca_, "hub-push",
                                 {.common_name = "truc.e2e push",
                                  .key_usage = "digitalSignature",
                                  .extended_key_usage = "clientAuth"})),
        hub_({.extra_config = "[push]\nworkers = 2\nfirst_retry_seconds = 1\n"
                              "max_retry_seconds = 2\npoll_interval_seconds = 1\n"
                              "client_certificate = \"" +
                              hub_push_.certificate.string() + "\"\nclient_private_key = \"" +
                              hub_push_.key.string() + "\"\n"}) {}

  void SetUp() override {
    require_browser_tooling();
    hub_.start();
    make_secret(hub_.agency(1).certificate.key);
    office_.emplace(directory_, hub_.pki(), hub_.ca(),
                    "[hub]\nurl = \"" + hub_.agency_url() + "\"\nca = [\"" +
                        hub_.ca().certificate.string() +
                        "\"]\npoll_interval_seconds = 2\nfirst_retry_seconds = 1\n\n"
                        "[push]\nlisten = \"127.0.0.1:0\"\n"
                        "tls_certificate = \"@SERVER_CERTIFICATE@\"\n"
                        "tls_private_key = \"@SERVER_KEY@\"\nclient_ca = [\"" +
                        push_ca_.certificate.string() + "\"]\nhub_certificate = \"" +
                        hub_push_.certificate.string() + "\"\n\n[signatures]\ntrust_ca = [\"" +
                        hub_.ca().certificate.string() + "\"]\n");
    const std::string config = office_->config().string();
    office_->setup({"migrate", "--config", config});
    const TestAgency& served = hub_.agency(1);
    office_->setup({"admin", "create-agency", "--config", config, "--code", served.code, "--name",
                    served.name, "--certificate", served.certificate.certificate.string(),
                    "--private-key", served.certificate.key.string()});
    for (const auto& [username, full_name, role] :
         {std::tuple{"vanthu", "Trần Thị Hoa", "clerk"},
          std::tuple{"lanhdao", "Lê Văn Lãnh", "leader"},
          std::tuple{"chuyenvien", "Phạm Thị Chuyên", "specialist"}}) {
      office_->setup({"admin", "create-user", "--config", config, "--agency", served.code,
                      "--username", username, "--full-name", full_name, "--role", role,
                      "--department", "Văn phòng", "--password-file",
                      office_->password_file().string()});
    }
    office_->start();
    hub_.enable_push(1, "https://localhost:" + std::to_string(office_->push_port()) + "/push",
                     hub_.ca().certificate_pem, "", /*present_client_certificate=*/true);
  }

  // The status codes agency 0's hub inbox holds about its documents, acknowledging them.
  std::set<std::string> statuses_received() {
    std::set<std::string> codes;
    auto inbox = hub_.agency_request(0, "GET", "/v1/inbox?kind=status");
    EXPECT_EQ(inbox.status, 200) << inbox.body;
    const json::value answer = json::parse(inbox.body);
    for (const auto& item : answer.at("items").as_array()) {
      const auto* code = item.as_object().if_contains("status_code");
      if (code != nullptr && code->is_string()) codes.insert(std::string(code->as_string()));
    }
    return codes;
  }

  TempDir directory_;
  TestPki own_pki_{directory_.path() / "own"};
  Issued push_ca_;
  Issued hub_push_;
  HubProcess hub_;
  std::optional<OfficeProcess> office_;
};

TEST_F(OfficeWithHub, ASentDocumentIsRegisteredAssignedAndFinishedAndTheSenderSeesEachStep) {
  const auto package = hub_.signed_package(0, {1});
  std::smatch subject;
  const std::string package_text = read_file(package);
  ASSERT_TRUE(std::regex_search(package_text, subject, std::regex("Subject>([^<]+)</")));
  auto sent = hub_.agency_request(0, "POST", "/v1/packages", package);
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string hub_id(json::parse(sent.body).at("id").as_string());

  // The hub pushes; the office stores it and owes 01, which it sends at once.
  auto arrived = office_->process().wait_for_line("\"incoming_arrived\"", kStartTimeout);
  ASSERT_TRUE(arrived) << office_->process().stderr_text();
  EXPECT_NE(arrived->find(hub_id), std::string::npos);
  EXPECT_NE(arrived->find("\"by\":\"push\""), std::string::npos);
  EXPECT_NE(arrived->find("\"signature\":\"valid\""), std::string::npos);
  auto first_status = office_->process().wait_for_line("\"hub_link.status_sent\"", kStartTimeout);
  ASSERT_TRUE(first_status) << office_->process().stderr_text();
  EXPECT_NE(first_status->find("\"status_code\":\"01\""), std::string::npos);

  ProcessResult browser = office_->browser("office_incoming.mjs", "vanthu",
                                           {"TRUC_EXPECT_SUBJECT=" + subject[1].str()});
  EXPECT_EQ(browser.exit_status, 0)
      << browser.out << browser.err << office_->process().stderr_text();

  auto second_status = office_->process().wait_for_line("\"hub_link.status_sent\"", kStartTimeout);
  ASSERT_TRUE(second_status) << office_->process().stderr_text();
  EXPECT_NE(second_status->find("\"status_code\":\"03\""), std::string::npos);
  EXPECT_EQ(statuses_received(), (std::set<std::string>{"01", "03"}));

  // The leader assigns it to the specialist, who starts and finishes it.
  ProcessResult processing = office_->browser(
      "office_processing.mjs", "lanhdao",
      {"TRUC_EXPECT_SUBJECT=" + subject[1].str(), "TRUC_LEADER_USER=lanhdao",
       std::string("TRUC_LEADER_PASSWORD=") + kClerkPassword, "TRUC_SPECIALIST_USER=chuyenvien",
       std::string("TRUC_SPECIALIST_PASSWORD=") + kClerkPassword,
       "TRUC_SPECIALIST_NAME=Phạm Thị Chuyên"});
  EXPECT_EQ(processing.exit_status, 0)
      << processing.out << processing.err << office_->process().stderr_text();
  for (const char* code : {"04", "05", "06"}) {
    auto sent_line = office_->process().wait_for_line("\"hub_link.status_sent\"", kStartTimeout);
    ASSERT_TRUE(sent_line) << "status " << code << ": " << office_->process().stderr_text();
    EXPECT_NE(sent_line->find(std::string("\"status_code\":\"") + code + "\""), std::string::npos)
        << *sent_line;
  }
  EXPECT_EQ(statuses_received(), (std::set<std::string>{"01", "03", "04", "05", "06"}));

  // The leader follows the finished work up, delegates to the specialist and ends it early.
  ProcessResult oversight = office_->browser(
      "office_oversight.mjs", "lanhdao",
      {"TRUC_LEADER_USER=lanhdao", std::string("TRUC_LEADER_PASSWORD=") + kClerkPassword,
       "TRUC_LEADER_NAME=Lê Văn Lãnh", "TRUC_SPECIALIST_USER=chuyenvien",
       std::string("TRUC_SPECIALIST_PASSWORD=") + kClerkPassword,
       "TRUC_SPECIALIST_NAME=Phạm Thị Chuyên", "TRUC_DEPARTMENT=Văn phòng"});
  EXPECT_EQ(oversight.exit_status, 0)
      << oversight.out << oversight.err << office_->process().stderr_text();
  std::string metrics = office_->monitor("/metrics");
  EXPECT_NE(metrics.find("truc_office_hub_link_total{event=\"statuses_sent\"} 5"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("truc_office_statuses_pending 0"), std::string::npos);
}

TEST_F(OfficeWithHub, TheSendersRecallIsAcceptedInChromiumAndTheSenderGets15) {
  const auto package = hub_.signed_package(0, {1});
  const std::string package_text = read_file(package);
  std::smatch subject;
  std::smatch document_id;
  ASSERT_TRUE(std::regex_search(package_text, subject, std::regex("Subject>([^<]+)</")));
  ASSERT_TRUE(std::regex_search(package_text, document_id, std::regex("DocumentId>([^<]+)</")));
  auto sent = hub_.agency_request(0, "POST", "/v1/packages", package);
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string hub_id(json::parse(sent.body).at("id").as_string());
  ASSERT_TRUE(office_->process().wait_for_line("\"incoming_arrived\"", kStartTimeout))
      << office_->process().stderr_text();

  // The hub holds a recall back until the original is delivered, then pushes it too.
  auto recall = hub_.agency_request(0, "POST", "/v1/packages",
                                    hub_.sign(0, hub_.new_recall(0, {1}, document_id[1].str())));
  ASSERT_EQ(recall.status, 201) << recall.body;
  ASSERT_TRUE(office_->process().wait_for_line("\"recall_requested\"", kStartTimeout))
      << office_->process().stderr_text();

  ProcessResult browser = office_->browser(
      "office_recall.mjs", "vanthu",
      {"TRUC_EXPECT_SUBJECT=" + subject[1].str(), "TRUC_EXPECT_REASON=Ban hành nhầm"});
  EXPECT_EQ(browser.exit_status, 0)
      << browser.out << browser.err << office_->process().stderr_text();

  for (const char* code : {"01", "15"}) {
    auto sent_line = office_->process().wait_for_line("\"hub_link.status_sent\"", kStartTimeout);
    ASSERT_TRUE(sent_line) << "status " << code << ": " << office_->process().stderr_text();
    EXPECT_NE(sent_line->find(std::string("\"status_code\":\"") + code + "\""), std::string::npos)
        << *sent_line;
  }
  EXPECT_EQ(statuses_received(), (std::set<std::string>{"01", "15"}));
  auto trace = hub_.agency_request(0, "GET", "/v1/packages/" + hub_id + "/trace");
  EXPECT_NE(trace.body.find("\"recall_agreed\""), std::string::npos) << trace.body;
}

}  // namespace
}  // namespace truc::testing
