#include "documents.hpp"

#include <string>
#include <vector>

#include "files.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/edxml/build.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/edxml_samples.hpp"

namespace truc::bench {

DocumentFactory::DocumentFactory(std::filesystem::path directory)
    : directory_(std::move(directory)),
      pki_(directory_ / "pki"),
      ca_(pki_.create_ca("bench-ca")),
      sender_(pki_.issue(
          ca_, "sender",
          {.common_name = "Văn phòng Chính phủ", .agency_code = testing::kSenderCode})) {}

Result<PackageFiles> DocumentFactory::write_package(std::string_view name,
                                                    std::uint64_t attachment_bytes,
                                                    const edxml::Parser& parser) const {
  // The sample's main document only: one attachment makes the document's size the attachment's.
  edxml::Package package = testing::sample_package();
  package.attachments.resize(1);
  auto attachment_directory = directory_ / (std::string(name) + "-attachment");
  std::filesystem::create_directories(attachment_directory);
  std::vector<std::filesystem::path> attachment_files =
      testing::write_attachment_files(package, attachment_directory, attachment_bytes);

  PackageFiles files{directory_ / (std::string(name) + ".edxml"),
                     directory_ / (std::string(name) + "-signed.edxml")};
  TRUC_TRY(write_file(files.unsigned_document, [&](ByteSink& sink) {
    return edxml::write_package(package, attachment_files, sink);
  }));
  // The attachment now lives in the package; its file would only take disk space.
  std::filesystem::remove_all(attachment_directory);

  auto key = security::PrivateKey::load_pem_file(sender_.key);
  if (!key) return std::move(key).error();
  auto certificate = security::Certificate::from_pem(sender_.certificate_pem);
  if (!certificate) return std::move(certificate).error();
  TRUC_TRY(write_file(files.signed_document, [&](ByteSink& sink) {
    return security::sign_document(files.unsigned_document, *key, *certificate, parser, sink);
  }));
  return files;
}

}  // namespace truc::bench
