#pragma once

// Certificate revocation lists as the verifiers use them: an immutable set of CRLs, and the set
// currently in force, which a revocation source replaces as a whole when a CRL is published.
// Verifications already running keep the set they started with.

#include <filesystem>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/security/certificate.hpp"

struct stack_st_X509_CRL;
struct x509_store_ctx_st;

namespace truc::security {

class CrlSet {
 public:
  // PEM or DER files, one CRL each. Error: certificate.invalid_crl (with the file), io.*.
  static Result<std::shared_ptr<const CrlSet>> load_files(
      const std::vector<std::filesystem::path>& files);
  // One CRL's bytes (PEM or DER). Error: certificate.invalid_crl.
  static Result<std::shared_ptr<const CrlSet>> parse(std::string_view bytes);
  // The CRLs of all `parts`, in order.
  static std::shared_ptr<const CrlSet> merge(
      const std::vector<std::shared_ptr<const CrlSet>>& parts);

  CrlSet();
  ~CrlSet();
  CrlSet(const CrlSet&) = delete;
  CrlSet& operator=(const CrlSet&) = delete;

  std::size_t size() const;
  // Whether every CRL of the set names `ca`'s subject as its issuer and is signed with `ca`'s key.
  bool issued_by(const Certificate& ca) const;
  stack_st_X509_CRL* native() const { return crls_; }

 private:
  stack_st_X509_CRL* crls_;
};

// The CRLs in force. Thread-safe: readers take a snapshot, a writer swaps in a new set.
class CurrentCrls {
 public:
  explicit CurrentCrls(std::shared_ptr<const CrlSet> initial = std::make_shared<const CrlSet>());

  std::shared_ptr<const CrlSet> get() const;
  void replace(std::shared_ptr<const CrlSet> next);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const CrlSet> current_;
};

// Runs OpenSSL's chain verification on an initialised `context` with `crls` offered beside the
// store's own and revocation checked for every certificate of the chain
// (X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL). Returns X509_verify_cert's result; for
// the TLS server's certificate verification callback and the trust store.
int verify_chain_with_crls(x509_store_ctx_st* context, const CrlSet& crls);

}  // namespace truc::security
