#include "truc/security/certificate.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "truc/common/digest.hpp"
#include "truc/common/file.hpp"

namespace truc::security {
namespace {

std::shared_ptr<x509_st> own(X509* certificate) { return {certificate, X509_free}; }

Error certificate_error(std::string message) {
  return Error{"certificate.invalid", std::move(message), openssl_error_text()};
}

std::string name_text(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

Timestamp to_timestamp(const ASN1_TIME* time) {
  struct tm parts {};
  ASN1_TIME_to_tm(time, &parts);
  return Timestamp(std::chrono::seconds(timegm(&parts)));
}

}  // namespace

std::string openssl_error_text() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text;
}

Result<Certificate> Certificate::from_der(std::string_view der) {
  const auto* data = reinterpret_cast<const unsigned char*>(der.data());
  X509* certificate = d2i_X509(nullptr, &data, static_cast<long>(der.size()));
  if (certificate == nullptr) return certificate_error("not a DER X.509 certificate");
  return Certificate(own(certificate));
}

Result<Certificate> Certificate::from_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (certificate == nullptr) return certificate_error("not a PEM X.509 certificate");
  return Certificate(own(certificate));
}

Result<std::vector<Certificate>> Certificate::load_pem_file(const std::filesystem::path& path) {
  auto text = read_small_file(path);
  if (!text) return std::move(text).error();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(text->data(), static_cast<int>(text->size())), BIO_free);
  std::vector<Certificate> certificates;
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certificates.push_back(Certificate(own(certificate)));
  }
  ERR_clear_error();  // the read past the last certificate
  if (certificates.empty()) {
    return Error{"certificate.invalid", "no PEM certificate in the file", path.string()};
  }
  return certificates;
}

std::string Certificate::subject() const { return name_text(X509_get_subject_name(native())); }
std::string Certificate::issuer() const { return name_text(X509_get_issuer_name(native())); }

std::string Certificate::serial_hex() const {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> number(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(native()), nullptr), BN_free);
  char* hex = BN_bn2hex(number.get());
  std::string text(hex);
  OPENSSL_free(hex);
  return text;
}

std::string Certificate::sha256_fingerprint() const { return sha256_hex(der()); }
Timestamp Certificate::not_before() const { return to_timestamp(X509_get0_notBefore(native())); }
Timestamp Certificate::not_after() const { return to_timestamp(X509_get0_notAfter(native())); }

std::string Certificate::agency_code() const {
  const X509_NAME* name = X509_get_subject_name(native());
  int index = X509_NAME_get_index_by_NID(name, NID_userId, -1);
  if (index < 0) return {};
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  int length = ASN1_STRING_to_UTF8(&utf8, value);
  if (length < 0) return {};
  std::string code(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return code;
}

bool Certificate::allows_document_signing() const {
  std::uint32_t usage = X509_get_key_usage(native());
  if (usage == UINT32_MAX) return true;  // no keyUsage extension: unrestricted
  return (usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) != 0;
}

std::string Certificate::der() const {
  unsigned char* data = nullptr;
  int length = i2d_X509(native(), &data);
  std::string der(reinterpret_cast<char*>(data), static_cast<std::size_t>(length));
  OPENSSL_free(data);
  return der;
}

std::string Certificate::pem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), native());
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return Error{"key.invalid", "not an unencrypted PEM private key", openssl_error_text()};
  }
  return PrivateKey(std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free));
}

Result<PrivateKey> PrivateKey::load_pem_file(const std::filesystem::path& path) {
  auto text = read_small_file(path, 1 << 20);
  if (!text) return std::move(text).error();
  auto key = from_pem(*text);
  if (!key) return Error{key.error().code, key.error().message, path.string()};
  return key;
}

bool PrivateKey::is_rsa() const { return EVP_PKEY_get_base_id(native()) == EVP_PKEY_RSA; }
bool PrivateKey::is_ec() const { return EVP_PKEY_get_base_id(native()) == EVP_PKEY_EC; }

bool PrivateKey::matches(const Certificate& certificate) const {
  return X509_check_private_key(certificate.native(), native()) == 1;
}

Result<KeyPair> load_key_pair(const std::filesystem::path& certificate,
                              const std::filesystem::path& private_key, std::string_view what) {
  auto key = PrivateKey::load_pem_file(private_key);
  if (!key) return std::move(key).error();
  auto chain = Certificate::load_pem_file(certificate);
  if (!chain) return std::move(chain).error();
  if (!key->matches(chain->front())) {
    return Error{"config.invalid", std::string(what) + " does not belong to the certificate",
                 private_key.string()};
  }
  return KeyPair{std::move(*key), std::move(*chain)};
}

}  // namespace truc::security
