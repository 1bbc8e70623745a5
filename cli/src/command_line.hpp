#pragma once

// Option parsing in the CLI's conventions: --help on every command, usage errors exit 2.

#include <boost/program_options.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace truc::cli {

// A parsed command line, or the exit status to return at once (help shown, usage error).
struct ParsedCommand {
  boost::program_options::variables_map values;
  std::optional<int> exit_status;
};

// Parses the arguments of `truc <command>`. --help prints "usage: <synopsis>", the description and
// the options.
ParsedCommand parse_command(
    const std::string& command, const std::vector<std::string>& args, const std::string& synopsis,
    const std::string& description, boost::program_options::options_description options,
    const boost::program_options::positional_options_description& positional = {});

using CommandHandler = int (*)(const std::vector<std::string>& args);

// Runs the subcommand of `truc <group>` that args[0] names with the arguments after it. No
// arguments, --help or -h print `help` (exit 2 without arguments, 0 when asked); an unknown
// subcommand is a usage error that prints it too.
int run_subcommand(std::string_view group, const std::vector<std::string>& args,
                   std::string_view help,
                   std::initializer_list<std::pair<std::string_view, CommandHandler>> commands);

// Names the positional arguments in order, one value each.
boost::program_options::positional_options_description positional_arguments(
    std::initializer_list<const char*> names);

}  // namespace truc::cli
