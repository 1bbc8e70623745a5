#include "truc/tsa/http_timestamp_authority.hpp"

#include "truc/security/http_exchange.hpp"

namespace truc::tsa {
namespace {

// A TimeStampResp is a status and one signed token with a few certificates: far below this.
constexpr std::size_t kMaxReplyBytes = 1 << 20;

}  // namespace

Result<std::string> HttpTimestampAuthority::exchange(const std::string& request_der) {
  auto reply = security::http_exchange(url_, request_der, "application/timestamp-query", timeout_,
                                       kMaxReplyBytes);
  if (!reply) {
    return Error{"evidence.tsa_unavailable", "the time-stamping authority did not answer",
                 url_ + ": " + reply.error().detail};
  }
  return reply;
}

}  // namespace truc::tsa
