#include "output.hpp"

#include <cstdio>
#include <iostream>

namespace truc::cli {

int reject(const Error& error) {
  std::cerr << "error: " << error.to_string() << "\n";
  return kRejected;
}

int usage_error(std::string_view command, std::string_view message) {
  std::cerr << "usage: " << message << "\n(see `truc " << command << " --help`)\n";
  return kUsage;
}

void print_finding(const edxml::Finding& finding) {
  std::cerr << (finding.severity == edxml::Severity::error ? "error: " : "warning: ")
            << finding.code << ": " << finding.message;
  if (!finding.path.empty()) std::cerr << " (" << finding.path << ")";
  std::cerr << "\n";
}

Status StdoutSink::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) {
    return Error{"io.write", "cannot write to standard output", {}};
  }
  return ok_status();
}

Status StdoutSink::finish() {
  if (std::fflush(stdout) != 0) return Error{"io.write", "cannot write to standard output", {}};
  return ok_status();
}

}  // namespace truc::cli
