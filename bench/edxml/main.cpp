// edxml_bench: how fast the hub reads edXML packages and what memory that costs, next to reference
// rates measured on the same machine in the same run. docs/performance.md describes the method
// and records the figures; scripts/bench builds and runs this.

#include <openssl/crypto.h>

#include <functional>
#include <iostream>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "documents.hpp"
#include "machine.hpp"
#include "measure.hpp"
#include "openssl_speed.hpp"
#include "program.hpp"
#include "table.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/edxml/validate.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/temp_dir.hpp"
#include "xmlsec_verifier.hpp"

namespace truc::bench {
namespace {

// Decoded attachment sizes that make documents of about 20 kB, 10 MB and 134 MB. The largest is
// what the parser's default limits allow (100 MiB per attachment, 150 MiB per document).
constexpr std::uint64_t kSmallAttachmentBytes = 12'000;
constexpr std::uint64_t kMediumAttachmentBytes = 7'500'000;
constexpr std::uint64_t kLargeAttachmentBytes = 100'000'000;
// How long openssl speed measures each reference figure.
constexpr int kOpensslSeconds = 3;

constexpr std::string_view kUsage = R"(usage: edxml_bench [--seconds S]

Measures in one run, on one core:
  - parse+validate, and parse+validate+verify, of a ~20 kB and a ~10 MB package in memory;
  - time and peak RSS growth of parse+validate+verify of a signed ~10 MB and ~134 MB package
    read from a file, each in a forked child;
  - references: openssl speed (RSA-2048 verify, SHA-256), and xmlsec1 verifying the same signed
    files over a libxml2 DOM (forked child, time and peak RSS growth).
Prints one table; takes under a minute with the default S. Needs `openssl` on PATH.

  --seconds S   time each measurement for at least S seconds (default 2), after 0.5 s of warm-up
)";

struct Options {
  Seconds duration{2};
  Seconds warm_up{0.5};
};

// The options, or the exit status when there is nothing to measure (help, bad usage).
std::variant<Options, int> parse_options(std::span<char*> arguments) {
  Options options;
  for (std::size_t index = 1; index < arguments.size(); ++index) {
    std::string_view argument = arguments[index];
    if (argument == "--help" || argument == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (argument == "--seconds" && index + 1 < arguments.size()) {
      if (auto seconds = parse_number(arguments[++index]); seconds && *seconds > 0) {
        options.duration = Seconds(*seconds);
        continue;
      }
    }
    std::cerr << "edxml_bench: bad argument '" << argument << "'\n" << kUsage;
    return 2;
  }
  return options;
}

// A failure that ends the run; thrown so that the temporary directory is removed on the way out.
template <typename T>
T require(Result<T> result, std::string_view what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().to_string());
  return std::move(result).value();
}

void report_progress(std::string_view step) { std::cerr << "edxml_bench: " << step << "\n"; }

Status parse_and_validate(const edxml::Parser& parser, ByteSource& input,
                          edxml::XmlEventListener* listener = nullptr) {
  edxml::DiscardAttachments attachments;
  auto parsed = parser.parse(input, attachments, listener);
  if (!parsed) return std::move(parsed).error();
  edxml::ValidationReport report = edxml::validate(*parsed);
  if (const edxml::Finding* problem = report.first_error())
    return Error{problem->code, problem->message, problem->path};
  return ok_status();
}

// What the hub does to a received package before accepting it.
Status parse_validate_verify(const edxml::Parser& parser, ByteSource& input,
                             const security::TrustStore& trust) {
  security::SignatureReader signature;
  TRUC_TRY(parse_and_validate(parser, input, &signature));
  auto verified = signature.verify(trust, {});
  if (!verified) return std::move(verified).error();
  return ok_status();
}

// The machine, and the versions of the libraries measured, for the record.
std::string describe_machine_and_libraries() {
  return describe_machine() + "\n" + OpenSSL_version(OPENSSL_VERSION) + ", " + xmlsec_versions();
}

struct Row {
  std::string measurement;
  std::string input;
  std::uint64_t document_bytes = 0;
  Timing timing;
  std::string peak_rss_growth = "-";
  std::string comparison;

  double per_second() const { return 1 / timing.seconds_per_run; }
  double megabytes_per_second() const {
    return static_cast<double>(document_bytes) / 1e6 / timing.seconds_per_run;
  }
};

security::TrustStore load_trust_store(const std::filesystem::path& ca_file) {
  return require(security::TrustStore::load({{ca_file}, {}, {}}), "trust store");
}

// `operation` timed over the document in `file`, read into memory first.
Row measure_in_memory(std::string_view measurement, const std::filesystem::path& file,
                      const Options& options, const std::function<Status(ByteSource&)>& operation) {
  report_progress(std::string(measurement) + ", " + file.filename().string() + ", in memory");
  std::string document = testing::read_file(file);
  Operation from_memory = [&] {
    MemorySource input(document);
    return operation(input);
  };
  Timing timing =
      require(time_repeatedly(from_memory, options.warm_up, options.duration), measurement);
  return Row{std::string(measurement), "memory", document.size(), timing};
}

// The trust store and libraries load in the child before its baseline: they are not what grows
// with the document.
ChildMeasurement measure_ours_from_file(const edxml::Parser& parser,
                                        const std::filesystem::path& ca_file,
                                        const std::filesystem::path& file, const Options& options) {
  report_progress("parse+validate+verify, " + file.filename().string() + ", file, forked child");
  auto set_up = [&]() -> Result<Operation> {
    security::TrustStore trust = load_trust_store(ca_file);
    return Operation([&parser, &file, trust] {
      auto input = FileSource::open(file);
      if (!input) return Status(std::move(input).error());
      return parse_validate_verify(parser, *input, trust);
    });
  };
  return require(measure_in_child(set_up, options.duration), "parse+validate+verify from a file");
}

ChildMeasurement measure_xmlsec_from_file(const std::filesystem::path& ca_file,
                                          const std::filesystem::path& file,
                                          const Options& options) {
  report_progress("xmlsec1 verify, " + file.filename().string() + ", file, forked child");
  auto set_up = [&]() -> Result<Operation> {
    auto created = XmlsecVerifier::create(ca_file);
    if (!created) return std::move(created).error();
    std::shared_ptr<XmlsecVerifier> verifier = std::move(*created);
    return Operation([verifier, &file] { return verifier->verify(file); });
  };
  return require(measure_in_child(set_up, options.duration), "xmlsec1 verify");
}

Row file_row(std::string measurement, const std::filesystem::path& file,
             const ChildMeasurement& measured, std::string comparison = {}) {
  return Row{std::move(measurement),
             "file",
             std::filesystem::file_size(file),
             measured.timing,
             format_bytes(measured.peak_rss_growth_bytes),
             std::move(comparison)};
}

std::string compare_with_xmlsec(const ChildMeasurement& ours, const ChildMeasurement& xmlsec) {
  auto ratio = [](double value, double reference) {
    return reference > 0 ? format_ratio(value / reference) : std::string("-");
  };
  return "time " + ratio(ours.timing.seconds_per_run, xmlsec.timing.seconds_per_run) +
         ", RSS growth " +
         ratio(static_cast<double>(ours.peak_rss_growth_bytes),
               static_cast<double>(xmlsec.peak_rss_growth_bytes)) +
         " of xmlsec1's";
}

void print_table(const std::vector<Row>& rows, const OpensslSpeed& rsa, const OpensslSpeed& sha256,
                 const Options& options) {
  Table table({{"measurement", Table::Align::left},
               {"input", Table::Align::left},
               {"document"},
               {"docs/s"},
               {"MB/s"},
               {"peak RSS growth"},
               {"compared with the reference", Table::Align::left}});
  for (const Row& row : rows) {
    table.add_row({row.measurement, row.input, format_bytes(row.document_bytes),
                   format_number(row.per_second()), format_number(row.megabytes_per_second()),
                   row.peak_rss_growth, row.comparison});
  }
  table.add_row({"ref: openssl RSA-2048 verify", "-", "-", format_number(rsa.rate), "-", "-",
                 "verifies/s: " + rsa.command});
  table.add_row(
      {"ref: openssl SHA-256", "-", "-", "-", format_number(sha256.rate), "-", sha256.command});
  table.print(std::cout);

  std::cout << "\nOne thread. Time per document: the fastest of " << kTimingRounds
            << " rounds, at least " << options.duration.count() << " s in all (memory rows after "
            << options.warm_up.count()
            << " s of warm-up).\n"
               "File rows run in a forked child; peak RSS growth is ru_maxrss from right before "
               "the first run\n"
               "(free heap returned to the kernel, peak reset). xmlsec1 parses (libxml2 DOM, "
               "XML_PARSE_HUGE) and\n"
               "verifies; ours also validates. MB = 10^6 bytes. Load average at the end: "
            << load_average() << ".\n";
}

int run(const Options& options, const std::string& command_line) {
  std::cout << "edXML benchmark: " << command_line << "\n"
            << describe_machine_and_libraries() << "\n\n";

  report_progress("writing and signing the packages");
  testing::TempDir directory;
  const edxml::Parser parser;
  DocumentFactory factory(directory.path());
  PackageFiles small = require(factory.write_package("20k", kSmallAttachmentBytes, parser), "20k");
  PackageFiles medium =
      require(factory.write_package("10m", kMediumAttachmentBytes, parser), "10m");
  PackageFiles large =
      require(factory.write_package("134m", kLargeAttachmentBytes, parser), "134m");
  const security::TrustStore trust = load_trust_store(factory.ca_file());

  auto validate = [&](ByteSource& input) { return parse_and_validate(parser, input); };
  auto verify = [&](ByteSource& input) { return parse_validate_verify(parser, input, trust); };
  Row validate_small =
      measure_in_memory("parse+validate", small.unsigned_document, options, validate);
  Row validate_medium =
      measure_in_memory("parse+validate", medium.unsigned_document, options, validate);
  Row verify_small =
      measure_in_memory("parse+validate+verify", small.signed_document, options, verify);
  Row verify_medium =
      measure_in_memory("parse+validate+verify", medium.signed_document, options, verify);

  ChildMeasurement ours_medium =
      measure_ours_from_file(parser, factory.ca_file(), medium.signed_document, options);
  ChildMeasurement ours_large =
      measure_ours_from_file(parser, factory.ca_file(), large.signed_document, options);
  ChildMeasurement xmlsec_medium =
      measure_xmlsec_from_file(factory.ca_file(), medium.signed_document, options);
  ChildMeasurement xmlsec_large =
      measure_xmlsec_from_file(factory.ca_file(), large.signed_document, options);

  report_progress("openssl speed rsa2048 and sha256, " + std::to_string(kOpensslSeconds) +
                  " s each (rsa2048 also times signing)");
  OpensslSpeed rsa = require(measure_rsa2048_verify(kOpensslSeconds), "openssl speed rsa2048");
  OpensslSpeed sha256 = require(measure_sha256(kOpensslSeconds), "openssl speed sha256");

  verify_small.comparison =
      format_percent(verify_small.per_second() / rsa.rate) + " of openssl's RSA-2048 verifies/s";
  verify_medium.comparison = format_percent(verify_medium.megabytes_per_second() / sha256.rate) +
                             " of openssl's SHA-256 MB/s";
  print_table({validate_small, validate_medium, verify_small, verify_medium,
               file_row("parse+validate+verify", medium.signed_document, ours_medium,
                        compare_with_xmlsec(ours_medium, xmlsec_medium)),
               file_row("parse+validate+verify", large.signed_document, ours_large,
                        compare_with_xmlsec(ours_large, xmlsec_large)),
               file_row("ref: xmlsec1 DOM verify", medium.signed_document, xmlsec_medium),
               file_row("ref: xmlsec1 DOM verify", large.signed_document, xmlsec_large)},
              rsa, sha256, options);
  return 0;
}

}  // namespace
}  // namespace truc::bench

int main(int argc, char** argv) {
  return truc::bench::run_benchmark<truc::bench::Options>(
      "edxml_bench", argc, argv, truc::bench::parse_options, truc::bench::run);
}
