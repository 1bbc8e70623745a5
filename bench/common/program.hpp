#pragma once

#include <cstddef>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace truc::bench {

// A number given on the command line, the whole argument: nothing when it is not one.
inline std::optional<double> parse_number(const char* text) {
  char* end = nullptr;
  double value = std::strtod(text, &end);
  if (end == text || *end != '\0') return std::nullopt;
  return value;
}

// What a benchmark's main() does: parses the options (help and bad usage end there, with their
// exit status), runs with them and the command line (which the table's heading repeats), and
// turns a failure into one line on stderr and exit status 1.
template <typename Options>
int run_benchmark(std::string_view name, int argc, char** argv,
                  std::variant<Options, int> (*parse_options)(std::span<char*>),
                  int (*run)(const Options&, const std::string& command_line)) {
  auto options = parse_options(std::span<char*>(argv, static_cast<std::size_t>(argc)));
  if (const int* exit_status = std::get_if<int>(&options)) return *exit_status;
  std::string command_line;
  for (int index = 0; index < argc; ++index)
    command_line += (index > 0 ? " " : "") + std::string(argv[index]);
  try {
    return run(std::get<Options>(options), command_line);
  } catch (const std::exception& failure) {
    std::cerr << name << ": " << failure.what() << "\n";
    return 1;
  }
}

}  // namespace truc::bench
