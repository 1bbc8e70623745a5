#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace truc::testing {

// What a generated certificate should look like. Times are relative to now.
struct CertificateSpec {
  std::string common_name;
  std::string agency_code;  // becomes the subject's UID attribute when not empty
  std::chrono::seconds valid_from = -std::chrono::hours(1);
  std::chrono::seconds valid_until = std::chrono::hours(24 * 365);
  bool is_ca = false;
  // keyUsage extension value, e.g. "digitalSignature,nonRepudiation"; none when empty.
  std::string key_usage = "digitalSignature,nonRepudiation";
  std::string extended_key_usage;  // e.g. "serverAuth" or "clientAuth"
  std::vector<std::string> dns_names;
  bool elliptic_curve = false;
  // CRL distribution points (URIs) and the OCSP responder in Authority Information Access.
  std::vector<std::string> crl_urls;
  std::string ocsp_url;
};

// A certificate and its key, as PEM files in the PKI's directory.
struct Issued {
  std::filesystem::path certificate;
  std::filesystem::path key;
  std::string certificate_pem;
  std::string key_pem;
  std::string serial;  // decimal
};

// A throwaway PKI for tests: CAs, end-entity certificates and CRLs, generated with OpenSSL into
// `directory` (a test's temporary directory).
class TestPki {
 public:
  explicit TestPki(std::filesystem::path directory);

  Issued create_ca(const std::string& name, CertificateSpec spec = {});
  Issued issue(const Issued& issuer, const std::string& name, CertificateSpec spec);
  // A CRL of `issuer` listing `revoked` (certificates it issued), valid from an hour ago.
  std::filesystem::path create_crl(const Issued& issuer, const std::vector<Issued>& revoked,
                                   const std::string& name);
  // The same with a chosen nextUpdate (relative to now), PEM or DER.
  std::filesystem::path create_crl(const Issued& issuer, const std::vector<Issued>& revoked,
                                   const std::string& name, std::chrono::seconds next_update,
                                   bool der = false);

  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path directory_;
  long next_serial_ = 1000;
};

}  // namespace truc::testing
