#include "edxml_commands.hpp"

#include <boost/program_options.hpp>
#include <ctime>
#include <iostream>
#include <optional>
#include <random>

#include "command_line.hpp"
#include "document_view.hpp"
#include "output.hpp"
#include "truc/common/time.hpp"
#include "truc/edxml/build.hpp"
#include "truc/edxml/content_type.hpp"
#include "truc/edxml/validate.hpp"
#include "truc/security/xmldsig.hpp"

namespace truc::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kGroupHelp = R"(usage: truc edxml <command> [options]

commands:
  inspect FILE [--json]          show a package or status packet: header, trace, attachments,
                                 signature summary, findings
  validate FILE                  check structure and rules; list errors and tolerated variants
  verify FILE --trust-ca PEM     check the XML signature against trusted CAs
  sign FILE --key K --cert C     add an enveloped XML signature
  new --from C --to C --subject T --attach F...
                                 build an unsigned package (test traffic for integrators)
  status --for PACKAGE --code NN --from C
                                 build a status packet answering a package

Run `truc edxml <command> --help` for the options of one command.
)";

std::optional<std::filesystem::path> output_path(const po::variables_map& values) {
  if (values.count("output") == 0) return std::nullopt;
  return std::filesystem::path(values["output"].as<std::string>());
}

// Parses FILE, optionally listening with a signature reader, and validates it.
struct ReadDocument {
  edxml::Parsed parsed;
  edxml::ValidationReport report;
};

Result<ReadDocument> read_document(const std::string& file, edxml::XmlEventListener* listener) {
  static const edxml::Parser parser;
  auto source = FileSource::open(file);
  if (!source) return std::move(source).error();
  edxml::DiscardAttachments attachments;
  auto parsed = parser.parse(*source, attachments, listener);
  if (!parsed) return std::move(parsed).error();
  auto report = edxml::validate(*parsed);
  return ReadDocument{std::move(*parsed), std::move(report)};
}

void print_findings(const edxml::ValidationReport& report) {
  for (const auto& finding : report.errors()) print_finding(finding);
  for (const auto& finding : report.warnings()) print_finding(finding);
}

edxml::LocalDateTime local_now() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  localtime_r(&now, &parts);
  using namespace std::chrono;
  return local_days(year(parts.tm_year + 1900) / month(static_cast<unsigned>(parts.tm_mon + 1)) /
                    day(static_cast<unsigned>(parts.tm_mday))) +
         hours(parts.tm_hour) + minutes(parts.tm_min) + seconds(parts.tm_sec);
}

int inspect(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>()->required(), "the .edxml document")(
      "json", "print one JSON object instead of text");
  auto command_line = parse_command(
      "edxml inspect", args, "truc edxml inspect FILE [--json]",
      "Shows a package or status packet: header fields, trace, business information, attachments\n"
      "(name, declared and detected type, size, SHA-256), a signature summary (integrity only; "
      "use\n"
      "`truc edxml verify` for trust) and every finding. Exits 1 when the document is invalid.",
      options, positional_arguments({"file"}));
  if (command_line.exit_status) return *command_line.exit_status;

  security::SignatureReader signature_reader;
  auto read = read_document(command_line.values["file"].as<std::string>(), &signature_reader);
  if (!read) return reject(read.error());
  std::optional<security::SignatureSummary> signature;
  if (auto summary = signature_reader.describe()) signature = std::move(*summary);
  DocumentView view{read->parsed.document, read->report, signature};
  if (command_line.values.count("json") != 0) {
    std::cout << render_json(view);
  } else {
    std::cout << render_text(view);
    print_findings(read->report);
  }
  return read->report.valid() ? kOk : kRejected;
}

int validate(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>()->required(), "the .edxml document");
  auto command_line = parse_command(
      "edxml validate", args, "truc edxml validate FILE",
      "Checks that FILE is a well-formed, bounded edXML package or status packet that follows the\n"
      "schema and the rules of QCVN 102:2016 as the hub applies them. Errors come first, then\n"
      "warnings about variants tolerated from deployed senders.",
      options, positional_arguments({"file"}));
  if (command_line.exit_status) return *command_line.exit_status;

  std::string file = command_line.values["file"].as<std::string>();
  auto read = read_document(file, nullptr);
  if (!read) return reject(read.error());
  print_findings(read->report);
  if (!read->report.valid()) return kRejected;
  std::cout << "ok: " << file << " is a valid "
            << (std::holds_alternative<edxml::Package>(read->parsed.document) ? "package"
                                                                              : "status packet")
            << " (" << read->report.warnings().size() << " warnings)\n";
  return kOk;
}

int verify(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>()->required(), "the signed .edxml document")(
      "trust-ca", po::value<std::vector<std::string>>()->required(),
      "PEM file of a trusted CA (repeatable)")(
      "crl", po::value<std::vector<std::string>>(),
      "CRL file; when given, revocation is checked (repeatable)")(
      "at", po::value<std::string>(), "check certificates at this ISO 8601 time instead of now")(
      "forbid-sha1", "refuse SHA-1 signatures and digests");
  auto command_line = parse_command("edxml verify", args,
                                    "truc edxml verify FILE --trust-ca PEM [--trust-ca "
                                    "PEM...] [--crl FILE] [--at TIME] [--forbid-sha1]",
                                    "Verifies the document's enveloped XML signature: "
                                    "whole-document reference, digest, signature\n"
                                    "value, and the signer certificate's chain, validity, key "
                                    "usage and (with --crl) revocation.\n"
                                    "TIME is ISO 8601, e.g. 2020-06-01T00:00:00Z.",
                                    options, positional_arguments({"file"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;

  security::TrustStoreOptions trust_options;
  for (const auto& ca : values["trust-ca"].as<std::vector<std::string>>())
    trust_options.ca_files.emplace_back(ca);
  if (values.count("crl") != 0) {
    for (const auto& crl : values["crl"].as<std::vector<std::string>>())
      trust_options.crl_files.emplace_back(crl);
  }
  auto trust = security::TrustStore::load(trust_options);
  if (!trust) return reject(trust.error());
  security::VerifyOptions verify_options;
  verify_options.forbid_sha1 = values.count("forbid-sha1") != 0;
  if (values.count("at") != 0) {
    auto at = parse_iso8601(values["at"].as<std::string>());
    if (!at) return usage_error("edxml verify", at.error().to_string());
    verify_options.at = *at;
  }

  security::SignatureReader signature_reader;
  auto read = read_document(values["file"].as<std::string>(), &signature_reader);
  if (!read) return reject(read.error());
  auto verified = signature_reader.verify(*trust, verify_options);
  if (!verified) return reject(verified.error());
  for (const auto& warning : verified->warnings) {
    std::cerr << "warning: " << warning << ": the signature uses SHA-1 ("
              << verified->signature_method << ")\n";
  }
  std::cout << "ok: signature verified\n  signer  " << verified->signer.subject() << "\n  agency  "
            << (verified->signer.agency_code().empty() ? "(none in certificate)"
                                                       : verified->signer.agency_code())
            << "\n  method  " << verified->signature_method << "\n  digest  "
            << verified->digest_method << "\n";
  return kOk;
}

int sign(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>()->required(),
                        "the unsigned .edxml document")("key", po::value<std::string>()->required(),
                                                        "PEM private key (RSA or EC, unencrypted)")(
      "cert", po::value<std::string>()->required(), "PEM certificate of that key")(
      "output,o", po::value<std::string>(), "write here (atomically) instead of standard output")(
      "legacy-sha1",
      "sign with rsa-sha1 (ecdsa-sha1) over a sha1 digest, as deployed senders still do: to try "
      "an agency's allow_sha1 exception; the hub refuses it otherwise");
  auto command_line = parse_command(
      "edxml sign", args,
      "truc edxml sign FILE --key KEY.pem --cert CERT.pem [-o OUT] [--legacy-sha1]",
      "Validates FILE and writes it in canonical form with an enveloped XML-DSig signature in\n"
      "edXMLHeader: Reference URI=\"\", enveloped-signature transform, inclusive C14N, rsa-sha256\n"
      "(ecdsa-sha256 for an EC key), the certificate in KeyInfo. xmlsec1 verifies the result.",
      options, positional_arguments({"file"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;

  auto key = security::PrivateKey::load_pem_file(values["key"].as<std::string>());
  if (!key) return reject(key.error());
  auto certificates = security::Certificate::load_pem_file(values["cert"].as<std::string>());
  if (!certificates) return reject(certificates.error());
  static const edxml::Parser parser;
  Status written = write_output(output_path(values), [&](ByteSink& out) {
    return security::sign_document(values["file"].as<std::string>(), *key, certificates->front(),
                                   parser, out, {.legacy_sha1 = values.count("legacy-sha1") != 0});
  });
  if (!written) return reject(written.error());
  if (auto path = output_path(values)) std::cerr << "signed: " << path->string() << "\n";
  return kOk;
}

std::string random_hex(std::size_t bytes) {
  std::random_device random;
  std::string hex;
  static constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t index = 0; index < bytes; ++index) {
    auto value = random();
    hex += kDigits[value & 0x0f];
    hex += kDigits[(value >> 4) & 0x0f];
  }
  return hex;
}

int new_package(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("from", po::value<std::string>()->required(),
                        "sender agency code, e.g. 000.00.00.G22")(
      "to", po::value<std::vector<std::string>>()->required(),
      "recipient agency code (repeatable)")("subject", po::value<std::string>()->required(),
                                            "trích yếu: what the document is about")(
      "attach", po::value<std::vector<std::string>>()->multitoken(), "file to attach (repeatable)")(
      "code", po::value<std::string>(), "number/notation, e.g. 12/UBND-VP (default 0/TEST)")(
      "type", po::value<std::string>()->default_value("Công văn"), "document type name")(
      "from-name", po::value<std::string>(), "sender's name")("place", po::value<std::string>(),
                                                              "place of issue")(
      "recall", po::value<std::string>(),
      "make it a recall (thu hồi) of the document with this DocumentId")(
      "update", po::value<std::string>(), "make it an update (cập nhật) of that document")(
      "replace", po::value<std::string>(), "make it a replacement (thay thế) of that document")(
      "reason", po::value<std::string>(), "why, for --recall, --update or --replace")(
      "output,o", po::value<std::string>(), "write here (atomically) instead of standard output");
  auto command_line = parse_command(
      "edxml new", args,
      "truc edxml new --from CODE --to CODE [--to CODE...] --subject TEXT --attach FILE... "
      "[--code N/NOTATION] [--type NAME] [-o OUT]",
      "Builds an unsigned package dated today. DocumentId is \"<from>,<yyyy/MM/dd>,<code>\", with "
      "a\n"
      "random suffix when no --code is given. With --recall, --update or --replace it concerns an\n"
      "earlier document (Bussiness/BussinessDocType 1, 2, 3). Sign it with `truc edxml sign`.",
      options, {});
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;

  edxml::Package package;
  package.from.organ_id = values["from"].as<std::string>();
  if (values.count("from-name") != 0)
    package.from.organ_name = values["from-name"].as<std::string>();
  for (const auto& recipient : values["to"].as<std::vector<std::string>>())
    package.to.push_back({recipient});
  std::string code = values.count("code") != 0 ? values["code"].as<std::string>() : "0/TEST";
  auto slash = code.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == code.size()) {
    return usage_error("edxml new", "--code must look like NUMBER/NOTATION, e.g. 12/UBND-VP");
  }
  package.code = {code.substr(0, slash), code.substr(slash + 1)};
  auto today = std::chrono::floor<std::chrono::days>(local_now());
  edxml::Date date{std::chrono::sys_days(today.time_since_epoch())};
  package.document_id = package.from.organ_id + "," + edxml::format_date(date) + "," + code;
  if (values.count("code") == 0) package.document_id += "-" + random_hex(8);
  package.promulgation_info.promulgation_date = date;
  if (values.count("place") != 0)
    package.promulgation_info.place = values["place"].as<std::string>();
  package.document_type = {1, 1, values["type"].as<std::string>()};
  package.subject = values["subject"].as<std::string>();
  package.trace_headers.push_back({package.from.organ_id, local_now()});
  static constexpr std::pair<const char*, edxml::BusinessDocType> kBusiness[] = {
      {"recall", edxml::BusinessDocType::recall},
      {"update", edxml::BusinessDocType::update},
      {"replace", edxml::BusinessDocType::replace}};
  for (auto [option, type] : kBusiness) {
    if (values.count(option) == 0) continue;
    if (package.business)
      return usage_error("edxml new", "give only one of --recall, --update, --replace");
    package.business = edxml::Business{values[option].as<std::string>(), type, {}, {}, {}, {}, {}};
  }
  if (values.count("reason") != 0) {
    if (!package.business)
      return usage_error("edxml new", "--reason goes with --recall, --update or --replace");
    package.business->business_doc_reason = values["reason"].as<std::string>();
  }

  std::vector<std::filesystem::path> files;
  if (values.count("attach") != 0) {
    for (const auto& file : values["attach"].as<std::vector<std::string>>()) {
      std::filesystem::path path(file);
      std::string name = path.filename().string();
      package.attachments.push_back({"cid:" + std::to_string(files.size() + 1),
                                     name,
                                     {},
                                     edxml::content_type_for_file_name(name),
                                     {},
                                     0,
                                     {}});
      files.push_back(path);
    }
  }
  Status written = write_output(output_path(values), [&](ByteSink& out) {
    return edxml::write_package(package, files, out);
  });
  if (!written) return reject(written.error());
  if (auto path = output_path(values))
    std::cerr << "written: " << path->string() << " (" << package.document_id << ")\n";
  return kOk;
}

int status(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("for", po::value<std::string>()->required(),
                        "the package this status answers")(
      "code", po::value<std::string>()->required(), "status code: 01-06, 13, 15 or 16")(
      "from", po::value<std::string>()->required(), "agency code of the one reporting")(
      "description", po::value<std::string>(), "free text, e.g. the reason of a rejection")(
      "output,o", po::value<std::string>(), "write here (atomically) instead of standard output");
  auto command_line = parse_command(
      "edxml status", args,
      "truc edxml status --for PACKAGE --code 03 --from CODE [--description TEXT] [-o OUT]",
      "Builds an unsigned status packet about PACKAGE. Codes: 01 arrived, 02 rejected, 03 "
      "accepted,\n"
      "04 assigned, 05 processing, 06 finished, 13 recall request, 15 agreed, 16 refused.",
      options, {});
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;

  auto code = edxml::parse_status_code(values["code"].as<std::string>());
  if (!code) return usage_error("edxml status", "--code must be one of 01-06, 13, 15, 16");
  auto read = read_document(values["for"].as<std::string>(), nullptr);
  if (!read) return reject(read.error());
  const auto* package = std::get_if<edxml::Package>(&read->parsed.document);
  if (package == nullptr) {
    return reject({"edxml.not_a_package", "--for must name a package, not a status packet", {}});
  }
  edxml::StatusPacket packet;
  packet.from.organ_id = values["from"].as<std::string>();
  packet.response_for = {package->from.organ_id,
                         package->code.code_number + "/" + package->code.code_notation,
                         package->promulgation_info.promulgation_date, package->document_id};
  packet.status_code = *code;
  if (values.count("description") != 0)
    packet.description = values["description"].as<std::string>();
  packet.timestamp = local_now();
  Status written = write_output(output_path(values),
                                [&](ByteSink& out) { return edxml::write_status(packet, out); });
  if (!written) return reject(written.error());
  return kOk;
}

}  // namespace

int run_edxml(const std::vector<std::string>& args) {
  return run_subcommand("edxml", args, kGroupHelp,
                        {{"inspect", inspect},
                         {"validate", validate},
                         {"verify", verify},
                         {"sign", sign},
                         {"new", new_package},
                         {"status", status}});
}

}  // namespace truc::cli
