#include "hub_command_line.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "output.hpp"

namespace truc::cli {
namespace {

namespace po = boost::program_options;

constexpr std::uint64_t kProgressWorthyBytes = 1024 * 1024;

// The option's value, else the environment variable's; empty counts as unset.
std::optional<std::string> setting(const po::variables_map& values, const char* option,
                                   const char* variable) {
  if (values.count(option) != 0 && !values[option].as<std::string>().empty()) {
    return values[option].as<std::string>();
  }
  const char* from_environment = std::getenv(variable);
  if (from_environment != nullptr && *from_environment != '\0') return from_environment;
  return std::nullopt;
}

Result<std::string> required_setting(const po::variables_map& values, const char* option,
                                     const char* variable) {
  auto value = setting(values, option, variable);
  if (!value) {
    return Error{
        "usage", std::string("--") + option + " is required (or set " + variable + ")", {}};
  }
  return *value;
}

Result<Url> url_setting(const po::variables_map& values, const char* option, const char* variable) {
  auto text = required_setting(values, option, variable);
  if (!text) return std::move(text).error();
  auto url = parse_url(*text);
  if (!url) {
    return Error{
        "usage", std::string("--") + option + " " + *text + ": " + url.error().message, {}};
  }
  return url;
}

std::chrono::milliseconds timeout_setting(const po::variables_map& values) {
  return std::chrono::seconds(values["timeout"].as<unsigned>());
}

void add_timeout_option(po::options_description& options) {
  options.add_options()("timeout", po::value<unsigned>()->default_value(60)->value_name("SECONDS"),
                        "give up when one step (connect, send or receive a chunk) takes longer");
}

// Every error is a usage error.
Result<https::ClientOptions> agency_connection(const po::variables_map& values) {
  https::ClientOptions options;
  auto url = url_setting(values, "url", "TRUC_URL");
  if (!url) return std::move(url).error();
  options.url = std::move(*url);
  auto certificate = required_setting(values, "cert", "TRUC_CERT");
  if (!certificate) return std::move(certificate).error();
  auto key = required_setting(values, "key", "TRUC_KEY");
  if (!key) return std::move(key).error();
  auto ca = required_setting(values, "ca", "TRUC_CA");
  if (!ca) return std::move(ca).error();
  options.certificate_file = *certificate;
  options.key_file = *key;
  options.ca_file = *ca;
  options.operation_timeout = timeout_setting(values);
  return options;
}

// Every error is a usage error.
Result<cli::AdminClientOptions> admin_connection(const po::variables_map& values) {
  cli::AdminClientOptions options;
  auto url = url_setting(values, "admin-url", "TRUC_MONITOR_URL");
  if (!url) return std::move(url).error();
  options.connection.url = std::move(*url);
  auto token_file = required_setting(values, "token-file", "TRUC_ADMIN_TOKEN_FILE");
  if (!token_file) return std::move(token_file).error();
  options.token_file = *token_file;
  if (options.connection.url.tls) {
    auto ca = required_setting(values, "ca", "TRUC_CA");
    if (!ca) return std::move(ca).error();
    options.connection.ca_file = *ca;
  }
  options.connection.operation_timeout = timeout_setting(values);
  return options;
}

}  // namespace

void print_json(std::string_view body) {
  std::cout << body;
  if (body.empty() || body.back() != '\n') std::cout << "\n";
}

po::options_description agency_connection_options() {
  po::options_description options("connection");
  options.add_options()("url", po::value<std::string>()->value_name("URL"),
                        "the hub's agency API, e.g. https://hub.example.gov.vn:8443 "
                        "(default: $TRUC_URL)")(
      "cert", po::value<std::string>()->value_name("PEM"),
      "the agency's client certificate (default: $TRUC_CERT)")(
      "key", po::value<std::string>()->value_name("PEM"),
      "its unencrypted private key (default: $TRUC_KEY)")(
      "ca", po::value<std::string>()->value_name("PEM"),
      "CA the hub's certificate must chain to (default: $TRUC_CA)");
  add_timeout_option(options);
  return options;
}

po::options_description admin_connection_options() {
  po::options_description options("connection");
  options.add_options()("admin-url", po::value<std::string>()->value_name("URL"),
                        "the hub's monitor listener, e.g. http://127.0.0.1:9090 "
                        "(default: $TRUC_MONITOR_URL)")(
      "token-file", po::value<std::string>()->value_name("FILE"),
      "the admin bearer token, a file only its owner can read (default: $TRUC_ADMIN_TOKEN_FILE)")(
      "ca", po::value<std::string>()->value_name("PEM"),
      "for an https URL: CA the hub's certificate must chain to (default: $TRUC_CA)");
  add_timeout_option(options);
  return options;
}

ClientForCommand<agency::HubClient> connect_agency(const std::string& command,
                                                   const po::variables_map& values) {
  auto settings = agency_connection(values);
  if (!settings) return {std::nullopt, usage_error(command, settings.error().message)};
  auto client = agency::HubClient::create(*settings);
  if (!client) return {std::nullopt, reject(client.error())};
  return {std::move(*client), kOk};
}

ClientForCommand<cli::AdminClient> connect_admin(const std::string& command,
                                                 const po::variables_map& values) {
  auto settings = admin_connection(values);
  if (!settings) return {std::nullopt, usage_error(command, settings.error().message)};
  auto client = cli::AdminClient::create(*settings);
  if (!client) return {std::nullopt, reject(client.error())};
  return {std::move(*client), kOk};
}

po::options_description progress_options() {
  po::options_description options("progress");
  options.add_options()("progress", "show progress on stderr")(
      "no-progress",
      "never show progress (default: shown when stderr is a terminal and the "
      "transfer is over 1 MiB)");
  return options;
}

Result<ProgressMode> progress_mode(const po::variables_map& values) {
  bool always = values.count("progress") != 0;
  bool never = values.count("no-progress") != 0;
  if (always && never) return Error{"usage", "--progress and --no-progress exclude each other", {}};
  if (always) return ProgressMode::always;
  if (never) return ProgressMode::never;
  return ProgressMode::automatic;
}

ProgressDisplay::ProgressDisplay(std::string action, ProgressMode mode)
    : action_(std::move(action)),
      mode_(mode),
      terminal_(::isatty(STDERR_FILENO) == 1),
      // A terminal line is rewritten in place at every percent; a log gets a line per tenth.
      steps_(terminal_ ? 1 : 10) {}

https::ProgressCallback ProgressDisplay::callback() {
  return [this](std::uint64_t done, std::uint64_t total) { report(done, total); };
}

void ProgressDisplay::report(std::uint64_t done, std::uint64_t total) {
  if (!shown_) {
    shown_ = mode_ == ProgressMode::always ||
             (mode_ == ProgressMode::automatic && terminal_ && total > kProgressWorthyBytes);
  }
  if (!*shown_) return;
  auto percent = steps_.advance(done, total);
  if (!percent) return;
  std::cerr << (terminal_ ? "\r" : "") << action_ << " " << cli::format_size(done) << " of "
            << cli::format_size(total) << " (" << *percent << "%)" << (terminal_ ? "" : "\n")
            << std::flush;
  line_open_ = terminal_;
}

void ProgressDisplay::finish() {
  if (line_open_) std::cerr << "\n";
  line_open_ = false;
}

}  // namespace truc::cli
