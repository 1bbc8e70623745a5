#include "truc/security/ocsp.hpp"

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "truc/security/http_exchange.hpp"

namespace truc::security {
namespace {

constexpr std::size_t kMaxAnswerBytes = 1u << 20;

Error unavailable(std::string reason) {
  return Error{"revocation.ocsp_unavailable", "no usable OCSP answer", std::move(reason)};
}

Timestamp to_timestamp(const ASN1_GENERALIZEDTIME* time) {
  struct tm parts {};
  ASN1_TIME_to_tm(time, &parts);
  return std::chrono::time_point_cast<std::chrono::seconds>(
      std::chrono::system_clock::from_time_t(timegm(&parts)));
}

}  // namespace

std::string ocsp_responder_url(const Certificate& certificate) {
  STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(certificate.native());
  std::string url;
  for (int index = 0; index < sk_OPENSSL_STRING_num(urls); ++index) {
    std::string candidate = sk_OPENSSL_STRING_value(urls, index);
    if (candidate.starts_with("http://")) {
      url = std::move(candidate);
      break;
    }
  }
  X509_email_free(urls);
  return url;
}

OcspChecker::OcspChecker(OcspOptions options) : options_(options) {}

Status OcspChecker::check(const Certificate& certificate, const Certificate& issuer, Timestamp at) {
  std::string key = certificate.sha256_fingerprint();
  {
    std::lock_guard lock(mutex_);
    if (auto found = cache_.find(key); found != cache_.end() && at < found->second.good_until) {
      ++stats_.cache_hits;
      if (found->second.revoked)
        return Error{"certificate.revoked", "the certificate has been revoked", "OCSP"};
      return ok_status();
    }
  }
  auto fail = [&](std::string reason) -> Status {
    std::lock_guard lock(mutex_);
    ++stats_.failures;
    return unavailable(std::move(reason));
  };
  std::string url = ocsp_responder_url(certificate);
  if (url.empty()) return fail("the certificate names no http:// OCSP responder");

  using Request = std::unique_ptr<OCSP_REQUEST, decltype(&OCSP_REQUEST_free)>;
  Request request(OCSP_REQUEST_new(), OCSP_REQUEST_free);
  OCSP_CERTID* id = OCSP_cert_to_id(nullptr, certificate.native(), issuer.native());
  if (id == nullptr || OCSP_request_add0_id(request.get(), id) == nullptr) {
    OCSP_CERTID_free(id);
    ERR_clear_error();
    return fail("the request could not be built");
  }
  OCSP_request_add1_nonce(request.get(), nullptr, -1);
  unsigned char* der = nullptr;
  int length = i2d_OCSP_REQUEST(request.get(), &der);
  std::string body(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);

  auto answer =
      http_exchange(url, body, "application/ocsp-request", options_.timeout, kMaxAnswerBytes);
  if (!answer) return fail(url + ": " + answer.error().detail);
  const auto* data = reinterpret_cast<const unsigned char*>(answer->data());
  std::unique_ptr<OCSP_RESPONSE, decltype(&OCSP_RESPONSE_free)> response(
      d2i_OCSP_RESPONSE(nullptr, &data, static_cast<long>(answer->size())), OCSP_RESPONSE_free);
  if (!response || OCSP_response_status(response.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    ERR_clear_error();
    return fail(url + ": not a successful OCSP response");
  }
  std::unique_ptr<OCSP_BASICRESP, decltype(&OCSP_BASICRESP_free)> basic(
      OCSP_response_get1_basic(response.get()), OCSP_BASICRESP_free);
  if (!basic || OCSP_check_nonce(request.get(), basic.get()) <= 0) {
    ERR_clear_error();
    return fail(url + ": the answer does not carry our nonce");
  }
  // The issuer is already trusted (the chain was verified): the answer must be signed by it or
  // by a responder certificate it issued for OCSP signing, which OCSP_basic_verify checks.
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  X509_STORE_add_cert(store.get(), issuer.native());
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> helpers(
      sk_X509_new_null(), [](STACK_OF(X509) * stack) { sk_X509_free(stack); });
  sk_X509_push(helpers.get(), issuer.native());
  if (OCSP_basic_verify(basic.get(), helpers.get(), store.get(), OCSP_TRUSTOTHER) != 1) {
    ERR_clear_error();
    return fail(url + ": the answer's signature does not verify");
  }
  std::unique_ptr<OCSP_CERTID, decltype(&OCSP_CERTID_free)> asked(
      OCSP_cert_to_id(nullptr, certificate.native(), issuer.native()), OCSP_CERTID_free);
  int status = 0, reason = 0;
  ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
  if (OCSP_resp_find_status(basic.get(), asked.get(), &status, &reason, &revoked_at, &this_update,
                            &next_update) != 1) {
    return fail(url + ": the answer does not name the certificate");
  }
  // Five minutes' leeway between the responder's clock and ours.
  if (OCSP_check_validity(this_update, next_update, 300, -1) != 1) {
    ERR_clear_error();
    return fail(url + ": the answer is not current");
  }
  if (status == V_OCSP_CERTSTATUS_UNKNOWN) return fail(url + ": the responder does not know it");

  Answer entry{status == V_OCSP_CERTSTATUS_REVOKED, at + options_.max_age};
  if (next_update != nullptr)
    entry.good_until = std::min(entry.good_until, to_timestamp(next_update));
  std::lock_guard lock(mutex_);
  ++stats_.requests;
  cache_[key] = entry;
  if (entry.revoked)
    return Error{"certificate.revoked", "the certificate has been revoked", "OCSP"};
  return ok_status();
}

OcspStats OcspChecker::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace truc::security
