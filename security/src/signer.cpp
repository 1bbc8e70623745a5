#include <optional>

#include "algorithms.hpp"
#include "canonicalizer.hpp"
#include "truc/common/base64.hpp"
#include "truc/edxml/validate.hpp"
#include "truc/security/xmldsig.hpp"

namespace truc::security {
namespace {

using Bindings = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t kFlushBytes = 256 * 1024;

struct SignatureValues {
  std::string_view signature_method;
  std::string_view digest_method;
  std::string digest_value;     // base64
  std::string signature_value;  // base64
  std::string certificate;      // base64 DER
};

edxml::XmlName dsig(std::string_view local) { return {kXmlDsigNamespace, local, local}; }

// Replays the events of the Signature element we produce onto a canonicalizer.
class SignatureEvents {
 public:
  SignatureEvents(Canonicalizer& c14n, const SignatureValues& values)
      : c14n_(c14n), values_(values) {}

  // SignedInfo alone, as the apex of a document subset inside `parent_bindings`.
  void signed_info_as_apex(const Bindings& parent_bindings) {
    Bindings bindings = parent_bindings;
    std::erase_if(bindings, [](const auto& binding) { return binding.first.empty(); });
    bindings.emplace_back("", std::string(kXmlDsigNamespace));
    c14n_.start_apex(dsig("SignedInfo"), {}, {}, bindings, {});
    signed_info_content();
  }

  void whole_signature() {
    const edxml::NamespaceDeclaration declaration{"", kXmlDsigNamespace};
    c14n_.start_element(dsig("Signature"), std::span(&declaration, 1), {});
    c14n_.start_element(dsig("SignedInfo"), {}, {});
    signed_info_content();
    leaf("SignatureValue", values_.signature_value);
    open("KeyInfo");
    open("X509Data");
    leaf("X509Certificate", values_.certificate);
    close("X509Data");
    close("KeyInfo");
    close("Signature");
  }

 private:
  void signed_info_content() {
    with_algorithm("CanonicalizationMethod", uri::kC14n);
    with_algorithm("SignatureMethod", values_.signature_method);
    const edxml::XmlAttribute uri_attribute{{"", "URI", "URI"}, ""};
    c14n_.start_element(dsig("Reference"), {}, std::span(&uri_attribute, 1));
    open("Transforms");
    with_algorithm("Transform", uri::kEnvelopedSignature);
    close("Transforms");
    with_algorithm("DigestMethod", values_.digest_method);
    leaf("DigestValue", values_.digest_value);
    close("Reference");
    close("SignedInfo");
  }

  void open(std::string_view local) { c14n_.start_element(dsig(local), {}, {}); }
  void close(std::string_view local) { c14n_.end_element(dsig(local)); }
  void leaf(std::string_view local, std::string_view text) {
    open(local);
    c14n_.characters(text);
    close(local);
  }
  void with_algorithm(std::string_view local, std::string_view algorithm) {
    const edxml::XmlAttribute attribute{{"", "Algorithm", "Algorithm"}, algorithm};
    c14n_.start_element(dsig(local), {}, std::span(&attribute, 1));
    close(local);
  }

  Canonicalizer& c14n_;
  const SignatureValues& values_;
};

bool is_header(const edxml::XmlName& name, std::size_t depth) {
  return depth == 3 && name.namespace_uri == edxml::kNamespace && name.local_name == "edXMLHeader";
}

// Pass 1: the reference digest of the unsigned document and the namespaces in scope where the
// Signature will go.
class DigestPass final : public edxml::XmlEventListener {
 public:
  explicit DigestPass(DigestAlgorithm algorithm)
      : digest_(algorithm),
        c14n_([this](std::string_view bytes) { digest_.update(bytes); }, false) {}

  void start_element(const edxml::XmlName& name,
                     std::span<const edxml::NamespaceDeclaration> declarations,
                     std::span<const edxml::XmlAttribute> attributes) override {
    if (name.namespace_uri == kXmlDsigNamespace && name.local_name == "Signature")
      already_signed = true;
    scope_.push(declarations, attributes);
    ++depth_;
    c14n_.start_element(name, declarations, attributes);
  }
  void end_element(const edxml::XmlName& name) override {
    if (is_header(name, depth_)) header_bindings = scope_.bindings();
    c14n_.end_element(name);
    scope_.pop();
    --depth_;
  }
  void characters(std::string_view text) override { c14n_.characters(text); }
  void comment(std::string_view text) override { c14n_.comment(text); }
  void processing_instruction(std::string_view target, std::string_view data) override {
    c14n_.processing_instruction(target, data);
  }
  void end_document() override { digest_value = base64_encode(digest_.finish()); }

  bool already_signed = false;
  Bindings header_bindings;
  std::string digest_value;

 private:
  NamespaceScope scope_;
  std::size_t depth_ = 0;
  Digest digest_;
  Canonicalizer c14n_;
};

// Pass 2: the canonical document with the Signature appended to edXMLHeader.
class WritePass final : public edxml::XmlEventListener {
 public:
  WritePass(ByteSink& out, const SignatureValues& values)
      : out_(out), values_(values), c14n_([this](std::string_view bytes) { write(bytes); }, false) {
    write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  }

  void start_element(const edxml::XmlName& name,
                     std::span<const edxml::NamespaceDeclaration> declarations,
                     std::span<const edxml::XmlAttribute> attributes) override {
    ++depth_;
    c14n_.start_element(name, declarations, attributes);
  }
  void end_element(const edxml::XmlName& name) override {
    if (is_header(name, depth_)) SignatureEvents(c14n_, values_).whole_signature();
    c14n_.end_element(name);
    --depth_;
  }
  void characters(std::string_view text) override { c14n_.characters(text); }
  void comment(std::string_view text) override { c14n_.comment(text); }
  void processing_instruction(std::string_view target, std::string_view data) override {
    c14n_.processing_instruction(target, data);
  }
  void end_document() override { write("\n"); }

  Status finish() {
    if (status_ && !buffer_.empty()) status_ = out_.write(buffer_);
    buffer_.clear();
    if (status_) status_ = out_.finish();
    return status_;
  }

 private:
  void write(std::string_view bytes) {
    buffer_ += bytes;
    if (buffer_.size() >= kFlushBytes && status_) {
      status_ = out_.write(buffer_);
      buffer_.clear();
    }
  }

  ByteSink& out_;
  const SignatureValues& values_;
  Canonicalizer c14n_;
  std::string buffer_;
  std::size_t depth_ = 0;
  Status status_ = ok_status();
};

}  // namespace

Status sign_document(const std::filesystem::path& input, const PrivateKey& key,
                     const Certificate& certificate, const edxml::Parser& parser, ByteSink& out,
                     const SignOptions& options) {
  if (!key.matches(certificate)) {
    return Error{"sign.key_mismatch", "the private key does not belong to the certificate",
                 certificate.subject()};
  }
  if (!key.is_rsa() && !key.is_ec())
    return Error{"sign.key_mismatch", "only RSA and EC keys can sign", {}};

  const DigestAlgorithm digest =
      options.legacy_sha1 ? DigestAlgorithm::sha1 : DigestAlgorithm::sha256;
  DigestPass digest_pass(digest);
  {
    auto source = FileSource::open(input);
    if (!source) return std::move(source).error();
    edxml::DiscardAttachments attachments;
    auto parsed = parser.parse(*source, attachments, &digest_pass);
    if (!parsed) return std::move(parsed).error();
    if (digest_pass.already_signed) {
      return Error{"sign.already_signed", "the document already carries an XML-DSig signature",
                   input.string()};
    }
    auto report = edxml::validate(*parsed);
    if (const edxml::Finding* problem = report.first_error()) {
      return Error{problem->code, "refusing to sign an invalid document: " + problem->message,
                   problem->path};
    }
  }

  std::string_view signature_method = options.legacy_sha1
                                          ? (key.is_ec() ? uri::kEcdsaSha1 : uri::kRsaSha1)
                                          : (key.is_ec() ? uri::kEcdsaSha256 : uri::kRsaSha256);
  SignatureValues values{signature_method,
                         options.legacy_sha1 ? uri::kSha1 : uri::kSha256,
                         digest_pass.digest_value,
                         {},
                         base64_encode(certificate.der())};
  std::string signed_info;
  {
    Canonicalizer c14n([&](std::string_view bytes) { signed_info += bytes; }, false);
    SignatureEvents(c14n, values).signed_info_as_apex(digest_pass.header_bindings);
  }
  auto signature = sign_bytes(key, digest, signed_info);
  if (!signature) return std::move(signature).error();
  values.signature_value = base64_encode(*signature);

  auto source = FileSource::open(input);
  if (!source) return std::move(source).error();
  WritePass write_pass(out, values);
  edxml::DiscardAttachments attachments;
  auto parsed = parser.parse(*source, attachments, &write_pass);
  if (!parsed) return std::move(parsed).error();
  return write_pass.finish();
}

}  // namespace truc::security
