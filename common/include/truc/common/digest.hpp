#pragma once

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace truc {

enum class DigestAlgorithm { sha1, sha256, sha384, sha512 };

std::string_view digest_algorithm_name(DigestAlgorithm algorithm);

// Incremental message digest (OpenSSL EVP underneath), for hashing data as it streams.
class Digest {
 public:
  explicit Digest(DigestAlgorithm algorithm);
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;
  ~Digest();

  void update(std::string_view bytes);
  // The raw digest; the object must not be updated afterwards.
  std::string finish();

  DigestAlgorithm algorithm() const { return algorithm_; }

 private:
  struct ContextDeleter {
    void operator()(evp_md_ctx_st* context) const;
  };
  DigestAlgorithm algorithm_;
  std::unique_ptr<evp_md_ctx_st, ContextDeleter> context_;
};

std::string to_hex(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

}  // namespace truc
