#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "truc/common/digest.hpp"
#include "truc/common/error.hpp"
#include "truc/security/certificate.hpp"

namespace truc::security {

namespace uri {
inline constexpr std::string_view kC14n = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
inline constexpr std::string_view kC14nWithComments =
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
inline constexpr std::string_view kEnvelopedSignature =
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
inline constexpr std::string_view kSha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr std::string_view kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr std::string_view kEcdsaSha256 =
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
inline constexpr std::string_view kSha1 = "http://www.w3.org/2000/09/xmldsig#sha1";
inline constexpr std::string_view kRsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
inline constexpr std::string_view kEcdsaSha1 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1";
}  // namespace uri

enum class KeyType { rsa, ec };

struct SignatureAlgorithm {
  KeyType key_type;
  DigestAlgorithm digest;
};

// Looks up a SignatureMethod or DigestMethod URI. Fails with signature.algorithm_forbidden (MD5,
// and SHA-1 when `forbid_sha1`) or signature.algorithm_unsupported (anything else unknown).
Result<SignatureAlgorithm> signature_algorithm(std::string_view uri, bool forbid_sha1);
Result<DigestAlgorithm> digest_algorithm(std::string_view uri, bool forbid_sha1);
// Whether the URI names inclusive C14N 1.0, and whether with comments.
std::optional<bool> inclusive_c14n_with_comments(std::string_view uri);

// Raw signature over `data`. XML-DSig writes ECDSA signatures as r||s, not DER; both functions
// take and give that form.
Result<std::string> sign_bytes(const PrivateKey& key, DigestAlgorithm digest,
                               std::string_view data);
bool verify_bytes(const Certificate& certificate, SignatureAlgorithm algorithm,
                  std::string_view data, std::string_view signature);

}  // namespace truc::security
