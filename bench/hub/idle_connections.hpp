#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "hub_under_test.hpp"

namespace truc::bench {

// Many agency systems connected at once and doing nothing, as a province's offices keep their
// connections to the hub open between packages: `count` mutual-TLS connections with the sender
// agency's certificate, each through its handshake and one request (GET /v1/inbox?limit=1, so the
// hub has identified the agency and the connection has served a request), then left open and
// idle while trucd's RSS is read. Opened kIdleOpeningAtOnce at a time, within a bounded time.
// Connections being opened at once: enough to keep both ends busy, few enough that the hub's
// accept queue never overflows.
inline constexpr std::size_t kIdleOpeningAtOnce = 32;

struct IdleConnectionsPass {
  std::size_t requested = 0;
  std::size_t opened = 0;  // through the handshake and the request, still open when measured
  double seconds_to_open = 0;
  std::uint64_t rss_before_bytes = 0;  // trucd's VmRSS before the first connection
  std::uint64_t rss_with_bytes = 0;    // and with all of them open
  std::string first_failure;

  double rss_per_connection_bytes() const {
    return opened > 0 && rss_with_bytes > rss_before_bytes
               ? static_cast<double>(rss_with_bytes - rss_before_bytes) /
                     static_cast<double>(opened)
               : 0;
  }
};

// trucd must accept that many connections (HubUnderTest's configuration) and this process must
// have the descriptors (its RLIMIT_NOFILE, which HubUnderTest raises).
IdleConnectionsPass run_idle_connections_pass(HubUnderTest& under_test, std::size_t count);

}  // namespace truc::bench
