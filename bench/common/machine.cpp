#include "machine.hpp"

#include <sched.h>
#include <sys/resource.h>

#include <ctime>
#include <fstream>

namespace truc::bench {

std::string load_average() {
  std::string one_minute;
  std::ifstream("/proc/loadavg") >> one_minute;
  return one_minute;
}

int cpu_count() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  return sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 0;
}

std::string describe_machine() {
  std::string cpu_model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.starts_with("model name")) {
      cpu_model = line.substr(line.find(':') + 2);
      break;
    }
  }
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &utc);
  return std::string(date) + ", " + std::to_string(cpu_count()) + " CPUs (" + cpu_model +
         "), load average " + load_average() + " at start";
}

double cpu_seconds(int who) {
  rusage usage{};
  ::getrusage(who, &usage);
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace truc::bench
