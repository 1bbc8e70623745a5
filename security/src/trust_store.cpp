#include "truc/security/trust_store.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "truc/security/ocsp.hpp"

namespace truc::security {
namespace {

Error chain_error(int code) {
  std::string reason = X509_verify_cert_error_string(code);
  switch (code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return {"certificate.expired", "the certificate has expired", reason};
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return {"certificate.not_yet_valid", "the certificate is not valid yet", reason};
    case X509_V_ERR_CERT_REVOKED:
      return {"certificate.revoked", "the certificate has been revoked", reason};
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
      return {"certificate.crl_unavailable", "no current CRL covers the certificate", reason};
    default:
      return {"certificate.untrusted", "the certificate does not chain to a trusted CA", reason};
  }
}

// Lets a chain check go on when only the end entity lacks a current CRL, noting it (in the
// context's app data) so that OCSP can be asked instead.
int note_missing_leaf_crl(int ok, X509_STORE_CTX* context) {
  if (ok == 1) return 1;
  int error = X509_STORE_CTX_get_error(context);
  if (X509_STORE_CTX_get_error_depth(context) == 0 &&
      (error == X509_V_ERR_UNABLE_TO_GET_CRL || error == X509_V_ERR_CRL_HAS_EXPIRED)) {
    *static_cast<bool*>(X509_STORE_CTX_get_app_data(context)) = true;
    X509_STORE_CTX_set_error(context, X509_V_OK);
    return 1;
  }
  return 0;
}

Result<Certificate> copy_of(X509* certificate) {
  unsigned char* der = nullptr;
  int length = i2d_X509(certificate, &der);
  if (length <= 0)
    return Error{"certificate.untrusted", "a chain certificate could not be read", {}};
  auto copy = Certificate::from_der(
      std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length)));
  OPENSSL_free(der);
  return copy;
}

Result<std::vector<Certificate>> chain_of(X509_STORE_CTX* context) {
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(context);
  std::vector<Certificate> certificates;
  for (int index = 0; index < sk_X509_num(chain); ++index) {
    auto certificate = copy_of(sk_X509_value(chain, index));
    if (!certificate) return std::move(certificate).error();
    certificates.push_back(std::move(*certificate));
  }
  return certificates;
}

}  // namespace

Result<TrustStore> TrustStore::load(const TrustStoreOptions& options) {
  std::shared_ptr<x509_store_st> store(X509_STORE_new(), X509_STORE_free);
  std::vector<Certificate> anchors;
  std::vector<std::filesystem::path> files = options.ca_files;
  for (const auto& directory : options.ca_directories) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
      auto extension = entry.path().extension();
      if (entry.is_regular_file() && (extension == ".pem" || extension == ".crt"))
        files.push_back(entry.path());
    }
    if (error) return Error{"io.open", error.message(), directory.string()};
  }
  for (const auto& file : files) {
    auto certificates = Certificate::load_pem_file(file);
    if (!certificates) return std::move(certificates).error();
    for (auto& certificate : *certificates) {
      X509_STORE_add_cert(store.get(), certificate.native());
      anchors.push_back(std::move(certificate));
    }
  }
  if (anchors.empty()) return Error{"config.invalid", "the trust store has no CA certificate", {}};
  std::shared_ptr<const CurrentCrls> crls = options.current_crls;
  if (crls != nullptr && !options.crl_files.empty())
    return Error{"config.invalid", "give the trust store CRL files or current CRLs, not both", {}};
  if (!options.crl_files.empty()) {
    auto loaded = CrlSet::load_files(options.crl_files);
    if (!loaded) return std::move(loaded).error();
    crls = std::make_shared<const CurrentCrls>(std::move(*loaded));
  }
  ERR_clear_error();
  return TrustStore(std::move(store), std::move(anchors), std::move(crls), options.ocsp,
                    options.when_unknown);
}

Status TrustStore::verify(const Certificate& certificate,
                          std::span<const Certificate> intermediates, Timestamp at) const {
  auto chain = verified_chain(certificate, intermediates, at);
  if (!chain) return std::move(chain).error();
  return ok_status();
}

Result<std::vector<Certificate>> TrustStore::verified_chain(
    const Certificate& certificate, std::span<const Certificate> intermediates,
    Timestamp at) const {
  // The stack only borrows the certificates: free it without freeing them.
  auto free_stack = [](STACK_OF(X509) * stack) { sk_X509_free(stack); };
  std::unique_ptr<STACK_OF(X509), decltype(free_stack)> untrusted(sk_X509_new_null(), free_stack);
  for (const auto& intermediate : intermediates)
    sk_X509_push(untrusted.get(), intermediate.native());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(),
                                                                          X509_STORE_CTX_free);
  if (X509_STORE_CTX_init(context.get(), store_.get(), certificate.native(), untrusted.get()) !=
      1) {
    return Error{"certificate.untrusted", "the certificate could not be checked",
                 openssl_error_text()};
  }
  X509_VERIFY_PARAM* parameters = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_time(parameters, at.time_since_epoch().count());
  if (crls_ == nullptr) {
    int verified = X509_verify_cert(context.get());
    ERR_clear_error();
    if (verified == 1) return chain_of(context.get());
    return chain_error(X509_STORE_CTX_get_error(context.get()));
  }
  bool leaf_without_crl = false;
  bool may_skip_leaf_crl = ocsp_ != nullptr || when_unknown_ == RevocationPolicy::accept_and_flag;
  if (may_skip_leaf_crl) {
    X509_STORE_CTX_set_app_data(context.get(), &leaf_without_crl);
    X509_STORE_CTX_set_verify_cb(context.get(), note_missing_leaf_crl);
  }
  std::shared_ptr<const CrlSet> current = crls_->get();
  int verified = verify_chain_with_crls(context.get(), *current);
  ERR_clear_error();
  if (verified != 1) return chain_error(X509_STORE_CTX_get_error(context.get()));
  auto built = chain_of(context.get());
  if (!built) return std::move(built).error();
  if (!leaf_without_crl) return built;

  std::string reason = "no current CRL covers the certificate";
  if (ocsp_ != nullptr && built->size() >= 2) {
    Status answered = ocsp_->check(certificate, (*built)[1], at);
    if (answered) return built;
    if (answered.error().code == "certificate.revoked") return std::move(answered).error();
    reason += "; " + answered.error().detail;
  }
  if (when_unknown_ == RevocationPolicy::accept_and_flag) {
    ++*unknown_accepted_;
    return built;
  }
  return Error{"certificate.crl_unavailable",
               "neither a current CRL nor an OCSP answer covers the certificate", reason};
}

}  // namespace truc::security
