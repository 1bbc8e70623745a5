// peak_rss FILE COMMAND [ARGS...]: runs COMMAND and writes its peak resident set size (KiB) to
// FILE; exits with COMMAND's status.
//
// A test cannot measure a child it spawns itself: posix_spawn shares the test's address space
// until exec, and Linux carries that space's high-water mark into the child's ru_maxrss. A test
// with an in-process server under AddressSanitizer is far larger than the child. Started from this
// small process instead, the child's figure is its own.

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak_rss FILE COMMAND [ARGS...]\n");
    return 2;
  }
  pid_t child = 0;
  if (::posix_spawn(&child, argv[2], nullptr, nullptr, argv + 2, environ) != 0) {
    std::perror("peak_rss: cannot start the command");
    return 127;
  }
  int status = 0;
  rusage usage{};
  if (::wait4(child, &status, 0, &usage) < 0) {
    std::perror("peak_rss: wait4");
    return 127;
  }
  std::ofstream(argv[1]) << usage.ru_maxrss << "\n";
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
