#include "truc/common/digest.hpp"

#include <openssl/evp.h>

#include <cassert>
#include <new>

namespace truc {
namespace {

const EVP_MD* evp_for(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::sha1:
      return EVP_sha1();
    case DigestAlgorithm::sha256:
      return EVP_sha256();
    case DigestAlgorithm::sha384:
      return EVP_sha384();
    case DigestAlgorithm::sha512:
      return EVP_sha512();
  }
  assert(false && "unknown digest algorithm");
  return nullptr;
}

}  // namespace

std::string_view digest_algorithm_name(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::sha1:
      return "sha1";
    case DigestAlgorithm::sha256:
      return "sha256";
    case DigestAlgorithm::sha384:
      return "sha384";
    case DigestAlgorithm::sha512:
      return "sha512";
  }
  return "unknown";
}

void Digest::ContextDeleter::operator()(evp_md_ctx_st* context) const { EVP_MD_CTX_free(context); }

Digest::Digest(DigestAlgorithm algorithm) : algorithm_(algorithm), context_(EVP_MD_CTX_new()) {
  if (!context_ || EVP_DigestInit_ex(context_.get(), evp_for(algorithm), nullptr) != 1) {
    throw std::bad_alloc();
  }
}

Digest::Digest(Digest&&) noexcept = default;
Digest& Digest::operator=(Digest&&) noexcept = default;
Digest::~Digest() = default;

void Digest::update(std::string_view bytes) {
  [[maybe_unused]] int updated = EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size());
  assert(updated == 1);
}

std::string Digest::finish() {
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  [[maybe_unused]] int finished = EVP_DigestFinal_ex(context_.get(), raw, &length);
  assert(finished == 1);
  return std::string(reinterpret_cast<const char*>(raw), length);
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

std::string sha256_hex(std::string_view bytes) {
  Digest digest(DigestAlgorithm::sha256);
  digest.update(bytes);
  return to_hex(digest.finish());
}

}  // namespace truc
