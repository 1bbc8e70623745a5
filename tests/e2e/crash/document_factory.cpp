#include "document_factory.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "truc/common/byte_stream.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/edxml_samples.hpp"

namespace truc::crash {

DocumentFactory::DocumentFactory(const testing::TestAgency& agency, std::filesystem::path directory)
    : agency_(agency),
      directory_(std::move(directory)),
      key_(security::PrivateKey::load_pem_file(agency.certificate.key).value()),
      certificate_(security::Certificate::load_pem_file(agency.certificate.certificate)->front()) {
  std::filesystem::create_directories(directory_);
  auto sample = testing::sample_package();
  sample.attachments.resize(1);
  attachment_files_ = testing::write_attachment_files(sample, directory_, 1024);
}

std::filesystem::path DocumentFactory::package(const std::string& number,
                                               const std::vector<testing::TestAgency>& to) {
  auto package = testing::sample_package();
  package.from.organ_id = agency_.code;
  package.from.organ_name = agency_.name;
  package.from.organization_in_charge = agency_.name;
  package.to.clear();
  for (const auto& recipient : to)
    package.to.push_back({recipient.code, "", recipient.name, "", "", "", "", ""});
  package.code = {number, "CRASH"};
  package.document_id = agency_.code + ",2026/11/25," + number + "/CRASH";
  package.trace_headers.clear();
  package.attachments.resize(1);
  return sign(number, testing::build_package(package, attachment_files_));
}

std::filesystem::path DocumentFactory::status(const edxml::Package& package) {
  auto status = testing::sample_status(edxml::StatusCode::arrived);
  status.from = {agency_.code, "", agency_.name, "", "", "", "", ""};
  status.response_for = {package.from.organ_id,
                         package.code.code_number + "/" + package.code.code_notation,
                         package.promulgation_info.promulgation_date, package.document_id};
  status.description = "Đã nhận văn bản";
  return sign("status-" + package.code.code_number + "-" + package.from.organ_id,
              testing::build_status(status));
}

std::filesystem::path DocumentFactory::sign(const std::string& name,
                                            const std::string& unsigned_bytes) {
  std::string file_name = name;
  std::replace(file_name.begin(), file_name.end(), '/', '-');
  auto unsigned_file = directory_ / (file_name + ".unsigned.edxml");
  std::ofstream(unsigned_file, std::ios::binary) << unsigned_bytes;
  StringSink signed_bytes;
  static const edxml::Parser parser;
  Status signed_ok =
      security::sign_document(unsigned_file, key_, certificate_, parser, signed_bytes);
  if (!signed_ok) throw std::runtime_error(signed_ok.error().to_string());
  auto file = directory_ / (file_name + ".edxml");
  std::ofstream(file, std::ios::binary) << signed_bytes.text();
  std::filesystem::remove(unsigned_file);
  return file;
}

}  // namespace truc::crash
