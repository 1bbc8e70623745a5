#include "openssl_speed.hpp"

#include <cstdio>
#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace truc::bench {
namespace {

struct PipeCloser {
  void operator()(FILE* pipe) const { ::pclose(pipe); }
};

// Runs `command` (stderr, where openssl speed reports progress, discarded) and returns the words
// of the first stdout line that starts with `prefix`.
Result<std::vector<std::string>> find_output_line(const std::string& command,
                                                  std::string_view prefix) {
  std::unique_ptr<FILE, PipeCloser> pipe(::popen((command + " 2>/dev/null").c_str(), "r"));
  if (!pipe) return Error{"bench.openssl_speed", "cannot run openssl", command};
  char line[4096];
  while (std::fgets(line, sizeof line, pipe.get()) != nullptr) {
    if (std::string_view(line).starts_with(prefix)) {
      std::istringstream words_in_line(line);
      std::vector<std::string> words;
      for (std::string word; words_in_line >> word;) words.push_back(word);
      return words;
    }
  }
  return Error{"bench.openssl_speed", "no '" + std::string(prefix) + "' line in the output",
               command};
}

Result<double> parse_number(const std::string& text, const std::string& command) {
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    return Error{"bench.openssl_speed", "unexpected number '" + text + "'", command};
  }
}

}  // namespace

Result<OpensslSpeed> measure_rsa2048_verify(int seconds) {
  std::string command = "openssl speed -seconds " + std::to_string(seconds) + " rsa2048";
  // "rsa 2048 bits 0.000248s 0.000017s   4032.8  58576.6": sign/s, then verify/s last.
  auto words = find_output_line(command, "rsa 2048 bits");
  if (!words) return std::move(words).error();
  auto verifies = parse_number(words->back(), command);
  if (!verifies) return std::move(verifies).error();
  return OpensslSpeed{command, *verifies};
}

Result<OpensslSpeed> measure_sha256(int seconds) {
  std::string command =
      "openssl speed -seconds " + std::to_string(seconds) + " -bytes 16384 -evp sha256";
  // "sha256   1767411.59k": thousands of bytes per second.
  auto words = find_output_line(command, "sha256");
  if (!words) return std::move(words).error();
  auto kilobytes = parse_number(words->back(), command);
  if (!kilobytes) return std::move(kilobytes).error();
  return OpensslSpeed{command, *kilobytes / 1000};
}

}  // namespace truc::bench
