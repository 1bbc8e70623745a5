// The truc CLI as integrators use it: real processes, generated PKI, and xmlsec1 (the independent
// XML-DSig implementation) signing and verifying in both directions.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "truc/testing/pki.hpp"
#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc {
namespace {

using ::testing::HasSubstr;
using testing::ProcessResult;
using testing::run_process;
using ::testing::StartsWith;

constexpr const char* kSender = "000.00.00.G22";
constexpr const char* kRecipient = "000.00.00.H41";

class CliTest : public ::testing::Test {
 protected:
  CliTest()
      : pki_(directory_.path() / "pki"),
        ca_(pki_.create_ca("root-ca")),
        signer_(pki_.issue(ca_, "sender",
                           {.common_name = "Văn phòng Chính phủ", .agency_code = kSender})) {}

  static std::string truc() { return (testing::binary_dir() / "cli" / "truc").string(); }

  ProcessResult cli(std::vector<std::string> args, testing::ProcessOptions options = {}) {
    args.insert(args.begin(), truc());
    return run_process(args, options);
  }

  std::filesystem::path write_file(const std::string& name, std::size_t size,
                                   const std::string& head) {
    auto path = directory_.path() / name;
    std::ofstream stream(path, std::ios::binary);
    std::string chunk = head;
    chunk.resize(std::min<std::size_t>(size, 1 << 20), 'x');
    for (std::size_t written = 0; written < size; written += chunk.size()) {
      stream.write(chunk.data(),
                   static_cast<std::streamsize>(std::min(chunk.size(), size - written)));
      chunk.assign(chunk.size(), 'y');
    }
    return path;
  }

  // A new unsigned package with two attachments; returns its path.
  std::filesystem::path new_package(const std::string& name,
                                    std::vector<std::filesystem::path> attachments = {}) {
    if (attachments.empty()) {
      attachments = {write_file("Công văn 12.pdf", 3000, "%PDF-1.4\n"),
                     write_file("Phụ lục.txt", 500, "Bảng kê\n")};
    }
    auto output = directory_.path() / name;
    std::vector<std::string> args{"edxml",     "new",
                                  "--from",    kSender,
                                  "--to",      kRecipient,
                                  "--to",      "000.00.00.H13",
                                  "--subject", "V/v thử nghiệm trục liên thông",
                                  "--code",    "12/VPCP-TTĐT",
                                  "-o",        output.string(),
                                  "--attach"};
    for (const auto& attachment : attachments) args.push_back(attachment.string());
    auto result = cli(args);
    EXPECT_EQ(result.exit_status, 0) << result.err;
    return output;
  }

  std::filesystem::path sign(const std::filesystem::path& input, const testing::Issued& issued) {
    auto output = input.parent_path() / (input.stem().string() + "-signed.edxml");
    auto result = cli({"edxml", "sign", input.string(), "--key", issued.key.string(), "--cert",
                       issued.certificate.string(), "-o", output.string()});
    EXPECT_EQ(result.exit_status, 0) << result.err;
    return output;
  }

  ProcessResult verify(const std::filesystem::path& file, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"edxml", "verify", file.string(), "--trust-ca",
                                  ca_.certificate.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
  }

  // Inserts an xmlsec1 signature template as the last child of edXMLHeader.
  std::filesystem::path xmlsec1_template(const std::filesystem::path& input,
                                         const std::string& signature_method,
                                         const std::string& digest_method,
                                         const std::string& extra_transform = "") {
    std::string document = testing::read_file(input);
    std::string signature =
        "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>"
        "<CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
        "<SignatureMethod Algorithm=\"" +
        signature_method +
        "\"/><Reference URI=\"\"><Transforms>"
        "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>" +
        extra_transform + "</Transforms><DigestMethod Algorithm=\"" + digest_method +
        "\"/><DigestValue/></Reference></SignedInfo>"
        "<SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>";
    auto position = document.find("</edXML:edXMLHeader>");
    document.insert(position, signature);
    return directory_.write(input.stem().string() + "-template.edxml", document);
  }

  std::filesystem::path xmlsec1_sign(const std::filesystem::path& template_file) {
    auto output = template_file.parent_path() / (template_file.stem().string() + "-xmlsec1.edxml");
    auto result = run_process({"/usr/bin/xmlsec1", "--sign", "--privkey-pem",
                               signer_.key.string() + "," + signer_.certificate.string(),
                               "--output", output.string(), template_file.string()});
    EXPECT_EQ(result.exit_status, 0) << result.err;
    return output;
  }

  testing::TempDir directory_;
  testing::TestPki pki_;
  testing::Issued ca_;
  testing::Issued signer_;
};

TEST_F(CliTest, EveryCommandHasHelpAndUsageErrorsExitWithTwo) {
  EXPECT_EQ(cli({"--help"}).exit_status, 0);
  EXPECT_EQ(cli({"edxml", "--help"}).exit_status, 0);
  for (const char* command : {"inspect", "validate", "verify", "sign", "new", "status"}) {
    auto help = cli({"edxml", command, "--help"});
    EXPECT_EQ(help.exit_status, 0) << command;
    EXPECT_THAT(help.out, StartsWith("usage: truc edxml ")) << command;
  }
  EXPECT_EQ(cli({}).exit_status, 2);
  EXPECT_EQ(cli({"edxml", "frobnicate"}).exit_status, 2);
  EXPECT_EQ(cli({"edxml", "verify", "x.edxml"}).exit_status, 2);  // --trust-ca is required
  EXPECT_EQ(cli({"edxml", "new", "--from", kSender}).exit_status, 2);
  auto package = new_package("p.edxml");
  auto bad_code =
      cli({"edxml", "status", "--for", package.string(), "--code", "07", "--from", kRecipient});
  EXPECT_EQ(bad_code.exit_status, 2);
}

TEST_F(CliTest, BuildsSignsInspectsAndVerifiesAPackage) {
  auto signed_package = sign(new_package("p.edxml"), signer_);
  auto validated = cli({"edxml", "validate", signed_package.string()});
  EXPECT_EQ(validated.exit_status, 0) << validated.err;
  EXPECT_THAT(validated.out, StartsWith("ok: "));

  auto inspected = cli({"edxml", "inspect", "--json", signed_package.string()});
  ASSERT_EQ(inspected.exit_status, 0) << inspected.err;
  auto json = boost::json::parse(inspected.out).as_object();
  EXPECT_EQ(json.at("from").at("organ_id").as_string(), kSender);
  EXPECT_EQ(json.at("to").as_array().size(), 2u);
  EXPECT_EQ(json.at("to").at(1).at("organ_id").as_string(), "000.00.00.H13");
  EXPECT_EQ(json.at("code").at("code_number").as_string(), "12");
  EXPECT_EQ(json.at("code").at("code_notation").as_string(), "VPCP-TTĐT");
  EXPECT_EQ(json.at("subject").as_string(), "V/v thử nghiệm trục liên thông");
  EXPECT_THAT(std::string(json.at("document_id").as_string()),
              StartsWith(std::string(kSender) + ","));
  auto attachment = json.at("attachments").at(0).as_object();
  EXPECT_EQ(attachment.at("attachment_name").as_string(), "Công văn 12.pdf");
  EXPECT_EQ(attachment.at("size").as_int64(), 3000);
  EXPECT_EQ(attachment.at("detected_type").as_string(), "application/pdf");
  EXPECT_EQ(attachment.at("sha256").as_string().size(), 64u);
  EXPECT_EQ(json.at("signature").at("integrity").as_string(), "ok");
  EXPECT_EQ(json.at("signature").at("signer").at("agency_code").as_string(), kSender);
  EXPECT_TRUE(json.at("warnings").as_array().empty());

  auto text = cli({"edxml", "inspect", signed_package.string()});
  EXPECT_EQ(text.exit_status, 0);
  EXPECT_THAT(text.out, HasSubstr("Phụ lục.txt"));

  auto verified = verify(signed_package);
  EXPECT_EQ(verified.exit_status, 0) << verified.err;
  EXPECT_THAT(verified.out, HasSubstr(kSender));
}

TEST_F(CliTest, RejectsWithTheErrorCodeOnTheFirstLine) {
  auto signed_package = sign(new_package("p.edxml"), signer_);
  std::string document = testing::read_file(signed_package);
  const std::string original = "thử nghiệm";
  document.replace(document.find(original), original.size(), "chính thức");
  auto tampered = directory_.write("tampered.edxml", document);
  auto verified = verify(tampered);
  EXPECT_EQ(verified.exit_status, 1);
  EXPECT_THAT(verified.first_error_line(), StartsWith("error: signature.digest_mismatch: "));

  auto unsigned_result = verify(new_package("plain.edxml"));
  EXPECT_EQ(unsigned_result.exit_status, 1);
  EXPECT_THAT(unsigned_result.first_error_line(), StartsWith("error: signature.missing: "));

  auto later = verify(signed_package, {"--at", "2099-01-01T00:00:00Z"});
  EXPECT_THAT(later.first_error_line(), StartsWith("error: signature.certificate_expired: "));
  auto bad_time = verify(signed_package, {"--at", "tomorrow"});
  EXPECT_EQ(bad_time.exit_status, 2);

  auto truncated = directory_.write("truncated.edxml", document.substr(0, document.size() / 2));
  auto validated = cli({"edxml", "validate", truncated.string()});
  EXPECT_EQ(validated.exit_status, 1);
  EXPECT_THAT(validated.first_error_line(), StartsWith("error: parse.truncated: "));
  auto missing = cli({"edxml", "inspect", (directory_.path() / "absent.edxml").string()});
  EXPECT_EQ(missing.exit_status, 1);
  EXPECT_THAT(missing.first_error_line(), StartsWith("error: io.open: "));
}

TEST_F(CliTest, BuildsAStatusPacketAnsweringAPackage) {
  auto package = new_package("p.edxml");
  auto status_file = directory_.path() / "status.edxml";
  auto built =
      cli({"edxml", "status", "--for", package.string(), "--code", "03", "--from", kRecipient,
           "--description", "Đã vào sổ văn bản đến", "-o", status_file.string()});
  ASSERT_EQ(built.exit_status, 0) << built.err;
  auto inspected = cli({"edxml", "inspect", "--json", status_file.string()});
  ASSERT_EQ(inspected.exit_status, 0) << inspected.err;
  auto json = boost::json::parse(inspected.out).as_object();
  EXPECT_EQ(json.at("kind").as_string(), "status");
  EXPECT_EQ(json.at("status_code").as_string(), "03");
  EXPECT_EQ(json.at("response_for").at("organ_id").as_string(), kSender);
  EXPECT_EQ(json.at("description").as_string(), "Đã vào sổ văn bản đến");
  auto package_json = boost::json::parse(cli({"edxml", "inspect", "--json", package.string()}).out);
  EXPECT_EQ(json.at("response_for").at("document_id"), package_json.at("document_id"));
}

TEST_F(CliTest, Xmlsec1VerifiesWhatWeSign) {
  auto signed_package = sign(new_package("p.edxml"), signer_);
  auto result =
      run_process({"/usr/bin/xmlsec1", "--verify", "--trusted-pem", ca_.certificate.string(),
                   "--enabled-reference-uris", "empty", signed_package.string()});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("OK"));
}

TEST_F(CliTest, WeVerifyWhatXmlsec1Signs) {
  auto package = new_package("p.edxml");
  auto sha256 =
      xmlsec1_sign(xmlsec1_template(package, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                                    "http://www.w3.org/2001/04/xmlenc#sha256"));
  auto verified = verify(sha256);
  EXPECT_EQ(verified.exit_status, 0) << verified.err;

  // The deployed base signs with SHA-1: accepted with a warning unless forbidden.
  auto sha1 = xmlsec1_sign(xmlsec1_template(package, "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                                            "http://www.w3.org/2000/09/xmldsig#sha1"));
  auto weak = verify(sha1);
  EXPECT_EQ(weak.exit_status, 0) << weak.err;
  EXPECT_THAT(weak.err, HasSubstr("warning: signature.weak_algorithm"));
  auto forbidden = verify(sha1, {"--forbid-sha1"});
  EXPECT_EQ(forbidden.exit_status, 1);
  EXPECT_THAT(forbidden.first_error_line(), StartsWith("error: signature.algorithm_forbidden: "));
}

TEST_F(CliTest, RefusesAValidXmlsec1SignatureThatCoversOnlyPartOfTheDocument) {
  // xmlsec1 signs correctly, but an XPath transform leaves the attachments out of the signature.
  auto partial = xmlsec1_sign(xmlsec1_template(
      new_package("p.edxml"), "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
      "http://www.w3.org/2001/04/xmlenc#sha256",
      "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\">"
      "<XPath>not(ancestor-or-self::*[local-name()='AttachmentEncoded'])</XPath></Transform>"));
  auto verified = verify(partial);
  EXPECT_EQ(verified.exit_status, 1);
  EXPECT_THAT(verified.first_error_line(), StartsWith("error: signature.partial_reference: "));
}

TEST_F(CliTest, MemoryDoesNotGrowWithAttachmentSize) {
  auto small = sign(new_package("small.edxml"), signer_);
  auto big_file = write_file("big.pdf", 100u << 20, "%PDF-1.7\n");
  auto big = sign(new_package("big.edxml", {big_file}), signer_);
  std::filesystem::remove(big_file);
  // ASan keeps freed memory in quarantine, which would count as growth; keep it small here.
  testing::ProcessOptions options{.environment = {"ASAN_OPTIONS=quarantine_size_mb=1"}};
  auto small_run = cli({"edxml", "inspect", small.string()}, options);
  auto big_run = cli({"edxml", "inspect", big.string()}, options);
  ASSERT_EQ(small_run.exit_status, 0) << small_run.err;
  ASSERT_EQ(big_run.exit_status, 0) << big_run.err;
  EXPECT_THAT(big_run.out, HasSubstr("100 MiB"));
  long growth_kib = big_run.max_rss_kib - small_run.max_rss_kib;
  std::cout << "peak RSS: " << small_run.max_rss_kib / 1024 << " MiB for a small package, "
            << big_run.max_rss_kib / 1024 << " MiB for a 100 MiB attachment\n";
  EXPECT_LT(growth_kib, 64 * 1024);
}

}  // namespace
}  // namespace truc
