#pragma once

// The plain-HTTP client for signed answers (CRLs, OCSP, RFC 3161 timestamps: TLS adds nothing):
// one request, one deadline for the whole exchange, a size limit on the answer.

#include <chrono>
#include <string>

#include "truc/common/error.hpp"

namespace truc::security {

// GET when `body` is empty, else POST of `body` as `content_type`. The answer's body when the
// status is 200. Error: revocation.http_failed (detail: the reason).
Result<std::string> http_exchange(const std::string& url, const std::string& body,
                                  const std::string& content_type, std::chrono::seconds timeout,
                                  std::size_t max_bytes);

}  // namespace truc::security
