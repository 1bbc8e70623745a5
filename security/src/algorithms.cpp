#include "algorithms.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <memory>

namespace truc::security {
namespace {

struct KnownSignature {
  std::string_view uri;
  KeyType key_type;
  DigestAlgorithm digest;
};

constexpr std::array<KnownSignature, 8> kSignatures{{
    {"http://www.w3.org/2000/09/xmldsig#rsa-sha1", KeyType::rsa, DigestAlgorithm::sha1},
    {uri::kRsaSha256, KeyType::rsa, DigestAlgorithm::sha256},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", KeyType::rsa, DigestAlgorithm::sha384},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", KeyType::rsa, DigestAlgorithm::sha512},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", KeyType::ec, DigestAlgorithm::sha1},
    {uri::kEcdsaSha256, KeyType::ec, DigestAlgorithm::sha256},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", KeyType::ec, DigestAlgorithm::sha384},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", KeyType::ec, DigestAlgorithm::sha512},
}};

struct KnownDigest {
  std::string_view uri;
  DigestAlgorithm digest;
};

constexpr std::array<KnownDigest, 4> kDigests{{
    {"http://www.w3.org/2000/09/xmldsig#sha1", DigestAlgorithm::sha1},
    {uri::kSha256, DigestAlgorithm::sha256},
    {"http://www.w3.org/2001/04/xmldsig-more#sha384", DigestAlgorithm::sha384},
    {"http://www.w3.org/2001/04/xmlenc#sha512", DigestAlgorithm::sha512},
}};

bool names_md5(std::string_view uri) {
  return uri.size() >= 3 &&
         (uri.substr(uri.size() - 3) == "md5" || uri.find("#md5") != std::string_view::npos);
}

Error forbidden(std::string_view uri, std::string_view why) {
  return Error{"signature.algorithm_forbidden", std::string(why), std::string(uri)};
}

Error unsupported(std::string_view uri) {
  return Error{"signature.algorithm_unsupported",
               "the signature uses an algorithm this hub does not accept", std::string(uri)};
}

const EVP_MD* evp_digest(DigestAlgorithm digest) {
  switch (digest) {
    case DigestAlgorithm::sha1:
      return EVP_sha1();
    case DigestAlgorithm::sha256:
      return EVP_sha256();
    case DigestAlgorithm::sha384:
      return EVP_sha384();
    case DigestAlgorithm::sha512:
      return EVP_sha512();
  }
  return nullptr;
}

// Bytes of one ECDSA coordinate for the key's curve.
int ec_field_bytes(const EVP_PKEY* key) { return (EVP_PKEY_get_bits(key) + 7) / 8; }

std::optional<std::string> ecdsa_raw_to_der(std::string_view raw) {
  if (raw.empty() || raw.size() % 2 != 0) return std::nullopt;
  std::size_t half = raw.size() / 2;
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(ECDSA_SIG_new(), ECDSA_SIG_free);
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(half),
                        nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data() + half),
                        static_cast<int>(half), nullptr);
  if (ECDSA_SIG_set0(signature.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int length = i2d_ECDSA_SIG(signature.get(), &der);
  if (length <= 0) return std::nullopt;
  std::string encoded(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return encoded;
}

std::optional<std::string> ecdsa_der_to_raw(std::string_view der, int field_bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(
      d2i_ECDSA_SIG(nullptr, &data, static_cast<long>(der.size())), ECDSA_SIG_free);
  if (!signature) return std::nullopt;
  std::string raw(static_cast<std::size_t>(field_bytes) * 2, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), out, field_bytes) != field_bytes ||
      BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), out + field_bytes, field_bytes) !=
          field_bytes) {
    return std::nullopt;
  }
  return raw;
}

}  // namespace

Result<SignatureAlgorithm> signature_algorithm(std::string_view uri, bool forbid_sha1) {
  if (names_md5(uri)) return forbidden(uri, "MD5 signatures are never accepted");
  for (const auto& known : kSignatures) {
    if (known.uri != uri) continue;
    if (forbid_sha1 && known.digest == DigestAlgorithm::sha1) {
      return forbidden(uri, "SHA-1 signatures are refused by configuration");
    }
    return SignatureAlgorithm{known.key_type, known.digest};
  }
  return unsupported(uri);
}

Result<DigestAlgorithm> digest_algorithm(std::string_view uri, bool forbid_sha1) {
  if (names_md5(uri)) return forbidden(uri, "MD5 digests are never accepted");
  for (const auto& known : kDigests) {
    if (known.uri != uri) continue;
    if (forbid_sha1 && known.digest == DigestAlgorithm::sha1) {
      return forbidden(uri, "SHA-1 digests are refused by configuration");
    }
    return known.digest;
  }
  return unsupported(uri);
}

std::optional<bool> inclusive_c14n_with_comments(std::string_view uri) {
  if (uri == uri::kC14n) return false;
  if (uri == uri::kC14nWithComments) return true;
  return std::nullopt;
}

Result<std::string> sign_bytes(const PrivateKey& key, DigestAlgorithm digest,
                               std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  EVP_MD_CTX_free);
  std::size_t length = 0;
  if (EVP_DigestSignInit(context.get(), nullptr, evp_digest(digest), nullptr, key.native()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Error{"sign.failed", "the key could not sign", openssl_error_text()};
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Error{"sign.failed", "the key could not sign", openssl_error_text()};
  }
  signature.resize(length);
  if (!key.is_ec()) return signature;
  auto raw = ecdsa_der_to_raw(signature, ec_field_bytes(key.native()));
  if (!raw) return Error{"sign.failed", "the ECDSA signature could not be encoded", {}};
  return *raw;
}

bool verify_bytes(const Certificate& certificate, SignatureAlgorithm algorithm,
                  std::string_view data, std::string_view signature) {
  EVP_PKEY* key = X509_get0_pubkey(certificate.native());
  if (key == nullptr) return false;
  int type = EVP_PKEY_get_base_id(key);
  if ((algorithm.key_type == KeyType::rsa) != (type == EVP_PKEY_RSA)) return false;
  if (algorithm.key_type == KeyType::ec && type != EVP_PKEY_EC) return false;
  std::string encoded(signature);
  if (algorithm.key_type == KeyType::ec) {
    auto der = ecdsa_raw_to_der(signature);
    if (!der) return false;
    encoded = std::move(*der);
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  EVP_MD_CTX_free);
  bool verified =
      EVP_DigestVerifyInit(context.get(), nullptr, evp_digest(algorithm.digest), nullptr, key) ==
          1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(encoded.data()),
                       encoded.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1;
  ERR_clear_error();
  return verified;
}

}  // namespace truc::security
