#include "truc/api/native_api.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "truc/api/json_views.hpp"

namespace truc::api {

using http::BodyMode;
using http::Request;
using http::Response;
using http::Router;
using hub::Caller;
using hub::Hub;

namespace {

namespace json = boost::json;

constexpr std::size_t kDefaultInboxLimit = 50;
constexpr std::size_t kMaxInboxLimit = 500;

Result<Caller> authenticate(Hub& hub, const Request& request) {
  if (!request.peer_certificate) {
    return Error{"auth.certificate_required", "the /v1 API needs a TLS client certificate", {}};
  }
  return hub.identify_certificate(request.peer_certificate->sha256_fingerprint, "native");
}

Result<std::int64_t> number_parameter(const Request& request, const std::string& name,
                                      std::int64_t fallback, std::int64_t minimum,
                                      std::int64_t maximum) {
  auto found = request.query.find(name);
  if (found == request.query.end()) return fallback;
  std::int64_t value = 0;
  const std::string& text = found->second;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < minimum ||
      value > maximum) {
    return Error{"request.invalid_parameter", "a query parameter is out of range",
                 name + " must be an integer from " + std::to_string(minimum) + " to " +
                     std::to_string(maximum)};
  }
  return value;
}

// Every /v1 route's gate: the caller is known from its certificate before the body is read.
std::optional<Response> admit_agency(Hub& hub, Request& request) {
  auto caller = authenticate(hub, request);
  if (!caller) return Response::error(caller.error());
  request.credentials = std::move(*caller);
  return std::nullopt;
}

// Runs `body` with the caller the gate identified.
template <typename Body>
Response with_caller(Request& request, Body&& body) {
  return body(std::any_cast<const Caller&>(request.credentials));
}

Response submit(Hub& hub, Request& request) {
  return with_caller(request, [&](const Caller& caller) {
    if (!request.body_file || request.body_size == 0) {
      return Response::error({"request.empty_body", "the body must be an edXML document", {}});
    }
    auto result = hub.submit(caller, *request.body_file);
    if (!result) return Response::error(result.error());
    return Response::json(result->created ? 201 : 200,
                          json::serialize(receipt_json(result->receipt)));
  });
}

Response inbox(Hub& hub, Request& request) {
  return with_caller(request, [&](const Caller& caller) {
    auto kind_text = request.query.contains("kind") ? request.query.at("kind") : "edoc";
    auto kind = store::parse_package_kind(kind_text);
    if (!kind)
      return Response::error(
          {"request.invalid_parameter", "kind must be edoc or status", kind_text});
    auto limit = number_parameter(request, "limit", kDefaultInboxLimit, 1, kMaxInboxLimit);
    if (!limit) return Response::error(limit.error());
    auto cursor = number_parameter(request, "cursor", 0, 0, INT64_MAX);
    if (!cursor) return Response::error(cursor.error());
    auto page = hub.inbox(caller, *kind, *cursor, static_cast<std::size_t>(*limit));
    if (!page) return Response::error(page.error());
    json::array items;
    for (const auto& entry : page->entries) {
      json::object item = package_json(entry.package);
      json::array recipients;
      for (const auto& recipient : entry.recipients) recipients.push_back(json::value(recipient));
      item["recipients"] = recipients;
      items.push_back(std::move(item));
    }
    json::object body{
        {"items", items},
        {"next_cursor",
         page->next_cursor ? json::value(std::to_string(*page->next_cursor)) : nullptr}};
    return Response::json(200, json::serialize(body));
  });
}

Response fetch(Hub& hub, Request& request) {
  return with_caller(request, [&](const Caller& caller) {
    auto stored = hub.open_package(caller, request.path_parameters.at("id"));
    if (!stored) return Response::error(stored.error());
    Response response;
    response.headers = {{"Content-Type", "application/xml"},
                        {"ETag", "\"" + stored->record.sha256 + "\""},
                        {"X-Truc-Sha256", stored->record.sha256},
                        {"X-Truc-Kind", std::string(store::to_string(stored->record.kind))}};
    response.body_file = stored->file;
    return response;
  });
}

Response settled(const std::string& id, const Result<store::DeliveryState>& state) {
  if (!state) return Response::error(state.error());
  return Response::json(
      200, json::serialize(json::object{{"id", id}, {"state", store::to_string(*state)}}));
}

Response acknowledge(Hub& hub, Request& request) {
  return with_caller(request, [&](const Caller& caller) {
    const std::string& id = request.path_parameters.at("id");
    return settled(id, hub.acknowledge(caller, id));
  });
}

Response refuse(Hub& hub, Request& request) {
  return with_caller(request, [&](const Caller& caller) {
    const std::string& id = request.path_parameters.at("id");
    std::string reason;
    boost::system::error_code parse_error;
    json::value body = json::parse(request.body, parse_error);
    if (parse_error || !body.is_object() || !body.as_object().contains("reason") ||
        !body.as_object().at("reason").is_string()) {
      return Response::error(
          {"request.invalid_body", "expected a JSON object {\"reason\": \"...\"}", {}});
    }
    reason = json::value_to<std::string>(body.as_object().at("reason"));
    return settled(id, hub.refuse(caller, id, reason));
  });
}

Response trace(Hub& hub, Request& request) {
  return with_caller(request, [&](const Caller& caller) {
    auto trace = hub.trace(caller, request.path_parameters.at("id"));
    if (!trace) return Response::error(trace.error());
    return Response::json(200, json::serialize(trace_json(*trace)));
  });
}

}  // namespace

void add_native_api(Router& router, Hub& hub) {
  auto add = [&router, &hub](std::string method, std::string pattern, BodyMode body,
                             Response (*serve)(Hub&, Request&)) {
    router.add({std::move(method), std::move(pattern), body,
                [&hub, serve](Request& request) { return serve(hub, request); },
                [&hub](Request& request) { return admit_agency(hub, request); }});
  };
  add("POST", "/v1/packages", BodyMode::spool, submit);
  add("GET", "/v1/inbox", BodyMode::none, inbox);
  add("GET", "/v1/packages/{id}", BodyMode::none, fetch);
  add("POST", "/v1/packages/{id}/ack", BodyMode::none, acknowledge);
  add("POST", "/v1/packages/{id}/nack", BodyMode::memory, refuse);
  add("GET", "/v1/packages/{id}/trace", BodyMode::none, trace);
}

}  // namespace truc::api
