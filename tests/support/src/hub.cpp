#include "truc/testing/hub.hpp"

#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "truc/common/digest.hpp"

namespace truc::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(60);
const std::string kAdminToken = "e2e-admin-token-0123456789abcdef0123456789";

void write_file(const std::filesystem::path& path, const std::string& content,
                bool secret = false) {
  std::ofstream(path, std::ios::binary) << content;
  if (secret) ::chmod(path.c_str(), 0600);
}

std::uint16_t port_in(const std::string& line, const std::string& key) {
  std::smatch match;
  std::regex pattern("\"" + key + "\":\"([0-9]+)\"");
  if (!std::regex_search(line, match, pattern))
    throw std::runtime_error("no " + key + " in: " + line);
  return static_cast<std::uint16_t>(std::stoi(match[1]));
}

}  // namespace

HttpResult curl(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(),
                   {"/usr/bin/curl", "--silent", "--show-error", "--write-out", "\n%{http_code}"});
  auto result = run_process(arguments, {.timeout = std::chrono::seconds(300)});
  HttpResult http;
  http.error = result.err;
  auto newline = result.out.rfind('\n');
  if (newline == std::string::npos) return http;
  http.status = std::atoi(result.out.c_str() + newline + 1);
  http.body = result.out.substr(0, newline);
  return http;
}

std::filesystem::path HubProcess::trucd() { return binary_dir() / "gateway" / "trucd" / "trucd"; }
std::filesystem::path HubProcess::truc_cli() { return binary_dir() / "cli" / "truc"; }

HubProcess::HubProcess(HubOptions options)
    : pki_(directory_.path() / "pki"), ca_(pki_.create_ca("ca")), options_(std::move(options)) {
  server_ = pki_.issue(ca_, "hub",
                       {.common_name = "localhost",
                        .key_usage = "digitalSignature,keyEncipherment",
                        .extended_key_usage = "serverAuth",
                        .dns_names = {"localhost"}});
  const std::vector<std::pair<std::string, std::string>> kAgencies{
      {"000.00.00.H41", "Văn phòng UBND tỉnh"},
      {"000.00.01.H41", "Sở Nội vụ"},
      {"000.00.02.H41", "Sở Tài chính"}};
  for (std::size_t index = 0; index < kAgencies.size(); ++index) {
    const auto& [code, name] = kAgencies[index];
    agencies_.push_back({code,
                         name,
                         pki_.issue(ca_, "agency" + std::to_string(index + 1),
                                    {.common_name = name,
                                     .agency_code = code,
                                     .key_usage = "digitalSignature,nonRepudiation",
                                     .extended_key_usage = "clientAuth"}),
                         "agency" + std::to_string(index + 1) + ".e2e",
                         {}});
  }
  PostgresCluster& cluster = options_.cluster != nullptr ? *options_.cluster : shared_postgres();
  if (options_.separate_database_roles) {
    // Roles belong to the cluster, which other hubs of this test binary share.
    static int next_hub = 0;
    std::string suffix = std::to_string(::getpid()) + "_" + std::to_string(next_hub++);
    migration_owner_ = "hub_owner_" + suffix;
    service_role_ = "hub_service_" + suffix;
    cluster.run_sql("CREATE ROLE " + migration_owner_ + " LOGIN; CREATE ROLE " + service_role_ +
                    " LOGIN");
  }
  conninfo_ = cluster.create_database(migration_owner_);
  write_config();
  auto migrated = run_process({trucd().string(), "migrate", "--config", config_file_.string()});
  if (migrated.exit_status != 0) throw std::runtime_error("trucd migrate failed: " + migrated.err);
}

HubProcess::~HubProcess() {
  if (process_ && process_->running()) kill();
}

void HubProcess::write_config() {
  write_file(directory_.path() / "admin.token", kAdminToken + "\n", true);
  unsigned char key[32];
  if (RAND_bytes(key, sizeof key) != 1) throw std::runtime_error("RAND_bytes failed");
  write_file(directory_.path() / "compat.key",
             to_hex(std::string_view(reinterpret_cast<const char*>(key), sizeof key)) + "\n", true);
  config_file_ = directory_.path() / "trucd.toml";
  write_file(config_file_, config_text(options_.node_id));
}

std::string HubProcess::config_text(const std::string& node_id) const {
  return "[hub]\ncode = \"truc.e2e\"\nlog_level = \"info\"\n" +
         (node_id.empty() ? "" : "node_id = \"" + node_id + "\"\n") +
         "\n"
         "[agency_api]\nlisten = \"127.0.0.1:0\"\ntls_certificate = \"pki/hub.crt\"\n"
         "tls_private_key = \"pki/hub.key\"\nclient_ca = [\"pki/ca.crt\"]\nio_timeout_seconds = "
         "30\n" +
         options_.agency_api_config +
         "\n[monitor]\nlisten = \"127.0.0.1:0\"\nadmin_token_file = \"admin.token\"\n" +
         (options_.monitor_tls
              ? "tls_certificate = \"pki/hub.crt\"\ntls_private_key = \"pki/hub.key\"\n"
              : "") +
         "\n[database]\n" + database_config() +
         "pool_size = 8\n\n"
         "[storage]\nblob_directory = \"blobs\"\n\n"
         "[signatures]\n" +
         (options_.signatures_config.empty() ? "trust_ca = [\"pki/ca.crt\"]\n"
                                             : options_.signatures_config) +
         "\n[workers]\nthreads = 4\nqueue_limit = 64\n\n"
         "[compat]\nsecret_key_file = \"compat.key\"\n\n" +
         options_.extra_config;
}

std::string HubProcess::database_config() const {
  if (service_role_.empty()) return "conninfo = \"" + conninfo_ + "\"\n";
  // A later user= overrides the superuser that conninfo_ names.
  return "conninfo = \"" + conninfo_ + " user=" + service_role_ + "\"\nmigration_conninfo = \"" +
         conninfo_ + " user=" + migration_owner_ + "\"\nservice_role = \"" + service_role_ + "\"\n";
}

void HubProcess::start() {
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{trucd().string(), "--config", config_file_.string()});
  auto listening = process_->wait_for_line("\"listening\"", kStartTimeout);
  if (!listening) throw std::runtime_error("trucd did not start: " + process_->stderr_text());
  agency_port_ = port_in(*listening, "agency_port");
  monitor_port_ = port_in(*listening, "monitor_port");
  if (!registered_) register_agencies();
}

HubNode HubProcess::start_another_node(const std::string& node_id) {
  // Beside the first node's file, so that its relative paths (PKI, blobs) name the same files.
  auto config_file = directory_.path() / ("trucd-" + node_id + ".toml");
  write_file(config_file, config_text(node_id));
  HubNode node;
  node.process = std::make_unique<ChildProcess>(
      std::vector<std::string>{trucd().string(), "--config", config_file.string()});
  auto listening = node.process->wait_for_line("\"listening\"", kStartTimeout);
  if (!listening) throw std::runtime_error("trucd did not start: " + node.process->stderr_text());
  node.agency_port = port_in(*listening, "agency_port");
  node.monitor_port = port_in(*listening, "monitor_port");
  return node;
}

void HubProcess::kill() {
  process_->signal(SIGKILL);
  process_->wait(std::chrono::seconds(30));
}

int HubProcess::stop() {
  process_->signal(SIGTERM);
  auto status = process_->wait(std::chrono::seconds(60));
  // What it wrote last (a sanitizer's report, say) belongs in stderr_text() too.
  while (process_->next_line(std::chrono::milliseconds(100))) {
  }
  return status.value_or(-1);
}

void HubProcess::register_agencies() {
  for (auto& agency : agencies_) {
    auto created = monitor_request("POST", "/admin/v1/agencies",
                                   "{\"code\":\"" + agency.code + "\",\"name\":\"" + agency.name +
                                       "\",\"system_ids\":[\"" + agency.system_id + "\"]}");
    if (created.status != 201)
      throw std::runtime_error("cannot add agency: " + created.body + created.error);
    auto registered =
        monitor_request("POST", "/admin/v1/agencies/" + agency.code + "/certificates",
                        agency.certificate.certificate_pem, true, "application/x-pem-file");
    if (registered.status != 201)
      throw std::runtime_error("cannot add certificate: " + registered.body);
    auto system = monitor_request("POST", "/admin/v1/systems",
                                  "{\"system_id\":\"" + agency.system_id + "\"}");
    std::smatch secret;
    if (system.status != 201 ||
        !std::regex_search(system.body, secret, std::regex("\"secret\":\"([0-9a-f]+)\""))) {
      throw std::runtime_error("cannot add system: " + system.body + system.error);
    }
    agency.secret = secret[1];
  }
  registered_ = true;
}

void HubProcess::enable_push(std::size_t index, const std::string& url, const std::string& ca_pem,
                             const std::string& pinned_sha256, bool present_client_certificate) {
  auto quoted = [](const std::string& text) {
    std::string escaped;
    for (char character : text) {
      if (character == '\n') {
        escaped += "\\n";
      } else {
        escaped += character;
      }
    }
    return "\"" + escaped + "\"";
  };
  const auto& agency = agencies_.at(index);
  std::string push =
      "{\"url\":" + quoted(url) + ",\"ca_pem\":" + (ca_pem.empty() ? "null" : quoted(ca_pem)) +
      ",\"pinned_sha256\":" + (pinned_sha256.empty() ? "null" : quoted(pinned_sha256)) +
      ",\"client_certificate\":" + (present_client_certificate ? "true" : "false") + "}";
  auto updated = monitor_request("PUT", "/admin/v1/agencies/" + agency.code,
                                 "{\"name\":\"" + agency.name + "\",\"push\":" + push + "}");
  if (updated.status != 200)
    throw std::runtime_error("cannot enable push: " + updated.body + updated.error);
}

std::string HubProcess::agency_url() const {
  return "https://localhost:" + std::to_string(agency_port_);
}
std::string HubProcess::monitor_url() const {
  // Over TLS, by the name the server certificate was issued for.
  if (options_.monitor_tls) return "https://localhost:" + std::to_string(monitor_port_);
  return "http://127.0.0.1:" + std::to_string(monitor_port_);
}

HttpResult HubProcess::agency_request(std::size_t index, const std::string& method,
                                      const std::string& path,
                                      const std::optional<std::filesystem::path>& body_file,
                                      const std::vector<std::string>& extra_curl_arguments) {
  return agency_request_at(agency_port_, index, method, path, body_file, extra_curl_arguments);
}

HttpResult HubProcess::agency_request_at(std::uint16_t agency_port, std::size_t index,
                                         const std::string& method, const std::string& path,
                                         const std::optional<std::filesystem::path>& body_file,
                                         const std::vector<std::string>& extra_curl_arguments) {
  const auto& certificate = agencies_.at(index).certificate;
  std::vector<std::string> arguments{
      "--cacert", ca_.certificate.string(), "--cert", certificate.certificate.string(),
      "--key",    certificate.key.string(), "-X",     method};
  if (body_file) {
    arguments.insert(arguments.end(), {"-H", "Content-Type: application/xml", "--data-binary",
                                       "@" + body_file->string()});
  }
  arguments.insert(arguments.end(), extra_curl_arguments.begin(), extra_curl_arguments.end());
  arguments.push_back("https://localhost:" + std::to_string(agency_port) + path);
  return curl(arguments);
}

HttpResult HubProcess::monitor_request(const std::string& method, const std::string& path,
                                       const std::string& body, bool with_token,
                                       const std::string& content_type) {
  std::vector<std::string> arguments{"-X", method};
  if (options_.monitor_tls)
    arguments.insert(arguments.end(), {"--cacert", ca_.certificate.string()});
  if (with_token) arguments.insert(arguments.end(), {"-H", "Authorization: Bearer " + kAdminToken});
  if (!body.empty()) {
    auto file = directory_.write("request-body-" + std::to_string(package_counter_++), body);
    arguments.insert(arguments.end(),
                     {"-H", "Content-Type: " + content_type, "--data-binary", "@" + file.string()});
  }
  arguments.push_back(monitor_url() + path);
  return curl(arguments);
}

std::filesystem::path HubProcess::sign(std::size_t from, const std::filesystem::path& document) {
  return sign(agencies_.at(from).certificate, document);
}

std::filesystem::path HubProcess::sign(const Issued& certificate,
                                       const std::filesystem::path& document) {
  auto output = document.parent_path() / (document.stem().string() + "-signed.edxml");
  auto result = run_process({truc_cli().string(), "edxml", "sign", document.string(), "--key",
                             certificate.key.string(), "--cert", certificate.certificate.string(),
                             "-o", output.string()});
  if (result.exit_status != 0) throw std::runtime_error("truc edxml sign: " + result.err);
  return output;
}

std::filesystem::path HubProcess::signed_package(std::size_t from,
                                                 const std::vector<std::size_t>& to,
                                                 const std::string& code,
                                                 std::size_t attachment_bytes) {
  return sign(from, new_package(from, to, code, attachment_bytes));
}

std::vector<std::string> HubProcess::cli_environment(std::size_t index) const {
  const auto& certificate = agencies_.at(index).certificate;
  return {"TRUC_URL=" + agency_url(),
          "TRUC_CERT=" + certificate.certificate.string(),
          "TRUC_KEY=" + certificate.key.string(),
          "TRUC_CA=" + ca_.certificate.string(),
          "TRUC_MONITOR_URL=" + monitor_url(),
          "TRUC_ADMIN_TOKEN_FILE=" + (directory_.path() / "admin.token").string()};
}

std::filesystem::path HubProcess::new_recall(std::size_t from, const std::vector<std::size_t>& to,
                                             const std::string& original_document_id) {
  auto output = directory_.path() / ("recall-" + std::to_string(++package_counter_) + ".edxml");
  std::vector<std::string> arguments{truc_cli().string(),
                                     "edxml",
                                     "new",
                                     "--from",
                                     agencies_.at(from).code,
                                     "--subject",
                                     "Thu hồi văn bản",
                                     "--recall",
                                     original_document_id,
                                     "--reason",
                                     "Ban hành nhầm",
                                     "-o",
                                     output.string()};
  for (std::size_t recipient : to)
    arguments.insert(arguments.end(), {"--to", agencies_.at(recipient).code});
  auto result = run_process(arguments);
  if (result.exit_status != 0) throw std::runtime_error("truc edxml new --recall: " + result.err);
  return output;
}

std::filesystem::path HubProcess::new_package(std::size_t from, const std::vector<std::size_t>& to,
                                              const std::string& code,
                                              std::size_t attachment_bytes) {
  int number = ++package_counter_;
  auto attachment = directory_.path() / ("attachment-" + std::to_string(number) + ".pdf");
  {
    std::ofstream stream(attachment, std::ios::binary);
    std::string content = "%PDF-1.4\n% e2e attachment " + std::to_string(number) + "\n";
    content.resize(std::max(attachment_bytes, content.size()), 'x');
    stream << content;
  }
  auto output = directory_.path() / ("package-" + std::to_string(number) + ".edxml");
  std::vector<std::string> arguments{truc_cli().string(),
                                     "edxml",
                                     "new",
                                     "--from",
                                     agencies_.at(from).code,
                                     "--subject",
                                     "Công văn thử nghiệm số " + std::to_string(number),
                                     "--code",
                                     code.empty() ? std::to_string(number) + "/E2E" : code,
                                     "--attach",
                                     attachment.string(),
                                     "-o",
                                     output.string()};
  for (std::size_t recipient : to)
    arguments.insert(arguments.end(), {"--to", agencies_.at(recipient).code});
  auto result = run_process(arguments);
  if (result.exit_status != 0) throw std::runtime_error("truc edxml new: " + result.err);
  std::filesystem::remove(attachment);
  return output;
}

std::filesystem::path HubProcess::signed_status(std::size_t from,
                                                const std::filesystem::path& package,
                                                const std::string& code) {
  auto output = directory_.path() / ("status-" + std::to_string(++package_counter_) + ".edxml");
  auto result =
      run_process({truc_cli().string(), "edxml", "status", "--for", package.string(), "--code",
                   code, "--from", agencies_.at(from).code, "-o", output.string()});
  if (result.exit_status != 0) throw std::runtime_error("truc edxml status: " + result.err);
  return sign(from, output);
}

}  // namespace truc::testing
