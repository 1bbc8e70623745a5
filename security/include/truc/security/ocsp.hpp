#pragma once

// OCSP (RFC 6960) for signer certificates: asks the responder named in the certificate's
// Authority Information Access extension, over plain HTTP (the answer is signed), checks the
// answer's signature (by the issuer, or by a responder the issuer delegated with
// id-kp-OCSPSigning) and keeps it for up to a configured age.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "truc/common/error.hpp"
#include "truc/common/time.hpp"
#include "truc/security/certificate.hpp"

namespace truc::security {

struct OcspOptions {
  // An answer is used again for this long at most (less when its nextUpdate is sooner).
  std::chrono::seconds max_age{3600};
  std::chrono::seconds timeout{10};
};

struct OcspStats {
  std::uint64_t requests = 0;    // answers fetched from a responder
  std::uint64_t cache_hits = 0;  // answered from the cache
  std::uint64_t failures = 0;    // no usable answer
};

// The OCSP responder URL in the certificate's Authority Information Access, if any.
std::string ocsp_responder_url(const Certificate& certificate);

class OcspChecker {
 public:
  explicit OcspChecker(OcspOptions options = {});

  // The responder's word on `certificate`, issued by `issuer`, at `at`. ok: good. Errors:
  // certificate.revoked; revocation.ocsp_unavailable (no responder URL, unreachable, an answer
  // that is not signed by the issuer or its delegate, not current, or "unknown").
  Status check(const Certificate& certificate, const Certificate& issuer, Timestamp at);

  OcspStats stats() const;

 private:
  struct Answer {
    bool revoked = false;
    Timestamp good_until;
  };
  OcspOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Answer> cache_;  // by certificate fingerprint
  OcspStats stats_;
};

}  // namespace truc::security
