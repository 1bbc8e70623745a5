#pragma once

// Values as the repository's statements return them, shared by its source files.

#include <cstdint>

#include "truc/common/time.hpp"

namespace truc::store {

// Times come back as milliseconds since the epoch ((extract(epoch FROM t) * 1000)::bigint).
inline Instant instant_from_epoch_ms(std::int64_t milliseconds) {
  return Instant(std::chrono::milliseconds(milliseconds));
}

}  // namespace truc::store
