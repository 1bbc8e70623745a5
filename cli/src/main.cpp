#include <iostream>
#include <string>
#include <vector>

#include "admin_commands.hpp"
#include "edxml_commands.hpp"
#include "evidence_commands.hpp"
#include "hub_commands.hpp"
#include "output.hpp"

namespace {

constexpr const char* kHelp = R"(truc: the command line of Trục, the inter-agency edXML exchange hub

usage: truc <group> <command> [options]
       truc <command> [options]

groups:
  edxml     build, sign, inspect, validate and verify edXML packages and status packets
  admin     operate a hub: the agency directory, client certificates, traces, traffic
  evidence  export a document's evidence container from the hub, verify one offline

commands of an agency talking to the hub (HTTPS with its client certificate):
  send FILE            send a package or status packet; prints the receipt
  inbox                list what waits for the agency
  fetch ID             download a package
  ack ID | nack ID     settle a package: received, or refused with a reason
  trace ID             follow a package through the hub

Every command has --help. Exit status: 0 ok, 1 the input was rejected (stderr starts with
"error: <code>: <message>"; codes are listed in docs/errors.md), 2 usage error.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kHelp;
    return args.empty() ? truc::cli::kUsage : truc::cli::kOk;
  }
  std::string group = args[0];
  args.erase(args.begin());
  if (group == "edxml") return truc::cli::run_edxml(args);
  if (group == "admin") return truc::cli::run_admin(args);
  if (group == "evidence") return truc::cli::run_evidence(args);
  if (auto status = truc::cli::run_hub_command(group, args)) return *status;
  std::cerr << "usage: unknown group '" << group << "'\n" << kHelp;
  return truc::cli::kUsage;
}
