#pragma once

// What the hub commands (agency and admin) share: connection settings from options or the
// environment, and progress on stderr.

#include <boost/program_options.hpp>
#include <cstdint>
#include <initializer_list>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "command_line.hpp"
#include "hub_view.hpp"
#include "output.hpp"
#include "truc/agency/hub_client.hpp"
#include "truc/cli/admin_client.hpp"
#include "truc/cli/progress.hpp"
#include "truc/common/error.hpp"
#include "truc/https/http_client.hpp"

namespace truc::cli {

// --url, --cert, --key, --ca (defaults: TRUC_URL, TRUC_CERT, TRUC_KEY, TRUC_CA) and --timeout.
boost::program_options::options_description agency_connection_options();
// --admin-url, --token-file, --ca (defaults: TRUC_MONITOR_URL, TRUC_ADMIN_TOKEN_FILE, TRUC_CA)
// and --timeout.
boost::program_options::options_description admin_connection_options();

// The client a command line asks for, or the exit status of why there is none: 2 for a setting
// missing (the message names its option and environment variable), 1 for TLS files or a token
// file that cannot be used.
template <typename Client>
struct ClientForCommand {
  std::optional<Client> client;
  int exit_status = kOk;
};
ClientForCommand<agency::HubClient> connect_agency(
    const std::string& command, const boost::program_options::variables_map& values);
ClientForCommand<cli::AdminClient> connect_admin(
    const std::string& command, const boost::program_options::variables_map& values);

// Prints a JSON answer as the hub sent it, ending the line.
void print_json(std::string_view body);

// With --json, prints the answer as it is; otherwise through `render` (a JSON object to text).
// An answer that is not a JSON object is the hub's fault: exit status 1.
template <typename Render>
int print_answer(const boost::program_options::variables_map& values, std::string_view answer,
                 Render render) {
  if (values.count("json") != 0) {
    print_json(answer);
    return kOk;
  }
  auto parsed = parse_answer(answer);
  if (!parsed) return reject(parsed.error());
  std::cout << render(*parsed);
  return kOk;
}

enum class ProgressMode { automatic, always, never };

// --progress and --no-progress.
boost::program_options::options_description progress_options();
// A usage error when both are given.
Result<ProgressMode> progress_mode(const boost::program_options::variables_map& values);

// Shows a transfer's progress on stderr. Automatic mode shows it only to a person (stderr is a
// terminal) and only when there is time to watch (more than 1 MiB).
class ProgressDisplay {
 public:
  ProgressDisplay(std::string action, ProgressMode mode);
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  // Valid as long as this display.
  https::ProgressCallback callback();
  // Ends the line a terminal display was rewriting.
  void finish();

 private:
  void report(std::uint64_t done, std::uint64_t total);

  std::string action_;
  ProgressMode mode_;
  bool terminal_;
  std::optional<bool> shown_;  // decided at the first report, when the total is known
  cli::ProgressSteps steps_;
  bool line_open_ = false;
};

}  // namespace truc::cli
