#include <map>
#include <memory>

#include "algorithms.hpp"
#include "canonicalizer.hpp"
#include "certificate_cache.hpp"
#include "truc/common/base64.hpp"
#include "truc/security/xmldsig.hpp"

namespace truc::security {
namespace {

// The Signature element holds a few certificates at most; anything larger is hostile.
constexpr std::size_t kMaxSignatureBytes = 256 * 1024;
// Canonical bytes before the Signature (the header) are held until its DigestMethod is known.
constexpr std::size_t kMaxPendingBytes = 16u << 20;

struct SignatureNode {
  std::string namespace_uri;
  std::string local_name;
  std::map<std::string, std::string, std::less<>> attributes;  // unqualified attributes
  std::string text;
  std::vector<std::unique_ptr<SignatureNode>> children;

  bool is(std::string_view local) const {
    return namespace_uri == kXmlDsigNamespace && local_name == local;
  }

  const SignatureNode* child(std::string_view local) const {
    for (const auto& node : children) {
      if (node->is(local)) return node.get();
    }
    return nullptr;
  }
  std::vector<const SignatureNode*> all(std::string_view local) const {
    std::vector<const SignatureNode*> found;
    for (const auto& node : children) {
      if (node->is(local)) found.push_back(node.get());
    }
    return found;
  }
  std::optional<std::string_view> attribute(std::string_view name) const {
    auto found = attributes.find(name);
    if (found == attributes.end()) return std::nullopt;
    return found->second;
  }
};

Error malformed(std::string message) {
  return Error{"signature.malformed", std::move(message), {}};
}

Error partial_reference(std::string message) {
  return Error{
      "signature.partial_reference", std::move(message),
      "only Reference URI=\"\" with the enveloped-signature transform (optionally followed by "
      "inclusive C14N) is accepted"};
}

Error certificate_to_signature_error(Error error) {
  static const std::map<std::string, std::string, std::less<>> kCodes{
      {"certificate.untrusted", "signature.untrusted_certificate"},
      {"certificate.expired", "signature.certificate_expired"},
      {"certificate.not_yet_valid", "signature.certificate_not_yet_valid"},
      {"certificate.revoked", "signature.certificate_revoked"},
      {"certificate.crl_unavailable", "signature.crl_unavailable"},
  };
  auto mapped = kCodes.find(error.code);
  error.code = mapped != kCodes.end() ? mapped->second : "signature.untrusted_certificate";
  error.message = "signer certificate: " + error.message;
  return error;
}

bool is_edxml(const edxml::XmlName& name, std::string_view local) {
  return name.namespace_uri == edxml::kNamespace && name.local_name == local;
}

// The checked shape of a signature: algorithms, values and certificates.
struct CheckedSignature {
  std::string canonicalization_method;
  bool signed_info_with_comments = false;
  std::string signature_method;
  SignatureAlgorithm signature_algorithm{};
  std::string digest_method;
  DigestAlgorithm digest{};
  std::string digest_value;
  std::string signature_value;
  std::vector<Certificate> certificates;
  bool weak = false;
};

}  // namespace

struct SignatureReader::State {
  NamespaceScope scope;
  std::vector<std::pair<std::string, std::string>> open;  // namespace, local name

  Canonicalizer document{[this](std::string_view bytes) { feed_digest(bytes); }, false};
  enum class DigestPhase { buffering, hashing, abandoned } phase = DigestPhase::buffering;
  std::string pending;
  std::optional<Digest> digest;
  std::string computed_digest;
  std::string digest_method_uri;

  std::size_t signature_count = 0;
  bool misplaced = false;
  std::size_t excluded_depth = 0;  // inside any XML-DSig Signature element
  bool capturing = false;          // inside the first one
  std::unique_ptr<SignatureNode> signature;
  std::vector<SignatureNode*> captured;
  std::size_t captured_bytes = 0;
  bool overflow = false;

  std::optional<Canonicalizer> signed_info_plain;
  std::optional<Canonicalizer> signed_info_with_comments;
  std::string signed_info_plain_text;
  std::string signed_info_with_comments_text;
  std::size_t signed_info_depth = 0;
  bool signed_info_seen = false;
  bool ended = false;

  void feed_digest(std::string_view bytes) {
    switch (phase) {
      case DigestPhase::buffering:
        pending.append(bytes);
        if (pending.size() > kMaxPendingBytes) abandon_digest();
        break;
      case DigestPhase::hashing:
        digest->update(bytes);
        break;
      case DigestPhase::abandoned:
        break;
    }
  }

  void abandon_digest() {
    phase = DigestPhase::abandoned;
    pending.clear();
    pending.shrink_to_fit();
  }

  // The reference's DigestMethod is known once the Signature element has been read.
  void start_hashing() {
    if (phase != DigestPhase::buffering) return;
    const SignatureNode* signed_info = signature->child("SignedInfo");
    const SignatureNode* reference =
        signed_info != nullptr ? signed_info->child("Reference") : nullptr;
    const SignatureNode* method = reference != nullptr ? reference->child("DigestMethod") : nullptr;
    auto uri = method != nullptr ? method->attribute("Algorithm") : std::nullopt;
    auto algorithm =
        uri ? digest_algorithm(*uri, false) : Result<DigestAlgorithm>(malformed("no DigestMethod"));
    if (!algorithm) {
      abandon_digest();
      return;
    }
    digest_method_uri = std::string(*uri);
    digest.emplace(*algorithm);
    digest->update(pending);
    pending.clear();
    pending.shrink_to_fit();
    phase = DigestPhase::hashing;
  }

  void capture_bytes(std::size_t count) {
    captured_bytes += count;
    if (captured_bytes > kMaxSignatureBytes) overflow = true;
  }

  template <typename Event>
  void to_signed_info(Event&& event) {
    if (signed_info_depth == 0) return;
    event(*signed_info_plain);
    event(*signed_info_with_comments);
    // The with-comments form holds everything the plain one does and the comments too.
    if (signed_info_with_comments_text.size() > kMaxSignatureBytes) overflow = true;
  }

  Result<CheckedSignature> check_structure(bool forbid_sha1) const;
};

SignatureReader::SignatureReader() : state_(std::make_unique<State>()) {}
SignatureReader::~SignatureReader() = default;

bool SignatureReader::found() const { return state_->signature_count > 0; }

void SignatureReader::start_element(const edxml::XmlName& name,
                                    std::span<const edxml::NamespaceDeclaration> declarations,
                                    std::span<const edxml::XmlAttribute> attributes) {
  State& state = *state_;
  bool is_signature = name.namespace_uri == kXmlDsigNamespace && name.local_name == "Signature";
  if (state.excluded_depth > 0) {
    ++state.excluded_depth;
  } else if (is_signature) {
    state.excluded_depth = 1;
    bool in_header = state.open.size() == 3 && state.open[2].first == edxml::kNamespace &&
                     state.open[2].second == "edXMLHeader";
    if (!in_header) state.misplaced = true;
    state.capturing = ++state.signature_count == 1;
  } else {
    state.document.start_element(name, declarations, attributes);
  }

  if (state.capturing) {
    auto node = std::make_unique<SignatureNode>();
    node->namespace_uri = name.namespace_uri;
    node->local_name = name.local_name;
    for (const auto& attribute : attributes) {
      if (attribute.name.namespace_uri.empty())
        node->attributes.emplace(attribute.name.local_name, attribute.value);
      state.capture_bytes(attribute.value.size());
    }
    SignatureNode* added = node.get();
    if (state.captured.empty()) {
      state.signature = std::move(node);
    } else {
      state.captured.back()->children.push_back(std::move(node));
    }
    state.captured.push_back(added);

    if (state.signed_info_depth > 0) {
      ++state.signed_info_depth;
      state.to_signed_info(
          [&](Canonicalizer& c14n) { c14n.start_element(name, declarations, attributes); });
    } else if (state.captured.size() == 2 && added->is("SignedInfo") && !state.signed_info_seen) {
      state.signed_info_seen = true;
      state.signed_info_depth = 1;
      auto bindings = state.scope.bindings();
      auto xml_attributes = state.scope.xml_attributes();
      state.signed_info_plain.emplace(
          [&state](std::string_view bytes) { state.signed_info_plain_text += bytes; }, false);
      state.signed_info_with_comments.emplace(
          [&state](std::string_view bytes) { state.signed_info_with_comments_text += bytes; },
          true);
      state.signed_info_plain->start_apex(name, declarations, attributes, bindings, xml_attributes);
      state.signed_info_with_comments->start_apex(name, declarations, attributes, bindings,
                                                  xml_attributes);
    }
  }
  state.scope.push(declarations, attributes);
  state.open.emplace_back(name.namespace_uri, name.local_name);
}

void SignatureReader::end_element(const edxml::XmlName& name) {
  State& state = *state_;
  state.scope.pop();
  state.open.pop_back();
  if (state.capturing) {
    if (state.signed_info_depth > 0) {
      state.to_signed_info([&](Canonicalizer& c14n) { c14n.end_element(name); });
      --state.signed_info_depth;
    }
    state.captured.pop_back();
  }
  if (state.excluded_depth > 0) {
    if (--state.excluded_depth == 0 && state.capturing) {
      state.capturing = false;
      state.start_hashing();
    }
    return;
  }
  state.document.end_element(name);
  if (state.open.size() == 2 && is_edxml(name, "edXMLHeader") &&
      state.phase == State::DigestPhase::buffering) {
    // No signature in the header: the document is unsigned (a later one is misplaced).
    state.abandon_digest();
  }
}

void SignatureReader::characters(std::string_view text) {
  State& state = *state_;
  if (state.capturing) {
    state.captured.back()->text += text;
    state.capture_bytes(text.size());
    state.to_signed_info([&](Canonicalizer& c14n) { c14n.characters(text); });
  }
  if (state.excluded_depth == 0) state.document.characters(text);
}

void SignatureReader::comment(std::string_view text) {
  State& state = *state_;
  // Comments and processing instructions are not kept, but they are held while SignedInfo is
  // canonicalized and cost the parse: they count toward the Signature's size limit.
  if (state.capturing) {
    state.capture_bytes(text.size());
    state.to_signed_info([&](Canonicalizer& c14n) { c14n.comment(text); });
  }
  if (state.excluded_depth == 0) state.document.comment(text);
}

void SignatureReader::processing_instruction(std::string_view target, std::string_view data) {
  State& state = *state_;
  if (state.capturing) {
    state.capture_bytes(target.size() + data.size());
    state.to_signed_info([&](Canonicalizer& c14n) { c14n.processing_instruction(target, data); });
  }
  if (state.excluded_depth == 0) state.document.processing_instruction(target, data);
}

void SignatureReader::end_document() {
  State& state = *state_;
  state.ended = true;
  if (state.phase == State::DigestPhase::hashing) state.computed_digest = state.digest->finish();
}

Result<CheckedSignature> SignatureReader::State::check_structure(bool forbid_sha1) const {
  if (signature_count == 0) {
    return Error{
        "signature.missing", "the document is not signed (no XML-DSig Signature element)", {}};
  }
  if (signature_count > 1) {
    return Error{"signature.multiple",
                 "the document carries more than one XML-DSig Signature element",
                 std::to_string(signature_count) + " found"};
  }
  if (misplaced) {
    return Error{"signature.misplaced", "the Signature element must be a child of edXMLHeader", {}};
  }
  if (overflow)
    return malformed("the Signature element is larger than " + std::to_string(kMaxSignatureBytes) +
                     " bytes");
  if (!ended) return malformed("the document was not read to its end");

  CheckedSignature checked;
  const SignatureNode* signed_info = signature->child("SignedInfo");
  const SignatureNode* signature_value = signature->child("SignatureValue");
  if (signed_info == nullptr || signature_value == nullptr)
    return malformed("SignedInfo or SignatureValue is missing");

  const SignatureNode* canonicalization = signed_info->child("CanonicalizationMethod");
  const SignatureNode* method = signed_info->child("SignatureMethod");
  if (canonicalization == nullptr || method == nullptr) {
    return malformed("CanonicalizationMethod or SignatureMethod is missing");
  }
  checked.canonicalization_method =
      std::string(canonicalization->attribute("Algorithm").value_or(""));
  auto with_comments = inclusive_c14n_with_comments(checked.canonicalization_method);
  if (!with_comments) {
    return Error{"signature.algorithm_unsupported",
                 "SignedInfo must use inclusive Canonical XML 1.0",
                 checked.canonicalization_method};
  }
  checked.signed_info_with_comments = *with_comments;
  checked.signature_method = std::string(method->attribute("Algorithm").value_or(""));
  auto algorithm = signature_algorithm(checked.signature_method, forbid_sha1);
  if (!algorithm) return std::move(algorithm).error();
  checked.signature_algorithm = *algorithm;

  auto references = signed_info->all("Reference");
  if (references.size() != 1) {
    return partial_reference("SignedInfo has " + std::to_string(references.size()) + " references");
  }
  const SignatureNode& reference = *references.front();
  auto reference_uri = reference.attribute("URI");
  if (!reference_uri || !reference_uri->empty()) {
    return partial_reference(reference_uri
                                 ? "the reference names URI=\"" + std::string(*reference_uri) + "\""
                                 : "the reference has no URI attribute");
  }
  std::vector<std::string_view> transforms;
  if (const SignatureNode* list = reference.child("Transforms")) {
    for (const auto& transform : list->children) {
      if (!transform->is("Transform") || !transform->children.empty()) {
        return partial_reference("a transform carries parameters (e.g. an XPath filter)");
      }
      transforms.push_back(transform->attribute("Algorithm").value_or(""));
    }
  }
  bool enveloped_first = !transforms.empty() && transforms[0] == uri::kEnvelopedSignature;
  bool then_c14n =
      transforms.size() == 1 ||
      (transforms.size() == 2 && inclusive_c14n_with_comments(transforms[1]).has_value());
  if (!enveloped_first || !then_c14n)
    return partial_reference("the reference's transforms are not accepted");

  const SignatureNode* digest_method_node = reference.child("DigestMethod");
  const SignatureNode* digest_value = reference.child("DigestValue");
  if (digest_method_node == nullptr || digest_value == nullptr)
    return malformed("DigestMethod or DigestValue is missing");
  checked.digest_method = std::string(digest_method_node->attribute("Algorithm").value_or(""));
  auto reference_digest = digest_algorithm(checked.digest_method, forbid_sha1);
  if (!reference_digest) return std::move(reference_digest).error();
  checked.digest = *reference_digest;
  checked.weak =
      checked.digest == DigestAlgorithm::sha1 || algorithm->digest == DigestAlgorithm::sha1;

  auto decoded_digest = base64_decode(digest_value->text);
  auto decoded_signature = base64_decode(signature_value->text);
  if (!decoded_digest || !decoded_signature)
    return malformed("DigestValue or SignatureValue is not base64");
  checked.digest_value = std::move(*decoded_digest);
  checked.signature_value = std::move(*decoded_signature);

  if (const SignatureNode* key_info = signature->child("KeyInfo")) {
    for (const SignatureNode* data : key_info->all("X509Data")) {
      for (const SignatureNode* encoded : data->all("X509Certificate")) {
        auto der = base64_decode(encoded->text);
        if (!der) return malformed("an X509Certificate is not base64");
        auto certificate = decode_certificate_cached(*der);
        if (!certificate) return malformed("an X509Certificate is not a DER certificate");
        checked.certificates.push_back(std::move(*certificate));
      }
    }
  }
  return checked;
}

namespace {

// Integrity: the digest of what was read matches, and a KeyInfo certificate's key made
// SignatureValue over the canonical SignedInfo. Returns that certificate's index.
Result<std::size_t> check_integrity(const CheckedSignature& checked,
                                    const std::string& computed_digest,
                                    const std::string& signed_info) {
  if (computed_digest.empty() || computed_digest != checked.digest_value) {
    return Error{
        "signature.digest_mismatch",
        "the document's content does not match the signed digest: it was changed after signing",
        {}};
  }
  if (checked.certificates.empty()) {
    return Error{"signature.certificate_missing", "KeyInfo carries no X509Certificate", {}};
  }
  for (std::size_t index = 0; index < checked.certificates.size(); ++index) {
    if (verify_bytes(checked.certificates[index], checked.signature_algorithm, signed_info,
                     checked.signature_value)) {
      return index;
    }
  }
  return Error{"signature.invalid",
               "SignatureValue was not made by the key of any certificate in KeyInfo",
               {}};
}

}  // namespace

Result<VerifiedSignature> SignatureReader::verify(const TrustStore& trust,
                                                  const VerifyOptions& options) const {
  const State& state = *state_;
  auto checked = state.check_structure(options.forbid_sha1);
  if (!checked) return std::move(checked).error();
  const std::string& signed_info = checked->signed_info_with_comments
                                       ? state.signed_info_with_comments_text
                                       : state.signed_info_plain_text;
  auto signer_index = check_integrity(*checked, state.computed_digest, signed_info);
  if (!signer_index) return std::move(signer_index).error();

  const Certificate& signer = checked->certificates[*signer_index];
  std::vector<Certificate> others;
  for (std::size_t index = 0; index < checked->certificates.size(); ++index) {
    if (index != *signer_index) others.push_back(checked->certificates[index]);
  }
  Timestamp at = options.at.value_or(now_timestamp());
  auto chain = trust.verified_chain(signer, others, at);
  if (!chain) return certificate_to_signature_error(std::move(chain).error());
  if (!signer.allows_document_signing()) {
    return Error{
        "signature.key_usage",
        "the signer certificate's key usage allows neither digitalSignature nor nonRepudiation",
        signer.subject()};
  }
  VerifiedSignature verified{
      signer, std::move(*chain), checked->signature_method, checked->digest_method, checked->weak,
      {}};
  if (checked->weak) verified.warnings.push_back("signature.weak_algorithm");
  return verified;
}

Result<SignatureSummary> SignatureReader::describe() const {
  const State& state = *state_;
  if (state.signature_count == 0) {
    return Error{
        "signature.missing", "the document is not signed (no XML-DSig Signature element)", {}};
  }
  SignatureSummary summary;
  auto checked = state.check_structure(false);
  if (!checked) {
    summary.integrity = std::move(checked).error();
    return summary;
  }
  summary.canonicalization_method = checked->canonicalization_method;
  summary.signature_method = checked->signature_method;
  summary.digest_method = checked->digest_method;
  summary.weak = checked->weak;
  const std::string& signed_info = checked->signed_info_with_comments
                                       ? state.signed_info_with_comments_text
                                       : state.signed_info_plain_text;
  auto signer_index = check_integrity(*checked, state.computed_digest, signed_info);
  if (signer_index) {
    summary.signer = checked->certificates[*signer_index];
  } else {
    summary.integrity = std::move(signer_index).error();
    if (!checked->certificates.empty()) summary.signer = checked->certificates.front();
  }
  return summary;
}

}  // namespace truc::security
