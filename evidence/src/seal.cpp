#include "truc/evidence/seal.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

#include "field_encoding.hpp"
#include "truc/common/digest.hpp"

namespace truc::evidence {
namespace {

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

}  // namespace

std::string batch_statement(std::int64_t first_seq, std::int64_t last_seq,
                            std::string_view last_entry_hash) {
  std::string out = "truc-evidence-batch/1\n";
  append_field(out, std::to_string(first_seq));
  append_field(out, std::to_string(last_seq));
  append_field(out, last_entry_hash);
  return out;
}

Result<std::string> sign_statement(const security::PrivateKey& key, std::string_view statement) {
  ERR_clear_error();
  DigestContext context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(statement.data());
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.native()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, data, statement.size()) != 1) {
    return Error{"evidence.seal_failed", "cannot sign the batch", security::openssl_error_text()};
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data,
                     statement.size()) != 1) {
    return Error{"evidence.seal_failed", "cannot sign the batch", security::openssl_error_text()};
  }
  signature.resize(size);
  return signature;
}

Status verify_statement(const security::Certificate& signer, std::string_view statement,
                        std::string_view signature) {
  DigestContext context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY* public_key = X509_get0_pubkey(signer.native());
  if (!context || public_key == nullptr ||
      EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, public_key) != 1 ||
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(statement.data()),
                       statement.size()) != 1) {
    return Error{"evidence.seal_invalid",
                 "the seal is not the signing certificate's signature over the batch",
                 signer.subject()};
  }
  return ok_status();
}

std::string timestamp_imprint(std::string_view seal_signature) {
  Digest digest(DigestAlgorithm::sha256);
  digest.update(seal_signature);
  return digest.finish();
}

}  // namespace truc::evidence
