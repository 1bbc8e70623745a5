#pragma once

// Enveloped XML-DSig for edXML documents, verified and produced in the same streaming pass as the
// parse (docs/design.md, "Signatures"): the verifier listens to the hardened parser's events, so
// the bytes it checks are exactly the content the caller acts on, and memory does not grow with
// attachment size.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/common/time.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/edxml/xml_events.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/trust_store.hpp"

namespace truc::security {

inline constexpr std::string_view kXmlDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

struct VerifyOptions {
  // Certificates must be valid at this time; now when absent.
  std::optional<Timestamp> at;
  // Refuse SHA-1 in the signature or digest method (deployed senders still use it).
  bool forbid_sha1 = false;
};

// What a signature claims, with its cryptographic integrity checked but no trust decision.
struct SignatureSummary {
  std::string canonicalization_method;  // algorithm URIs as written
  std::string signature_method;
  std::string digest_method;
  bool weak = false;  // SHA-1 used
  // The KeyInfo certificate whose key made SignatureValue, or the first one when none did.
  std::optional<Certificate> signer;
  // ok when the structure is acceptable, the digest matches and SignatureValue verifies.
  Status integrity = ok_status();
};

struct VerifiedSignature {
  Certificate signer;
  // The chain the trust store built for the signer: the signer first, the trusted CA last. An
  // agency's signature is bound to one of these (docs/security.md, "Signer binding").
  std::vector<Certificate> chain;
  std::string signature_method;
  std::string digest_method;
  bool weak = false;                  // SHA-1 in the signature or the digest method
  std::vector<std::string> warnings;  // e.g. "signature.weak_algorithm"
};

// Listens to one parse and keeps what verifying the document's signature needs: the reference
// digest of the canonical document minus the Signature element (computed as the events stream),
// the canonical SignedInfo, and the Signature's own values. Only one enveloped signature is
// accepted: Reference URI="" with the enveloped-signature transform (optionally followed by
// inclusive C14N), placed as a child of edXMLHeader.
class SignatureReader final : public edxml::XmlEventListener {
 public:
  SignatureReader();
  ~SignatureReader() override;
  SignatureReader(const SignatureReader&) = delete;
  SignatureReader& operator=(const SignatureReader&) = delete;

  // Whether the document carried an XML-DSig Signature element at all.
  bool found() const;

  // After a successful parse. Without a signature: signature.missing. Other codes:
  // signature.multiple, signature.misplaced, signature.malformed, signature.partial_reference,
  // signature.algorithm_forbidden, signature.algorithm_unsupported, signature.digest_mismatch,
  // signature.invalid, signature.certificate_missing, signature.untrusted_certificate,
  // signature.certificate_expired, signature.certificate_not_yet_valid,
  // signature.certificate_revoked, signature.crl_unavailable, signature.key_usage.
  Result<VerifiedSignature> verify(const TrustStore& trust, const VerifyOptions& options) const;

  // For display (truc edxml inspect): fails only with signature.missing.
  Result<SignatureSummary> describe() const;

  void start_element(const edxml::XmlName& name,
                     std::span<const edxml::NamespaceDeclaration> declarations,
                     std::span<const edxml::XmlAttribute> attributes) override;
  void end_element(const edxml::XmlName& name) override;
  void characters(std::string_view text) override;
  void comment(std::string_view text) override;
  void processing_instruction(std::string_view target, std::string_view data) override;
  void end_document() override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Signs the edXML document in `input`: it is parsed and validated (the first error is returned),
// then written to `out` in canonical form (C14N 1.0) with an enveloped signature appended to
// edXMLHeader: Reference URI="", enveloped-signature transform, inclusive C14N, rsa-sha256 (or
// ecdsa-sha256 for an EC key) over a sha256 digest, the certificate in KeyInfo. Error codes:
// sign.already_signed, sign.key_mismatch, sign.failed, the code of the document's first
// validation error, and parse.*/io.* ones.
struct SignOptions {
  // rsa-sha1 (ecdsa-sha1) over a sha1 digest, as the deployed base still signs: for tests and
  // for reproducing what such a sender produces, never a default.
  bool legacy_sha1 = false;
};
Status sign_document(const std::filesystem::path& input, const PrivateKey& key,
                     const Certificate& certificate, const edxml::Parser& parser, ByteSink& out,
                     const SignOptions& options = {});

}  // namespace truc::security
