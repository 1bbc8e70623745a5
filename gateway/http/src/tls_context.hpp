#pragma once

// The server side of TLS for a listener: protocol floor, cipher policy, certificate and key, and
// the optional request for client certificates.

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>

#include "truc/common/error.hpp"
#include "truc/http/http.hpp"
#include "truc/http/server.hpp"

struct ssl_st;

namespace truc::http {

// Error code: server.tls_invalid (a file that does not load, a key that does not match the
// certificate, an unusable CA file), with the file and OpenSSL's reason in the detail.
Result<std::unique_ptr<boost::asio::ssl::context>> make_server_tls_context(
    const TlsSettings& settings);

// The certificate the peer presented on a finished handshake, when it passed verification.
std::optional<PeerCertificate> verified_peer_certificate(ssl_st* connection);

}  // namespace truc::http
