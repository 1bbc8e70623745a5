#include "truc/testing/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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

namespace truc::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  if (options.working_directory) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory->c_str());
  }
  std::vector<std::string> arguments{"/usr/bin/setpriv", "--pdeathsig", "KILL", "--"};
  arguments.insert(arguments.end(), argv.begin(), argv.end());
  std::vector<std::string> environment = merged_environment(options.environment);
  auto argument_pointers = pointers(arguments);
  auto environment_pointers = pointers(environment);
  int spawned = ::posix_spawn(&pid_, arguments[0].c_str(), &actions, nullptr,
                              argument_pointers.data(), environment_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(err_pipe[1]);
  if (spawned != 0) {
    ::close(err_pipe[0]);
    throw std::runtime_error("cannot start " + arguments[0] + ": " + std::strerror(spawned));
  }
  stderr_fd_ = err_pipe[0];
}

ChildProcess::~ChildProcess() {
  if (!exit_status_) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

void ChildProcess::drain_available(std::chrono::milliseconds timeout) {
  if (stderr_fd_ < 0) return;
  pollfd descriptor{stderr_fd_, POLLIN, 0};
  int ready = ::poll(&descriptor, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return;
  char chunk[65536];
  ssize_t count = ::read(stderr_fd_, chunk, sizeof chunk);
  if (count > 0) {
    buffer_.append(chunk, static_cast<std::size_t>(count));
  } else {
    ::close(stderr_fd_);
    stderr_fd_ = -1;
  }
}

std::optional<std::string> ChildProcess::next_line(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      seen_ += line + "\n";
      return line;
    }
    if (stderr_fd_ < 0) return std::nullopt;
    // Rounded up, so that a timeout under a millisecond still looks; once it passed, one last look
    // at what the child already wrote, so that a short timeout drains the pipe.
    auto remaining =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) {
      std::size_t buffered = buffer_.size();
      drain_available(std::chrono::milliseconds(0));
      if (buffer_.size() == buffered) return std::nullopt;
      continue;
    }
    drain_available(remaining);
  }
}

std::optional<std::string> ChildProcess::wait_for_line(const std::string& needle,
                                                       std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) return std::nullopt;
    auto line = next_line(remaining);
    if (!line) return std::nullopt;
    if (line->find(needle) != std::string::npos) return line;
  }
}

void ChildProcess::signal(int signal_number) {
  if (!exit_status_) ::kill(pid_, signal_number);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (exit_status_) return exit_status_;
  // A pidfd becomes readable when the child exits: wait on it and on its stderr together, so that
  // a child blocked writing a full pipe can still finish.
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd < 0) throw std::runtime_error("pidfd_open failed");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      ::close(pidfd);
      return exit_status_;
    }
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) {
      ::close(pidfd);
      return std::nullopt;
    }
    pollfd descriptors[2] = {{pidfd, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
    ::poll(descriptors, stderr_fd_ >= 0 ? 2 : 1, static_cast<int>(remaining.count()));
    if (stderr_fd_ >= 0 && descriptors[1].revents != 0)
      drain_available(std::chrono::milliseconds(0));
  }
}

}  // namespace truc::testing
