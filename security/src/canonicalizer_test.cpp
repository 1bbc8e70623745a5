#include "canonicalizer.hpp"

#include <gtest/gtest.h>

#include "truc/testing/edxml_samples.hpp"

namespace truc::security {
namespace {

// Canonicalizes a whole document as the parser reports it.
class DocumentCanonicalizer final : public edxml::XmlEventListener {
 public:
  explicit DocumentCanonicalizer(bool with_comments)
      : c14n_([this](std::string_view bytes) { output += bytes; }, with_comments) {}
  void start_element(const edxml::XmlName& name,
                     std::span<const edxml::NamespaceDeclaration> declarations,
                     std::span<const edxml::XmlAttribute> attributes) override {
    c14n_.start_element(name, declarations, attributes);
  }
  void end_element(const edxml::XmlName& name) override { c14n_.end_element(name); }
  void characters(std::string_view text) override { c14n_.characters(text); }
  void comment(std::string_view text) override { c14n_.comment(text); }
  void processing_instruction(std::string_view target, std::string_view data) override {
    c14n_.processing_instruction(target, data);
  }
  void end_document() override {}
  std::string output;

 private:
  Canonicalizer c14n_;
};

std::string canonical(const std::string& document, bool with_comments = false) {
  DocumentCanonicalizer listener(with_comments);
  edxml::ParseOptions options;
  options.validate_schema = false;
  edxml::Parser parser(options);
  MemorySource source(document);
  edxml::DiscardAttachments attachments;
  auto parsed = parser.parse(source, attachments, &listener);
  EXPECT_TRUE(parsed) << parsed.error().to_string();
  return listener.output;
}

constexpr const char* kRoot = "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"";

TEST(Canonicalizer, ExpandsEmptyElementsSortsAttributesAndDropsTheDeclaration) {
  std::string document =
      std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") + kRoot +
      " xmlns:b=\"urn:b\" xmlns:a=\"urn:a\"><e z=\"1\" b:y=\"2\" a:y=\"3\" x='4'/></edXML>";
  EXPECT_EQ(canonical(document),
            "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\" xmlns:a=\"urn:a\" "
            "xmlns:b=\"urn:b\">"
            "<e x=\"4\" z=\"1\" a:y=\"3\" b:y=\"2\"></e></edXML>");
}

TEST(Canonicalizer, RendersOnlyNamespaceDeclarationsThatChangeSomething) {
  std::string document =
      std::string(kRoot) +
      "><p:a xmlns:p=\"urn:p\"><p:b xmlns:p=\"urn:p\"><c xmlns=\"\"><d xmlns=\"\"></d></c>"
      "</p:b></p:a></edXML>";
  EXPECT_EQ(canonical(document),
            std::string(kRoot) +
                "><p:a xmlns:p=\"urn:p\"><p:b><c xmlns=\"\"><d></d></c></p:b></p:a></edXML>");
}

TEST(Canonicalizer, EscapesTextAndAttributesAsTheSpecificationSays) {
  std::string document =
      std::string(kRoot) +
      "><e "
      "a=\"&lt;&amp;&quot;&#9;&#10;&#13;'&gt;\">&lt;&amp;&gt;\"'&#13;<![CDATA[<x>]]></e></edXML>";
  EXPECT_EQ(
      canonical(document),
      std::string(kRoot) +
          "><e a=\"&lt;&amp;&quot;&#x9;&#xA;&#xD;'>\">&lt;&amp;&gt;\"'&#xD;&lt;x&gt;</e></edXML>");
}

TEST(Canonicalizer, NormalizesLineEndingsAndKeepsProcessingInstructionsAroundTheRoot) {
  std::string document = "<?pi before?><!--c-->" + std::string(kRoot) +
                         ">a\r\nb<!--inside--><?pi in?></edXML><?pi after?>";
  EXPECT_EQ(canonical(document),
            "<?pi before?>\n" + std::string(kRoot) + ">a\nb<?pi in?></edXML>\n<?pi after?>");
  EXPECT_EQ(canonical(document, true), "<?pi before?>\n<!--c-->\n" + std::string(kRoot) +
                                           ">a\nb<!--inside--><?pi in?></edXML>\n<?pi after?>");
}

TEST(Canonicalizer, GivesASubsetApexEveryNamespaceAndXmlAttributeInScope) {
  std::string output;
  Canonicalizer c14n([&](std::string_view bytes) { output += bytes; }, false);
  c14n.start_apex({"urn:d", "SignedInfo", "SignedInfo"}, {}, {},
                  {{"", "urn:d"}, {"edXML", "urn:e"}, {"unused", "urn:u"}}, {{"xml:lang", "vi"}});
  c14n.start_element({"urn:d", "Child", "Child"}, {}, {});
  c14n.end_element({"urn:d", "Child", "Child"});
  c14n.end_element({"urn:d", "SignedInfo", "SignedInfo"});
  EXPECT_EQ(
      output,
      "<SignedInfo xmlns=\"urn:d\" xmlns:edXML=\"urn:e\" xmlns:unused=\"urn:u\" xml:lang=\"vi\">"
      "<Child></Child></SignedInfo>");
}

TEST(Canonicalizer, IsIdempotentOnTheBuildersOutput) {
  auto package = testing::sample_package();
  package.attachments.clear();
  std::string once = canonical(testing::build_package(package, {}));
  EXPECT_EQ(canonical(once), once);
}

}  // namespace
}  // namespace truc::security
