#include "systems_commands.hpp"

#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <iostream>

#include "hub_command_line.hpp"
#include "hub_view.hpp"
#include "output.hpp"
#include "truc/common/file.hpp"

namespace truc::cli {
namespace {

namespace po = boost::program_options;
namespace json = boost::json;

constexpr const char* kHelp = R"(usage: truc admin systems <command> [options]

Systems of the national platform's API (docs/api/compat.md): agency software written for the
national exchange platform authenticates with its system id and an HMAC secret. The agencies a
system may act for are the entries that list it in their system ids (truc admin agencies update
CODE --system-id ID). Needs [compat] in the hub's configuration.

commands:
  add SYSTEM_ID [--secret-file FILE]   create the system's secret, or replace it (rotation)
  list [--json]                        the systems and the agencies each may act for
  remove SYSTEM_ID                     remove the system's secret: its requests are refused
)";

std::string text_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

int add(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("system-id", po::value<std::string>()->required(), "the system id")(
      "secret-file", po::value<std::string>()->value_name("FILE"),
      "write the secret to FILE (mode 0600, replaced if it exists) instead of printing it");
  options.add(admin_connection_options());
  auto command_line = parse_command(
      "admin systems add", args, "truc admin systems add SYSTEM_ID [--secret-file FILE]",
      "Creates a new random secret for the system (replacing any it had: the old one stops\n"
      "working) and shows it once. Give it to the system's operator over a safe channel.",
      options, positional_arguments({"system-id"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  auto connected = connect_admin("admin systems add", values);
  if (!connected.client) return connected.exit_status;
  std::string system_id = values["system-id"].as<std::string>();
  auto answer = connected.client->add_system(system_id);
  if (!answer) return reject(answer.error());
  auto parsed = parse_answer(*answer);
  if (!parsed) return reject(parsed.error());
  std::string secret = text_field(*parsed, "secret");
  if (values.count("secret-file") == 0) {
    std::cout << "added: " << system_id << "\nsecret: " << secret
              << "\n(shown once: the hub keeps it encrypted and never shows it again)\n";
    return kOk;
  }
  std::string file = values["secret-file"].as<std::string>();
  auto writer = AtomicFileWriter::create(file);  // created 0600
  if (!writer) return reject(writer.error());
  if (Status written = writer->write(secret + "\n"); !written) return reject(written.error());
  if (Status committed = writer->commit(); !committed) return reject(committed.error());
  std::cout << "added: " << system_id << " (secret in " << file << ")\n";
  return kOk;
}

int list(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("json", "print the hub's answer as JSON");
  options.add(admin_connection_options());
  auto command_line = parse_command("admin systems list", args, "truc admin systems list [--json]",
                                    "Lists the systems that have a secret and the agencies each "
                                    "may act for.",
                                    options);
  if (command_line.exit_status) return *command_line.exit_status;
  auto connected = connect_admin("admin systems list", command_line.values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->list_systems();
  if (!answer) return reject(answer.error());
  return print_answer(command_line.values, *answer, [](const json::object& listed) {
    std::vector<std::vector<std::string>> rows;
    const auto* systems = listed.if_contains("systems");
    for (const auto& entry :
         systems != nullptr && systems->is_array() ? systems->get_array() : json::array()) {
      if (!entry.is_object()) continue;
      std::string agencies;
      if (const auto* codes = entry.get_object().if_contains("agencies");
          codes != nullptr && codes->is_array()) {
        for (const auto& code : codes->get_array()) {
          if (code.is_string())
            agencies += (agencies.empty() ? "" : ", ") + std::string(code.get_string());
        }
      }
      rows.push_back({text_field(entry.get_object(), "system_id"),
                      agencies.empty() ? "(none: its requests are refused)" : agencies});
    }
    return render_table({"SYSTEM_ID", "AGENCIES"}, rows);
  });
}

int remove(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("system-id", po::value<std::string>()->required(), "the system id");
  options.add(admin_connection_options());
  auto command_line =
      parse_command("admin systems remove", args, "truc admin systems remove SYSTEM_ID",
                    "Removes the system's secret; its requests are refused from "
                    "then on.",
                    options, positional_arguments({"system-id"}));
  if (command_line.exit_status) return *command_line.exit_status;
  auto connected = connect_admin("admin systems remove", command_line.values);
  if (!connected.client) return connected.exit_status;
  std::string system_id = command_line.values["system-id"].as<std::string>();
  Status removed = connected.client->remove_system(system_id);
  if (!removed) return reject(removed.error());
  std::cout << "removed: " << system_id << "\n";
  return kOk;
}

}  // namespace

int run_systems(const std::vector<std::string>& args) {
  return run_subcommand("admin systems", args, kHelp,
                        {{"add", add}, {"list", list}, {"remove", remove}});
}

}  // namespace truc::cli
