// edxml_bench: how fast the hub reads edXML packages and what memory that costs, next to reference
// rates measured on the same machine in the same run. docs/performance.md describes the method
// and records the figures; scripts/bench builds and runs this.

#include <openssl/crypto.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
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
#include "edxml_work.hpp"
#include "machine.hpp"
#include "measure.hpp"
#include "openssl_speed.hpp"
#include "program.hpp"
#include "table.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/process.hpp"
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
// The issue's targets for `truc edxml verify` against `xmlsec1 --verify`: no slower, and a peak
// RSS that does not grow with the document. "Flat" is read as: the 134 MB package's peak within
// this much of the 10 MB one's (a read buffer or two, not the document).
constexpr double kTargetTimeRatio = 1.0;
constexpr std::uint64_t kFlatRssToleranceBytes = 4ull << 20;

constexpr std::string_view kUsage = R"(usage: edxml_bench [--seconds S]

Measures in one run, on one core:
  - parse+validate, and parse+validate+verify, of a ~20 kB and a ~10 MB package in memory;
  - time and peak RSS growth of parse+validate+verify of a signed ~10 MB and ~134 MB package
    read from a file, each in a forked child;
  - references: openssl speed (RSA-2048 verify, SHA-256), and xmlsec1 verifying the same signed
    files over a libxml2 DOM (forked child, time and peak RSS growth);
  - the commands: `truc edxml verify` against `xmlsec1 --verify` on the same two files, each run
    as a process (time from start to exit, the process's peak RSS), with the issue's targets.
Prints one table; takes about a minute with the default S. Needs `openssl`, `xmlsec1` and GNU
`time` on PATH, and TRUC_BINARY_DIR (the build tree with cli/truc); scripts/bench sets it.

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

// The machine, and the versions of the libraries measured, for the record.
std::string describe_machine_and_libraries() {
  return describe_machine() + "\n" + OpenSSL_version(OPENSSL_VERSION) + ", " + xmlsec_versions();
}

struct Row {
  std::string measurement;
  std::string input;
  std::uint64_t document_bytes = 0;
  Timing timing;
  // "+2.7 MB": growth within a forked child; "12.3 MB": a whole process's peak.
  std::string peak_rss = "-";
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

// `name` as the shell would find it on PATH (run_process takes a path, not a name).
std::filesystem::path find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string_view directories = path != nullptr ? path : "/usr/bin:/bin";
  while (!directories.empty()) {
    std::size_t end = directories.find(':');
    auto candidate = std::filesystem::path(directories.substr(0, end)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    directories.remove_prefix(end == std::string_view::npos ? directories.size() : end + 1);
  }
  throw std::runtime_error(name + " is not on PATH");
}

// A verifier run as a program, as an operator or a script runs it: each run from spawning it to
// its exit, the fastest round as time_repeatedly takes it, and the program's peak RSS, the largest
// over the runs. The peak comes from GNU time (%M, the program's ru_maxrss), which forks the
// program from its own small process: a program spawned from this one would report this
// process's peak instead, because Linux carries the peak RSS of the process image that calls
// exec over to the new one. time's own start adds about a millisecond to every run, ours and
// xmlsec1's alike.
struct ProcessMeasurement {
  Timing timing;
  std::uint64_t peak_rss_bytes = 0;
};

ProcessMeasurement measure_process(const std::string& name, std::vector<std::string> argv,
                                   const std::filesystem::path& file, const Options& options) {
  report_progress(name + ", " + file.filename().string() + ", as a process");
  argv.insert(argv.begin(), {find_on_path("time").string(), "-f", "%M"});
  std::uint64_t peak_rss = 0;
  Operation run_once = [&]() -> Status {
    auto run = testing::run_process(argv, {.timeout = std::chrono::seconds(600)});
    if (run.exit_status != 0)
      return Error{"bench.verifier_failed", name + " did not verify " + file.string(), run.err};
    // time's line is the last of standard error.
    std::string_view err = run.err;
    while (!err.empty() && err.back() == '\n') err.remove_suffix(1);
    auto kib = parse_number(std::string(err.substr(err.rfind('\n') + 1)).c_str());
    if (!kib) return Error{"bench.verifier_failed", "no peak RSS from time", run.err};
    peak_rss = std::max(peak_rss, static_cast<std::uint64_t>(*kib) * 1024);
    return ok_status();
  };
  Timing timing = require(time_repeatedly(run_once, Seconds(0), options.duration), name);
  return {timing, peak_rss};
}

// The two commands on one file: ours against xmlsec1's.
struct CommandComparison {
  std::filesystem::path file;
  ProcessMeasurement ours;
  ProcessMeasurement xmlsec;

  double time_ratio() const { return ours.timing.seconds_per_run / xmlsec.timing.seconds_per_run; }
};

CommandComparison compare_commands(const std::filesystem::path& ca_file,
                                   const std::filesystem::path& file, const Options& options) {
  // The verification the hub does, whole-document reference only, trusting the CA alone.
  ProcessMeasurement ours =
      measure_process("truc edxml verify",
                      {testing::HubProcess::truc_cli().string(), "edxml", "verify", file.string(),
                       "--trust-ca", ca_file.string()},
                      file, options);
  ProcessMeasurement xmlsec =
      measure_process("xmlsec1 --verify",
                      {find_on_path("xmlsec1").string(), "--verify", "--trusted-pem",
                       ca_file.string(), "--enabled-reference-uris", "empty", file.string()},
                      file, options);
  return {file, ours, xmlsec};
}

Row command_row(std::string measurement, const std::filesystem::path& file,
                const ProcessMeasurement& measured, std::string comparison = {}) {
  return Row{std::move(measurement),
             "process",
             std::filesystem::file_size(file),
             measured.timing,
             format_bytes(measured.peak_rss_bytes),
             std::move(comparison)};
}

std::string compare_command_with_xmlsec(const CommandComparison& compared) {
  return "time " + format_ratio(compared.time_ratio()) + ", peak RSS " +
         format_ratio(
             static_cast<double>(compared.ours.peak_rss_bytes) /
             static_cast<double>(std::max<std::uint64_t>(compared.xmlsec.peak_rss_bytes, 1))) +
         " of xmlsec1 --verify's";
}

// "met (0.85)" or "MISSED by 2.8× (2.8)".
std::string judge(bool met, double shortfall_factor, const std::string& figure) {
  return met ? "met (" + figure + ")"
             : "MISSED by " + format_ratio(shortfall_factor) + " (" + figure + ")";
}

void print_targets(const CommandComparison& medium, const CommandComparison& large,
                   std::uint64_t medium_attachment_bytes, std::uint64_t large_attachment_bytes) {
  std::cout << "\nTargets (the commands, each run as a process):\n";
  for (const auto& [compared, attachment] :
       {std::pair{&medium, medium_attachment_bytes}, std::pair{&large, large_attachment_bytes}}) {
    double ratio = compared->time_ratio();
    std::cout << "  truc edxml verify time ÷ xmlsec1 --verify's ≤ "
              << format_number(kTargetTimeRatio) << ", " << format_bytes(attachment)
              << " attachment (" << format_bytes(std::filesystem::file_size(compared->file))
              << " package): "
              << judge(ratio <= kTargetTimeRatio, ratio / kTargetTimeRatio, format_number(ratio))
              << "\n";
  }
  std::uint64_t small_peak = medium.ours.peak_rss_bytes;
  std::uint64_t large_peak = large.ours.peak_rss_bytes;
  bool flat = large_peak <= small_peak + kFlatRssToleranceBytes;
  std::cout << "  at flat memory (truc edxml verify's peak RSS with the larger package within "
            << format_bytes(kFlatRssToleranceBytes)
            << " of the smaller's): " << (flat ? "met" : "MISSED") << " ("
            << format_bytes(small_peak) << " and " << format_bytes(large_peak)
            << "; xmlsec1 --verify: " << format_bytes(medium.xmlsec.peak_rss_bytes) << " and "
            << format_bytes(large.xmlsec.peak_rss_bytes) << ")\n";
}

Row file_row(std::string measurement, const std::filesystem::path& file,
             const ChildMeasurement& measured, std::string comparison = {}) {
  return Row{std::move(measurement),
             "file",
             std::filesystem::file_size(file),
             measured.timing,
             "+" + format_bytes(measured.peak_rss_growth_bytes),
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

void print_table(const std::vector<Row>& rows, const OpensslSpeed& rsa,
                 const OpensslSpeed& sha256) {
  Table table({{"measurement", Table::Align::left},
               {"input", Table::Align::left},
               {"document"},
               {"docs/s"},
               {"MB/s"},
               {"peak RSS"},
               {"compared with the reference", Table::Align::left}});
  for (const Row& row : rows) {
    table.add_row({row.measurement, row.input, format_bytes(row.document_bytes),
                   format_number(row.per_second()), format_number(row.megabytes_per_second()),
                   row.peak_rss, row.comparison});
  }
  table.add_row({"ref: openssl RSA-2048 verify", "-", "-", format_number(rsa.rate), "-", "-",
                 "verifies/s: " + rsa.command});
  table.add_row(
      {"ref: openssl SHA-256", "-", "-", "-", format_number(sha256.rate), "-", sha256.command});
  table.print(std::cout);
}

void print_notes(const Options& options) {
  std::cout << "\nOne thread. Time per document: the fastest of " << kTimingRounds
            << " rounds, at least " << options.duration.count() << " s in all (memory rows after "
            << options.warm_up.count()
            << " s of warm-up).\n"
               "File rows run in a forked child; their peak RSS (+) is the growth of ru_maxrss "
               "from right before\n"
               "the first run (free heap returned to the kernel, peak reset). xmlsec1 parses "
               "(libxml2 DOM,\n"
               "XML_PARSE_HUGE) and verifies; ours also validates. Process rows: the command run "
               "from start to\n"
               "exit (trust store loaded, the file read, the answer printed); their peak RSS is "
               "the process's\n"
               "whole ru_maxrss. MB = 10^6 bytes. Load average at the end: "
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

  CommandComparison commands_medium =
      compare_commands(factory.ca_file(), medium.signed_document, options);
  CommandComparison commands_large =
      compare_commands(factory.ca_file(), large.signed_document, options);

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
               file_row("ref: xmlsec1 DOM verify", large.signed_document, xmlsec_large),
               command_row("truc edxml verify", medium.signed_document, commands_medium.ours,
                           compare_command_with_xmlsec(commands_medium)),
               command_row("truc edxml verify", large.signed_document, commands_large.ours,
                           compare_command_with_xmlsec(commands_large)),
               command_row("ref: xmlsec1 --verify", medium.signed_document, commands_medium.xmlsec),
               command_row("ref: xmlsec1 --verify", large.signed_document, commands_large.xmlsec)},
              rsa, sha256);
  print_targets(commands_medium, commands_large, kMediumAttachmentBytes, kLargeAttachmentBytes);
  print_notes(options);
  return 0;
}

}  // namespace
}  // namespace truc::bench

int main(int argc, char** argv) {
  return truc::bench::run_benchmark<truc::bench::Options>(
      "edxml_bench", argc, argv, truc::bench::parse_options, truc::bench::run);
}
