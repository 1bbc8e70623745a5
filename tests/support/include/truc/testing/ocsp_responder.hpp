#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "truc/testing/pki.hpp"
#include "truc/testing/process.hpp"

namespace truc::testing {

// A port nobody listens on right now (bound once by the kernel's choice, then released): for a
// server that must be named in certificates before it starts.
std::uint16_t free_port();

// `openssl ocsp` answering for one CA, signing with the CA's own key, from an index of the
// certificates it knows: `good` ones valid, `revoked` ones revoked, any other unknown. The URL
// exists before the responder starts, so that certificates can name it (CertificateSpec
// ocsp_url).
class OcspResponder {
 public:
  explicit OcspResponder(std::filesystem::path directory);

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Starts answering; returns once the responder listens.
  void start(const Issued& ca, const std::vector<Issued>& good, const std::vector<Issued>& revoked);
  void stop() { process_.reset(); }

 private:
  std::filesystem::path directory_;
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace truc::testing
