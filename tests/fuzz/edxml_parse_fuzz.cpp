// Arbitrary bytes down the path an incoming edXML document takes through the hub: the hardened
// parser with the XML-DSig reader listening, then the validator, the signature summary shown by
// `truc edxml inspect`, and verification against a trust store. Every outcome must be a typed
// Error or findings; a crash, a leak, a sanitizer report, an escaping exception or a broken
// contract checked below is a bug (docs/fuzzing.md).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/edxml/validate.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace {

// A broken contract is a bug like a crash: abort so that libFuzzer keeps the input. Not
// assert(): the replay test also runs in builds with NDEBUG.
void require(bool condition, std::string_view what, const std::string& detail = {}) {
  if (condition) return;
  std::fprintf(stderr, "edxml_parse_fuzz: contract broken: %.*s %s\n",
               static_cast<int>(what.size()), what.data(), detail.c_str());
  std::abort();
}

bool has_prefix(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// An error code is "<area>.<name>" with a documented area (docs/errors.md) and a message.
void require_error(const truc::Error& error, std::string_view area) {
  require(has_prefix(error.code, area) && error.code.size() > area.size(),
          "error code outside its area", error.to_string());
  require(!error.message.empty(), "error without a message", error.code);
}

// Limits far below production so that mutations reach them: the fuzzer should explore every
// limit branch, not spend its time on megabytes of base64.
truc::edxml::ParseOptions fuzz_options() {
  truc::edxml::ParseOptions options;
  options.limits.max_document_bytes = 1u << 20;
  options.limits.max_attachment_bytes = 256u << 10;
  options.limits.max_attachments = 8;
  options.limits.max_text_bytes = 16u << 10;
  options.limits.max_total_text_bytes = 64u << 10;
  options.limits.max_token_bytes = 64u << 10;
  return options;
}

// libFuzzer calls the entry point without context, so what is costly to build (the parser and its
// schema grammar, the trust store) is built on the first call and kept for the process.
const truc::edxml::Parser& parser() {
  static const truc::edxml::Parser instance(fuzz_options());
  return instance;
}

// No input can chain to this CA (its key never leaves this process), but inputs carry
// certificates whose key still made SignatureValue after a mutation of KeyInfo, and those reach
// chain building. The PKI directory goes once the store is loaded.
const truc::security::TrustStore& trust_store() {
  static const truc::security::TrustStore instance = [] {
    truc::testing::TempDir directory;
    truc::testing::TestPki pki(directory.path());
    truc::testing::Issued ca = pki.create_ca("edxml-parse-fuzz-ca");
    auto loaded = truc::security::TrustStore::load({{ca.certificate}, {}, {}});
    require(loaded.ok(), "the generated trust store does not load",
            loaded ? std::string() : loaded.error().to_string());
    return std::move(loaded).value();
  }();
  return instance;
}

// A fixed time: an outcome depends on the input alone, so every crash replays.
truc::security::VerifyOptions verify_options() {
  using namespace std::chrono;
  truc::security::VerifyOptions options;
  options.at = sys_days(year(2027) / January / 1);
  options.forbid_sha1 = true;  // describe() covers the permissive path
  return options;
}

void check_findings(const std::vector<truc::edxml::Finding>& findings) {
  for (const auto& finding : findings) {
    require(finding.code.find('.') != std::string::npos && !finding.message.empty(),
            "finding without a code or message", finding.code);
  }
}

void check_report(const truc::edxml::ValidationReport& report) {
  check_findings(report.findings);
  const truc::edxml::Finding* first = report.first_error();
  require(report.valid() == (first == nullptr), "valid() disagrees with first_error()");
  require(first == nullptr || first->severity == truc::edxml::Severity::error,
          "first_error() is not an error");
  require(report.errors().size() + report.warnings().size() == report.findings.size(),
          "errors and warnings do not add up to the findings");
}

void check_signature(const truc::security::SignatureReader& reader) {
  auto summary = reader.describe();
  if (!summary) {
    require(summary.error().code == "signature.missing", "describe() failed with another code",
            summary.error().to_string());
    require(!reader.found(), "describe() says missing, found() disagrees");
  } else {
    require(reader.found(), "describe() succeeded without a Signature element");
    if (summary->integrity) {
      require(summary->signer.has_value(), "integrity ok without a signer");
    } else {
      require_error(summary->integrity.error(), "signature.");
    }
  }

  auto verified = reader.verify(trust_store(), verify_options());
  if (!verified) {
    require_error(verified.error(), "signature.");
    require(reader.found() || verified.error().code == "signature.missing",
            "an unsigned document failed verification with another code");
  } else {
    require(reader.found(), "verified without a Signature element");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  truc::MemorySource source(std::string_view(reinterpret_cast<const char*>(data), size));
  truc::edxml::DiscardAttachments attachments;
  truc::security::SignatureReader reader;

  auto parsed = parser().parse(source, attachments, &reader);
  if (!parsed) {
    // Parser::parse fails with parse.* or attachment.* (parse.hpp).
    const truc::Error& error = parsed.error();
    require(has_prefix(error.code, "parse.") || has_prefix(error.code, "attachment."),
            "parse() failed outside parse.* and attachment.*", error.to_string());
    require(!error.message.empty(), "error without a message", error.code);
    return 0;
  }
  check_findings(parsed->findings);
  check_report(truc::edxml::validate(*parsed));
  check_signature(reader);
  return 0;
}
