#pragma once

// Random bytes from the operating system's generator (through OpenSSL), for ids, nonces and
// secrets. A failure is an error the caller answers, never an exception.

#include <cstddef>
#include <string>

#include "truc/common/error.hpp"

namespace truc {

// `count` random bytes. Error code: crypto.random_failed.
Result<std::string> random_bytes(std::size_t count);
// `count` random bytes as 2 × count lowercase hex digits (ids, generated secrets).
Result<std::string> random_hex(std::size_t count);

}  // namespace truc
