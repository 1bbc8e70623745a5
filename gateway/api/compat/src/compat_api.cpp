#include "truc/api/compat_api.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "compat_call.hpp"
#include "compat_upload.hpp"
#include "hmac_auth.hpp"
#include "truc/common/ascii.hpp"
#include "truc/common/base64.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/common/digest.hpp"
#include "truc/common/file.hpp"
#include "truc/common/log.hpp"
#include "truc/security/secret_box.hpp"

namespace truc::api {

using http::BodyMode;
using http::Request;
using http::Response;
using http::Router;
using hub::Directory;
using hub::Hub;
using security::SecretBox;

namespace {

namespace json = boost::json;
using store::PackageKind;

// The most entries /getReceivedEdocList answers at once, oldest first; a client collects them
// and calls again.
constexpr std::size_t kListLimit = 500;
constexpr std::size_t kChunkBytes = 64 * 1024;

struct CompatContext {
  CompatContext(Hub& hub_in, Directory& directory_in, CompatSettings settings)
      : hub(hub_in),
        directory(directory_in),
        clock(settings.clock),
        secrets(std::move(settings.secret_key)),
        max_clock_skew(settings.max_clock_skew),
        spool_directory(std::move(settings.spool_directory)) {}

  Hub& hub;
  Directory& directory;
  const Clock& clock;
  SecretBox secrets;
  std::chrono::seconds max_clock_skew;
  std::filesystem::path spool_directory;
};

using CallHandler = Result<Response> (*)(CompatContext&, Request&, CompatCall&);

// Every route's gate: the call is authenticated from its headers, before any body byte is read.
// Refused credentials are logged with the claimed system id and the real reason (the answer may
// hide it: indistinct), never a header value.
std::optional<Response> admit_system(CompatContext& context, Request& request) {
  auto call = CompatCall::authenticate(context.hub, context.secrets, context.clock.now(),
                                       context.max_clock_skew, request);
  if (!call) {
    const Error& error = call.error();
    log_event(error.code == "server.secret_unreadable" ? "error" : "warn", "compat.refused",
              {{"code", error.code},
               {"system_id", request.header("xroadvnpt-systemid").value_or("")},
               {"request_id", request.request_id}});
    return compat_failure(indistinct(error));
  }
  request.credentials = std::move(*call);
  return std::nullopt;
}

// Reads the body's fields beside the call the gate admitted, runs `handler`, and answers any
// Error in the face's shape.
Response handle(CompatContext& context, Request& request, CallHandler handler) {
  auto& call = std::any_cast<CompatCall&>(request.credentials);
  auto fields = body_fields(request);
  if (!fields) return compat_failure(fields.error());
  call.add_fields(*fields);
  auto response = handler(context, request, call);
  return response ? std::move(*response) : compat_failure(response.error());
}

// servicetype, when given, names the only service this face offers.
Status check_service_type(const CompatCall& call) {
  auto service = call.parameter("servicetype");
  if (!service) return std::move(service).error();
  if (*service && ascii_lowercase(**service) != "edoc") {
    return Error{"request.invalid_parameter", "servicetype must be eDoc", **service};
  }
  return ok_status();
}

Result<std::optional<PackageKind>> message_type(const CompatCall& call) {
  auto type = call.parameter("messagetype");
  if (!type) return std::move(type).error();
  if (!*type) return std::optional<PackageKind>();
  auto kind = store::parse_package_kind(ascii_lowercase(**type));
  if (!kind) {
    return Error{"request.invalid_parameter", "messagetype must be edoc or status", **type};
  }
  return std::optional<PackageKind>(*kind);
}

// Status codes are two-digit strings (QCVN 102: "03").
std::string two_digits(int code) { return (code < 10 ? "0" : "") + std::to_string(code); }

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ",") + value;
  return text;
}

Result<Response> send_edoc(CompatContext& context, Request& request, CompatCall& call) {
  auto upload = receive_upload(request, context.spool_directory);
  if (!upload) return std::move(upload).error();
  call.add_fields(upload->fields);
  TRUC_TRY(check_service_type(call));
  // Deployed clients name the sending agency in `from`; older ones the system id itself.
  auto from = call.parameter("from");
  if (!from) return std::move(from).error();
  hub::Caller sender = call.caller();
  if (*from && **from != call.signed_headers().system_id) {
    if (!sender.may_act_for(**from)) {
      return Error{
          "auth.system_mismatch",
          "from is neither the system id that signed the request nor an agency it acts for",
          "from " + **from};
    }
    // Hub::submit then refuses a document whose From/OrganId is another agency of the system.
    sender.agencies = {**from};
  }
  auto kind = message_type(call);
  if (!kind) return std::move(kind).error();
  // The HMAC covers the headers only: the signed hash-file binds the body to them.
  auto signed_hash = call.signed_headers().value("hash-file");
  if (!signed_hash) {
    return Error{"auth.file_hash_mismatch",
                 "sendEdoc must sign the file's SHA-256 as XroadVnpt-hash-file",
                 {}};
  }
  if (!file_hash_matches(*signed_hash, upload->sha256)) {
    if (!upload->sha256_trimmed || !file_hash_matches(*signed_hash, *upload->sha256_trimmed)) {
      return Error{"auth.file_hash_mismatch", "the file is not the one XroadVnpt-hash-file names",
                   "received SHA-256 " + to_hex(upload->sha256)};
    }
    TRUC_TRY(trim_line_break(*upload));
  }
  auto submitted = context.hub.submit(sender, upload->document, *kind);
  if (!submitted) return std::move(submitted).error();
  return compat_answer({{"DocId", submitted->receipt.id}});
}

Result<Response> received_list(CompatContext& context, Request&, CompatCall& call) {
  TRUC_TRY(check_service_type(call));
  auto kind = message_type(call);
  if (!kind) return std::move(kind).error();
  PackageKind listed = kind->value_or(PackageKind::edoc);
  auto page = context.hub.inbox(call.caller(), listed, 0, kListLimit);
  if (!page) return std::move(page).error();
  json::array data;
  for (const auto& entry : page->entries) {
    const auto& package = entry.package;
    std::string created = format_iso8601(package.received_at);
    json::object item{{"docId", package.id},
                      {"serviceType", "eDoc"},
                      {"messageType", store::to_string(package.kind)},
                      {"from", package.sender_code},
                      {"to", joined(entry.recipients)},
                      {"status", "pending"},
                      {"status_desc", "waiting for updateStatus done or fail"},
                      {"created_time", created},
                      {"updated_time", created},
                      {"documentId", package.document_id}};
    if (package.status_code) {
      item["statusCode"] = two_digits(*package.status_code);
    }
    data.push_back(std::move(item));
  }
  return compat_answer({{"data", data}});
}

// {"status":"OK", ..., "data":"<base64 of the package>"} written to a file of its own as the
// package streams through the encoder: memory does not grow with the package.
Status write_edoc_answer(const std::filesystem::path& package,
                         const std::filesystem::path& answer) {
  auto source = FileSource::open(package);
  if (!source) return std::move(source).error();
  auto file = File::create(answer);
  if (!file) return std::move(file).error();
  TRUC_TRY(file->write_all(R"({"status":"OK","ErrorCode":"0","ErrorDesc":"Success","data":")"));
  Base64Encoder encoder;
  std::vector<char> chunk(kChunkBytes);
  std::string encoded;
  while (true) {
    auto count = source->read(std::span<char>(chunk));
    if (!count) return std::move(count).error();
    if (*count == 0) break;
    encoded.clear();
    encoder.feed(std::string_view(chunk.data(), *count), encoded);
    TRUC_TRY(file->write_all(encoded));
  }
  encoded.clear();
  encoder.finish(encoded);
  return file->write_all(encoded + "\"}");
}

// The package file itself, the sender's bytes, which the platform's SDK saves as {docId}.edxml.
Result<Response> download_edoc(CompatContext& context, Request&, CompatCall& call) {
  auto id = call.required("docId");
  if (!id) return std::move(id).error();
  auto stored = context.hub.open_package(call.caller(), *id);
  if (!stored) return std::move(stored).error();
  Response response;
  response.headers = {{"Content-Type", "application/xml"},
                      {"Content-Disposition", "attachment; filename=\"" + *id + ".edxml\""},
                      {"X-Truc-Sha256", stored->record.sha256}};
  response.body_file = stored->file;
  return response;
}

Result<Response> get_edoc(CompatContext& context, Request& request, CompatCall& call) {
  auto id = call.required("docId");
  if (!id) return std::move(id).error();
  auto stored = context.hub.open_package(call.caller(), *id);
  if (!stored) return std::move(stored).error();
  auto answer = context.spool_directory / ("answer-" + request.request_id + ".json");
  if (Status written = write_edoc_answer(stored->file, answer); !written) {
    std::error_code ignored;
    std::filesystem::remove(answer, ignored);
    return std::move(written).error();
  }
  Response response;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body_file = answer;
  response.body_file_temporary = true;
  return response;
}

// A settled delivery in the platform's words: what the recipient said (done or fail), or that
// the sender recalled it.
std::string_view platform_status(store::DeliveryState state) {
  switch (state) {
    case store::DeliveryState::acked:
    case store::DeliveryState::pushed:
      return "done";
    case store::DeliveryState::nacked:
      return "fail";
    case store::DeliveryState::recalled:
      return "recalled";
    case store::DeliveryState::pending:
      break;
  }
  return "pending";
}

Result<Response> update_status(CompatContext& context, Request&, CompatCall& call) {
  auto id = call.required("docId");
  if (!id) return std::move(id).error();
  auto status = call.required("status");
  if (!status) return std::move(status).error();
  std::string requested = ascii_lowercase(*status);
  if (requested == "processing") {
    TRUC_TRY(context.hub.mark_processing(call.caller(), *id));
    return compat_answer({{"docId", *id}, {"docStatus", "processing"}});
  }
  auto settle = [&]() -> Result<store::DeliveryState> {
    if (requested == "done") return context.hub.acknowledge(call.caller(), *id);
    if (requested != "fail") {
      return Error{"request.invalid_parameter", "status must be done, fail or processing", *status};
    }
    auto description = call.parameter("description");
    if (!description) return std::move(description).error();
    std::string reason = description->value_or("");
    return context.hub.refuse(call.caller(), *id, reason.empty() ? "fail" : reason);
  };
  auto settled = settle();
  if (!settled) return std::move(settled).error();
  return compat_answer({{"docId", *id}, {"docStatus", platform_status(*settled)}});
}

Result<Response> sent_list(CompatContext& context, Request&, CompatCall& call) {
  auto id = call.required("docId");
  if (!id) return std::move(id).error();
  auto trace = context.hub.trace(call.caller(), *id);
  if (!trace) return std::move(trace).error();
  json::array data;
  for (const auto& delivery : trace->deliveries) {
    std::string reported =
        delivery.reported_status ? two_digits(*delivery.reported_status) : std::string();
    bool settled = delivery.state != store::DeliveryState::pending;
    data.push_back(json::object{
        {"senderDocId", trace->package.id},
        {"receiverDocId", trace->package.id},
        {"serviceType", "eDoc"},
        {"messageType", store::to_string(trace->package.kind)},
        {"fromCode", trace->package.sender_code},
        {"toCode", delivery.recipient_code},
        {"sendStatus", "sent"},
        {"sentTime", format_iso8601(trace->package.received_at)},
        {"receiveStatus", store::to_string(delivery.state)},
        {"receiveStatusDesc", delivery.nack_reason.value_or(reported)},
        {"receivedTime", settled ? json::value(format_iso8601(delivery.updated_at)) : nullptr},
        {"reportedStatus", reported.empty() ? json::value(nullptr) : json::value(reported)}});
  }
  return compat_answer({{"data", data}});
}

template <PackageKind kind>
Result<Response> count(CompatContext& context, Request&, CompatCall& call) {
  auto waiting = context.hub.inbox_count(call.caller(), kind);
  if (!waiting) return std::move(waiting).error();
  return compat_answer({{"count", *waiting}});
}

json::object agency_entry(const store::Agency& agency) {
  return {{"id", agency.code},   {"pid", agency.parent_code.value_or("")},
          {"code", agency.code}, {"name", agency.name},
          {"mail", ""},          {"kind", store::to_string(agency.kind)}};
}

Result<Response> agencies(CompatContext& context, Request&, CompatCall&) {
  auto listed = context.directory.list();
  if (!listed) return std::move(listed).error();
  json::array data;
  for (const auto& agency : *listed) {
    if (agency.enabled) data.push_back(agency_entry(agency));
  }
  return compat_answer({{"data", data}});
}

// An agency's depth in the directory's tree: 1 for one without a parent.
std::size_t level_of(const store::Agency& agency,
                     const std::map<std::string, const store::Agency*>& by_code) {
  std::size_t level = 1;
  for (const store::Agency* current = &agency; current->parent_code && level <= by_code.size();
       ++level) {
    auto parent = by_code.find(*current->parent_code);
    if (parent == by_code.end()) break;
    current = parent->second;
  }
  return level;
}

// The directory with each agency's Decision 20/2020/QĐ-TTg code (code102: the platform's name
// for it; null where the operator has not recorded one), and its level in the tree; `level`, when
// signed, keeps that level only.
Result<Response> agencies_qd20(CompatContext& context, Request&, CompatCall& call) {
  auto wanted = call.parameter("level");
  if (!wanted) return std::move(wanted).error();
  std::optional<std::size_t> level;
  if (*wanted) {
    const std::string& text = **wanted;
    if (text.empty() || text.size() > 2 || !std::all_of(text.begin(), text.end(), [](char digit) {
          return digit >= '0' && digit <= '9';
        })) {
      return Error{"request.invalid_parameter", "level must be a number from 1", text};
    }
    level = std::stoul(text);
  }
  auto listed = context.directory.list();
  if (!listed) return std::move(listed).error();
  std::map<std::string, const store::Agency*> by_code;
  for (const auto& agency : *listed) by_code[agency.code] = &agency;
  json::array data;
  for (const auto& agency : *listed) {
    if (!agency.enabled) continue;
    std::size_t depth = level_of(agency, by_code);
    if (level && depth != *level) continue;
    json::object entry = agency_entry(agency);
    entry["code102"] = agency.qd20_code ? json::value(*agency.qd20_code) : json::value(nullptr);
    entry["level"] = depth;
    data.push_back(std::move(entry));
  }
  return compat_answer({{"data", data}});
}

}  // namespace

void add_compat_api(Router& router, Hub& hub, Directory& directory, CompatSettings settings) {
  auto context = std::make_shared<CompatContext>(hub, directory, std::move(settings));
  auto add = [&](const char* method, const char* path, BodyMode body, CallHandler handler) {
    router.add({method, path, body,
                [context, handler](Request& request) { return handle(*context, request, handler); },
                [context](Request& request) { return admit_system(*context, request); }});
  };
  add("POST", "/sendEdoc", BodyMode::spool, send_edoc);
  add("POST", "/updateStatus", BodyMode::memory, update_status);
  // The reads answer GET and POST alike: the notes and the platform's SDK do not agree.
  const std::pair<const char*, CallHandler> reads[] = {
      {"/getReceivedEdocList", received_list},
      {"/getEdoc", get_edoc},
      {"/getSentEdocList", sent_list},
      {"/countReceiveEdoc", count<PackageKind::edoc>},
      {"/countReceiveStatus", count<PackageKind::status>},
      {"/downloadEdoc", download_edoc},
      {"/getAgenciesList", agencies},
      {"/getAgenciesListQD20", agencies_qd20}};
  for (const auto& [path, handler] : reads) {
    add("GET", path, BodyMode::none, handler);
    add("POST", path, BodyMode::memory, handler);
  }
}

}  // namespace truc::api
