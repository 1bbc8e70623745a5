#include "truc/edxml/validate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "truc/testing/edxml_samples.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::edxml {
namespace {

using ::testing::Contains;

class ValidateTest : public ::testing::Test {
 protected:
  // The codes of every finding about `package` once built and parsed back.
  std::vector<std::string> codes_for(const Package& package) {
    auto files = testing::write_attachment_files(package, directory_.path());
    auto parsed = testing::parse_bytes(testing::build_package(package, files));
    EXPECT_TRUE(parsed) << parsed.error().to_string();
    std::vector<std::string> codes;
    if (!parsed) return codes;
    for (const auto& finding : validate(*parsed).findings) codes.push_back(finding.code);
    return codes;
  }

  std::vector<std::string> codes_for_bytes(const std::string& bytes) {
    auto parsed = testing::parse_bytes(bytes);
    EXPECT_TRUE(parsed) << parsed.error().to_string();
    std::vector<std::string> codes;
    if (!parsed) return codes;
    for (const auto& finding : validate(*parsed).findings) codes.push_back(finding.code);
    return codes;
  }

  testing::TempDir directory_;
};

TEST_F(ValidateTest, AcceptsTheSamplePackage) {
  EXPECT_TRUE(codes_for(testing::sample_package()).empty());
}

TEST_F(ValidateTest, RefusesDuplicateContentIds) {
  auto package = testing::sample_package();
  package.attachments[1].content_id = package.attachments[0].content_id;
  EXPECT_THAT(codes_for(package), Contains("attachment.duplicate_content_id"));
}

TEST_F(ValidateTest, RefusesManifestAndAttachmentsThatDisagree) {
  auto package = testing::sample_package();
  auto files = testing::write_attachment_files(package, directory_.path());
  std::string bytes = testing::build_package(package, files);
  auto renamed_in_manifest =
      codes_for_bytes(testing::replace_once(bytes, "<edXML:ContentId>cid:2</edXML:ContentId>",
                                            "<edXML:ContentId>cid:9</edXML:ContentId>"));
  EXPECT_THAT(renamed_in_manifest, Contains("manifest.missing_attachment"));
  EXPECT_THAT(renamed_in_manifest, Contains("manifest.unlisted_attachment"));
  auto dropped_from_manifest = codes_for_bytes(testing::replace_once(
      bytes, "<edXML:Reference>\n          <edXML:ContentId>cid:2</edXML:ContentId>",
      "<edXML:Reference>\n          <edXML:ContentId>cid:1</edXML:ContentId>"));
  EXPECT_THAT(dropped_from_manifest, Contains("manifest.unlisted_attachment"));
  EXPECT_THAT(dropped_from_manifest, Contains("attachment.duplicate_content_id"));
}

TEST_F(ValidateTest, RefusesAttachmentNamesThatAreNotPlainFileNames) {
  for (std::string name : {"../../etc/passwd", "..", "a/b.pdf", "C:\\x.pdf", "report\t.pdf",
                           "line\nbreak.pdf", "invoice\xe2\x80\xaeop.exe", "c1\xc2\x85.pdf", ""}) {
    auto package = testing::sample_package();
    package.attachments[0].attachment_name = name;
    EXPECT_THAT(codes_for(package), Contains("attachment.unsafe_name")) << name;
  }
}

TEST_F(ValidateTest, WarnsWhenTheDeclaredTypeDisagreesWithTheBytes) {
  auto package = testing::sample_package();
  package.attachments[0].content_type = "application/msword";
  auto codes = codes_for(package);
  EXPECT_THAT(codes, Contains("attachment.type_mismatch"));
}

TEST_F(ValidateTest, WarnsAboutSystemIdsInOrganIdAndOverlongFields) {
  auto package = testing::sample_package();
  package.to[0].organ_id = "vpcp.edoc";
  package.subject = std::string(501, 'a');
  auto codes = codes_for(package);
  EXPECT_THAT(codes, Contains("organ.not_agency_code"));
  EXPECT_THAT(codes, Contains("field.too_long"));
}

TEST_F(ValidateTest, RequiresARecallToNameTheDocumentItRecalls) {
  auto package = testing::sample_package();
  package.business = Business{};
  package.business->business_doc_type = BusinessDocType::recall;
  EXPECT_THAT(codes_for(package), Contains("business.missing_document_id"));
  package.business->document_id = package.document_id;
  EXPECT_TRUE(codes_for(package).empty());
}

}  // namespace
}  // namespace truc::edxml
