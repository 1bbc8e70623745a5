#include "xmlsec_verifier.hpp"

#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <xmlsec/openssl/app.h>
#include <xmlsec/openssl/crypto.h>
#include <xmlsec/version.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

namespace truc::bench {
namespace {

struct KeysManagerDeleter {
  void operator()(xmlSecKeysMngr* manager) const { xmlSecKeysMngrDestroy(manager); }
};
struct DocumentDeleter {
  void operator()(xmlDoc* document) const { xmlFreeDoc(document); }
};
struct SignatureContextDeleter {
  void operator()(xmlSecDSigCtx* context) const { xmlSecDSigCtxDestroy(context); }
};

Error xmlsec_error(const char* message, const std::filesystem::path& file = {}) {
  // xmlsec has already printed its own diagnostics to stderr.
  return Error{"bench.xmlsec", message, file.string()};
}

}  // namespace

struct XmlsecVerifier::State {
  bool xmlsec_initialized = false;
  bool openssl_app_initialized = false;
  bool openssl_initialized = false;
  std::unique_ptr<xmlSecKeysMngr, KeysManagerDeleter> keys_manager;

  ~State() {
    keys_manager.reset();
    if (openssl_initialized) xmlSecOpenSSLShutdown();
    if (openssl_app_initialized) xmlSecOpenSSLAppShutdown();
    if (xmlsec_initialized) xmlSecShutdown();
    xmlCleanupParser();
  }
};

XmlsecVerifier::XmlsecVerifier() : state_(std::make_unique<State>()) {}
XmlsecVerifier::~XmlsecVerifier() = default;

Result<std::unique_ptr<XmlsecVerifier>> XmlsecVerifier::create(
    const std::filesystem::path& ca_file) {
  std::unique_ptr<XmlsecVerifier> verifier(new XmlsecVerifier());
  State& state = *verifier->state_;
  xmlInitParser();
  if (xmlSecInit() < 0) return xmlsec_error("xmlsec initialisation failed");
  state.xmlsec_initialized = true;
  if (xmlSecCheckVersion() != 1) return xmlsec_error("xmlsec library and headers differ");
  if (xmlSecOpenSSLAppInit(nullptr) < 0) return xmlsec_error("xmlsec-openssl app init failed");
  state.openssl_app_initialized = true;
  if (xmlSecOpenSSLInit() < 0) return xmlsec_error("xmlsec-openssl initialisation failed");
  state.openssl_initialized = true;

  state.keys_manager.reset(xmlSecKeysMngrCreate());
  if (!state.keys_manager || xmlSecOpenSSLAppDefaultKeysMngrInit(state.keys_manager.get()) < 0)
    return xmlsec_error("cannot create the keys manager");
  if (xmlSecOpenSSLAppKeysMngrCertLoad(state.keys_manager.get(), ca_file.c_str(),
                                       xmlSecKeyDataFormatPem, xmlSecKeyDataTypeTrusted) < 0)
    return xmlsec_error("cannot load the CA certificate", ca_file);
  return verifier;
}

Status XmlsecVerifier::verify(const std::filesystem::path& document) const {
  // XML_PARSE_HUGE: without it libxml2 refuses text nodes over 10 MB, and an attachment is one.
  std::unique_ptr<xmlDoc, DocumentDeleter> tree(
      xmlReadFile(document.c_str(), nullptr, XML_PARSE_HUGE | XML_PARSE_NONET));
  if (!tree) return xmlsec_error("libxml2 cannot read the document", document);
  xmlNode* signature =
      xmlSecFindNode(xmlDocGetRootElement(tree.get()), xmlSecNodeSignature, xmlSecDSigNs);
  if (signature == nullptr) return xmlsec_error("no Signature element", document);

  std::unique_ptr<xmlSecDSigCtx, SignatureContextDeleter> context(
      xmlSecDSigCtxCreate(state_->keys_manager.get()));
  if (!context) return xmlsec_error("cannot create a signature context");
  // The only reference an edXML signature may make is to the whole document.
  context->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
  if (xmlSecDSigCtxVerify(context.get(), signature) < 0)
    return xmlsec_error("verification could not run", document);
  if (context->status != xmlSecDSigStatusSucceeded)
    return xmlsec_error("the signature does not verify", document);
  return ok_status();
}

std::string xmlsec_versions() {
  return std::string("xmlsec1 ") + XMLSEC_VERSION + ", libxml2 " + LIBXML_DOTTED_VERSION;
}

}  // namespace truc::bench
