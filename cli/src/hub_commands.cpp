#include "hub_commands.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <filesystem>
#include <iostream>

#include "hub_command_line.hpp"
#include "hub_view.hpp"
#include "output.hpp"
#include "truc/agency/hub_client.hpp"

namespace truc::cli {
namespace {

namespace po = boost::program_options;
namespace json = boost::json;

constexpr unsigned kMaxInboxPage = 500;  // the hub's limit (docs/api/openapi.yaml)
constexpr std::size_t kMaxReasonLength = 2000;
constexpr const char* kIdUsage = "ID must be a hub id such as 5f1c0a9e3b7d42a18c6e0f21";

// The hub's ids are 24 hex digits; anything in the id ends up in a URL and, for fetch, in a file
// name, so only letters, digits, '-' and '_' are let through.
bool is_package_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char character) {
    return std::isalnum(static_cast<unsigned char>(character)) != 0 || character == '-' ||
           character == '_';
  });
}

int send(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>()->required(), "the .edxml document")(
      "json", "print the hub's receipt as JSON");
  options.add(progress_options()).add(agency_connection_options());
  auto command_line = parse_command(
      "send", args, "truc send FILE [--json] [--progress|--no-progress] [connection options]",
      "Sends a package or status packet to the hub, streaming it from disk, and prints the\n"
      "receipt: the hub id, each recipient with its route, and the codes of tolerated variants.\n"
      "Sending the same bytes again is harmless: the hub repeats the first receipt.",
      options, positional_arguments({"file"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  auto mode = progress_mode(values);
  if (!mode) return usage_error("send", mode.error().message);
  auto connected = connect_agency("send", values);
  if (!connected.client) return connected.exit_status;

  ProgressDisplay progress("sending", *mode);
  auto receipt = connected.client->send(values["file"].as<std::string>(), progress.callback());
  progress.finish();
  if (!receipt) return reject(receipt.error());
  return print_answer(values, receipt->json, [&](const json::object& parsed) {
    return render_receipt(parsed, receipt->duplicate());
  });
}

// The items of the pages read (one, or every page) and the cursor after the last one read.
struct InboxListing {
  json::array items;
  std::string next_cursor;  // empty after the last page
};

Result<InboxListing> list_inbox(agency::HubClient& hub, agency::InboxQuery query, bool all_pages) {
  InboxListing listing;
  for (;;) {
    auto page = hub.inbox(query);
    if (!page) return std::move(page).error();
    auto parsed = parse_answer(*page);
    if (!parsed) return std::move(parsed).error();
    const auto* items = parsed->if_contains("items");
    if (items != nullptr && items->is_array()) {
      for (const auto& item : items->get_array()) listing.items.push_back(item);
    }
    const auto* cursor = parsed->if_contains("next_cursor");
    listing.next_cursor = cursor != nullptr && cursor->is_string() ? cursor->get_string() : "";
    if (!all_pages || listing.next_cursor.empty()) return listing;
    // A hub repeating a cursor would keep --all going forever.
    if (query.cursor == listing.next_cursor) {
      return Error{"client.protocol", "the hub returned the same page cursor again",
                   listing.next_cursor};
    }
    query.cursor = listing.next_cursor;
  }
}

int inbox(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("kind", po::value<std::string>()->default_value("edoc"),
                        "edoc (documents) or status (status packets)")(
      "limit", po::value<unsigned>(), "at most this many per page (1-500; the hub's default: 50)")(
      "cursor", po::value<std::string>(), "continue after a previous page")(
      "all", "follow the pages to the end")("json", "print JSON instead of a table");
  options.add(agency_connection_options());
  auto command_line = parse_command(
      "inbox", args,
      "truc inbox [--kind edoc|status] [--limit N] [--cursor C] [--all] [--json] "
      "[connection options]",
      "Lists what waits for the agency, oldest first. Fetch a package with `truc fetch ID`, then\n"
      "settle it with `truc ack ID` (or `truc nack ID`): it stays in the inbox until then.",
      options);
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  agency::InboxQuery query;
  query.kind = values["kind"].as<std::string>();
  if (query.kind != "edoc" && query.kind != "status") {
    return usage_error("inbox", "--kind must be edoc or status");
  }
  if (values.count("limit") != 0) {
    query.limit = values["limit"].as<unsigned>();
    if (*query.limit == 0 || *query.limit > kMaxInboxPage) {
      return usage_error("inbox", "--limit must be from 1 to 500");
    }
  }
  if (values.count("cursor") != 0) query.cursor = values["cursor"].as<std::string>();
  bool all_pages = values.count("all") != 0;
  auto connected = connect_agency("inbox", values);
  if (!connected.client) return connected.exit_status;

  if (!all_pages && values.count("json") != 0) {
    auto page = connected.client->inbox(query);
    if (!page) return reject(page.error());
    print_json(*page);
    return kOk;
  }
  auto listing = list_inbox(*connected.client, query, all_pages);
  if (!listing) return reject(listing.error());
  if (values.count("json") != 0) {
    print_json(json::serialize(json::object{{"items", listing->items}, {"next_cursor", nullptr}}));
    return kOk;
  }
  if (listing->items.empty()) {
    std::cout << "nothing waiting (" << query.kind << ")\n";
  } else {
    std::cout << render_inbox(listing->items);
  }
  if (!listing->next_cursor.empty()) {
    std::cerr << "more waiting: truc inbox --cursor " << listing->next_cursor << " (or --all)\n";
  }
  return kOk;
}

int fetch(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("id", po::value<std::string>()->required(), "the hub id of the package")(
      "output,o", po::value<std::string>(), "write here (default: ./ID.edxml)")(
      "force", "replace an existing file");
  options.add(progress_options()).add(agency_connection_options());
  auto command_line = parse_command(
      "fetch", args, "truc fetch ID [-o FILE] [--force] [--progress] [connection options]",
      "Downloads a package byte for byte as its sender's signature covers it, checks it against\n"
      "the SHA-256 the hub announces, and only then puts it in place. An existing file is left\n"
      "alone unless --force is given.",
      options, positional_arguments({"id"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  std::string id = values["id"].as<std::string>();
  if (!is_package_id(id)) return usage_error("fetch", kIdUsage);
  std::filesystem::path output =
      values.count("output") != 0 ? values["output"].as<std::string>() : id + ".edxml";
  auto mode = progress_mode(values);
  if (!mode) return usage_error("fetch", mode.error().message);
  if (values.count("force") == 0 && std::filesystem::exists(output)) {
    return reject({"io.exists", "the output file exists; --force replaces it", output.string()});
  }
  auto connected = connect_agency("fetch", values);
  if (!connected.client) return connected.exit_status;

  ProgressDisplay progress("receiving", *mode);
  auto fetched = connected.client->fetch(id, output, progress.callback());
  progress.finish();
  if (!fetched) return reject(fetched.error());
  std::cout << "fetched: " << output.string() << " (" << cli::format_size(fetched->size) << ", "
            << (fetched->kind.empty() ? "edoc" : fetched->kind) << ", sha256 " << fetched->sha256
            << ")\n";
  return kOk;
}

int ack(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("id", po::value<std::string>()->required(), "the hub id of the package");
  options.add(agency_connection_options());
  auto command_line = parse_command(
      "ack", args, "truc ack ID [connection options]",
      "Tells the hub the agency has the package: it leaves the inbox and its sender sees it\n"
      "delivered. Acknowledging twice is harmless.",
      options, positional_arguments({"id"}));
  if (command_line.exit_status) return *command_line.exit_status;
  std::string id = command_line.values["id"].as<std::string>();
  if (!is_package_id(id)) return usage_error("ack", kIdUsage);
  auto connected = connect_agency("ack", command_line.values);
  if (!connected.client) return connected.exit_status;
  auto settled = connected.client->ack(id);
  if (!settled) return reject(settled.error());
  std::cout << "acknowledged: " << id << "\n";
  return kOk;
}

int nack(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("id", po::value<std::string>()->required(), "the hub id of the package")(
      "reason", po::value<std::string>()->required(),
      "why, for the sender (up to 2000 characters)");
  options.add(agency_connection_options());
  auto command_line = parse_command(
      "nack", args, "truc nack ID --reason TEXT [connection options]",
      "Refuses the package for good: it leaves the inbox and its sender sees the reason.", options,
      positional_arguments({"id"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  std::string id = values["id"].as<std::string>();
  if (!is_package_id(id)) return usage_error("nack", kIdUsage);
  std::string reason = values["reason"].as<std::string>();
  if (reason.empty() || reason.size() > kMaxReasonLength) {
    return usage_error("nack", "--reason must be 1 to 2000 characters");
  }
  auto connected = connect_agency("nack", values);
  if (!connected.client) return connected.exit_status;
  auto settled = connected.client->nack(id, reason);
  if (!settled) return reject(settled.error());
  std::cout << "refused: " << id << "\n";
  return kOk;
}

int trace(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("id", po::value<std::string>()->required(), "the hub id of the package")(
      "json", "print the hub's trace as JSON");
  options.add(agency_connection_options());
  auto command_line = parse_command(
      "trace", args, "truc trace ID [--json] [connection options]",
      "Follows a package through the hub: the package, one line per delivery (recipient, route,\n"
      "state), then every event in time order. A sender sees every recipient, a recipient its\n"
      "own deliveries.",
      options, positional_arguments({"id"}));
  if (command_line.exit_status) return *command_line.exit_status;
  const auto& values = command_line.values;
  std::string id = values["id"].as<std::string>();
  if (!is_package_id(id)) return usage_error("trace", kIdUsage);
  auto connected = connect_agency("trace", values);
  if (!connected.client) return connected.exit_status;
  auto traced = connected.client->trace(id);
  if (!traced) return reject(traced.error());
  return print_answer(values, *traced, render_trace);
}

}  // namespace

std::optional<int> run_hub_command(std::string_view command, const std::vector<std::string>& args) {
  if (command == "send") return send(args);
  if (command == "inbox") return inbox(args);
  if (command == "fetch") return fetch(args);
  if (command == "ack") return ack(args);
  if (command == "nack") return nack(args);
  if (command == "trace") return trace(args);
  return std::nullopt;
}

}  // namespace truc::cli
