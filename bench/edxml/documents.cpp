#include "documents.hpp"

#include <string>
#include <vector>

#include "truc/common/byte_stream.hpp"
#include "truc/common/file.hpp"
#include "truc/edxml/build.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/edxml_samples.hpp"

namespace truc::bench {
namespace {

class FileSink final : public ByteSink {
 public:
  explicit FileSink(File file) : file_(std::move(file)) {}
  Status write(std::string_view bytes) override { return file_.write_all(bytes); }

 private:
  File file_;
};

Status write_to_file(const std::filesystem::path& path, auto&& write) {
  auto file = File::create(path);
  if (!file) return std::move(file).error();
  FileSink sink(std::move(*file));
  TRUC_TRY(write(sink));
  return sink.finish();
}

}  // namespace

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
  TRUC_TRY(write_to_file(files.unsigned_document, [&](ByteSink& sink) {
    return edxml::write_package(package, attachment_files, sink);
  }));
  // The attachment now lives in the package; its file would only take disk space.
  std::filesystem::remove_all(attachment_directory);

  auto key = security::PrivateKey::load_pem_file(sender_.key);
  if (!key) return std::move(key).error();
  auto certificate = security::Certificate::from_pem(sender_.certificate_pem);
  if (!certificate) return std::move(certificate).error();
  TRUC_TRY(write_to_file(files.signed_document, [&](ByteSink& sink) {
    return security::sign_document(files.unsigned_document, *key, *certificate, parser, sink);
  }));
  return files;
}

}  // namespace truc::bench
