#include "truc/common/random.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "truc/common/digest.hpp"

namespace truc {

Result<std::string> random_bytes(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    // Seeded by the OS at start, the generator failing later means the process is broken: the
    // request fails with a code the operator can look up, the process goes on.
    return Error{"crypto.random_failed", "the random number generator failed",
                 std::to_string(count) + " bytes"};
  }
  return bytes;
}

Result<std::string> random_hex(std::size_t count) {
  auto bytes = random_bytes(count);
  if (!bytes) return std::move(bytes).error();
  std::string hex = to_hex(*bytes);
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return hex;
}

}  // namespace truc
