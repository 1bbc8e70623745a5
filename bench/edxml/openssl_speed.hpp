#pragma once

#include <string>

#include "truc/common/error.hpp"

namespace truc::bench {

// Reference rates from `openssl speed`, measured on this machine in the same run as our own
// figures, so that ours can be read as a fraction of what the underlying primitive allows.
struct OpensslSpeed {
  std::string command;  // as run, for the table
  double rate = 0;      // operations per second or MB/s (10^6 bytes), as the command measures
};

// RSA-2048 signature verifications per second (the "verify/s" column of `openssl speed rsa2048`).
Result<OpensslSpeed> measure_rsa2048_verify(int seconds);

// SHA-256 throughput over 16 KiB blocks, in MB/s.
Result<OpensslSpeed> measure_sha256(int seconds);

}  // namespace truc::bench
