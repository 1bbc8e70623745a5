#include "command_line.hpp"

#include <iostream>

#include "output.hpp"

namespace truc::cli {

namespace po = boost::program_options;

ParsedCommand parse_command(const std::string& command, const std::vector<std::string>& args,
                            const std::string& synopsis, const std::string& description,
                            po::options_description options,
                            const po::positional_options_description& positional) {
  options.add_options()("help,h", "show this help");
  ParsedCommand parsed;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(),
              parsed.values);
    if (parsed.values.count("help") != 0) {
      std::cout << "usage: " << synopsis << "\n\n" << description << "\n\n" << options;
      parsed.exit_status = kOk;
      return parsed;
    }
    po::notify(parsed.values);
  } catch (const po::error& problem) {
    parsed.exit_status = usage_error(command, problem.what());
  }
  return parsed;
}

int run_subcommand(std::string_view group, const std::vector<std::string>& args,
                   std::string_view help,
                   std::initializer_list<std::pair<std::string_view, CommandHandler>> commands) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << help;
    return args.empty() ? kUsage : kOk;
  }
  for (const auto& [name, handler] : commands) {
    if (args[0] == name) return handler({args.begin() + 1, args.end()});
  }
  std::cerr << "usage: unknown command '" << group << " " << args[0] << "'\n" << help;
  return kUsage;
}

po::positional_options_description positional_arguments(std::initializer_list<const char*> names) {
  po::positional_options_description positional;
  for (const char* name : names) positional.add(name, 1);
  return positional;
}

}  // namespace truc::cli
