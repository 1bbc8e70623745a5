#include "deadletter_commands.hpp"

#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <iostream>

#include "hub_command_line.hpp"
#include "hub_view.hpp"
#include "output.hpp"

namespace truc::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kHelp = R"(usage: truc admin deadletters <command> [options]

Deliveries whose push gave up after the configured attempts. They stay available to pull;
replaying one puts it back in the push queue.

commands:
  list [--collector CODE] [--json]
  replay [--collector CODE] [--id PACKAGE_ID]   all dead letters, a collector's, or one package's
)";

std::optional<std::string> optional_value(const po::variables_map& values, const char* name) {
  if (values.count(name) == 0) return std::nullopt;
  return values[name].as<std::string>();
}

int list(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("collector", po::value<std::string>()->value_name("CODE"),
                        "only those of this agency or gateway")("json",
                                                                "print the hub's answer as JSON");
  options.add(admin_connection_options());
  auto command_line = parse_command(
      "admin deadletters list", args, "truc admin deadletters list [--collector CODE] [--json]",
      "Lists dead letters: package, recipient, collector, attempts, the last error and when the\n"
      "hub gave up.",
      options);
  if (command_line.exit_status) return *command_line.exit_status;
  auto connected = connect_admin("admin deadletters list", command_line.values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->dead_letters(optional_value(command_line.values, "collector"));
  if (!answer) return reject(answer.error());
  return print_answer(command_line.values, *answer, render_dead_letters);
}

int replay(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("collector", po::value<std::string>()->value_name("CODE"),
                        "only those of this agency or gateway")(
      "id", po::value<std::string>()->value_name("PACKAGE_ID"), "only this package's");
  options.add(admin_connection_options());
  auto command_line = parse_command(
      "admin deadletters replay", args,
      "truc admin deadletters replay [--collector CODE] [--id PACKAGE_ID]",
      "Puts dead letters back in the push queue, with their attempts counted from zero again.",
      options);
  if (command_line.exit_status) return *command_line.exit_status;
  auto connected = connect_admin("admin deadletters replay", command_line.values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->replay_dead_letters(
      optional_value(command_line.values, "collector"), optional_value(command_line.values, "id"));
  if (!answer) return reject(answer.error());
  auto parsed = parse_answer(*answer);
  if (!parsed) return reject(parsed.error());
  std::cout << "replayed: " << boost::json::serialize(parsed->at("replayed")) << "\n";
  return kOk;
}

}  // namespace

int run_deadletters(const std::vector<std::string>& args) {
  return run_subcommand("admin deadletters", args, kHelp, {{"list", list}, {"replay", replay}});
}

}  // namespace truc::cli
