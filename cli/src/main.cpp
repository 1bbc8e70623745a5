#include <iostream>
#include <string>
#include <vector>

#include "edxml_commands.hpp"
#include "output.hpp"

namespace {

constexpr const char* kHelp = R"(truc: the command line of Trục, the inter-agency edXML exchange hub

usage: truc <group> <command> [options]

groups:
  edxml     build, sign, inspect, validate and verify edXML packages and status packets

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
  std::cerr << "usage: unknown group '" << group << "'\n" << kHelp;
  return truc::cli::kUsage;
}
