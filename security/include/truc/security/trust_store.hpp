#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/common/time.hpp"
#include "truc/security/certificate.hpp"

struct x509_store_st;

namespace truc::security {

struct TrustStoreOptions {
  // PEM files of trusted CA certificates (bundles allowed).
  std::vector<std::filesystem::path> ca_files;
  // Directories whose *.pem and *.crt files are all trusted CA certificates.
  std::vector<std::filesystem::path> ca_directories;
  // CRLs (PEM or DER). When any is given, the end-entity certificate must be covered by a
  // current CRL of its issuer and not be listed in it.
  std::vector<std::filesystem::path> crl_files;
};

// The CAs (and CRLs) a verifier trusts. Immutable once loaded; verify() is thread-safe.
class TrustStore {
 public:
  static Result<TrustStore> load(const TrustStoreOptions& options);

  // Checks that `certificate` chains to a trusted CA, every certificate valid at `at`, using
  // `intermediates` as untrusted helpers. Error codes: certificate.untrusted,
  // certificate.expired, certificate.not_yet_valid, certificate.revoked,
  // certificate.crl_unavailable.
  Status verify(const Certificate& certificate, std::span<const Certificate> intermediates,
                Timestamp at) const;

  const std::vector<Certificate>& anchors() const { return anchors_; }
  bool checks_revocation() const { return checks_revocation_; }

 private:
  TrustStore(std::shared_ptr<x509_store_st> store, std::vector<Certificate> anchors,
             bool checks_revocation)
      : store_(std::move(store)),
        anchors_(std::move(anchors)),
        checks_revocation_(checks_revocation) {}

  std::shared_ptr<x509_store_st> store_;
  std::vector<Certificate> anchors_;
  bool checks_revocation_ = false;
};

}  // namespace truc::security
