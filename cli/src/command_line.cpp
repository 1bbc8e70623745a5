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

po::positional_options_description positional_arguments(std::initializer_list<const char*> names) {
  po::positional_options_description positional;
  for (const char* name : names) positional.add(name, 1);
  return positional;
}

}  // namespace truc::cli
