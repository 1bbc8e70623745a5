#include "tls_context.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>

#include "truc/common/digest.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/crl_set.hpp"

namespace truc::http {
namespace {

// TLS 1.2 suites with forward secrecy and AEAD only (Mozilla "intermediate" minus the DHE
// suites); TLS 1.3 suites are all AEAD and stay at OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Session resumption with client certificates needs a context id (OpenSSL refuses to resume
// otherwise); any constant private to this program will do.
constexpr unsigned char kSessionIdContext[] = "truc-gateway";

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free_all(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// OpenSSL's queued reasons, oldest first (and clears the queue for the next caller).
std::string openssl_errors() {
  std::string text = security::openssl_error_text();
  return text.empty() ? "no reason given" : text;
}

Error tls_invalid(std::string message, const std::filesystem::path& file) {
  return Error{"server.tls_invalid", std::move(message), file.string() + ": " + openssl_errors()};
}

std::string memory_bio_text(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

using CrlsHolder = std::shared_ptr<const security::CurrentCrls>;

// The context's slot for the CRLs its verification callback reads; freed with the context.
int crls_slot() {
  static const int slot = SSL_CTX_get_ex_new_index(
      0, nullptr, nullptr, nullptr, [](void*, void* holder, CRYPTO_EX_DATA*, int, long, void*) {
        delete static_cast<CrlsHolder*>(holder);
      });
  return slot;
}

// Replaces OpenSSL's chain verification for client certificates: the same, with the CRLs in
// force at this handshake.
int verify_client_with_current_crls(X509_STORE_CTX* context, void* holder) {
  std::shared_ptr<const security::CrlSet> crls = (*static_cast<CrlsHolder*>(holder))->get();
  return security::verify_chain_with_crls(context, *crls);
}

}  // namespace

Result<std::unique_ptr<boost::asio::ssl::context>> make_server_tls_context(
    const TlsSettings& settings) {
  ERR_clear_error();
  auto context = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // OpenSSL's read and write buffers (tens of kB) are released while a connection is idle.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return Error{"server.tls_invalid", "OpenSSL refused the protocol or cipher policy",
                 openssl_errors()};
  }
  if (SSL_CTX_use_certificate_chain_file(native, settings.certificate.c_str()) != 1) {
    return tls_invalid("the server certificate does not load", settings.certificate);
  }
  if (SSL_CTX_use_PrivateKey_file(native, settings.private_key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return tls_invalid("the server private key does not load", settings.private_key);
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return tls_invalid("the private key does not match the server certificate",
                       settings.private_key);
  }
  if (!settings.client_ca.empty()) {
    // The CA names go into the CertificateRequest so that a client holding several
    // certificates picks one we can verify.
    STACK_OF(X509_NAME)* ca_names = sk_X509_NAME_new_null();
    SSL_CTX_set_client_CA_list(native, ca_names);  // owned by the context from here on
    for (const auto& ca_file : settings.client_ca) {
      if (SSL_CTX_load_verify_locations(native, ca_file.c_str(), nullptr) != 1 ||
          SSL_add_file_cert_subjects_to_stack(ca_names, ca_file.c_str()) != 1) {
        return tls_invalid("a client CA file does not load", ca_file);
      }
    }
    // No FAIL_IF_NO_PEER_CERT: a client without a certificate is let in and the handlers
    // decide; a certificate that is presented and does not verify fails the handshake.
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
    if (settings.client_crls != nullptr) {
      auto* holder = new CrlsHolder(settings.client_crls);
      SSL_CTX_set_ex_data(native, crls_slot(), holder);
      SSL_CTX_set_cert_verify_callback(native, verify_client_with_current_crls, holder);
    }
    SSL_CTX_set_session_id_context(native, kSessionIdContext, sizeof kSessionIdContext - 1);
  }
  return context;
}

std::optional<PeerCertificate> verified_peer_certificate(SSL* connection) {
  X509* certificate = SSL_get0_peer_certificate(connection);
  if (certificate == nullptr || SSL_get_verify_result(connection) != X509_V_OK) {
    return std::nullopt;
  }
  PeerCertificate peer;

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (X509_digest(certificate, EVP_sha256(), digest, &digest_length) != 1) return std::nullopt;
  peer.sha256_fingerprint =
      to_hex(std::string_view(reinterpret_cast<const char*>(digest), digest_length));

  BioPtr subject(BIO_new(BIO_s_mem()));
  // RFC 2253 order and escaping, but UTF-8 left as is rather than \XX-escaped: agency names are
  // Vietnamese.
  constexpr unsigned long kFlags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
  if (!subject ||
      X509_NAME_print_ex(subject.get(), X509_get_subject_name(certificate), 0, kFlags) < 0) {
    return std::nullopt;
  }
  peer.subject = memory_bio_text(subject.get());

  BioPtr pem(BIO_new(BIO_s_mem()));
  if (!pem || PEM_write_bio_X509(pem.get(), certificate) != 1) return std::nullopt;
  peer.pem = memory_bio_text(pem.get());
  return peer;
}

}  // namespace truc::http
