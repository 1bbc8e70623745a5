#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "truc/common/error.hpp"

namespace truc::bench {

// The reference our streaming verifier is measured against: xmlsec1 with its OpenSSL back end,
// verifying over a libxml2 DOM of the whole document, as DOM-based XML-DSig libraries do. It
// lives in the benchmark only; the product never builds a DOM of a document.
//
// It initialises and shuts down libxml2 and xmlsec, which are process-wide: one instance at a time.
class XmlsecVerifier {
 public:
  // Trusts the CA certificates in `ca_file` (PEM).
  static Result<std::unique_ptr<XmlsecVerifier>> create(const std::filesystem::path& ca_file);
  ~XmlsecVerifier();
  XmlsecVerifier(const XmlsecVerifier&) = delete;
  XmlsecVerifier& operator=(const XmlsecVerifier&) = delete;

  // Verifies the document's enveloped signature (Reference URI="" only) and the signer's chain.
  Status verify(const std::filesystem::path& document) const;

 private:
  struct State;
  XmlsecVerifier();
  std::unique_ptr<State> state_;
};

// The versions the verifier was built with, e.g. "xmlsec1 1.2.37, libxml2 2.9.14".
std::string xmlsec_versions();

}  // namespace truc::bench
