#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/common/time.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/crl_set.hpp"

struct x509_store_st;

namespace truc::security {

class OcspChecker;

// What a verification does when the end entity's revocation cannot be learnt (no current CRL
// of its issuer and no OCSP answer): refuse it, or accept it and count it.
enum class RevocationPolicy { refuse, accept_and_flag };

struct TrustStoreOptions {
  // PEM files of trusted CA certificates (bundles allowed).
  std::vector<std::filesystem::path> ca_files;
  // Directories whose *.pem and *.crt files are all trusted CA certificates.
  std::vector<std::filesystem::path> ca_directories;
  // CRLs (PEM or DER). When any is given, every certificate of the chain (the end entity, each
  // intermediate and the anchor) must be covered by a current CRL of its issuer and not be
  // listed in it.
  std::vector<std::filesystem::path> crl_files;
  // Instead of crl_files: the CRLs in force, read again at each verification, so that a CRL
  // published after loading applies at once (see RevocationSource).
  std::shared_ptr<const CurrentCrls> current_crls;
  // With CRLs: an end-entity certificate no current CRL covers is asked about by OCSP; when
  // that fails too, `when_unknown` decides.
  std::shared_ptr<OcspChecker> ocsp;
  RevocationPolicy when_unknown = RevocationPolicy::refuse;
};

// The CAs (and CRLs) a verifier trusts. The CAs are fixed once loaded; verify() is thread-safe.
class TrustStore {
 public:
  static Result<TrustStore> load(const TrustStoreOptions& options);

  // Checks that `certificate` chains to a trusted CA, every certificate valid at `at`, using
  // `intermediates` as untrusted helpers. Error codes: certificate.untrusted,
  // certificate.expired, certificate.not_yet_valid, certificate.revoked,
  // certificate.crl_unavailable.
  Status verify(const Certificate& certificate, std::span<const Certificate> intermediates,
                Timestamp at) const;
  // The same check, giving the chain it built: `certificate` first, the trusted CA last. What
  // a caller binds an identity to (an agency's issuing CA) is in it.
  Result<std::vector<Certificate>> verified_chain(const Certificate& certificate,
                                                  std::span<const Certificate> intermediates,
                                                  Timestamp at) const;

  const std::vector<Certificate>& anchors() const { return anchors_; }
  bool checks_revocation() const { return crls_ != nullptr; }
  // Certificates accepted under RevocationPolicy::accept_and_flag without a revocation answer.
  std::uint64_t accepted_without_revocation() const { return unknown_accepted_->load(); }

 private:
  TrustStore(std::shared_ptr<x509_store_st> store, std::vector<Certificate> anchors,
             std::shared_ptr<const CurrentCrls> crls, std::shared_ptr<OcspChecker> ocsp,
             RevocationPolicy when_unknown)
      : store_(std::move(store)),
        anchors_(std::move(anchors)),
        crls_(std::move(crls)),
        ocsp_(std::move(ocsp)),
        when_unknown_(when_unknown) {}

  std::shared_ptr<x509_store_st> store_;
  std::vector<Certificate> anchors_;
  std::shared_ptr<const CurrentCrls> crls_;  // null: revocation is not checked
  std::shared_ptr<OcspChecker> ocsp_;
  RevocationPolicy when_unknown_ = RevocationPolicy::refuse;
  std::shared_ptr<std::atomic<std::uint64_t>> unknown_accepted_ =
      std::make_shared<std::atomic<std::uint64_t>>(0);
};

}  // namespace truc::security
