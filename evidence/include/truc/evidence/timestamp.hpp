#pragma once

// RFC 3161 time-stamp requests, replies and tokens (OpenSSL's TS API underneath), for the seals
// of evidence batches: SHA-256 imprints, a nonce, and the TSA's certificate in the token.

#include <string>
#include <string_view>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/common/time.hpp"
#include "truc/security/certificate.hpp"

namespace truc::evidence {

// A DER TimeStampReq for a SHA-256 `imprint` (32 raw bytes), with a random nonce and certReq.
struct TimestampRequest {
  std::string der;
};
Result<TimestampRequest> make_timestamp_request(std::string_view imprint);

// The DER TimeStampToken of a TimeStampResp answering `request`: its status granted, version,
// imprint and nonce as asked. The token's signature is checked by verify_timestamp_token.
// Error: evidence.tsa_refused (the reply is malformed, refused, or answers another request).
Result<std::string> token_from_reply(const TimestampRequest& request, std::string_view reply_der);

struct StampedTime {
  Timestamp generated_at;  // genTime
  std::string tsa_subject;
};

// Checks that `token_der` stamps `imprint` and is signed by a TSA certificate chaining to one of
// `tsa_ca` (extendedKeyUsage timeStamping, critical). Error: evidence.timestamp_invalid.
Result<StampedTime> verify_timestamp_token(std::string_view token_der, std::string_view imprint,
                                           const std::vector<security::Certificate>& tsa_ca);

}  // namespace truc::evidence
