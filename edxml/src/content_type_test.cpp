#include "truc/edxml/content_type.hpp"

#include <gtest/gtest.h>

namespace truc::edxml {
namespace {

TEST(ContentType, DetectsCommonOfficeFormatsFromTheirFirstBytes) {
  EXPECT_EQ(detect_content_type("%PDF-1.7\n"), "application/pdf");
  EXPECT_EQ(detect_content_type(std::string("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) + "rest"),
            "application/x-ole-storage");
  EXPECT_EQ(detect_content_type(std::string("Rar!\x1a\x07\x00", 7)), "application/vnd.rar");
  EXPECT_EQ(detect_content_type("{\\rtf1\\ansi"), "application/rtf");
  EXPECT_EQ(detect_content_type("Công văn số 12"), "text/plain");
  EXPECT_EQ(detect_content_type(std::string("\x00\x01\x02", 3)), "application/octet-stream");
}

TEST(ContentType, TellsOfficeOpenXmlAndOpenDocumentFromPlainZip) {
  std::string header("PK\x03\x04", 4);
  header += std::string(26, '\0');
  std::string ooxml = header;
  ooxml[26] = 19;
  ooxml += "[Content_Types].xml";
  EXPECT_EQ(detect_content_type(ooxml), "application/vnd.openxmlformats-officedocument");
  std::string odf = header;
  odf[26] = 8;
  odf += "mimetypeapplication/vnd.oasis.opendocument.textPK";
  EXPECT_EQ(detect_content_type(odf), "application/vnd.oasis.opendocument.text");
  EXPECT_EQ(detect_content_type(header + "other"), "application/zip");
}

TEST(ContentType, AgreementAllowsAliasesButNotLies) {
  EXPECT_TRUE(content_types_agree("application/pdf", "application/pdf"));
  EXPECT_TRUE(content_types_agree("application/msword", "application/x-ole-storage"));
  EXPECT_TRUE(
      content_types_agree("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                          "application/vnd.openxmlformats-officedocument"));
  EXPECT_TRUE(
      content_types_agree("application/zip", "application/vnd.openxmlformats-officedocument"));
  EXPECT_TRUE(content_types_agree("", "application/pdf"));
  EXPECT_FALSE(content_types_agree("application/pdf", "application/zip"));
  EXPECT_FALSE(content_types_agree("application/msword", "application/pdf"));
}

TEST(ContentType, DeclaredTypeFollowsTheExtension) {
  EXPECT_EQ(content_type_for_file_name("Công văn.PDF"), "application/pdf");
  EXPECT_EQ(content_type_for_file_name("bao-cao.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(content_type_for_file_name("README"), "application/octet-stream");
}

}  // namespace
}  // namespace truc::edxml
