#include "admin_commands.hpp"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <iostream>

#include "deadletter_commands.hpp"
#include "hub_command_line.hpp"
#include "hub_view.hpp"
#include "output.hpp"
#include "systems_commands.hpp"
#include "truc/cli/admin_client.hpp"
#include "truc/common/file.hpp"
#include "truc/common/time.hpp"
#include "truc/security/certificate.hpp"

namespace truc::cli {

using https::Header;

namespace {

namespace po = boost::program_options;
namespace json = boost::json;

constexpr const char* kAdminHelp = R"(usage: truc admin <command> [options]

commands:
  agencies list|show|add|update|remove|import    the agency directory
  agencies certificate list|add|remove           the client certificates of an agency
  trace ID | trace --document-id DOCID           follow packages through the hub
  traffic [--since TIME] [--until TIME]          counts per agency
  deadletters list|replay                        deliveries whose push gave up
  systems add|list|remove                        systems of the national platform's API

Every command talks to the hub's monitor listener with --admin-url (default $TRUC_MONITOR_URL)
and the bearer token in --token-file (default $TRUC_ADMIN_TOKEN_FILE), a file only its owner may
read; --ca (default $TRUC_CA) for an https URL. Run `truc admin <command> --help` for the
options of one command.
)";

constexpr const char* kAgenciesHelp = R"(usage: truc admin agencies <command> [options]

commands:
  list                                  every entry of the directory
  show CODE                             one entry
  add --code C --name N [...]           add an agency
  update CODE [...]                     change some fields of an entry
  remove CODE                           remove an entry
  import FILE.csv                       add or update agencies from CSV, all or nothing
  certificate list CODE                 the client certificates registered for an agency
  certificate add CODE CERT.pem         register a client certificate
  certificate remove CODE FINGERPRINT   unregister one

Run `truc admin agencies <command> --help` for the options of one command.
)";

// The fields of an Agency (docs/api/openapi.yaml); an update sends back only these.
constexpr std::array<const char*, 13> kAgencyFields = {
    "code",      "name",       "parent_code",      "kind",
    "route_via", "system_ids", "signature_policy", "enabled",
    "push",      "qd20_code",  "signer_cas",       "signer_certificates",
    "allow_sha1"};

const json::array& array_field(const json::object& object, std::string_view key) {
  static const json::array kEmpty;
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_array() ? value->get_array() : kEmpty;
}

po::options_description agency_field_options(bool for_update) {
  po::options_description options("agency fields");
  options.add_options()("name", po::value<std::string>(), "the agency's name")(
      "parent", po::value<std::string>()->value_name("CODE"),
      for_update ? "code of the parent agency (\"\" clears it)" : "code of the parent agency")(
      "kind", po::value<std::string>(), "local (default), peer_hub or national")(
      "qd20-code", po::value<std::string>()->value_name("CODE"),
      for_update ? "the agency's code in the Decision 20/2020/QĐ-TTg list (\"\" clears it)"
                 : "the agency's code in the Decision 20/2020/QĐ-TTg list")(
      "route-via", po::value<std::string>()->value_name("GATEWAY"),
      for_update ? "the gateway entry collecting for an agency outside the hub (\"\" clears it)"
                 : "the gateway entry collecting for an agency outside the hub")(
      "system-id", po::value<std::vector<std::string>>()->value_name("ID"),
      "a system id (of the national platform's API) that may send as the agency (repeatable; "
      "replaces the list)")(
      "push-url", po::value<std::string>()->value_name("URL"),
      "push packages to this https:// endpoint (with --push-ca or --push-pin; the endpoint's "
      "settings are given together and replace the earlier ones)")(
      "push-ca", po::value<std::string>()->value_name("FILE"),
      "PEM file of the CAs the endpoint's certificate chains to")(
      "push-pin", po::value<std::string>()->value_name("SHA256"),
      "accept exactly the endpoint certificate with this SHA-256 (hex of the DER)")(
      "push-client-certificate", "present the hub's client certificate to the endpoint")(
      "signature-policy", po::value<std::string>()->value_name("POLICY"),
      "require (default), verify_if_present or off")(
      "signer-ca", po::value<std::vector<std::string>>()->value_name("CA.pem|SHA256"),
      "a CA (PEM file, every certificate in it, or SHA-256 fingerprint) whose certificates may "
      "sign for the agency: the issuing CA or any CA above it (repeatable; replaces the list; "
      "\"\" clears it)")(
      "signer-certificate", po::value<std::vector<std::string>>()->value_name("CERT.pem|SHA256"),
      "a certificate that may sign for the agency (repeatable; replaces the list; \"\" clears "
      "it). With no signer CA and no signer certificate, only the agency's registered client "
      "certificates sign for it")(
      "allow-sha1", "accept the agency's SHA-1 signatures (counted; refused by default)")(
      "disabled", "refuse the agency's traffic");
  if (for_update) {
    options.add_options()("enabled", "accept the agency's traffic again")(
        "no-push", "stop pushing; the agency pulls")("forbid-sha1",
                                                     "refuse the agency's SHA-1 signatures again");
  }
  return options;
}

// A SHA-256 fingerprint as given (hex, with or without colons, any case), or the fingerprints of
// the certificates in a PEM file.
Result<std::vector<std::string>> fingerprints_of(const std::string& value) {
  std::string hex;
  for (char character : value) {
    if (character != ':')
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  }
  if (hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string::npos)
    return std::vector<std::string>{hex};
  auto certificates = security::Certificate::load_pem_file(value);
  if (!certificates) {
    return Error{"usage",
                 value + ": neither a SHA-256 fingerprint nor a PEM certificate file (" +
                     certificates.error().message + ")",
                 {}};
  }
  std::vector<std::string> fingerprints;
  for (const auto& certificate : *certificates)
    fingerprints.push_back(certificate.sha256_fingerprint());
  return fingerprints;
}

Status apply_fingerprints(const po::variables_map& values, const char* option, const char* field,
                          json::object& agency) {
  if (values.count(option) == 0) return ok_status();
  json::array list;
  for (const auto& value : values[option].as<std::vector<std::string>>()) {
    if (value.empty()) continue;
    auto fingerprints = fingerprints_of(value);
    if (!fingerprints) {
      return Error{"usage", "--" + std::string(option) + ": " + fingerprints.error().message, {}};
    }
    for (const auto& fingerprint : *fingerprints) list.emplace_back(fingerprint);
  }
  agency[field] = std::move(list);
  return ok_status();
}

bool one_of(const std::string& value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Sets the fields given on the command line; a usage error when a value is not allowed.
Status apply_agency_fields(const po::variables_map& values, json::object& agency) {
  auto text = [&](const char* option) { return values[option].as<std::string>(); };
  auto nullable = [&](const char* option) -> json::value {
    return text(option).empty() ? json::value(nullptr) : json::value(text(option));
  };
  if (values.count("name") != 0) agency["name"] = text("name");
  if (values.count("parent") != 0) agency["parent_code"] = nullable("parent");
  if (values.count("qd20-code") != 0) agency["qd20_code"] = nullable("qd20-code");
  if (values.count("kind") != 0) {
    if (!one_of(text("kind"), {"local", "peer_hub", "national"})) {
      return Error{"usage", "--kind must be local, peer_hub or national", {}};
    }
    agency["kind"] = text("kind");
  }
  if (values.count("route-via") != 0) agency["route_via"] = nullable("route-via");
  if (values.count("system-id") != 0) {
    json::array system_ids;
    for (const auto& id : values["system-id"].as<std::vector<std::string>>()) {
      system_ids.emplace_back(id);
    }
    agency["system_ids"] = std::move(system_ids);
  }
  if (values.count("signature-policy") != 0) {
    if (!one_of(text("signature-policy"), {"require", "verify_if_present", "off"})) {
      return Error{"usage", "--signature-policy must be require, verify_if_present or off", {}};
    }
    agency["signature_policy"] = text("signature-policy");
  }
  TRUC_TRY(apply_fingerprints(values, "signer-ca", "signer_cas", agency));
  TRUC_TRY(apply_fingerprints(values, "signer-certificate", "signer_certificates", agency));
  bool allow_sha1 = values.count("allow-sha1") != 0;
  bool forbid_sha1 = values.count("forbid-sha1") != 0;
  if (allow_sha1 && forbid_sha1)
    return Error{"usage", "--allow-sha1 and --forbid-sha1 exclude each other", {}};
  if (allow_sha1 || forbid_sha1) agency["allow_sha1"] = allow_sha1;
  bool enable = values.count("enabled") != 0;
  bool disable = values.count("disabled") != 0;
  if (enable && disable) return Error{"usage", "--enabled and --disabled exclude each other", {}};
  if (enable || disable) agency["enabled"] = enable;
  if (values.count("no-push") != 0) {
    if (values.count("push-url") != 0)
      return Error{"usage", "--no-push and --push-url exclude each other", {}};
    agency["push"] = nullptr;
  }
  bool push_setting = values.count("push-ca") != 0 || values.count("push-pin") != 0 ||
                      values.count("push-client-certificate") != 0;
  if (push_setting && values.count("push-url") == 0) {
    return Error{
        "usage", "--push-ca, --push-pin and --push-client-certificate go with --push-url", {}};
  }
  if (values.count("push-url") != 0) {
    json::object push{{"url", text("push-url")},
                      {"client_certificate", values.count("push-client-certificate") != 0}};
    if (values.count("push-ca") != 0) {
      auto pem = read_small_file(text("push-ca"), 1 << 20);
      if (!pem) return Error{"usage", "--push-ca: " + pem.error().to_string(), {}};
      push["ca_pem"] = *pem;
    }
    if (values.count("push-pin") != 0) push["pinned_sha256"] = text("push-pin");
    if (!push.contains("ca_pem") && !push.contains("pinned_sha256")) {
      return Error{"usage", "--push-url needs --push-ca or --push-pin", {}};
    }
    agency["push"] = std::move(push);
  }
  return ok_status();
}

int list_agencies(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("json", "print the hub's answer as JSON");
  options.add(admin_connection_options());
  auto command_line =
      parse_command("admin agencies list", args, "truc admin agencies list [--json]",
                    "Lists the agency directory: code, name, kind, parent, route, signature policy "
                    "and whether the agency is enabled.",
                    options);
  if (command_line.exit_status) return *command_line.exit_status;
  auto connected = connect_admin("admin agencies list", command_line.values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->list_agencies();
  if (!answer) return reject(answer.error());
  return print_answer(command_line.values, *answer, [](const json::object& directory) {
    return render_agencies(array_field(directory, "agencies"));
  });
}

int show_agency(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("code", po::value<std::string>()->required(), "the agency code")(
      "json", "print the hub's answer as JSON");
  options.add(admin_connection_options());
  auto command_line = parse_command(
      "admin agencies show", args, "truc admin agencies show CODE [--json]",
      "Shows one entry of the agency directory.", options, positional_arguments({"code"}));
  if (command_line.exit_status) return *command_line.exit_status;
  auto connected = connect_admin("admin agencies show", command_line.values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->get_agency(command_line.values["code"].as<std::string>());
  if (!answer) return reject(answer.error());
  return print_answer(command_line.values, *answer, render_agency);
}

int add_agency(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("code", po::value<std::string>()->required(),
                        "the national agency code, e.g. 000.00.00.G22");
  options.add(agency_field_options(false)).add(admin_connection_options());
  auto command_line = parse_command(
      "admin agencies add", args,
      "truc admin agencies add --code CODE --name NAME [--parent CODE] "
      "[--kind local|peer_hub|national] [--route-via GATEWAY] [--system-id ID]... "
      "[--signature-policy require|verify_if_present|off] [--signer-ca CA.pem|SHA256]... "
      "[--signer-certificate CERT.pem|SHA256]... [--allow-sha1] [--disabled] "
      "[--push-url URL (--push-ca FILE | --push-pin SHA256) [--push-client-certificate]]",
      "Adds an agency to the directory. Fields not given take the hub's defaults.", options);
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  if (values.count("name") == 0) return usage_error("admin agencies add", "--name is required");
  json::object agency{{"code", values["code"].as<std::string>()}};
  Status applied = apply_agency_fields(values, agency);
  if (!applied) return usage_error("admin agencies add", applied.error().message);
  auto connected = connect_admin("admin agencies add", values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->create_agency(json::serialize(agency));
  if (!answer) return reject(answer.error());
  std::cout << "added: " << values["code"].as<std::string>() << "\n";
  return kOk;
}

int update_agency(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("code", po::value<std::string>()->required(), "the agency code");
  options.add(agency_field_options(true)).add(admin_connection_options());
  auto command_line = parse_command(
      "admin agencies update", args, "truc admin agencies update CODE [agency fields]",
      "Changes the fields given and keeps the others: reads the entry, then replaces it.", options,
      positional_arguments({"code"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  std::string code = values["code"].as<std::string>();
  json::object changes;
  Status applied = apply_agency_fields(values, changes);
  if (!applied) return usage_error("admin agencies update", applied.error().message);
  auto connected = connect_admin("admin agencies update", values);
  if (!connected.client) return connected.exit_status;
  auto current = connected.client->get_agency(code);
  if (!current) return reject(current.error());
  auto parsed = parse_answer(*current);
  if (!parsed) return reject(parsed.error());
  json::object agency;
  for (const char* name : kAgencyFields) {
    if (const auto* value = parsed->if_contains(name)) agency[name] = *value;
  }
  for (const auto& change : changes) agency[change.key()] = change.value();
  auto answer = connected.client->replace_agency(code, json::serialize(agency));
  if (!answer) return reject(answer.error());
  std::cout << "updated: " << code << "\n";
  return kOk;
}

int remove_agency(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("code", po::value<std::string>()->required(), "the agency code");
  options.add(admin_connection_options());
  auto command_line =
      parse_command("admin agencies remove", args, "truc admin agencies remove CODE",
                    "Removes an entry. The hub refuses while packages still wait for the agency.",
                    options, positional_arguments({"code"}));
  if (command_line.exit_status) return *command_line.exit_status;
  auto connected = connect_admin("admin agencies remove", command_line.values);
  if (!connected.client) return connected.exit_status;
  std::string code = command_line.values["code"].as<std::string>();
  Status removed = connected.client->remove_agency(code);
  if (!removed) return reject(removed.error());
  std::cout << "removed: " << code << "\n";
  return kOk;
}

int import_agencies(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>()->required(), "the CSV file")(
      "json", "print the hub's answer as JSON");
  options.add(admin_connection_options());
  auto command_line =
      parse_command("admin agencies import", args, "truc admin agencies import FILE.csv [--json]",
                    "Adds or updates agencies from CSV, all or nothing. Header row:\n"
                    "code,name,parent_code,kind,route_via,signature_policy,enabled,system_ids\n"
                    "(system ids separated by ';'); UTF-8, RFC 4180 quoting.",
                    options, positional_arguments({"file"}));
  if (command_line.exit_status) return *command_line.exit_status;
  auto connected = connect_admin("admin agencies import", command_line.values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->import_agencies(command_line.values["file"].as<std::string>());
  if (!answer) return reject(answer.error());
  return print_answer(command_line.values, *answer, render_import);
}

int list_certificates(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("code", po::value<std::string>()->required(), "the agency code")(
      "json", "print the hub's answer as JSON");
  options.add(admin_connection_options());
  auto command_line = parse_command("admin agencies certificate list", args,
                                    "truc admin agencies certificate list CODE [--json]",
                                    "Lists the client certificates registered for an agency.",
                                    options, positional_arguments({"code"}));
  if (command_line.exit_status) return *command_line.exit_status;
  auto connected = connect_admin("admin agencies certificate list", command_line.values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->list_certificates(command_line.values["code"].as<std::string>());
  if (!answer) return reject(answer.error());
  return print_answer(command_line.values, *answer, [](const json::object& listed) {
    return render_certificates(array_field(listed, "certificates"));
  });
}

int add_certificate(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("code", po::value<std::string>()->required(), "the agency code")(
      "file", po::value<std::string>()->required(), "the client certificate, PEM")(
      "json", "print the hub's answer as JSON");
  options.add(admin_connection_options());
  auto command_line = parse_command(
      "admin agencies certificate add", args,
      "truc admin agencies certificate add CODE CERT.pem [--json]",
      "Registers a client certificate: a client presenting it may send as, and collect for, the\n"
      "agency.",
      options, positional_arguments({"code", "file"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  auto connected = connect_admin("admin agencies certificate add", values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->add_certificate(values["code"].as<std::string>(),
                                                  values["file"].as<std::string>());
  if (!answer) return reject(answer.error());
  return print_answer(values, *answer, render_registered_certificate);
}

int remove_certificate(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("code", po::value<std::string>()->required(), "the agency code")(
      "fingerprint", po::value<std::string>()->required(),
      "the certificate's fingerprint, as `certificate list` shows it");
  options.add(admin_connection_options());
  auto command_line = parse_command(
      "admin agencies certificate remove", args,
      "truc admin agencies certificate remove CODE FINGERPRINT",
      "Unregisters a client certificate; clients presenting it are refused from then on.", options,
      positional_arguments({"code", "fingerprint"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  auto connected = connect_admin("admin agencies certificate remove", values);
  if (!connected.client) return connected.exit_status;
  std::string fingerprint = values["fingerprint"].as<std::string>();
  std::string code = values["code"].as<std::string>();
  Status removed = connected.client->remove_certificate(code, fingerprint);
  if (!removed) return reject(removed.error());
  std::cout << "removed: certificate " << fingerprint << " of " << code << "\n";
  return kOk;
}

int run_certificate(const std::vector<std::string>& args) {
  std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
  std::string command = args.empty() ? "" : args[0];
  if (command == "list") return list_certificates(rest);
  if (command == "add") return add_certificate(rest);
  if (command == "remove") return remove_certificate(rest);
  return usage_error("admin agencies", "certificate needs list, add or remove");
}

int run_agencies(const std::vector<std::string>& args) {
  return run_subcommand("admin agencies", args, kAgenciesHelp,
                        {{"list", list_agencies},
                         {"show", show_agency},
                         {"add", add_agency},
                         {"update", update_agency},
                         {"remove", remove_agency},
                         {"import", import_agencies},
                         {"certificate", run_certificate}});
}

int trace(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("id", po::value<std::string>(), "the hub id of a package")(
      "document-id", po::value<std::string>()->value_name("DOCID"),
      "every package with this DocumentId: the document, its status packets, recalls")(
      "json", "print the hub's answer as JSON");
  options.add(admin_connection_options());
  auto command_line = parse_command(
      "admin trace", args,
      "truc admin trace ID [--json] | truc admin trace --document-id DOCID "
      "[--json]",
      "Follows any package through the hub: the package, one line per delivery, then every\n"
      "event in time order.",
      options, positional_arguments({"id"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  bool by_id = values.count("id") != 0;
  if (by_id == (values.count("document-id") != 0)) {
    return usage_error("admin trace", "give either ID or --document-id");
  }
  auto connected = connect_admin("admin trace", values);
  if (!connected.client) return connected.exit_status;
  if (by_id) {
    auto answer = connected.client->trace(values["id"].as<std::string>());
    if (!answer) return reject(answer.error());
    return print_answer(values, *answer, render_trace);
  }
  auto answer = connected.client->trace_document(values["document-id"].as<std::string>());
  if (!answer) return reject(answer.error());
  return print_answer(values, *answer, [](const json::object& found) {
    std::string text;
    for (const auto& package : array_field(found, "packages")) {
      if (!text.empty()) text += "\n";
      text += package.is_object() ? render_trace(package.get_object()) : "";
    }
    return text.empty() ? "no package with this DocumentId\n" : text;
  });
}

int traffic(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("since", po::value<std::string>()->value_name("TIME"),
                        "start of the period, ISO 8601 (default: 24 hours ago)")(
      "until", po::value<std::string>()->value_name("TIME"), "end of the period (default: now)")(
      "json", "print the hub's answer as JSON");
  options.add(admin_connection_options());
  auto command_line = parse_command(
      "admin traffic", args, "truc admin traffic [--since TIME] [--until TIME] [--json]",
      "Counts per agency in a period: sent, received, acknowledged, rejected, and what is\n"
      "pending now. TIME is ISO 8601, e.g. 2024-06-01T00:00:00+07:00.",
      options);
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  std::optional<std::string> since;
  std::optional<std::string> until;
  for (auto [option, bound] : {std::pair{"since", &since}, std::pair{"until", &until}}) {
    if (values.count(option) == 0) continue;
    *bound = values[option].as<std::string>();
    if (auto time = parse_iso8601(**bound); !time) {
      return usage_error("admin traffic", std::string("--") + option + ": " + time.error().message);
    }
  }
  auto connected = connect_admin("admin traffic", values);
  if (!connected.client) return connected.exit_status;
  auto answer = connected.client->traffic(since, until);
  if (!answer) return reject(answer.error());
  return print_answer(values, *answer, [](const json::object& counts) {
    return render_traffic(array_field(counts, "traffic"));
  });
}

}  // namespace

int run_admin(const std::vector<std::string>& args) {
  return run_subcommand("admin", args, kAdminHelp,
                        {{"agencies", run_agencies},
                         {"trace", trace},
                         {"traffic", traffic},
                         {"deadletters", run_deadletters},
                         {"systems", run_systems}});
}

}  // namespace truc::cli
