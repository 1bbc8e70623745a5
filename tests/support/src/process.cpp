#include "truc/testing/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>

extern char** environ;

namespace truc::testing {
namespace {

std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    auto equals = text.find('=');
    if (equals != std::string::npos) variables[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& text : extra) {
    auto equals = text.find('=');
    variables[text.substr(0, equals)] = equals == std::string::npos ? "" : text.substr(equals + 1);
  }
  std::vector<std::string> merged;
  for (const auto& [name, value] : variables) merged.push_back(name + "=" + value);
  return merged;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& text : strings) result.push_back(text.data());
  result.push_back(nullptr);
  return result;
}

}  // namespace

std::string ProcessResult::first_error_line() const { return err.substr(0, err.find('\n')); }

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (options.working_directory) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory->c_str());
  }
  std::vector<std::string> arguments = argv;
  std::vector<std::string> environment = merged_environment(options.environment);
  auto argument_pointers = pointers(arguments);
  auto environment_pointers = pointers(environment);
  pid_t child = 0;
  int spawned = ::posix_spawn(&child, arguments[0].c_str(), &actions, nullptr,
                              argument_pointers.data(), environment_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (spawned != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    throw std::runtime_error("cannot start " + arguments[0] + ": " + std::strerror(spawned));
  }

  ProcessResult result;
  pollfd descriptors[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* outputs[2] = {&result.out, &result.err};
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  int open_count = 2;
  bool killed = false;
  while (open_count > 0) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0 && !killed) {
      ::kill(child, SIGKILL);
      killed = true;
    }
    int ready = ::poll(descriptors, 2, killed ? 1000 : static_cast<int>(remaining.count()));
    if (ready < 0 && errno == EINTR) continue;
    for (int index = 0; index < 2; ++index) {
      if (descriptors[index].fd < 0 || descriptors[index].revents == 0) continue;
      char buffer[65536];
      ssize_t count = ::read(descriptors[index].fd, buffer, sizeof buffer);
      if (count > 0) {
        outputs[index]->append(buffer, static_cast<std::size_t>(count));
      } else {
        ::close(descriptors[index].fd);
        descriptors[index].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  rusage usage{};
  while (::wait4(child, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  result.max_rss_kib = usage.ru_maxrss;
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::filesystem::path binary_dir() {
  const char* value = std::getenv("TRUC_BINARY_DIR");
  if (value == nullptr)
    throw std::runtime_error("TRUC_BINARY_DIR is not set (run tests through ctest)");
  return value;
}

std::filesystem::path source_dir() {
  const char* value = std::getenv("TRUC_SOURCE_DIR");
  if (value == nullptr)
    throw std::runtime_error("TRUC_SOURCE_DIR is not set (run tests through ctest)");
  return value;
}

}  // namespace truc::testing
