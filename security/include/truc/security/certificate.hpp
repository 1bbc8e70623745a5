#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/common/time.hpp"

struct x509_st;
struct evp_pkey_st;

namespace truc::security {

// An X.509 certificate (OpenSSL underneath). Copies share the same immutable certificate.
class Certificate {
 public:
  static Result<Certificate> from_der(std::string_view der);
  // The first certificate in a PEM text.
  static Result<Certificate> from_pem(std::string_view pem);
  // Every certificate in a PEM file (a bundle may hold several).
  static Result<std::vector<Certificate>> load_pem_file(const std::filesystem::path& path);

  std::string subject() const;  // RFC 2253 form, e.g. "UID=000.00.00.G22,CN=...,O=...,C=VN"
  std::string issuer() const;
  std::string serial_hex() const;
  std::string sha256_fingerprint() const;  // lowercase hex of the DER
  Timestamp not_before() const;
  Timestamp not_after() const;
  // The agency code the certificate binds to: the value of its subject's UID attribute
  // (OID 0.9.2342.19200300.100.1.1), or empty when it has none. docs/design.md explains why.
  std::string agency_code() const;
  // Whether the keyUsage extension, when present, allows digitalSignature or nonRepudiation.
  bool allows_document_signing() const;
  std::string der() const;
  std::string pem() const;

  x509_st* native() const { return certificate_.get(); }

 private:
  explicit Certificate(std::shared_ptr<x509_st> certificate)
      : certificate_(std::move(certificate)) {}
  std::shared_ptr<x509_st> certificate_;
};

// A private key for signing (RSA or EC), loaded from an unencrypted PEM file.
class PrivateKey {
 public:
  static Result<PrivateKey> load_pem_file(const std::filesystem::path& path);
  static Result<PrivateKey> from_pem(std::string_view pem);

  bool is_rsa() const;
  bool is_ec() const;
  // Whether this key is the private half of the certificate's public key.
  bool matches(const Certificate& certificate) const;
  evp_pkey_st* native() const { return key_.get(); }

 private:
  explicit PrivateKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

// OpenSSL's last error as text, for the detail of an Error.
std::string openssl_error_text();

// A key and the certificate chain it belongs to, as configured: PEM files, the key's
// certificate first.
struct KeyPair {
  PrivateKey key;
  std::vector<Certificate> chain;
};

// Loads both files and checks that the key is the private half of the chain's first
// certificate. Errors: io.*, key.invalid, certificate.invalid, and config.invalid ("<what>
// does not belong to the certificate", detail: the key's path) when they are not a pair.
Result<KeyPair> load_key_pair(const std::filesystem::path& certificate,
                              const std::filesystem::path& private_key, std::string_view what);

}  // namespace truc::security
