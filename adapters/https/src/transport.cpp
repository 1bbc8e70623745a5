#include "transport.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include "truc/common/digest.hpp"

namespace truc::https::detail {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;

std::string describe_step(Step step) {
  switch (step) {
    case Step::connect:
      return "connecting";
    case Step::handshake:
      return "negotiating TLS";
    case Step::send:
      return "sending the request";
    case Step::receive:
      return "reading the answer";
  }
  return {};
}

std::string describe_duration(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0) return std::to_string(duration.count() / 1000) + " s";
  return std::to_string(duration.count()) + " ms";
}

bool is_ip_address(const std::string& host) {
  boost::system::error_code not_an_address;
  asio::ip::make_address(host, not_an_address);
  return !not_an_address;
}

bool is_tls_failure(const boost::system::error_code& error) {
  return error.category() == asio::error::get_ssl_category() ||
         error.category() == ssl::error::get_stream_category();
}

}  // namespace

Result<ssl::context> make_tls_context(const ClientOptions& options) {
  ssl::context context(ssl::context::tls_client);
  // TLS 1.0 and 1.1 are deprecated (RFC 8996); the hub speaks 1.2 and 1.3.
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_peer);
  context.set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });
  if (!options.ca_file && !options.ca_pem && !options.pinned_sha256) {
    return Error{"client.invalid_options",
                 "https needs the CA of the server's certificate (or a pinned one)",
                 {}};
  }
  boost::system::error_code error;
  if (options.ca_file) {
    context.load_verify_file(options.ca_file->string(), error);
    if (error) {
      return Error{"certificate.invalid", "cannot load the CA file for the hub's certificate",
                   options.ca_file->string() + ": " + error.message()};
    }
  }
  if (options.ca_pem) {
    context.add_certificate_authority(asio::buffer(*options.ca_pem), error);
    if (error)
      return Error{"certificate.invalid", "cannot load the CA certificate given as PEM",
                   error.message()};
  }
  if (options.pinned_sha256) {
    // The pinned certificate is the only one accepted, whoever issued it and whatever names it
    // holds: the decision is taken on the server's own certificate (depth 0) alone.
    context.set_verify_callback([pin = *options.pinned_sha256](bool, ssl::verify_context& verify) {
      X509_STORE_CTX* store = verify.native_handle();
      if (X509_STORE_CTX_get_error_depth(store) > 0) return true;
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int length = 0;
      X509_digest(X509_STORE_CTX_get_current_cert(store), EVP_sha256(), digest, &length);
      bool pinned = to_hex(std::string_view(reinterpret_cast<const char*>(digest), length)) == pin;
      if (pinned) X509_STORE_CTX_set_error(store, X509_V_OK);
      return pinned;
    });
  }
  if (options.certificate_file.has_value() != options.key_file.has_value()) {
    return Error{"client.invalid_options",
                 "a client certificate needs its private key, and a key its certificate",
                 {}};
  }
  if (!options.certificate_file) return context;
  context.use_certificate_chain_file(options.certificate_file->string(), error);
  if (error) {
    return Error{"certificate.invalid", "cannot load the client certificate",
                 options.certificate_file->string() + ": " + error.message()};
  }
  context.use_private_key_file(options.key_file->string(), ssl::context::pem, error);
  if (error) {
    return Error{"key.invalid", "cannot load the client key (an unencrypted PEM key)",
                 options.key_file->string() + ": " + error.message()};
  }
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return Error{"key.invalid", "the private key does not belong to the client certificate",
                 options.key_file->string()};
  }
  return context;
}

Status expect_server_identity(SSL* session, const Url& url) {
  bool identity_set = false;
  if (is_ip_address(url.host)) {
    // SNI carries names only (RFC 6066 §3); an address is checked against iPAddress entries.
    identity_set = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(session), url.host.c_str()) == 1;
  } else {
    identity_set = SSL_set_tlsext_host_name(session, url.host.c_str()) == 1 &&
                   SSL_set1_host(session, url.host.c_str()) == 1;
  }
  if (!identity_set) {
    return Error{"client.tls_failed", "cannot set the hub's expected identity", url.host};
  }
  return ok_status();
}

Error transport_error(const boost::system::error_code& error, Step step, const Url& url,
                      std::chrono::milliseconds timeout, SSL* session) {
  std::string where = url.authority();
  if (error == boost::beast::error::timeout) {
    return Error{"client.timeout",
                 "the hub did not respond within " + describe_duration(timeout) + " while " +
                     describe_step(step),
                 where};
  }
  if (step == Step::connect) {
    return Error{"client.connect_failed", "cannot connect to the hub",
                 where + ": " + error.message()};
  }
  if (step == Step::handshake || is_tls_failure(error)) {
    long verification = session != nullptr ? SSL_get_verify_result(session) : X509_V_OK;
    if (verification != X509_V_OK) {
      return Error{"client.tls_failed", "the hub's certificate was refused",
                   where + ": " + X509_verify_cert_error_string(verification)};
    }
    return Error{"client.tls_failed",
                 step == Step::handshake ? "the TLS handshake with the hub failed"
                                         : "TLS failed while " + describe_step(step),
                 where + ": " + error.message()};
  }
  namespace http = boost::beast::http;
  if (error == http::error::body_limit) {
    return Error{"client.protocol", "the hub's answer is larger than the client accepts", where};
  }
  if (error != http::error::end_of_stream &&
      error.category() == http::make_error_code(http::error::end_of_stream).category()) {
    return Error{"client.protocol", "the hub's answer is not valid HTTP",
                 where + ": " + error.message()};
  }
  return Error{"client.protocol", "the connection to the hub broke while " + describe_step(step),
               where + ": " + error.message()};
}

}  // namespace truc::https::detail
