#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace truc::testing {

struct ProcessResult {
  int exit_status = -1;  // the exit code, or 128 + signal number
  std::string out;
  std::string err;
  long max_rss_kib = 0;  // the child's peak resident set size

  // The first line of standard error, where the CLI puts "error: <code>: ...".
  std::string first_error_line() const;
};

struct ProcessOptions {
  // Extra "NAME=value" entries added to (or overriding) this process's environment.
  std::vector<std::string> environment;
  std::optional<std::filesystem::path> working_directory;
  std::chrono::seconds timeout = std::chrono::seconds(120);
};

// Runs a program to completion, capturing its output (no shell involved). A child still running
// at the timeout is killed with SIGKILL and reported as 128 + 9.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Where the built programs are (CMake passes TRUC_BINARY_DIR to tests), and the source tree.
std::filesystem::path binary_dir();
std::filesystem::path source_dir();

}  // namespace truc::testing
