#include "truc/security/trust_store.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "truc/common/file.hpp"

namespace truc::security {
namespace {

Result<X509_CRL*> read_crl(const std::filesystem::path& path) {
  auto text = read_small_file(path, 64u << 20);
  if (!text) return std::move(text).error();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(text->data(), static_cast<int>(text->size())), BIO_free);
  X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
  if (crl == nullptr) {
    ERR_clear_error();
    const auto* data = reinterpret_cast<const unsigned char*>(text->data());
    crl = d2i_X509_CRL(nullptr, &data, static_cast<long>(text->size()));
  }
  if (crl == nullptr)
    return Error{"certificate.invalid_crl", "not a PEM or DER CRL", path.string()};
  return crl;
}

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
  for (const auto& file : options.crl_files) {
    auto crl = read_crl(file);
    if (!crl) return std::move(crl).error();
    X509_STORE_add_crl(store.get(), *crl);
    X509_CRL_free(*crl);
  }
  ERR_clear_error();
  return TrustStore(std::move(store), std::move(anchors), !options.crl_files.empty());
}

Status TrustStore::verify(const Certificate& certificate,
                          std::span<const Certificate> intermediates, Timestamp at) const {
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
  if (checks_revocation_) X509_VERIFY_PARAM_set_flags(parameters, X509_V_FLAG_CRL_CHECK);
  int verified = X509_verify_cert(context.get());
  ERR_clear_error();
  if (verified == 1) return ok_status();
  return chain_error(X509_STORE_CTX_get_error(context.get()));
}

}  // namespace truc::security
