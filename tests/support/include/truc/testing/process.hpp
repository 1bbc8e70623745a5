#pragma once

#include <sys/types.h>

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

namespace truc::testing {

// A long-running child (a daemon under test): started with its standard error on a pipe, read line
// by line, signalled, waited for. Killed with SIGKILL if still running when destroyed, and by the
// kernel if the test process dies first (setpriv --pdeathsig), so no daemon outlives its test.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line the child writes to standard error, or nothing when it closed the stream or
  // the timeout passed. Every line read is also kept in `stderr_text()`.
  std::optional<std::string> next_line(std::chrono::milliseconds timeout);
  // Reads lines until one contains `needle`; returns it (nothing at timeout or end of output).
  std::optional<std::string> wait_for_line(const std::string& needle,
                                           std::chrono::milliseconds timeout);

  void signal(int signal_number);
  // Waits for the child to exit; its exit status (128 + signal when killed), or nothing at timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running() const { return !exit_status_; }
  int pid() const { return pid_; }
  const std::string& stderr_text() const { return seen_; }

 private:
  void drain_available(std::chrono::milliseconds timeout);

  int pid_ = -1;
  int stderr_fd_ = -1;
  std::string buffer_;
  std::string seen_;
  std::optional<int> exit_status_;
};

}  // namespace truc::testing
