#pragma once

// Certificates decoded from signatures' KeyInfo, kept by their DER: agencies sign with a handful
// of certificates for years, and decoding one with OpenSSL 3 costs more than the RSA
// verification it serves (docs/performance.md). Thread-safe; bounded.

#include <string_view>

#include "truc/common/error.hpp"
#include "truc/security/certificate.hpp"

namespace truc::security {

// Certificate::from_der, answered from the process's cache when these bytes were decoded before.
Result<Certificate> decode_certificate_cached(std::string_view der);

}  // namespace truc::security
