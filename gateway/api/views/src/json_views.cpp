#include "truc/api/json_views.hpp"

namespace truc::api {

using hub::PackageTrace;
using hub::Receipt;

namespace {

namespace json = boost::json;

template <typename Value>
json::value optional_value(const std::optional<Value>& value) {
  if (!value) return nullptr;
  return json::value_from(*value);
}

std::string status_code_text(int code) {
  std::string text = std::to_string(code);
  return text.size() == 1 ? "0" + text : text;
}

}  // namespace

json::object receipt_json(const Receipt& receipt) {
  json::array recipients;
  for (const auto& recipient : receipt.recipients) {
    recipients.push_back(
        json::object{{"organ_id", recipient.organ_id}, {"route", recipient.route}});
  }
  json::array warnings;
  for (const auto& warning : receipt.warnings) warnings.push_back(json::value(warning));
  return {{"id", receipt.id},
          {"kind", store::to_string(receipt.kind)},
          {"document_id", receipt.document_id},
          {"sha256", receipt.sha256},
          {"received_at", format_iso8601(receipt.received_at)},
          {"recipients", recipients},
          {"warnings", warnings}};
}

json::object package_json(const store::PackageRecord& package) {
  return {{"id", package.id},
          {"kind", store::to_string(package.kind)},
          {"sender", package.sender_code},
          {"document_id", package.document_id},
          {"business_doc_type", optional_value(package.business_doc_type)},
          {"original_id", optional_value(package.original_id)},
          {"status_code",
           package.status_code ? json::value(status_code_text(*package.status_code)) : nullptr},
          {"sha256", package.sha256},
          {"size", package.size},
          {"received_at", format_iso8601(package.received_at)},
          {"face", package.face},
          {"signature", package.signature},
          {"signer", optional_value(package.signer_subject)}};
}

json::object delivery_json(const store::DeliveryRecord& delivery) {
  return {{"recipient", delivery.recipient_code},
          {"collector", delivery.target_code},
          {"route", store::to_string(delivery.route)},
          {"state", store::to_string(delivery.state)},
          {"after", optional_value(delivery.after_package_id)},
          {"reported_status", delivery.reported_status
                                  ? json::value(status_code_text(*delivery.reported_status))
                                  : nullptr},
          {"reason", optional_value(delivery.nack_reason)},
          {"updated_at", format_iso8601(delivery.updated_at)}};
}

json::object event_json(const store::EventRecord& event) {
  return {{"at", format_iso8601(event.at)},
          {"event", event.event},
          {"recipient", optional_value(event.recipient_code)},
          {"actor", event.actor},
          {"detail", event.detail}};
}

json::object trace_json(const PackageTrace& trace) {
  json::array deliveries;
  for (const auto& delivery : trace.deliveries) deliveries.push_back(delivery_json(delivery));
  json::array events;
  for (const auto& event : trace.events) events.push_back(event_json(event));
  return {{"package", package_json(trace.package)}, {"deliveries", deliveries}, {"events", events}};
}

json::object agency_json(const store::Agency& agency) {
  auto strings = [](const std::vector<std::string>& values) {
    json::array array;
    for (const auto& value : values) array.push_back(json::value(value));
    return array;
  };
  return {{"code", agency.code},
          {"name", agency.name},
          {"parent_code", optional_value(agency.parent_code)},
          {"qd20_code", optional_value(agency.qd20_code)},
          {"kind", store::to_string(agency.kind)},
          {"route_via", optional_value(agency.route_via)},
          {"system_ids", strings(agency.system_ids)},
          {"signature_policy", store::to_string(agency.signature_policy)},
          {"enabled", agency.enabled},
          {"signer_cas", strings(agency.signer_cas)},
          {"signer_certificates", strings(agency.signer_certificates)},
          {"allow_sha1", agency.allow_sha1},
          {"push", agency.push ? json::value(json::object{
                                     {"url", agency.push->url},
                                     {"ca_pem", optional_value(agency.push->ca_pem)},
                                     {"pinned_sha256", optional_value(agency.push->pinned_sha256)},
                                     {"client_certificate", agency.push->client_certificate}})
                               : json::value(nullptr)}};
}

json::object certificate_json(const store::AgencyCertificate& certificate) {
  return {{"fingerprint", certificate.fingerprint},
          {"agency_code", certificate.agency_code},
          {"subject", certificate.subject},
          {"not_after", format_iso8601(certificate.not_after)}};
}

}  // namespace truc::api
