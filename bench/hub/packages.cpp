#include "packages.hpp"

#include <mutex>
#include <optional>
#include <thread>

#include "files.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/edxml/build.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/edxml_samples.hpp"

namespace truc::bench {
namespace {

// The sample công văn, from `sender` to `recipient`, numbered `number`: the number is in its
// DocumentId, which the hub keeps unique per sender.
edxml::Package numbered_package(const testing::TestAgency& sender,
                                const testing::TestAgency& recipient, const std::string& notation,
                                std::uint64_t number) {
  edxml::Package package = testing::sample_package();
  package.from.organ_id = sender.code;
  package.from.organ_name = sender.name;
  package.from.organization_in_charge = sender.name;
  package.to.front().organ_id = recipient.code;
  package.to.front().organ_name = recipient.name;
  package.trace_headers.front().organ_id = sender.code;
  package.code = {std::to_string(number), notation};
  package.document_id =
      sender.code + ",2024/03/15," + package.code.code_number + "/" + package.code.code_notation;
  // The main document only: with one attachment, its size sets the package's.
  package.attachments.resize(1);
  return package;
}

}  // namespace

PackageFactory::PackageFactory(std::filesystem::path directory, testing::TestAgency sender,
                               testing::TestAgency recipient, std::string notation)
    : directory_(std::move(directory)),
      sender_(std::move(sender)),
      recipient_(std::move(recipient)),
      notation_(std::move(notation)) {
  std::filesystem::create_directories(directory_);
}

Result<std::filesystem::path> PackageFactory::attachment_file(std::uint64_t attachment_bytes) {
  auto path = directory_ / ("attachment-" + std::to_string(attachment_bytes) + ".pdf");
  if (std::filesystem::exists(path)) return path;
  auto written = write_file(path, [&](ByteSink& sink) -> Status {
    // What write_attachment_files writes, without holding 100 MB in memory: a PDF header, then
    // filler in pieces.
    std::string header = "%PDF-1.4\n% Trục benchmark attachment\n";
    std::string filler(1 << 20, 'x');
    TRUC_TRY(sink.write(header.substr(0, attachment_bytes)));
    for (std::uint64_t left =
             attachment_bytes - std::min<std::uint64_t>(header.size(), attachment_bytes);
         left > 0;) {
      std::uint64_t piece = std::min<std::uint64_t>(left, filler.size());
      TRUC_TRY(sink.write(std::string_view(filler).substr(0, piece)));
      left -= piece;
    }
    return ok_status();
  });
  if (!written) return std::move(written).error();
  return path;
}

Status PackageFactory::write_signed(std::uint64_t number, const std::filesystem::path& attachment,
                                    const std::filesystem::path& unsigned_file,
                                    ByteSink& out) const {
  // One parser, key and certificate per call: they are cheap next to signing, and nothing is
  // shared between the threads that call this.
  const edxml::Parser parser;
  auto key = security::PrivateKey::load_pem_file(sender_.certificate.key);
  if (!key) return std::move(key).error();
  auto certificate = security::Certificate::from_pem(sender_.certificate.certificate_pem);
  if (!certificate) return std::move(certificate).error();
  edxml::Package package = numbered_package(sender_, recipient_, notation_, number);
  std::vector<std::filesystem::path> attachments{attachment};
  TRUC_TRY(write_file(unsigned_file, [&](ByteSink& sink) {
    return edxml::write_package(package, attachments, sink);
  }));
  Status signed_document = security::sign_document(unsigned_file, *key, *certificate, parser, out);
  std::filesystem::remove(unsigned_file);
  return signed_document;
}

Result<std::vector<std::string>> PackageFactory::make_signed(std::size_t count,
                                                             std::uint64_t attachment_bytes,
                                                             unsigned threads) {
  auto attachment = attachment_file(attachment_bytes);
  if (!attachment) return std::move(attachment).error();
  std::vector<std::string> packages(count);
  std::atomic<std::size_t> next_index{0};
  std::mutex failure_mutex;
  std::optional<Error> failure;
  auto make_some = [&](unsigned thread) {
    auto unsigned_file = directory_ / ("unsigned-" + std::to_string(thread) + ".edxml");
    for (std::size_t index = next_index++; index < count; index = next_index++) {
      StringSink sink;
      Status made = write_signed(next_number_++, *attachment, unsigned_file, sink);
      if (!made) {
        std::lock_guard lock(failure_mutex);
        failure = std::move(made).error();
        next_index = count;  // the others stop at their next package
        return;
      }
      packages[index] = sink.text();
    }
  };
  std::vector<std::jthread> workers;
  for (unsigned thread = 0; thread < threads; ++thread) workers.emplace_back(make_some, thread);
  workers.clear();  // joins
  if (failure) return std::move(*failure);
  return packages;
}

Result<std::filesystem::path> PackageFactory::write_signed_file(std::uint64_t attachment_bytes) {
  auto attachment = attachment_file(attachment_bytes);
  if (!attachment) return std::move(attachment).error();
  std::uint64_t number = next_number_++;
  auto signed_file = directory_ / ("package-" + std::to_string(number) + "-signed.edxml");
  Status written = write_file(signed_file, [&](ByteSink& sink) {
    return write_signed(number, *attachment,
                        directory_ / ("package-" + std::to_string(number) + ".edxml"), sink);
  });
  // A large attachment's file would only take disk space: the package holds it now.
  std::filesystem::remove(*attachment);
  if (!written) return std::move(written).error();
  return signed_file;
}

}  // namespace truc::bench
