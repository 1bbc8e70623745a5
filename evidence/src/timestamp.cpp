#include "truc/evidence/timestamp.hpp"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>

#include "truc/common/random.hpp"

namespace truc::evidence {
namespace {

template <typename Type, void (*Free)(Type*)>
struct Deleter {
  void operator()(Type* pointer) const { Free(pointer); }
};
template <typename Type, void (*Free)(Type*)>
using Owned = std::unique_ptr<Type, Deleter<Type, Free>>;

using Request = Owned<TS_REQ, TS_REQ_free>;
using Reply = Owned<TS_RESP, TS_RESP_free>;
using Token = Owned<PKCS7, PKCS7_free>;
using VerifyContext = Owned<TS_VERIFY_CTX, TS_VERIFY_CTX_free>;
using TokenInfo = Owned<TS_TST_INFO, TS_TST_INFO_free>;

Error refused(std::string message) {
  return Error{"evidence.tsa_refused", std::move(message), security::openssl_error_text()};
}
Error invalid(std::string message) {
  return Error{"evidence.timestamp_invalid", std::move(message), security::openssl_error_text()};
}

Request parse_request(std::string_view der) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  return Request(d2i_TS_REQ(nullptr, &bytes, static_cast<long>(der.size())));
}

// TS_VERIFY_CTX takes the imprint as OPENSSL_malloc'd memory it frees.
bool set_imprint(TS_VERIFY_CTX* context, std::string_view imprint) {
  auto* copy = static_cast<unsigned char*>(OPENSSL_malloc(imprint.size()));
  if (copy == nullptr) return false;
  std::memcpy(copy, imprint.data(), imprint.size());
  TS_VERIFY_CTX_set_imprint(context, copy, static_cast<long>(imprint.size()));
  return true;
}

// The SignerInfo's signature algorithm is outside what the signature covers, and OpenSSL
// verifies with the certificate's key whatever it says. So that no byte of the token can change
// unnoticed, only the names that fit the key and the signer's digest are accepted.
bool signature_algorithm_fits(PKCS7_SIGNER_INFO* signer) {
  X509_ALGOR* digest = nullptr;
  X509_ALGOR* signature = nullptr;
  PKCS7_SIGNER_INFO_get0_algs(signer, nullptr, &digest, &signature);
  if (digest == nullptr || signature == nullptr) return false;
  int digest_nid = OBJ_obj2nid(digest->algorithm);
  int signature_nid = OBJ_obj2nid(signature->algorithm);
  if (signature_nid == NID_rsaEncryption || signature_nid == NID_X9_62_id_ecPublicKey) {
    return digest_nid == NID_sha256 || digest_nid == NID_sha384 || digest_nid == NID_sha512;
  }
  int named_digest = NID_undef;
  int key_type = NID_undef;
  if (OBJ_find_sigid_algs(signature_nid, &named_digest, &key_type) != 1) return false;
  bool strong =
      named_digest == NID_sha256 || named_digest == NID_sha384 || named_digest == NID_sha512;
  return strong && named_digest == digest_nid &&
         (key_type == NID_rsaEncryption || key_type == NID_X9_62_id_ecPublicKey);
}

}  // namespace

Result<TimestampRequest> make_timestamp_request(std::string_view imprint) {
  Request request(TS_REQ_new());
  Owned<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free> message(TS_MSG_IMPRINT_new());
  Owned<X509_ALGOR, X509_ALGOR_free> algorithm(X509_ALGOR_new());
  auto nonce_bytes = random_bytes(8);
  if (!nonce_bytes) return std::move(nonce_bytes).error();
  Owned<BIGNUM, BN_free> nonce_number(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(nonce_bytes->data()),
                static_cast<int>(nonce_bytes->size()), nullptr));
  Owned<ASN1_INTEGER, ASN1_INTEGER_free> nonce(
      nonce_number ? BN_to_ASN1_INTEGER(nonce_number.get(), nullptr) : nullptr);
  if (!request || !message || !algorithm || !nonce ||
      X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) != 1 ||
      TS_MSG_IMPRINT_set_algo(message.get(), algorithm.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(message.get(),
                             reinterpret_cast<unsigned char*>(const_cast<char*>(imprint.data())),
                             static_cast<int>(imprint.size())) != 1 ||
      TS_REQ_set_version(request.get(), 1) != 1 ||
      TS_REQ_set_msg_imprint(request.get(), message.get()) != 1 ||
      TS_REQ_set_nonce(request.get(), nonce.get()) != 1 ||
      TS_REQ_set_cert_req(request.get(), 1) != 1) {
    return Error{"evidence.tsa_refused", "cannot build a time-stamp request",
                 security::openssl_error_text()};
  }
  unsigned char* der = nullptr;
  int size = i2d_TS_REQ(request.get(), &der);
  if (size <= 0) return refused("cannot encode a time-stamp request");
  TimestampRequest encoded{
      std::string(reinterpret_cast<char*>(der), static_cast<std::size_t>(size))};
  OPENSSL_free(der);
  return encoded;
}

Result<std::string> token_from_reply(const TimestampRequest& request, std::string_view reply_der) {
  ERR_clear_error();
  const auto* bytes = reinterpret_cast<const unsigned char*>(reply_der.data());
  Reply reply(d2i_TS_RESP(nullptr, &bytes, static_cast<long>(reply_der.size())));
  if (!reply) return refused("the time-stamping authority's reply is not a TimeStampResp");
  Request asked = parse_request(request.der);
  if (!asked) return refused("the time-stamp request cannot be read back");
  // Granted, and a token for this request: version 1, the imprint and nonce asked. The token's
  // signature is verify_timestamp_token's business, against the CA the verifier chooses.
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(reply.get())));
  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
    return refused("the time-stamping authority refused the request (status " +
                   std::to_string(status) + ")");
  }
  TS_TST_INFO* info = TS_RESP_get_tst_info(reply.get());
  if (info == nullptr || TS_RESP_get_token(reply.get()) == nullptr) {
    return refused("the reply carries no token");
  }
  TS_MSG_IMPRINT* stamped = TS_TST_INFO_get_msg_imprint(info);
  TS_MSG_IMPRINT* wanted = TS_REQ_get_msg_imprint(asked.get());
  const ASN1_OBJECT* algorithm = nullptr;
  X509_ALGOR_get0(&algorithm, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(stamped));
  if (TS_TST_INFO_get_version(info) != 1 || OBJ_obj2nid(algorithm) != NID_sha256 ||
      ASN1_OCTET_STRING_cmp(TS_MSG_IMPRINT_get_msg(stamped), TS_MSG_IMPRINT_get_msg(wanted)) != 0 ||
      TS_TST_INFO_get_nonce(info) == nullptr ||
      ASN1_INTEGER_cmp(TS_TST_INFO_get_nonce(info), TS_REQ_get_nonce(asked.get())) != 0) {
    return refused("the time-stamping authority's token answers another request");
  }
  unsigned char* der = nullptr;
  int size = i2d_PKCS7(TS_RESP_get_token(reply.get()), &der);
  if (size <= 0) return refused("the reply carries no token");
  std::string token(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return token;
}

Result<StampedTime> verify_timestamp_token(std::string_view token_der, std::string_view imprint,
                                           const std::vector<security::Certificate>& tsa_ca) {
  ERR_clear_error();
  const auto* bytes = reinterpret_cast<const unsigned char*>(token_der.data());
  Token token(d2i_PKCS7(nullptr, &bytes, static_cast<long>(token_der.size())));
  if (!token ||
      bytes != reinterpret_cast<const unsigned char*>(token_der.data()) + token_der.size()) {
    return invalid("the timestamp token is not one DER TimeStampToken");
  }
  VerifyContext context(TS_VERIFY_CTX_new());
  X509_STORE* store = X509_STORE_new();
  if (!context || store == nullptr) {
    X509_STORE_free(store);
    return invalid("cannot check the timestamp token");
  }
  TS_VERIFY_CTX_set_store(context.get(), store);  // the context frees it
  for (const auto& certificate : tsa_ca) X509_STORE_add_cert(store, certificate.native());
  if (!set_imprint(context.get(), imprint)) return invalid("cannot check the timestamp token");
  TS_VERIFY_CTX_set_flags(context.get(), TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_SIGNATURE);
  if (TS_RESP_verify_token(context.get(), token.get()) != 1) {
    return invalid(
        "the timestamp token does not stamp this seal or is not signed by a trusted TSA");
  }
  TokenInfo info(PKCS7_to_TS_TST_INFO(token.get()));
  if (!info) return invalid("the timestamp token holds no TSTInfo");
  std::tm time{};
  if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(info.get()), &time) != 1) {
    return invalid("the timestamp token's genTime cannot be read");
  }
  StampedTime stamped;
  stamped.generated_at = Timestamp(std::chrono::seconds(timegm(&time)));
  STACK_OF(PKCS7_SIGNER_INFO)* signers = PKCS7_get_signer_info(token.get());
  if (signers == nullptr || sk_PKCS7_SIGNER_INFO_num(signers) != 1 ||
      !signature_algorithm_fits(sk_PKCS7_SIGNER_INFO_value(signers, 0))) {
    return invalid("the timestamp token names a signature algorithm that does not fit its signer");
  }
  {
    X509* signer = PKCS7_cert_from_signer_info(token.get(), sk_PKCS7_SIGNER_INFO_value(signers, 0));
    if (signer != nullptr) {
      // The token's own copy: borrowed, not owned.
      unsigned char* der = nullptr;
      int size = i2d_X509(signer, &der);
      if (size > 0) {
        auto certificate = security::Certificate::from_der(
            std::string_view(reinterpret_cast<char*>(der), static_cast<std::size_t>(size)));
        if (certificate) stamped.tsa_subject = certificate->subject();
        OPENSSL_free(der);
      }
    }
  }
  return stamped;
}

}  // namespace truc::evidence
