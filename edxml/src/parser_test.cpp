#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "truc/common/digest.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/edxml/validate.hpp"
#include "truc/testing/edxml_samples.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::edxml {
namespace {

using testing::build_package;
using ::testing::Contains;
using ::testing::Field;
using testing::parse_bytes;
using testing::replace_once;

class ParserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    package_ = testing::sample_package();
    files_ = testing::write_attachment_files(package_, directory_.path());
    bytes_ = build_package(package_, files_);
  }

  // The error code parsing `bytes` fails with.
  static std::string parse_error(const std::string& bytes, const ParseOptions& options = {}) {
    Parser parser(options);
    MemorySource source(bytes);
    DiscardAttachments attachments;
    auto parsed = parser.parse(source, attachments);
    if (parsed) return "parsed";
    return parsed.error().code;
  }

  static std::vector<std::string> finding_codes(const ValidationReport& report) {
    std::vector<std::string> codes;
    for (const auto& finding : report.findings) codes.push_back(finding.code);
    return codes;
  }

  testing::TempDir directory_;
  Package package_;
  std::vector<std::filesystem::path> files_;
  std::string bytes_;
};

TEST_F(ParserTest, ReadsBackEveryFieldOfABuiltPackageWithVietnameseTextIntact) {
  auto parsed = parse_bytes(bytes_);
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto report = validate(*parsed);
  EXPECT_TRUE(report.valid()) << report.first_error()->code << " " << report.first_error()->message;
  EXPECT_TRUE(report.findings.empty());

  const auto& read = std::get<Package>(parsed->document);
  EXPECT_EQ(read.from.organ_id, package_.from.organ_id);
  EXPECT_EQ(read.from.organ_add, "Số 1 Hoàng Hoa Thám, Ba Đình, Hà Nội");
  ASSERT_EQ(read.to.size(), 1u);
  EXPECT_EQ(read.to[0].organ_name, "Ủy ban nhân dân tỉnh Thừa Thiên Huế");
  EXPECT_EQ(read.document_id, package_.document_id);
  EXPECT_EQ(read.code.code_notation, "VPCP-KGVX");
  EXPECT_EQ(read.promulgation_info.promulgation_date, package_.promulgation_info.promulgation_date);
  EXPECT_EQ(read.document_type.type_name, "Công văn");
  EXPECT_EQ(read.subject, package_.subject);
  EXPECT_EQ(read.signer_info.full_name, "Nguyễn Văn Sơn");
  EXPECT_EQ(read.due_date, package_.due_date);
  EXPECT_EQ(read.other_info.priority, Priority::urgent);
  EXPECT_EQ(read.other_info.page_amount, 2);
  EXPECT_EQ(read.other_info.direction, false);
  EXPECT_EQ(read.steering_type, SteeringType::not_directive);
  EXPECT_EQ(read.to_places, package_.to_places);
  ASSERT_EQ(read.trace_headers.size(), 1u);
  EXPECT_EQ(read.trace_headers[0].timestamp, package_.trace_headers[0].timestamp);
  EXPECT_EQ(read.manifest_version, "1.0");
  ASSERT_EQ(read.manifest.size(), 2u);
  EXPECT_EQ(read.manifest[1].attachment_name, "Phụ lục kèm theo.pdf");
  ASSERT_EQ(read.attachments.size(), 2u);
  EXPECT_EQ(read.attachments[0].size, 2048u);
  EXPECT_EQ(read.attachments[0].sha256, sha256_hex(testing::read_file(files_[0])));
  EXPECT_EQ(read.attachments[0].detected_type, "application/pdf");
}

TEST_F(ParserTest, ReadsAStatusPacket) {
  auto parsed = parse_bytes(testing::build_status(testing::sample_status(StatusCode::accepted)));
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  EXPECT_TRUE(validate(*parsed).valid());
  const auto& status = std::get<StatusPacket>(parsed->document);
  EXPECT_EQ(status.status_code, StatusCode::accepted);
  EXPECT_EQ(status.response_for.document_id, package_.document_id);
  ASSERT_TRUE(status.staff_info);
  EXPECT_EQ(status.staff_info->staff, "Trần Thị Hoa");
}

// Collects what the parser hands over, checking that no single write is large. The parser owns
// (and destroys) each ByteSink; what it wrote stays in `records`.
class RecordingSink final : public AttachmentSink {
 public:
  struct Record {
    AttachmentHeader header;
    std::string bytes;
    std::size_t largest_write = 0;
    bool finished = false;
  };
  Result<std::unique_ptr<ByteSink>> open_attachment(std::size_t index,
                                                    const AttachmentHeader& header) override {
    EXPECT_EQ(index, records.size());
    records.push_back({header, {}, 0, false});
    return std::unique_ptr<ByteSink>(std::make_unique<Writer>(records.back()));
  }
  std::deque<Record> records;

 private:
  struct Writer final : ByteSink {
    explicit Writer(Record& record_in) : record(record_in) {}
    Status write(std::string_view chunk) override {
      record.bytes.append(chunk);
      record.largest_write = std::max(record.largest_write, chunk.size());
      return ok_status();
    }
    Status finish() override {
      record.finished = true;
      return ok_status();
    }
    Record& record;
  };
};

TEST_F(ParserTest, StreamsDecodedAttachmentsIntoTheSinkInBoundedChunks) {
  auto files = testing::write_attachment_files(package_, directory_.path(), 1 << 20);
  std::string bytes = build_package(package_, files);
  Parser parser;
  MemorySource source(bytes);
  RecordingSink sink;
  auto parsed = parser.parse(source, sink);
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[1].header.content_id, "cid:2");
  EXPECT_EQ(sink.records[1].header.attachment_name, "Phụ lục kèm theo.pdf");
  for (std::size_t index = 0; index < 2; ++index) {
    EXPECT_TRUE(sink.records[index].bytes == testing::read_file(files[index]));
    EXPECT_TRUE(sink.records[index].finished);
    EXPECT_LE(sink.records[index].largest_write, 64u * 1024);
  }
}

TEST_F(ParserTest, RefusesDoctypeWithExternalEntity) {
  std::string xxe =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
      "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">&xxe;</edXML>";
  EXPECT_EQ(parse_error(xxe), "parse.dtd_forbidden");
}

TEST_F(ParserTest, RefusesBillionLaughs) {
  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int level = 1; level <= 9; ++level) {
    laughs += "<!ENTITY lol" + std::to_string(level) + " \"";
    for (int repeat = 0; repeat < 10; ++repeat)
      laughs += "&lol" + (level == 1 ? "" : std::to_string(level - 1)) + ";";
    laughs += "\">";
  }
  laughs += "]>\n<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">&lol9;</edXML>";
  EXPECT_EQ(parse_error(laughs), "parse.dtd_forbidden");
}

TEST_F(ParserTest, RefusesDeepNestingWithoutRecursing) {
  std::string deep = "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">";
  for (int level = 0; level < 100000; ++level) deep += "<a>";
  for (int level = 0; level < 100000; ++level) deep += "</a>";
  deep += "</edXML>";
  EXPECT_EQ(parse_error(deep), "parse.too_deep");
}

TEST_F(ParserTest, RefusesHugeAttributeCounts) {
  std::string attributes;
  for (int index = 0; index < 5000; ++index) attributes += " a" + std::to_string(index) + "=\"x\"";
  EXPECT_EQ(parse_error(replace_once(bytes_, "<edXML:edXMLHeader>",
                                     "<edXML:edXMLHeader" + attributes + ">")),
            "parse.too_many_attributes");
}

TEST_F(ParserTest, RefusesHugeElementCounts) {
  std::string elements;
  for (int index = 0; index < 30000; ++index) elements += "<edXML:Place>x</edXML:Place>";
  EXPECT_EQ(parse_error(replace_once(bytes_, "<edXML:Place>Như trên;</edXML:Place>", elements)),
            "parse.too_many_elements");
}

TEST_F(ParserTest, ReportsTruncatedInput) {
  EXPECT_EQ(parse_error(bytes_.substr(0, bytes_.size() / 2)), "parse.truncated");
  EXPECT_EQ(parse_error(bytes_.substr(0, bytes_.size() - 3)), "parse.truncated");
  EXPECT_EQ(parse_error(""), "parse.truncated");
}

TEST_F(ParserTest, TellsMalformedSmallDocumentsFromTruncatedOnes) {
  const std::string root = "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">";
  EXPECT_EQ(parse_error(root + "<a></b></edXML>"), "parse.malformed");
  EXPECT_EQ(parse_error(root + "<a x='1' x='2'/></edXML>"), "parse.malformed");
  EXPECT_EQ(parse_error(root + "<a>"), "parse.truncated");
  EXPECT_EQ(parse_error(root + "<a x='"), "parse.truncated");
  EXPECT_EQ(parse_error(root.substr(0, 20)), "parse.truncated");
}

TEST_F(ParserTest, ForgetsTheNamespacesOfPastDocuments) {
  Parser parser;
  for (int index = 0; index < 5000; ++index) {
    std::string document =
        replace_once(bytes_, "<edXML:edXMLEnvelope ",
                     "<edXML:edXMLEnvelope xmlns:n=\"urn:unique:" + std::to_string(index) + "\" ");
    MemorySource source(document);
    DiscardAttachments attachments;
    ASSERT_TRUE(parser.parse(source, attachments));
  }
  EXPECT_LE(parser.interned_namespace_count(), 4200u);
}

TEST_F(ParserTest, RefusesBytesThatAreNotUtf8) {
  EXPECT_EQ(parse_error(replace_once(bytes_, "triển khai", "tri\xff\xfen khai")),
            "parse.invalid_utf8");
  // An overlong encoding of '<'.
  EXPECT_EQ(parse_error(replace_once(bytes_, "triển khai", "tri\xc0\xbc khai")),
            "parse.invalid_utf8");
}

TEST_F(ParserTest, RefusesOtherDeclaredEncodings) {
  EXPECT_EQ(parse_error(replace_once(bytes_, "encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"")),
            "parse.unsupported_encoding");
}

TEST_F(ParserTest, RefusesLeadingJunkBeforeTheDeclaration) {
  EXPECT_EQ(parse_error("junk" + bytes_), "parse.malformed");
  EXPECT_EQ(parse_error("\n" + bytes_), "parse.malformed");
}

TEST_F(ParserTest, RefusesTheWrongNamespaceOrRoot) {
  std::string other = bytes_;
  for (auto position = other.find("QCVN_102_2016"); position != std::string::npos;
       position = other.find("QCVN_102_2016", position)) {
    other.replace(position, 13, "QCVN_999_2099");
  }
  EXPECT_EQ(parse_error(other), "parse.wrong_namespace");
  EXPECT_EQ(parse_error("<?xml version=\"1.0\"?><html><body/></html>"), "parse.not_edxml");
}

TEST_F(ParserTest, RefusesAttachmentContentThatIsNotBase64) {
  auto start = bytes_.find("ContentTransferEncoded");
  start = bytes_.find('>', start) + 10;
  std::string broken = bytes_;
  broken[start] = '*';
  EXPECT_EQ(parse_error(broken), "attachment.base64_invalid");
}

TEST_F(ParserTest, EnforcesTextTokenDocumentAndAttachmentLimits) {
  EXPECT_EQ(parse_error(replace_once(bytes_, "triển khai", std::string(300 * 1024, 'x'))),
            "parse.text_too_long");
  EXPECT_EQ(parse_error(replace_once(bytes_, "<edXML:edXMLBody>",
                                     "<!--" + std::string(2 << 20, 'c') + "--><edXML:edXMLBody>")),
            "parse.token_too_long");
  ParseOptions small;
  small.limits.max_document_bytes = 4096;
  EXPECT_EQ(parse_error(bytes_, small), "parse.too_large");
  ParseOptions small_attachments;
  small_attachments.limits.max_attachment_bytes = 1000;
  EXPECT_EQ(parse_error(bytes_, small_attachments), "attachment.too_large");
  ParseOptions one_attachment;
  one_attachment.limits.max_attachments = 1;
  EXPECT_EQ(parse_error(bytes_, one_attachment), "attachment.too_many");
}

TEST_F(ParserTest, ReportsSchemaViolationsAsErrorFindings) {
  auto parsed = parse_bytes(
      replace_once(bytes_, "<edXML:Subject>", "<edXML:Surprise>x</edXML:Surprise><edXML:Subject>"));
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto report = validate(*parsed);
  ASSERT_FALSE(report.valid());
  EXPECT_EQ(report.first_error()->code, "schema.invalid");
  EXPECT_THAT(report.first_error()->message, ::testing::HasSubstr("Surprise"));
}

TEST_F(ParserTest, ToleratesDeployedVariantsAndSaysSo) {
  std::string variant = replace_once(
      bytes_, "<edXML:OrganizationInCharge>Văn phòng Chính phủ</edXML:OrganizationInCharge>",
      "<edXML:OrganInCharge>Văn phòng Chính phủ</edXML:OrganInCharge>");
  variant = replace_once(variant, "<edXML:DocumentId>", "<edXML:DocumentId> ");
  variant = replace_once(variant, "<edXML:TraceHeader>",
                         "<edXML:TraceHeader></edXML:TraceHeader><edXML:TraceHeader>");
  variant = replace_once(variant, "</edXML:edXMLHeader>",
                         "<edXML:Signature>legacy</edXML:Signature></edXML:edXMLHeader>");
  auto parsed = parse_bytes(variant);
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto report = validate(*parsed);
  EXPECT_TRUE(report.valid()) << report.first_error()->code << ": "
                              << report.first_error()->message;
  auto codes = finding_codes(report);
  EXPECT_THAT(codes, Contains("organ.in_charge_alias"));
  EXPECT_THAT(codes, Contains("field.whitespace_trimmed"));
  EXPECT_THAT(codes, Contains("trace.empty_entry"));
  EXPECT_THAT(codes, Contains("signature.not_xmldsig"));
  const auto& read = std::get<Package>(parsed->document);
  EXPECT_EQ(read.from.organization_in_charge, "Văn phòng Chính phủ");
  EXPECT_EQ(read.document_id, package_.document_id);
  EXPECT_EQ(read.trace_headers.size(), 1u);
}

// `bytes` with the first `moved` element after the opening tag of `parent` moved in front of the
// first `before` element after that tag (`moved` must come after `before`).
std::string move_before(std::string bytes, const std::string& parent, const std::string& moved,
                        const std::string& before) {
  auto start = bytes.find("<edXML:" + parent + ">");
  auto open = bytes.find("<edXML:" + moved + ">", start);
  const std::string close_tag = "</edXML:" + moved + ">";
  auto close = bytes.find(close_tag, open);
  if (start == std::string::npos || open == std::string::npos || close == std::string::npos)
    throw std::runtime_error("move_before: " + parent + "/" + moved + " not found");
  close += close_tag.size();
  std::string element = bytes.substr(open, close - open);
  bytes.erase(open, close - open);
  auto target = bytes.find("<edXML:" + before + ">", start);
  if (target == std::string::npos || target > open)
    throw std::runtime_error("move_before: " + before + " does not precede " + moved);
  bytes.insert(target, element);
  return bytes;
}

std::vector<Finding> order_warnings(const ValidationReport& report) {
  std::vector<Finding> found;
  for (const auto& finding : report.findings) {
    if (finding.code == "field.order_tolerated") found.push_back(finding);
  }
  return found;
}

const std::string kHeader = "edXMLEnvelope/edXMLHeader/MessageHeader";

TEST_F(ParserTest, AcceptsAStatusWhoseLeafChildrenComeInAnotherOrderAndSaysSo) {
  std::string documented = testing::build_status(testing::sample_status(StatusCode::accepted));
  std::string reordered = move_before(documented, "From", "OrganName", "OrganId");
  reordered = move_before(reordered, "ResponseFor", "PromulgationDate", "Code");
  reordered = move_before(reordered, "ResponseFor", "DocumentId", "OrganId");
  reordered = move_before(reordered, "StaffInfo", "Mobile", "Email");
  auto parsed = parse_bytes(reordered);
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto report = validate(*parsed);
  ASSERT_TRUE(report.valid()) << report.first_error()->code << ": "
                              << report.first_error()->message;
  // Once per parent element, naming the first pair out of order.
  auto warnings = order_warnings(report);
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0].severity, Severity::warning);
  EXPECT_EQ(warnings[0].path, kHeader + "/From");
  EXPECT_THAT(warnings[0].message, ::testing::StartsWith("From: OrganName before OrganId"));
  EXPECT_EQ(warnings[1].path, kHeader + "/ResponseFor");
  EXPECT_THAT(warnings[1].message, ::testing::StartsWith("ResponseFor: DocumentId before OrganId"));
  EXPECT_EQ(warnings[2].path, kHeader + "/StaffInfo");
  EXPECT_THAT(warnings[2].message, ::testing::StartsWith("StaffInfo: Mobile before Email"));

  const auto& status = std::get<StatusPacket>(parsed->document);
  const auto expected = testing::sample_status(StatusCode::accepted);
  EXPECT_EQ(status.from.organ_id, expected.from.organ_id);
  EXPECT_EQ(status.from.organ_name, expected.from.organ_name);
  EXPECT_EQ(status.response_for.document_id, expected.response_for.document_id);
  EXPECT_EQ(status.response_for.promulgation_date, expected.response_for.promulgation_date);
  ASSERT_TRUE(status.staff_info);
  EXPECT_EQ(status.staff_info->email, expected.staff_info->email);
  EXPECT_EQ(status.staff_info->mobile, expected.staff_info->mobile);

  // What Trục writes from it is in the documented order again.
  EXPECT_EQ(testing::build_status(status), documented);
  EXPECT_TRUE(order_warnings(validate(*parse_bytes(documented))).empty());
}

TEST_F(ParserTest, AcceptsAPackageWhoseLeafChildrenComeInAnotherOrderAndSaysSo) {
  package_.response_for.push_back(
      {testing::kRecipientCode, "45/UBND-VP",
       Date{std::chrono::year(2024), std::chrono::month(3), std::chrono::day(1)},
       std::string(testing::kRecipientCode) + ",2024/03/01,45/UBND-VP"});
  package_.business = Business{};
  package_.business->staff_info = StaffInfo{"Văn thư", "Lê Văn An", "an@chinhphu.vn", "0987654321"};
  std::string documented = build_package(package_, files_);
  ASSERT_TRUE(order_warnings(validate(*parse_bytes(documented))).empty());

  std::string reordered = move_before(documented, "From", "OrganName", "OrganizationInCharge");
  reordered = move_before(reordered, "To", "OrganName", "OrganId");
  reordered = move_before(reordered, "ResponseFor", "PromulgationDate", "Code");
  reordered = move_before(reordered, "StaffInfo", "Mobile", "Department");
  auto parsed = parse_bytes(reordered);
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto report = validate(*parsed);
  ASSERT_TRUE(report.valid()) << report.first_error()->code << ": "
                              << report.first_error()->message;
  auto warnings = order_warnings(report);
  ASSERT_EQ(warnings.size(), 4u);
  EXPECT_EQ(warnings[0].path, kHeader + "/From");
  EXPECT_THAT(warnings[0].message,
              ::testing::StartsWith("From: OrganName before OrganizationInCharge"));
  EXPECT_EQ(warnings[1].path, kHeader + "/To[1]");
  EXPECT_THAT(warnings[1].message, ::testing::StartsWith("To[1]: OrganName before OrganId"));
  EXPECT_EQ(warnings[2].path, kHeader + "/ResponseFor[1]");
  EXPECT_THAT(warnings[2].message,
              ::testing::StartsWith("ResponseFor[1]: PromulgationDate before Code"));
  EXPECT_EQ(warnings[3].path, "edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/StaffInfo");
  EXPECT_THAT(warnings[3].message, ::testing::StartsWith("StaffInfo: Mobile before Department"));

  const auto& read = std::get<Package>(parsed->document);
  EXPECT_EQ(read.from.organization_in_charge, package_.from.organization_in_charge);
  EXPECT_EQ(read.to[0].organ_name, package_.to[0].organ_name);
  ASSERT_EQ(read.response_for.size(), 1u);
  EXPECT_EQ(read.response_for[0].code, "45/UBND-VP");
  ASSERT_TRUE(read.business && read.business->staff_info);
  EXPECT_EQ(read.business->staff_info->mobile, "0987654321");
}

TEST_F(ParserTest, StillRefusesRepeatedOrMissingLeafChildrenInAnyOrder) {
  auto schema_refused = [](const std::string& bytes) {
    auto parsed = parse_bytes(bytes);
    if (!parsed) return false;
    auto report = validate(*parsed);
    return !report.valid() && report.first_error()->code == "schema.invalid";
  };
  std::string status = testing::build_status(testing::sample_status(StatusCode::accepted));
  std::string organ_name = "<edXML:OrganName>Ủy ban nhân dân tỉnh Thừa Thiên Huế</edXML:OrganName>";
  EXPECT_TRUE(schema_refused(replace_once(status, organ_name, organ_name + organ_name)));
  EXPECT_TRUE(schema_refused(replace_once(
      status, "<edXML:OrganId>" + std::string(testing::kRecipientCode) + "</edXML:OrganId>", "")));
  auto document_id = status.find("<edXML:DocumentId>");
  auto document_id_end =
      status.find("</edXML:DocumentId>") + std::string("</edXML:DocumentId>").size();
  EXPECT_TRUE(schema_refused(status.substr(0, document_id) + status.substr(document_id_end)));
  std::string email = "<edXML:Email>vanthu@thuathienhue.gov.vn</edXML:Email>";
  EXPECT_TRUE(schema_refused(replace_once(status, email, email + email)));
  // A package's To, reordered and with one child repeated.
  std::string package = move_before(bytes_, "To", "OrganName", "OrganId");
  EXPECT_TRUE(
      schema_refused(replace_once(package, "<edXML:OrganName>Ủy ban",
                                  "<edXML:OrganName>x</edXML:OrganName><edXML:OrganName>Ủy ban")));
}

TEST_F(ParserTest, RefusesBothOrganizationInChargeAndOrganInCharge) {
  std::string both = replace_once(
      bytes_, "<edXML:OrganizationInCharge>Văn phòng Chính phủ</edXML:OrganizationInCharge>",
      "<edXML:OrganInCharge>VPCP</edXML:OrganInCharge>"
      "<edXML:OrganizationInCharge>Văn phòng Chính phủ</edXML:OrganizationInCharge>");
  auto parsed = parse_bytes(both);
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto report = validate(*parsed);
  ASSERT_FALSE(report.valid());
  EXPECT_EQ(report.first_error()->code, "organ.in_charge_conflict");
  EXPECT_EQ(report.first_error()->path, kHeader + "/From/OrganInCharge");
  EXPECT_EQ(report.errors().size(), 1u);
}

TEST_F(ParserTest, ReportsValuesTheModelCannotHold) {
  std::string bad = replace_once(bytes_, "<edXML:PromulgationDate>2024/03/15",
                                 "<edXML:PromulgationDate>15/03/2024");
  bad = replace_once(bad, "<edXML:Priority>1", "<edXML:Priority>7");
  bad = replace_once(bad, "<edXML:PageAmount>2", "<edXML:PageAmount>two");
  auto parsed = parse_bytes(bad);
  ASSERT_TRUE(parsed);
  auto codes = finding_codes(validate(*parsed));
  EXPECT_THAT(codes, Contains("field.invalid_date"));
  EXPECT_THAT(codes, Contains("field.invalid_code"));
  EXPECT_THAT(codes, Contains("field.invalid_number"));
}

}  // namespace
}  // namespace truc::edxml
