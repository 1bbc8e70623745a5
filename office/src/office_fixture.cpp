#include "office_fixture.hpp"

#include <fstream>

#include "truc/common/byte_stream.hpp"
#include "truc/office/schema.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/edxml_samples.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::office {
namespace {

std::string migrated_database() {
  std::string conninfo = testing::shared_postgres().create_database();
  auto connection = store::Connection::open(conninfo);
  EXPECT_TRUE(connection);
  auto migrated = store::migrate(**connection, office_schema());
  EXPECT_TRUE(migrated) << migrated.error().to_string();
  return conninfo;
}

store::BlobStore open_blobs(const std::filesystem::path& root) {
  return store::BlobStore::open(root).value();
}

security::TrustStore signature_trust(const testing::Issued& ca) {
  return security::TrustStore::load({.ca_files = {ca.certificate}}).value();
}

}  // namespace

OfficeFixture::OfficeFixture()
    : database_(migrated_database(), 4, std::chrono::seconds(5)),
      blobs_(open_blobs(directory_.path() / "blobs")),
      trust_(signature_trust(signing_ca_)) {}

Agency OfficeFixture::agency(const std::string& code, const std::string& name) {
  auto created = accounts_.create_agency(code, name, std::nullopt, kConsole);
  EXPECT_TRUE(created) << created.error().to_string();
  return created ? *created : Agency{};
}

std::filesystem::path OfficeFixture::spooled(const std::string& bytes) {
  auto path = blobs_.temporary_directory() / ("spooled-" + std::to_string(++next_package_));
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::size_t OfficeFixture::stored_files() {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(blobs_.root())) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  return files;
}

std::string OfficeFixture::package_bytes(const std::string& subject, bool signed_by_sender) {
  edxml::Package package = testing::sample_package();
  package.subject = subject;
  package.document_id += "-" + std::to_string(++next_package_);
  auto files = testing::write_attachment_files(package, directory_.path());
  std::string bytes = testing::build_package(package, files);
  if (!signed_by_sender) return bytes;
  testing::Issued signer = pki_.issue(signing_ca_, "sender-" + std::to_string(next_package_),
                                      {.common_name = "Văn phòng Chính phủ",
                                       .agency_code = testing::kSenderCode,
                                       .extended_key_usage = "clientAuth"});
  auto key = security::PrivateKey::from_pem(signer.key_pem).value();
  auto certificate = security::Certificate::from_pem(signer.certificate_pem).value();
  auto unsigned_file = directory_.write("unsigned.edxml", bytes);
  StringSink out;
  Status signed_ok = security::sign_document(unsigned_file, key, certificate, parser_, out);
  EXPECT_TRUE(signed_ok) << signed_ok.error().to_string();
  return out.text();
}

std::int64_t OfficeFixture::arrive(const Agency& agency, const std::string& subject,
                                   const std::string& hub_package_id) {
  auto path = spooled(package_bytes(subject));
  const std::string id =
      hub_package_id.empty() ? "hub-" + std::to_string(next_package_) : hub_package_id;
  auto stored = inbox_.receive({id, "edoc", testing::kSenderCode, agency.code, "", "push"}, path);
  EXPECT_TRUE(stored) << stored.error().to_string();
  return count(
      "SELECT i.id FROM incoming_documents i JOIN received_packages p ON p.id = i.package_id "
      "WHERE p.hub_package_id = $1 AND i.agency_id = $2",
      {id, std::to_string(agency.id)});
}

std::int64_t OfficeFixture::count(const std::string& sql,
                                  const std::vector<store::Parameter>& parameters) {
  auto lease = database_.acquire();
  auto rows = (*lease)->execute(sql, parameters);
  EXPECT_TRUE(rows) << rows.error().to_string();
  return rows && !rows->empty() ? rows->integer(0, 0) : -1;
}

void OfficeFixture::run(const std::string& sql, const std::vector<store::Parameter>& parameters) {
  auto lease = database_.acquire();
  auto done = (*lease)->execute(sql, parameters);
  ASSERT_TRUE(done) << done.error().to_string();
}

}  // namespace truc::office
