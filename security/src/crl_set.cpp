#include "truc/security/crl_set.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "truc/common/file.hpp"

namespace truc::security {
namespace {

X509_CRL* parse_crl(std::string_view bytes) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), BIO_free);
  X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
  if (crl == nullptr) {
    ERR_clear_error();
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    crl = d2i_X509_CRL(nullptr, &data, static_cast<long>(bytes.size()));
    ERR_clear_error();
  }
  return crl;
}

}  // namespace

CrlSet::CrlSet() : crls_(sk_X509_CRL_new_null()) {}

CrlSet::~CrlSet() { sk_X509_CRL_pop_free(crls_, X509_CRL_free); }

std::size_t CrlSet::size() const { return static_cast<std::size_t>(sk_X509_CRL_num(crls_)); }

bool CrlSet::issued_by(const Certificate& ca) const {
  EVP_PKEY* key = X509_get0_pubkey(ca.native());
  if (key == nullptr) {
    ERR_clear_error();
    return false;
  }
  for (int index = 0; index < sk_X509_CRL_num(crls_); ++index) {
    X509_CRL* crl = sk_X509_CRL_value(crls_, index);
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ca.native())) != 0)
      return false;
    if (X509_CRL_verify(crl, key) != 1) {
      ERR_clear_error();  // a failed check leaves errors that would confuse the next OpenSSL call
      return false;
    }
  }
  return true;
}

Result<std::shared_ptr<const CrlSet>> CrlSet::parse(std::string_view bytes) {
  X509_CRL* crl = parse_crl(bytes);
  if (crl == nullptr) return Error{"certificate.invalid_crl", "not a PEM or DER CRL", {}};
  auto set = std::make_shared<CrlSet>();
  sk_X509_CRL_push(set->crls_, crl);
  return std::shared_ptr<const CrlSet>(std::move(set));
}

Result<std::shared_ptr<const CrlSet>> CrlSet::load_files(
    const std::vector<std::filesystem::path>& files) {
  std::vector<std::shared_ptr<const CrlSet>> parts;
  for (const auto& file : files) {
    auto text = read_small_file(file, 64u << 20);
    if (!text) return std::move(text).error();
    auto part = parse(*text);
    if (!part) return Error{"certificate.invalid_crl", "not a PEM or DER CRL", file.string()};
    parts.push_back(std::move(*part));
  }
  return merge(parts);
}

std::shared_ptr<const CrlSet> CrlSet::merge(
    const std::vector<std::shared_ptr<const CrlSet>>& parts) {
  auto set = std::make_shared<CrlSet>();
  for (const auto& part : parts) {
    for (int index = 0; index < sk_X509_CRL_num(part->crls_); ++index) {
      X509_CRL* crl = sk_X509_CRL_value(part->crls_, index);
      X509_CRL_up_ref(crl);
      sk_X509_CRL_push(set->crls_, crl);
    }
  }
  return set;
}

CurrentCrls::CurrentCrls(std::shared_ptr<const CrlSet> initial) : current_(std::move(initial)) {}

std::shared_ptr<const CrlSet> CurrentCrls::get() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void CurrentCrls::replace(std::shared_ptr<const CrlSet> next) {
  std::lock_guard lock(mutex_);
  current_ = std::move(next);
}

int verify_chain_with_crls(X509_STORE_CTX* context, const CrlSet& crls) {
  // The context only borrows the stack (X509_STORE_CTX_cleanup does not free it); `crls`
  // outlives the verification.
  X509_STORE_CTX_set0_crls(context, crls.native());
  X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(context),
                              X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  return X509_verify_cert(context);
}

}  // namespace truc::security
