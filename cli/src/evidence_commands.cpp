#include "evidence_commands.hpp"

#include <boost/program_options.hpp>
#include <iostream>

#include "hub_command_line.hpp"
#include "output.hpp"
#include "truc/common/file.hpp"
#include "truc/evidence/container.hpp"

namespace truc::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kHelp = R"(usage: truc evidence <command> [options]

The evidence a third party can check without the hub (docs/evidence.md): a document's package,
its status packets, the hub's log entries about it chained to a batch the hub sealed with its
signing key, and the RFC 3161 timestamp of that seal.

commands:
  export ID -o FILE                                 the container of a package, from the hub
  verify FILE [--trust-ca PEM]... [--tsa-ca PEM]... check a container offline
)";

// Containers hold the package base64-encoded: allow a 150 MiB document and its statuses.
constexpr std::uint64_t kMaxContainerBytes = std::uint64_t{512} << 20;

Result<evidence::Container> read_container(const std::filesystem::path& path) {
  auto text = read_small_file(path, kMaxContainerBytes);
  if (!text) return std::move(text).error();
  return evidence::decode_container(*text);
}

int export_container(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("id", po::value<std::string>()->required(),
                        "the hub id of the package (a document or a status packet)")(
      "output,o", po::value<std::string>()->required()->value_name("FILE"),
      "where to write the container (replaced atomically)");
  options.add(admin_connection_options());
  auto command_line = parse_command(
      "evidence export", args, "truc evidence export ID -o FILE",
      "Writes the evidence container of a package: its bytes, the status packets about the\n"
      "document, the log entries from its first one to the end of the sealed batch that holds\n"
      "its last sealed one, the batch's seal and certificate chain, and its timestamp token.\n"
      "The hub answers evidence.not_sealed until its first entry is in a sealed batch (see\n"
      "[evidence] seal_interval_seconds).",
      options, positional_arguments({"id"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  auto connected = connect_admin("evidence export", values);
  if (!connected.client) return connected.exit_status;
  std::filesystem::path output = values["output"].as<std::string>();
  Status written = write_output(output, [&](ByteSink& sink) {
    return connected.client->evidence(values["id"].as<std::string>(), sink);
  });
  if (!written) return reject(written.error());
  auto container = read_container(output);
  if (!container) return reject(container.error());
  std::cout << "wrote " << output.string() << ": evidence of " << container->message_id << "\n"
            << "  packages: " << container->packages.size() << "\n"
            << "  entries:  " << container->entries.size() << " (" << container->entries.front().seq
            << " to " << container->entries.back().seq << ")\n"
            << "  sealed batch: " << container->batch.first_seq << " to "
            << container->batch.last_seq << "\n";
  if (!container->batch.tsa_token) {
    std::cout
        << "  timestamp: none yet (the time-stamping authority has not stamped the batch;\n"
           "  `truc evidence verify` fails at \"timestamp\" until it has: export again later)\n";
  } else {
    std::cout << "  timestamp: token of " << container->batch.tsa_token->size() << " bytes\n";
  }
  return kOk;
}

std::vector<std::filesystem::path> paths(const po::variables_map& values, const char* name) {
  std::vector<std::filesystem::path> result;
  if (values.count(name) != 0) {
    for (const auto& path : values[name].as<std::vector<std::string>>()) result.emplace_back(path);
  }
  return result;
}

int verify(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>()->required(), "the container")(
      "trust-ca", po::value<std::vector<std::string>>()->composing()->value_name("PEM"),
      "CA certificates for the package's signer and the hub's seal (repeatable; without it the "
      "signatures are checked but not who made them)")(
      "tsa-ca", po::value<std::vector<std::string>>()->composing()->value_name("PEM"),
      "CA certificates of the time-stamping authority (repeatable; without it the timestamp "
      "cannot be trusted and verification fails at \"timestamp\")");
  auto command_line = parse_command(
      "evidence verify", args, "truc evidence verify FILE [--trust-ca PEM]... [--tsa-ca PEM]...",
      "Checks an evidence container offline, in order: the package's XML signature, each log\n"
      "entry's hash and its link to the one before, each package's bytes against the entry that\n"
      "recorded its acceptance, the batch seal over the last entry, and the timestamp over the\n"
      "seal. Exit status 0 when every link holds; 1 at the first broken one, named in the detail\n"
      "(package, entry N, chain at entry N, package bytes of ID, seal, timestamp).",
      options, positional_arguments({"file"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  std::filesystem::path file = values["file"].as<std::string>();
  auto container = read_container(file);
  if (!container) return reject(container.error());
  auto verified = evidence::verify_container(
      *container, {.trust_ca = paths(values, "trust-ca"), .tsa_ca = paths(values, "tsa-ca")});
  if (!verified) return reject(verified.error());
  std::cout << "verified: evidence of " << container->message_id << "\n"
            << "  package signed by: " << verified->package_signer << "\n"
            << "  entries: " << verified->entries << ", chained to the sealed batch\n"
            << "  sealed by: " << verified->seal_signer << "\n"
            << "  stamped at: " << format_iso8601(verified->stamped_at) << " by "
            << verified->tsa_subject << "\n";
  return kOk;
}

}  // namespace

int run_evidence(const std::vector<std::string>& args) {
  return run_subcommand("evidence", args, kHelp,
                        {{"export", export_container}, {"verify", verify}});
}

}  // namespace truc::cli
