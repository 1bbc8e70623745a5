#include "document_view.hpp"

#include <boost/json.hpp>
#include <sstream>

namespace truc::cli {
namespace {

namespace json = boost::json;
using namespace edxml;

json::value date_value(const std::optional<Date>& date) {
  return date ? json::value(format_date(*date)) : json::value(nullptr);
}
json::value time_value(const std::optional<LocalDateTime>& time) {
  return time ? json::value(format_local_date_time(*time)) : json::value(nullptr);
}
template <typename Number>
json::value number_value(const std::optional<Number>& number) {
  return number ? json::value(static_cast<std::int64_t>(*number)) : json::value(nullptr);
}

json::object organization(const Organization& organization) {
  return {{"organ_id", organization.organ_id},
          {"organization_in_charge", organization.organization_in_charge},
          {"organ_name", organization.organ_name},
          {"organ_add", organization.organ_add},
          {"email", organization.email},
          {"telephone", organization.telephone},
          {"fax", organization.fax},
          {"website", organization.website}};
}

json::object response_for(const ResponseFor& response) {
  return {{"organ_id", response.organ_id},
          {"code", response.code},
          {"promulgation_date", date_value(response.promulgation_date)},
          {"document_id", response.document_id}};
}

json::value staff(const std::optional<StaffInfo>& staff_info) {
  if (!staff_info) return nullptr;
  return json::object{{"department", staff_info->department},
                      {"staff", staff_info->staff},
                      {"email", staff_info->email},
                      {"mobile", staff_info->mobile}};
}

json::array trace_headers(const std::vector<TraceHeader>& traces) {
  json::array list;
  for (const auto& trace : traces) {
    list.push_back(
        json::object{{"organ_id", trace.organ_id}, {"timestamp", time_value(trace.timestamp)}});
  }
  return list;
}

json::value business(const std::optional<Business>& business) {
  if (!business) return nullptr;
  json::object object{
      {"document_id", business->document_id},
      {"bussiness_doc_type", static_cast<int>(business->business_doc_type)},
      {"bussiness_doc_reason", business->business_doc_reason},
      {"paper", business->paper ? json::value(*business->paper ? 1 : 0) : json::value(nullptr)},
      {"staff_info", staff(business->staff_info)}};
  if (business->business_document_info) {
    const auto& info = *business->business_document_info;
    json::array receivers;
    for (const auto& receiver : info.receivers) {
      receivers.push_back(json::object{{"organ_id", receiver.organ_id},
                                       {"receiver_type", number_value(receiver.receiver_type)}});
    }
    auto flag = [](const std::optional<bool>& value) {
      return value ? json::value(*value ? 1 : 0) : json::value(nullptr);
    };
    object["bussiness_document_info"] =
        json::object{{"document_info", flag(info.document_info)},
                     {"document_receiver", flag(info.document_receiver)},
                     {"receiver_list", receivers}};
  }
  json::array replacements;
  for (const auto& replacement : business->replacement_info) {
    json::array organs;
    for (const auto& organ : replacement.organ_ids) organs.push_back(json::value(organ));
    replacements.push_back(
        json::object{{"document_id", replacement.document_id}, {"organ_id_list", organs}});
  }
  object["replacement_info_list"] = replacements;
  return object;
}

json::array findings(const std::vector<Finding>& list) {
  json::array array;
  for (const auto& finding : list) {
    array.push_back(
        json::object{{"code", finding.code}, {"message", finding.message}, {"path", finding.path}});
  }
  return array;
}

json::value signature(const std::optional<security::SignatureSummary>& summary) {
  if (!summary) return nullptr;
  json::object object{{"signature_method", summary->signature_method},
                      {"digest_method", summary->digest_method},
                      {"canonicalization_method", summary->canonicalization_method},
                      {"weak", summary->weak},
                      {"integrity", summary->integrity ? "ok" : summary->integrity.error().code}};
  if (summary->signer) {
    object["signer"] = json::object{{"subject", summary->signer->subject()},
                                    {"issuer", summary->signer->issuer()},
                                    {"serial", summary->signer->serial_hex()},
                                    {"agency_code", summary->signer->agency_code()},
                                    {"not_before", format_iso8601(summary->signer->not_before())},
                                    {"not_after", format_iso8601(summary->signer->not_after())}};
  }
  return object;
}

json::object package_json(const Package& package) {
  json::array recipients;
  for (const auto& recipient : package.to) recipients.push_back(organization(recipient));
  json::array responses;
  for (const auto& response : package.response_for) responses.push_back(response_for(response));
  json::array places;
  for (const auto& place : package.to_places) places.push_back(json::value(place));
  json::array appendixes;
  for (const auto& appendix : package.other_info.appendixes)
    appendixes.push_back(json::value(appendix));
  json::array references;
  for (const auto& reference : package.manifest) {
    references.push_back(json::object{{"content_id", reference.content_id},
                                      {"content_type", reference.content_type},
                                      {"description", reference.description},
                                      {"attachment_name", reference.attachment_name}});
  }
  json::array attachments;
  for (const auto& attachment : package.attachments) {
    attachments.push_back(json::object{{"content_id", attachment.content_id},
                                       {"attachment_name", attachment.attachment_name},
                                       {"description", attachment.description},
                                       {"content_type", attachment.content_type},
                                       {"detected_type", attachment.detected_type},
                                       {"size", attachment.size},
                                       {"sha256", attachment.sha256}});
  }
  const OtherInfo& other = package.other_info;
  return {
      {"kind", "edoc"},
      {"from", organization(package.from)},
      {"to", recipients},
      {"document_id", package.document_id},
      {"code",
       {{"code_number", package.code.code_number}, {"code_notation", package.code.code_notation}}},
      {"promulgation_info",
       {{"place", package.promulgation_info.place},
        {"promulgation_date", date_value(package.promulgation_info.promulgation_date)}}},
      {"document_type",
       {{"type", number_value(package.document_type.type)},
        {"type_detail", number_value(package.document_type.type_detail)},
        {"type_name", package.document_type.type_name}}},
      {"subject", package.subject},
      {"content", package.content},
      {"signer_info",
       {{"competence", package.signer_info.competence},
        {"position", package.signer_info.position},
        {"full_name", package.signer_info.full_name}}},
      {"due_date", date_value(package.due_date)},
      {"other_info",
       {{"priority", number_value(other.priority)},
        {"sphere_of_promulgation", other.sphere_of_promulgation},
        {"typer_notation", other.typer_notation},
        {"promulgation_amount", number_value(other.promulgation_amount)},
        {"page_amount", number_value(other.page_amount)},
        {"direction", other.direction ? json::value(*other.direction) : json::value(nullptr)},
        {"appendixes", appendixes}}},
      {"response_for", responses},
      {"steering_type", number_value(package.steering_type)},
      {"to_places", places},
      {"trace_headers", trace_headers(package.trace_headers)},
      {"bussiness", business(package.business)},
      {"manifest", {{"version", package.manifest_version}, {"references", references}}},
      {"attachments", attachments},
  };
}

json::object status_json(const StatusPacket& status) {
  return {{"kind", "status"},
          {"from", organization(status.from)},
          {"response_for", response_for(status.response_for)},
          {"staff_info", staff(status.staff_info)},
          {"status_code", format_status_code(status.status_code)},
          {"status", status_code_name(status.status_code)},
          {"description", status.description},
          {"timestamp", time_value(status.timestamp)},
          {"trace_headers", trace_headers(status.trace_headers)}};
}

std::string human_size(std::uint64_t bytes) {
  std::ostringstream text;
  if (bytes < 10 * 1024) {
    text << bytes << " B";
  } else if (bytes < 10ull * 1024 * 1024) {
    text << bytes / 1024 << " KiB";
  } else {
    text << bytes / (1024 * 1024) << " MiB";
  }
  return text.str();
}

void line(std::ostringstream& out, std::string_view label, std::string_view value) {
  if (value.empty()) return;
  out << label;
  for (std::size_t width = label.size(); width < 13; ++width) out << ' ';
  out << value << "\n";
}

std::string organization_text(const Organization& organization) {
  std::string text = organization.organ_id;
  if (!organization.organ_name.empty()) text += "  " + organization.organ_name;
  return text;
}

}  // namespace

std::string render_json(const DocumentView& view) {
  json::object object = std::visit(
      [](const auto& document) {
        if constexpr (std::is_same_v<std::decay_t<decltype(document)>, Package>) {
          return package_json(document);
        } else {
          return status_json(document);
        }
      },
      view.document);
  object["signature"] = signature(view.signature);
  object["valid"] = view.report.valid();
  object["errors"] = findings(view.report.errors());
  object["warnings"] = findings(view.report.warnings());
  return json::serialize(object) + "\n";
}

std::string render_text(const DocumentView& view) {
  std::ostringstream out;
  if (const auto* package = std::get_if<Package>(&view.document)) {
    line(out, "Package", package->document_id);
    line(out, "From", organization_text(package->from));
    for (const auto& recipient : package->to) line(out, "To", organization_text(recipient));
    line(out, "Number", package->code.code_number + "/" + package->code.code_notation);
    line(out, "Type", package->document_type.type_name);
    if (package->promulgation_info.promulgation_date) {
      line(
          out, "Issued",
          format_date(*package->promulgation_info.promulgation_date) +
              (package->promulgation_info.place.empty() ? ""
                                                        : ", " + package->promulgation_info.place));
    }
    line(out, "Subject", package->subject);
    std::string signer = package->signer_info.competence;
    if (!signer.empty() && !package->signer_info.full_name.empty()) signer += " ";
    line(out, "Signer", signer + package->signer_info.full_name);
    if (package->due_date) line(out, "Due", format_date(*package->due_date));
    if (package->business) {
      static constexpr std::string_view kKinds[] = {"new", "recall", "update", "replace"};
      line(out, "Business",
           std::string(kKinds[static_cast<int>(package->business->business_doc_type)]) + " of " +
               package->business->document_id);
    }
    for (const auto& trace : package->trace_headers) {
      line(out, "Trace",
           trace.organ_id +
               (trace.timestamp ? " at " + format_local_date_time(*trace.timestamp) : ""));
    }
    for (std::size_t index = 0; index < package->attachments.size(); ++index) {
      const auto& attachment = package->attachments[index];
      line(out, index == 0 ? "Attachments" : "",
           attachment.content_id + "  " + attachment.attachment_name + "  " +
               human_size(attachment.size) + "  " + attachment.content_type + " (detected " +
               attachment.detected_type + ")\n             sha256 " + attachment.sha256);
    }
  } else {
    const auto& status = std::get<StatusPacket>(view.document);
    line(out, "Status",
         format_status_code(status.status_code) + " " +
             std::string(status_code_name(status.status_code)));
    line(out, "From", organization_text(status.from));
    line(out, "About", status.response_for.document_id + " (" + status.response_for.organ_id + ")");
    line(out, "Description", status.description);
    if (status.timestamp) line(out, "Time", format_local_date_time(*status.timestamp));
  }
  if (!view.signature) {
    line(out, "Signature", "none");
  } else {
    const auto& summary = *view.signature;
    std::string text = summary.signature_method.empty() ? "malformed" : summary.signature_method;
    if (summary.signer) {
      text += "\n             signer " + summary.signer->subject();
      if (!summary.signer->agency_code().empty())
        text += " (agency " + summary.signer->agency_code() + ")";
    }
    text += "\n             integrity " +
            (summary.integrity ? std::string("ok") : summary.integrity.error().code) +
            "; trust not checked here (truc edxml verify)";
    line(out, "Signature", text);
  }
  line(out, "Valid", view.report.valid() ? "yes" : "no");
  return out.str();
}

}  // namespace truc::cli
