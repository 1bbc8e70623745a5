#include "truc/testing/pki.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <stdexcept>

namespace truc::testing {
namespace {

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;

using KeyPtr = Owned<EVP_PKEY, EVP_PKEY_free>;
using CertificatePtr = Owned<X509, X509_free>;

void require(bool condition, const char* what) {
  if (!condition) throw std::runtime_error(std::string("test PKI: ") + what);
}

KeyPtr generate_key(bool elliptic_curve) {
  EVP_PKEY* key = elliptic_curve ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
  require(key != nullptr, "key generation failed");
  return KeyPtr(key);
}

std::string to_pem(EVP_PKEY* key) {
  Owned<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string to_pem(X509* certificate) {
  Owned<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), certificate);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

KeyPtr key_from_pem(const std::string& pem) {
  Owned<BIO, BIO_free_all> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return KeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

CertificatePtr certificate_from_pem(const std::string& pem) {
  Owned<BIO, BIO_free_all> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return CertificatePtr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

void write(const std::filesystem::path& path, const std::string& content) {
  std::ofstream stream(path, std::ios::binary);
  stream << content;
  require(static_cast<bool>(stream), "cannot write a PKI file");
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  Owned<X509_EXTENSION, X509_EXTENSION_free> extension(
      X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  require(extension != nullptr, "bad extension");
  X509_add_ext(certificate, extension.get(), -1);
}

Issued make_certificate(const std::filesystem::path& directory, const std::string& name,
                        const CertificateSpec& spec, long serial, X509* issuer_certificate,
                        EVP_PKEY* issuer_key) {
  KeyPtr key = generate_key(spec.elliptic_curve);
  CertificatePtr certificate(X509_new());
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()),
                  static_cast<long>(spec.valid_from.count()));
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()),
                  static_cast<long>(spec.valid_until.count()));
  X509_set_pubkey(certificate.get(), key.get());

  X509_NAME* subject = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(subject, "C", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("VN"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("Trục test PKI"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1,
                             -1, 0);
  if (!spec.agency_code.empty()) {
    X509_NAME_add_entry_by_txt(subject, "UID", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(spec.agency_code.c_str()), -1,
                               -1, 0);
  }
  X509* issuer = issuer_certificate != nullptr ? issuer_certificate : certificate.get();
  X509_set_issuer_name(certificate.get(), X509_get_subject_name(issuer));

  add_extension(certificate.get(), issuer, NID_basic_constraints,
                spec.is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  add_extension(certificate.get(), issuer, NID_subject_key_identifier, "hash");
  if (issuer_certificate != nullptr)
    add_extension(certificate.get(), issuer, NID_authority_key_identifier, "keyid");
  std::string usage = spec.is_ca ? "critical,keyCertSign,cRLSign" : spec.key_usage;
  if (!usage.empty()) add_extension(certificate.get(), issuer, NID_key_usage, usage);
  if (!spec.extended_key_usage.empty()) {
    add_extension(certificate.get(), issuer, NID_ext_key_usage, spec.extended_key_usage);
  }
  if (!spec.dns_names.empty()) {
    std::string names;
    for (const auto& dns : spec.dns_names) names += (names.empty() ? "" : ",") + ("DNS:" + dns);
    add_extension(certificate.get(), issuer, NID_subject_alt_name, names);
  }
  if (!spec.crl_urls.empty()) {
    std::string points;
    for (const auto& url : spec.crl_urls) points += (points.empty() ? "" : ",") + ("URI:" + url);
    add_extension(certificate.get(), issuer, NID_crl_distribution_points, points);
  }
  if (!spec.ocsp_url.empty()) {
    add_extension(certificate.get(), issuer, NID_info_access, "OCSP;URI:" + spec.ocsp_url);
  }
  require(X509_sign(certificate.get(), issuer_key != nullptr ? issuer_key : key.get(),
                    EVP_sha256()) > 0,
          "signing the certificate failed");

  Issued issued{directory / (name + ".crt"), directory / (name + ".key"), to_pem(certificate.get()),
                to_pem(key.get()), std::to_string(serial)};
  write(issued.certificate, issued.certificate_pem);
  write(issued.key, issued.key_pem);
  return issued;
}

}  // namespace

TestPki::TestPki(std::filesystem::path directory) : directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
}

Issued TestPki::create_ca(const std::string& name, CertificateSpec spec) {
  spec.is_ca = true;
  if (spec.common_name.empty()) spec.common_name = name;
  return make_certificate(directory_, name, spec, next_serial_++, nullptr, nullptr);
}

Issued TestPki::issue(const Issued& issuer, const std::string& name, CertificateSpec spec) {
  if (spec.common_name.empty()) spec.common_name = name;
  CertificatePtr issuer_certificate = certificate_from_pem(issuer.certificate_pem);
  KeyPtr issuer_key = key_from_pem(issuer.key_pem);
  require(issuer_certificate && issuer_key, "unreadable issuer");
  return make_certificate(directory_, name, spec, next_serial_++, issuer_certificate.get(),
                          issuer_key.get());
}

std::filesystem::path TestPki::create_crl(const Issued& issuer, const std::vector<Issued>& revoked,
                                          const std::string& name) {
  return create_crl(issuer, revoked, name, std::chrono::hours(7 * 24));
}

std::filesystem::path TestPki::create_crl(const Issued& issuer, const std::vector<Issued>& revoked,
                                          const std::string& name,
                                          std::chrono::seconds next_update_in, bool der) {
  CertificatePtr issuer_certificate = certificate_from_pem(issuer.certificate_pem);
  KeyPtr issuer_key = key_from_pem(issuer.key_pem);
  Owned<X509_CRL, X509_CRL_free> crl(X509_CRL_new());
  X509_CRL_set_version(crl.get(), 1);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer_certificate.get()));
  Owned<ASN1_TIME, ASN1_TIME_free> last_update(X509_gmtime_adj(nullptr, -3600));
  Owned<ASN1_TIME, ASN1_TIME_free> next_update(
      X509_gmtime_adj(nullptr, static_cast<long>(next_update_in.count())));
  X509_CRL_set1_lastUpdate(crl.get(), last_update.get());
  X509_CRL_set1_nextUpdate(crl.get(), next_update.get());
  for (const auto& certificate : revoked) {
    X509_REVOKED* entry = X509_REVOKED_new();
    Owned<ASN1_INTEGER, ASN1_INTEGER_free> serial(ASN1_INTEGER_new());
    ASN1_INTEGER_set(serial.get(), std::stol(certificate.serial));
    X509_REVOKED_set_serialNumber(entry, serial.get());
    X509_REVOKED_set_revocationDate(entry, last_update.get());
    X509_CRL_add0_revoked(crl.get(), entry);
  }
  X509_CRL_sort(crl.get());
  require(X509_CRL_sign(crl.get(), issuer_key.get(), EVP_sha256()) > 0, "signing the CRL failed");
  Owned<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
  if (der) {
    i2d_X509_CRL_bio(bio.get(), crl.get());
  } else {
    PEM_write_bio_X509_CRL(bio.get(), crl.get());
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  auto path = directory_ / (name + ".crl");
  write(path, std::string(data, static_cast<std::size_t>(length)));
  return path;
}

}  // namespace truc::testing
