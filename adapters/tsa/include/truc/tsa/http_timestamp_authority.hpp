#pragma once

// RFC 3161 §3.4 over plain HTTP: the request POSTed as application/timestamp-query, the reply
// read as application/timestamp-reply. Tokens are signed, so TLS adds nothing to them; an https
// URL is not supported by this client.

#include <chrono>
#include <string>

#include "truc/hub/evidence_sealer.hpp"

namespace truc::tsa {

class HttpTimestampAuthority final : public hub::TimestampAuthority {
 public:
  HttpTimestampAuthority(std::string url, std::chrono::seconds timeout)
      : url_(std::move(url)), timeout_(timeout) {}

  // Error: evidence.tsa_unavailable (detail: the URL and why).
  Result<std::string> exchange(const std::string& request_der) override;

 private:
  std::string url_;
  std::chrono::seconds timeout_;
};

}  // namespace truc::tsa
