// truc-demo-tsa: the tests' time-stamping authority (TsaServer) as a program of its own, so that
// scripts/demo can run the hub's [evidence] against a local authority. Not for production: it
// signs whatever it is sent with a key in a file.

#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "truc/testing/temp_dir.hpp"
#include "truc/testing/tsa_server.hpp"

namespace {

constexpr const char* kHelp =
    R"(usage: truc-demo-tsa --port N --certificate PEM --key PEM --directory DIR

An RFC 3161 time-stamping authority on http://127.0.0.1:N/ that answers each POSTed
TimeStampReq with `openssl ts -reply`, signing with the certificate (extendedKeyUsage
timeStamping, critical) and its key. DIR holds the openssl configuration, the serial file and each
exchange's files. Prints "listening <url>" and serves until SIGTERM or SIGINT. For tests and the
demo only.
)";

int usage_error(const std::string& message) {
  std::cerr << "truc-demo-tsa: " << message << "\n" << kHelp;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string port, certificate, key, directory;
  for (int index = 1; index < argc; ++index) {
    std::string_view argument = argv[index];
    if (argument == "--help" || argument == "-h") {
      std::cout << kHelp;
      return 0;
    }
    std::string* value = argument == "--port"          ? &port
                         : argument == "--certificate" ? &certificate
                         : argument == "--key"         ? &key
                         : argument == "--directory"   ? &directory
                                                       : nullptr;
    if (value == nullptr) return usage_error("unknown argument " + std::string(argument));
    if (++index == argc) return usage_error(std::string(argument) + " needs a value");
    *value = argv[index];
  }
  if (port.empty() || certificate.empty() || key.empty() || directory.empty()) {
    return usage_error("--port, --certificate, --key and --directory are all needed");
  }
  char* end = nullptr;
  long number = std::strtol(port.c_str(), &end, 10);
  if (*end != '\0' || number < 1 || number > 65535) return usage_error("--port: not a port");

  // Blocked before the server's thread starts, so that only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  truc::testing::Issued signer;
  signer.certificate = certificate;
  signer.key = key;
  signer.certificate_pem = truc::testing::read_file(certificate);
  signer.key_pem = truc::testing::read_file(key);
  truc::testing::TsaServer server(std::move(signer), directory, static_cast<std::uint16_t>(number));
  std::cout << "listening " << server.url() << std::endl;
  int received = 0;
  sigwait(&stop_signals, &received);
  return 0;
}
