#pragma once

// Private to the client: TLS set-up and the mapping of Asio/Beast/OpenSSL failures to the
// client's error codes.

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>

#include "truc/common/error.hpp"
#include "truc/common/url.hpp"
#include "truc/https/http_client.hpp"

namespace truc::https::detail {

// A TLS 1.2+ client context trusting `options.ca_file`, with the client certificate and key when
// given. Never prompts for a key password: an encrypted key is refused ("key.invalid").
Result<boost::asio::ssl::context> make_tls_context(const ClientOptions& options);

// Sends SNI (for a name) and makes the handshake check that the certificate is the hub's: its
// subjectAltName must match the host name or IP address of the URL.
Status expect_server_identity(SSL* session, const Url& url);

// What the client was doing when the transport failed; it words the message.
enum class Step { connect, handshake, send, receive };

// client.timeout, client.connect_failed, client.tls_failed or client.protocol for a failed
// step; `session` (when TLS) says why the hub's certificate was refused.
Error transport_error(const boost::system::error_code& error, Step step, const Url& url,
                      std::chrono::milliseconds timeout, SSL* session = nullptr);

}  // namespace truc::https::detail
