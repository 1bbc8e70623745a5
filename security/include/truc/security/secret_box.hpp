#pragma once

// Small secrets kept at rest under the hub's key (compat.secret_key_file): AES-256-GCM with a
// random 96-bit nonce per seal, bound to what the secret belongs to (the associated data), so that
// a ciphertext copied to another row does not open. The hub needs a system's HMAC secret itself to
// check a request, so the secret is encrypted rather than hashed.

#include <string>
#include <string_view>

#include "truc/common/error.hpp"

namespace truc::security {

class SecretBox {
 public:
  // `key`: 32 bytes.
  explicit SecretBox(std::string key);
  ~SecretBox();
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;

  // base64 of nonce | ciphertext | tag. Errors: crypto.random_failed, crypto.encryption_failed.
  Result<std::string> seal(std::string_view plaintext, std::string_view associated) const;
  // server.secret_unreadable when `sealed` was not sealed under this key with `associated`: another
  // key, another owner, or changed bytes.
  Result<std::string> open(std::string_view sealed, std::string_view associated) const;

 private:
  std::string key_;
};

}  // namespace truc::security
