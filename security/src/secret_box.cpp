#include "truc/security/secret_box.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cassert>
#include <memory>

#include "truc/common/base64.hpp"
#include "truc/common/random.hpp"

namespace truc::security {
namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct ContextDeleter {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, ContextDeleter>;

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

int length(std::string_view text) { return static_cast<int>(text.size()); }

Error unreadable() {
  return Error{"server.secret_unreadable",
               "a stored secret does not open under the hub's key (compat.secret_key_file changed, "
               "or the row was altered)",
               {}};
}

}  // namespace

SecretBox::SecretBox(std::string key) : key_(std::move(key)) {
  assert(key_.size() == kKeyBytes && "the configuration loader checks the key's length");
}

SecretBox::~SecretBox() { OPENSSL_cleanse(key_.data(), key_.size()); }

Result<std::string> SecretBox::seal(std::string_view plaintext, std::string_view associated) const {
  auto nonce = random_bytes(kNonceBytes);
  if (!nonce) return std::move(nonce).error();
  std::string sealed = *nonce + std::string(plaintext.size() + kTagBytes, '\0');
  CipherContext context(EVP_CIPHER_CTX_new());
  int written = 0;
  int ignored = 0;
  unsigned char* ciphertext = bytes(sealed) + kNonceBytes;
  if (!context ||
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(sealed)) !=
          1 ||
      EVP_EncryptUpdate(context.get(), nullptr, &ignored, bytes(associated), length(associated)) !=
          1 ||
      EVP_EncryptUpdate(context.get(), ciphertext, &written, bytes(plaintext), length(plaintext)) !=
          1 ||
      EVP_EncryptFinal_ex(context.get(), ciphertext + written, &ignored) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          ciphertext + plaintext.size()) != 1) {
    return Error{"crypto.encryption_failed", "AES-256-GCM encryption failed", ""};
  }
  return base64_encode(sealed);
}

Result<std::string> SecretBox::open(std::string_view sealed, std::string_view associated) const {
  auto decoded = base64_decode(sealed);
  if (!decoded || decoded->size() < kNonceBytes + kTagBytes) return unreadable();
  std::string_view nonce(decoded->data(), kNonceBytes);
  std::string_view ciphertext(decoded->data() + kNonceBytes,
                              decoded->size() - kNonceBytes - kTagBytes);
  std::string tag(decoded->data() + decoded->size() - kTagBytes, kTagBytes);
  std::string plaintext(ciphertext.size(), '\0');
  CipherContext context(EVP_CIPHER_CTX_new());
  int written = 0;
  int ignored = 0;
  unsigned char final_block[16];
  bool opened =
      context &&
      EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(nonce)) ==
          1 &&
      EVP_DecryptUpdate(context.get(), nullptr, &ignored, bytes(associated), length(associated)) ==
          1 &&
      EVP_DecryptUpdate(context.get(), bytes(plaintext), &written, bytes(ciphertext),
                        length(ciphertext)) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      // The tag is checked here: a wrong key, nonce, associated data or byte fails.
      EVP_DecryptFinal_ex(context.get(), final_block, &ignored) == 1;
  if (!opened) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return unreadable();
  }
  return plaintext;
}

}  // namespace truc::security
