#include "truc/security/xmldsig.hpp"

#include <gtest/gtest.h>

#include "truc/common/file.hpp"
#include "truc/testing/edxml_samples.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::security {
namespace {

using std::chrono::hours;
using testing::replace_once;

Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

class XmlDsigTest : public ::testing::Test {
 protected:
  XmlDsigTest()
      : pki_(directory_.path() / "pki"),
        ca_(pki_.create_ca("root-ca")),
        signer_(pki_.issue(
            ca_, "sender",
            {.common_name = "Văn phòng Chính phủ", .agency_code = testing::kSenderCode})) {
    package_ = testing::sample_package();
    files_ = testing::write_attachment_files(package_, directory_.path());
    unsigned_ = testing::build_package(package_, files_);
  }

  std::string sign(const std::string& document, const testing::Issued& issued,
                   SignOptions options = {}) {
    auto input = directory_.write("unsigned.edxml", document);
    auto key = PrivateKey::load_pem_file(issued.key);
    auto certificate = Certificate::from_pem(issued.certificate_pem);
    EXPECT_TRUE(key && certificate);
    StringSink out;
    Status signed_ok = sign_document(input, *key, *certificate, parser_, out, options);
    EXPECT_TRUE(signed_ok) << signed_ok.error().to_string();
    return out.text();
  }
  std::string sign(const testing::Issued& issued) { return sign(unsigned_, issued); }

  Result<VerifiedSignature> verify(const std::string& document, VerifyOptions options = {},
                                   std::vector<std::filesystem::path> crls = {}) {
    SignatureReader reader;
    MemorySource source(document);
    edxml::DiscardAttachments attachments;
    auto parsed = parser_.parse(source, attachments, &reader);
    if (!parsed) return std::move(parsed).error();
    auto trust = TrustStore::load({{ca_.certificate}, {}, std::move(crls)});
    EXPECT_TRUE(trust);
    return reader.verify(*trust, options);
  }

  std::string verdict(const std::string& document, VerifyOptions options = {},
                      std::vector<std::filesystem::path> crls = {}) {
    auto verified = verify(document, options, std::move(crls));
    return verified ? "ok" : verified.error().code;
  }

  testing::TempDir directory_;
  testing::TestPki pki_;
  testing::Issued ca_;
  testing::Issued signer_;
  edxml::Parser parser_;
  edxml::Package package_;
  std::vector<std::filesystem::path> files_;
  std::string unsigned_;
};

TEST_F(XmlDsigTest, VerifiesWhatItSignedAndNamesTheSigner) {
  std::string signed_document = sign(signer_);
  auto verified = verify(signed_document);
  ASSERT_TRUE(verified) << verified.error().to_string();
  EXPECT_EQ(verified->signer.agency_code(), testing::kSenderCode);
  EXPECT_FALSE(verified->weak);
  EXPECT_TRUE(verified->warnings.empty());
  EXPECT_NE(signed_document.find("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">"),
            std::string::npos);
  EXPECT_LT(signed_document.find("</Signature>"), signed_document.find("</edXML:edXMLHeader>"));
  // The signed document is still a valid package with the same content.
  auto parsed = testing::parse_bytes(signed_document);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(std::get<edxml::Package>(parsed->document).subject, package_.subject);
}

TEST_F(XmlDsigTest, SigningIsDeterministicForRsa) { EXPECT_EQ(sign(signer_), sign(signer_)); }

TEST_F(XmlDsigTest, SignsAndVerifiesStatusPacketsAndEllipticCurveKeys) {
  auto ec_signer = pki_.issue(ca_, "ec-sender",
                              {.agency_code = testing::kRecipientCode, .elliptic_curve = true});
  std::string status =
      sign(testing::build_status(testing::sample_status(edxml::StatusCode::accepted)), ec_signer);
  EXPECT_NE(status.find("ecdsa-sha256"), std::string::npos);
  EXPECT_EQ(verdict(status), "ok");
}

TEST_F(XmlDsigTest, DetectsATamperedHeader) {
  std::string document =
      replace_once(sign(signer_), "triển khai thí điểm", "triển khai chính thức");
  EXPECT_EQ(verdict(document), "signature.digest_mismatch");
}

TEST_F(XmlDsigTest, DetectsATamperedAttachment) {
  std::string document = sign(signer_);
  auto position = document.find('>', document.find("ContentTransferEncoded")) + 40;
  document[position] = document[position] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verdict(document), "signature.digest_mismatch");
}

TEST_F(XmlDsigTest, DetectsTamperedSignatureValuesAndSignedInfo) {
  std::string document = sign(signer_);
  auto value = document.find("<SignatureValue>") + 20;
  std::string wrong_value = document;
  wrong_value[value] = wrong_value[value] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verdict(wrong_value), "signature.invalid");
  auto digest = document.find("<DigestValue>") + 13;
  std::string wrong_digest = document;
  wrong_digest[digest] = wrong_digest[digest] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verdict(wrong_digest), "signature.digest_mismatch");
  EXPECT_EQ(verdict(replace_once(document, "xmldsig-more#rsa-sha256", "xmldsig-more#rsa-sha512")),
            "signature.invalid");
}

TEST_F(XmlDsigTest, RefusesAMovedSignature) {
  std::string document = sign(signer_);
  auto start = document.find("<Signature ");
  auto end = document.find("</Signature>") + 12;
  std::string signature = document.substr(start, end - start);
  document.erase(start, end - start);
  // Under the enveloped transform a moved signature still digests correctly; placement is policy.
  document = replace_once(document, "</edXML:edXMLBody>", signature + "</edXML:edXMLBody>");
  EXPECT_EQ(verdict(document), "signature.misplaced");
}

TEST_F(XmlDsigTest, RefusesCopiedSignatures) {
  std::string document = sign(signer_);
  auto start = document.find("<Signature ");
  auto end = document.find("</Signature>") + 12;
  std::string signature = document.substr(start, end - start);
  EXPECT_EQ(verdict(replace_once(document, "</Signature>", "</Signature>" + signature)),
            "signature.multiple");

  // A valid signature pasted onto another document.
  auto other = package_;
  other.subject = "Một văn bản khác";
  std::string other_unsigned = testing::build_package(other, files_);
  EXPECT_EQ(verdict(replace_once(other_unsigned, "</edXML:edXMLHeader>",
                                 signature + "</edXML:edXMLHeader>")),
            "signature.digest_mismatch");
}

TEST_F(XmlDsigTest, DetectsSignatureWrapping) {
  // The classic wrapping attack: keep the signed header inside ds:Object, change the one read.
  std::string document = sign(signer_);
  auto header_start = document.find("<edXML:MessageHeader>");
  auto header_end = document.find("</edXML:MessageHeader>") + 22;
  std::string original_header = document.substr(header_start, header_end - header_start);
  document =
      replace_once(document, "</KeyInfo>", "</KeyInfo><Object>" + original_header + "</Object>");
  document = replace_once(document, "triển khai thí điểm", "chuyển tiền gấp");
  EXPECT_EQ(verdict(document), "signature.digest_mismatch");
}

TEST_F(XmlDsigTest, RefusesReferencesThatLeavePartsUnsigned) {
  std::string document = sign(signer_);
  EXPECT_EQ(verdict(replace_once(document, "<Reference URI=\"\">", "<Reference URI=\"#header\">")),
            "signature.partial_reference");
  EXPECT_EQ(verdict(replace_once(document, "<Reference URI=\"\">", "<Reference>")),
            "signature.partial_reference");
  EXPECT_EQ(
      verdict(replace_once(
          document, "</Transform>",
          "<XPath>not(ancestor-or-self::*[local-name()='AttachmentEncoded'])</XPath></Transform>")),
      "signature.partial_reference");
  std::string second_reference =
      replace_once(document, "</Reference>", "</Reference><Reference URI=\"\"></Reference>");
  EXPECT_EQ(verdict(second_reference), "signature.partial_reference");
}

TEST_F(XmlDsigTest, RefusesForbiddenAlgorithms) {
  std::string document = sign(signer_);
  EXPECT_EQ(verdict(replace_once(document, "xmldsig-more#rsa-sha256", "xmldsig-more#rsa-md5")),
            "signature.algorithm_forbidden");
  EXPECT_EQ(verdict(replace_once(document, "http://www.w3.org/2001/04/xmlenc#sha256",
                                 "http://www.w3.org/2000/09/xmldsig#sha1"),
                    {.forbid_sha1 = true}),
            "signature.algorithm_forbidden");
  EXPECT_EQ(verdict(replace_once(document, "REC-xml-c14n-20010315\"", "REC-xml-c14n11\"")),
            "signature.algorithm_unsupported");
}

TEST_F(XmlDsigTest, ReportsTheChainItBuiltUpToTheTrustedCa) {
  auto verified = verify(sign(signer_));
  ASSERT_TRUE(verified) << verified.error().to_string();
  ASSERT_EQ(verified->chain.size(), 2u);
  EXPECT_EQ(verified->chain.front().sha256_fingerprint(), verified->signer.sha256_fingerprint());
  EXPECT_EQ(verified->chain.back().sha256_fingerprint(),
            Certificate::from_pem(ca_.certificate_pem)->sha256_fingerprint());
}

TEST_F(XmlDsigTest, MarksSha1SignaturesWeakAndRefusesThemWhenForbidden) {
  std::string document = sign(unsigned_, signer_, {.legacy_sha1 = true});
  EXPECT_NE(document.find("xmldsig#rsa-sha1"), std::string::npos);
  EXPECT_NE(document.find("xmldsig#sha1"), std::string::npos);
  auto verified = verify(document);
  ASSERT_TRUE(verified) << verified.error().to_string();
  EXPECT_TRUE(verified->weak);
  EXPECT_EQ(verified->warnings, std::vector<std::string>{"signature.weak_algorithm"});
  EXPECT_EQ(verdict(document, {.forbid_sha1 = true}), "signature.algorithm_forbidden");
  EXPECT_FALSE(verify(sign(signer_))->weak);
}

TEST_F(XmlDsigTest, CountsCommentsAndInstructionsInsideTheSignatureTowardItsSizeLimit) {
  // Plain C14N drops comments from what is signed, so the padded signature still verifies
  // unless the bytes held for the with-comments form are counted.
  std::string document = sign(signer_);
  const std::string padding(300 * 1024, 'x');
  EXPECT_EQ(verdict(replace_once(document, "<SignedInfo>", "<SignedInfo><!--" + padding + "-->")),
            "signature.malformed");
  EXPECT_EQ(verdict(replace_once(document, "<SignedInfo>", "<SignedInfo><?pad " + padding + "?>")),
            "signature.malformed");
  EXPECT_EQ(verdict(replace_once(document, "<KeyInfo>", "<KeyInfo><!--" + padding + "-->")),
            "signature.malformed");
  EXPECT_EQ(verdict(replace_once(document, "<SignedInfo>", "<SignedInfo><!-- a note -->")), "ok");
}

TEST_F(XmlDsigTest, RefusesUntrustedExpiredAndNotYetValidSigners) {
  auto stranger_ca = pki_.create_ca("stranger-ca");
  EXPECT_EQ(verdict(sign(pki_.issue(stranger_ca, "stranger", {}))),
            "signature.untrusted_certificate");
  EXPECT_EQ(verdict(sign(
                pki_.issue(ca_, "expired", {.valid_from = -hours(48), .valid_until = -hours(1)}))),
            "signature.certificate_expired");
  std::string document = sign(signer_);
  EXPECT_EQ(verdict(document, {.at = now() + hours(24 * 800)}), "signature.certificate_expired");
  EXPECT_EQ(verdict(document, {.at = now() - hours(24 * 2)}),
            "signature.certificate_not_yet_valid");
}

TEST_F(XmlDsigTest, RefusesSignersWhoseKeyUsageForbidsSigningOrWhoAreRevoked) {
  EXPECT_EQ(verdict(sign(pki_.issue(ca_, "tls-only", {.key_usage = "keyEncipherment"}))),
            "signature.key_usage");
  auto revoked = pki_.issue(ca_, "revoked", {});
  auto crl = pki_.create_crl(ca_, {revoked}, "root-ca");
  EXPECT_EQ(verdict(sign(revoked), {}, {crl}), "signature.certificate_revoked");
  EXPECT_EQ(verdict(sign(signer_), {}, {crl}), "ok");
}

TEST_F(XmlDsigTest, ReportsMissingSignatures) {
  EXPECT_EQ(verdict(unsigned_), "signature.missing");
  std::string legacy = replace_once(unsigned_, "</edXML:edXMLHeader>",
                                    "<edXML:Signature>x</edXML:Signature></edXML:edXMLHeader>");
  EXPECT_EQ(verdict(legacy), "signature.missing");
}

TEST_F(XmlDsigTest, SigningRefusesSignedDocumentsAndForeignKeys) {
  std::string document = sign(signer_);
  auto input = directory_.write("signed.edxml", document);
  auto key = PrivateKey::load_pem_file(signer_.key);
  auto certificate = Certificate::from_pem(signer_.certificate_pem);
  StringSink out;
  Status again = sign_document(input, *key, *certificate, parser_, out);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "sign.already_signed");
  auto other = pki_.issue(ca_, "other", {});
  auto foreign = sign_document(directory_.write("plain.edxml", unsigned_),
                               *PrivateKey::load_pem_file(other.key), *certificate, parser_, out);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, "sign.key_mismatch");
}

TEST_F(XmlDsigTest, DescribeReportsIntegrityWithoutTrust) {
  auto stranger_ca = pki_.create_ca("stranger-ca");
  std::string document =
      sign(pki_.issue(stranger_ca, "stranger", {.agency_code = "000.00.00.A01"}));
  SignatureReader reader;
  MemorySource source(document);
  edxml::DiscardAttachments attachments;
  ASSERT_TRUE(parser_.parse(source, attachments, &reader));
  auto summary = reader.describe();
  ASSERT_TRUE(summary);
  EXPECT_TRUE(summary->integrity);
  ASSERT_TRUE(summary->signer);
  EXPECT_EQ(summary->signer->agency_code(), "000.00.00.A01");
}

}  // namespace
}  // namespace truc::security
