#include "truc/office/passwords.hpp"

#include <sodium.h>

#include <optional>

#include "truc/common/utf8.hpp"

namespace truc::office {
namespace {

// libsodium's interactive limits (2 passes over 64 MiB): about 0.1 s per sign-in on the
// reference machine, which also bounds what a flood of sign-ins costs.
constexpr unsigned long long kOperations = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemory = crypto_pwhash_MEMLIMIT_INTERACTIVE;
constexpr std::size_t kMinimumLength = 10;
constexpr std::size_t kMaximumBytes = 1024;

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Status check_password_rules(std::string_view password) {
  if (password.size() > kMaximumBytes) {
    return Error{"password.too_long", "a password has at most 1024 bytes",
                 std::to_string(password.size()) + " given"};
  }
  std::optional<std::size_t> characters = utf8_characters(password);
  if (!characters) return Error{"password.invalid", "a password is UTF-8 text", ""};
  if (*characters < kMinimumLength) {
    return Error{"password.too_short", "a password has at least 10 characters",
                 std::to_string(*characters) + " given"};
  }
  return ok_status();
}

Result<std::string> hash_password(std::string_view password) {
  std::string hash(crypto_pwhash_STRBYTES, '\0');
  if (!sodium_ready() ||
      crypto_pwhash_str_alg(hash.data(), password.data(), password.size(), kOperations, kMemory,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error{"password.hash_failed", "the password could not be hashed",
                 "argon2id needs 64 MiB of memory"};
  }
  hash.resize(hash.find('\0'));
  return hash;
}

bool password_matches(std::string_view password, const std::string& hash) {
  if (!sodium_ready() || hash.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(const std::string& hash) {
  return !sodium_ready() || crypto_pwhash_str_needs_rehash(hash.c_str(), kOperations, kMemory) != 0;
}

}  // namespace truc::office
