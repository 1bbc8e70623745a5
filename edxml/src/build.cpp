#include "truc/edxml/build.hpp"

#include <array>

#include "truc/common/base64.hpp"
#include "truc/common/file.hpp"
#include "xml_writer.hpp"

namespace truc::edxml {
namespace {

// The shape deployed documents have: the root declares the edXML namespace as default, the
// envelope binds it to the "edXML" prefix; attachments stay unprefixed (docs/edxml.md).
const std::string kRootAttributes = "xmlns=\"" + std::string(kNamespace) + "\"";
const std::string kEnvelopeAttributes = "xmlns:edXML=\"" + std::string(kNamespace) + "\"";

std::string prefixed(std::string_view name) { return "edXML:" + std::string(name); }

std::string flag_text(bool value) { return value ? "1" : "0"; }

class EnvelopeWriter {
 public:
  explicit EnvelopeWriter(XmlWriter& writer) : writer_(writer) {}

  void open(std::string_view name) { writer_.open(prefixed(name)); }
  void close(std::string_view name) { writer_.close(prefixed(name)); }
  void leaf(std::string_view name, std::string_view text) { writer_.leaf(prefixed(name), text); }
  void optional_leaf(std::string_view name, std::string_view text) {
    if (!text.empty()) leaf(name, text);
  }
  void optional_leaf(std::string_view name, const std::optional<int>& value) {
    if (value) leaf(name, std::to_string(*value));
  }
  void optional_leaf(std::string_view name, const std::optional<Date>& value) {
    if (value) leaf(name, format_date(*value));
  }

  void organization(std::string_view name, const Organization& organization) {
    open(name);
    leaf("OrganId", organization.organ_id);
    optional_leaf("OrganizationInCharge", organization.organization_in_charge);
    optional_leaf("OrganName", organization.organ_name);
    optional_leaf("OrganAdd", organization.organ_add);
    optional_leaf("Email", organization.email);
    optional_leaf("Telephone", organization.telephone);
    optional_leaf("Fax", organization.fax);
    optional_leaf("Website", organization.website);
    close(name);
  }

  void response_for(const ResponseFor& response) {
    open("ResponseFor");
    leaf("OrganId", response.organ_id);
    optional_leaf("Code", response.code);
    optional_leaf("PromulgationDate", response.promulgation_date);
    leaf("DocumentId", response.document_id);
    close("ResponseFor");
  }

  void staff(const StaffInfo& staff) {
    open("StaffInfo");
    optional_leaf("Department", staff.department);
    optional_leaf("Staff", staff.staff);
    optional_leaf("Email", staff.email);
    optional_leaf("Mobile", staff.mobile);
    close("StaffInfo");
  }

  void traces(const std::vector<TraceHeader>& traces, const std::optional<Business>& business) {
    if (traces.empty() && !business) return;
    open("TraceHeaderList");
    for (const auto& trace : traces) {
      open("TraceHeader");
      leaf("OrganId", trace.organ_id);
      if (trace.timestamp) leaf("Timestamp", format_local_date_time(*trace.timestamp));
      close("TraceHeader");
    }
    if (business) this->business(*business);
    close("TraceHeaderList");
  }

  void business(const Business& business) {
    open("Bussiness");
    optional_leaf("DocumentId", business.document_id);
    leaf("BussinessDocType", std::to_string(static_cast<int>(business.business_doc_type)));
    optional_leaf("BussinessDocReason", business.business_doc_reason);
    if (business.paper) leaf("Paper", flag_text(*business.paper));
    if (business.business_document_info) {
      const auto& info = *business.business_document_info;
      open("BussinessDocumentInfo");
      if (info.document_info) leaf("DocumentInfo", flag_text(*info.document_info));
      if (info.document_receiver) leaf("DocumentReceiver", flag_text(*info.document_receiver));
      if (!info.receivers.empty()) {
        open("ReceiverList");
        for (const auto& receiver : info.receivers) {
          open("Receiver");
          leaf("OrganId", receiver.organ_id);
          optional_leaf("ReceiverType", receiver.receiver_type);
          close("Receiver");
        }
        close("ReceiverList");
      }
      close("BussinessDocumentInfo");
    }
    if (!business.replacement_info.empty()) {
      open("ReplacementInfoList");
      for (const auto& replacement : business.replacement_info) {
        open("ReplacementInfo");
        leaf("DocumentId", replacement.document_id);
        if (!replacement.organ_ids.empty()) {
          open("OrganIdList");
          for (const auto& organ : replacement.organ_ids) leaf("OrganId", organ);
          close("OrganIdList");
        }
        close("ReplacementInfo");
      }
      close("ReplacementInfoList");
    }
    if (business.staff_info) staff(*business.staff_info);
    close("Bussiness");
  }

 private:
  XmlWriter& writer_;
};

Status require(std::string_view value, std::string_view path) {
  if (!value.empty()) return ok_status();
  return Error{"field.missing", "a required value is missing or empty", std::string(path)};
}

void write_message_header(EnvelopeWriter& envelope, const Package& package) {
  envelope.open("MessageHeader");
  envelope.organization("From", package.from);
  for (const auto& recipient : package.to) envelope.organization("To", recipient);
  envelope.leaf("DocumentId", package.document_id);
  envelope.open("Code");
  envelope.leaf("CodeNumber", package.code.code_number);
  envelope.leaf("CodeNotation", package.code.code_notation);
  envelope.close("Code");
  envelope.open("PromulgationInfo");
  envelope.optional_leaf("Place", package.promulgation_info.place);
  envelope.optional_leaf("PromulgationDate", package.promulgation_info.promulgation_date);
  envelope.close("PromulgationInfo");
  envelope.open("DocumentType");
  envelope.leaf("Type", std::to_string(package.document_type.type.value_or(1)));
  envelope.optional_leaf("TypeDetail", package.document_type.type_detail);
  envelope.optional_leaf("TypeName", package.document_type.type_name);
  envelope.close("DocumentType");
  envelope.leaf("Subject", package.subject);
  envelope.optional_leaf("Content", package.content);
  const SignerInfo& signer = package.signer_info;
  if (!signer.competence.empty() || !signer.position.empty() || !signer.full_name.empty()) {
    envelope.open("SignerInfo");
    envelope.optional_leaf("Competence", signer.competence);
    envelope.optional_leaf("Position", signer.position);
    envelope.optional_leaf("FullName", signer.full_name);
    envelope.close("SignerInfo");
  }
  envelope.optional_leaf("DueDate", package.due_date);
  const OtherInfo& other = package.other_info;
  envelope.open("OtherInfo");
  envelope.leaf("Priority",
                std::to_string(static_cast<int>(other.priority.value_or(Priority::normal))));
  envelope.optional_leaf("SphereOfPromulgation", other.sphere_of_promulgation);
  envelope.optional_leaf("TyperNotation", other.typer_notation);
  envelope.optional_leaf("PromulgationAmount", other.promulgation_amount);
  envelope.optional_leaf("PageAmount", other.page_amount);
  if (other.direction) envelope.leaf("Direction", *other.direction ? "true" : "false");
  if (!other.appendixes.empty()) {
    envelope.open("Appendixes");
    for (const auto& appendix : other.appendixes) envelope.leaf("Appendix", appendix);
    envelope.close("Appendixes");
  }
  envelope.close("OtherInfo");
  for (const auto& response : package.response_for) envelope.response_for(response);
  if (package.steering_type) {
    envelope.leaf("SteeringType", std::to_string(static_cast<int>(*package.steering_type)));
  }
  if (!package.to_places.empty()) {
    envelope.open("ToPlaces");
    for (const auto& place : package.to_places) envelope.leaf("Place", place);
    envelope.close("ToPlaces");
  }
  envelope.close("MessageHeader");
}

Status write_attachment_content(XmlWriter& writer, const std::filesystem::path& file) {
  auto source = File::open_for_reading(file);
  if (!source) return std::move(source).error();
  writer.raw("<edXML:ContentTransferEncoded xmlns:edXML=\"" + std::string(kNamespace) + "\">");
  // A multiple of 3 so that every chunk but the last encodes without padding.
  std::array<char, 3 * 16 * 1024> chunk;
  Base64Encoder encoder;
  std::string encoded;
  while (true) {
    auto count = source->read(chunk);
    if (!count) return std::move(count).error();
    if (*count == 0) break;
    encoder.feed(std::string_view(chunk.data(), *count), encoded);
    writer.raw(encoded);
    encoded.clear();
  }
  encoder.finish(encoded);
  writer.raw(encoded);
  writer.raw("</edXML:ContentTransferEncoded>");
  return ok_status();
}

}  // namespace

Status write_package(const Package& package,
                     std::span<const std::filesystem::path> attachment_files, ByteSink& out) {
  TRUC_TRY(require(package.from.organ_id, "From/OrganId"));
  if (package.to.empty())
    return Error{"field.missing", "a package needs at least one recipient", "To"};
  for (const auto& recipient : package.to) TRUC_TRY(require(recipient.organ_id, "To/OrganId"));
  TRUC_TRY(require(package.document_id, "DocumentId"));
  TRUC_TRY(require(package.subject, "Subject"));
  if (attachment_files.size() != package.attachments.size()) {
    return Error{"field.missing", "every attachment needs a file", "AttachmentEncoded"};
  }

  XmlWriter writer(out);
  EnvelopeWriter envelope(writer);
  writer.declaration();
  writer.open("edXML", kRootAttributes);
  writer.open("edXML:edXMLEnvelope", kEnvelopeAttributes);
  envelope.open("edXMLHeader");
  write_message_header(envelope, package);
  envelope.traces(package.trace_headers, package.business);
  envelope.close("edXMLHeader");
  envelope.open("edXMLBody");
  writer.open("edXML:edXMLManifest", "version=\"1.0\"");
  for (const auto& attachment : package.attachments) {
    envelope.open("Reference");
    envelope.leaf("ContentId", attachment.content_id);
    envelope.optional_leaf("ContentType", attachment.content_type);
    envelope.optional_leaf("Description", attachment.description);
    envelope.leaf("AttachmentName", attachment.attachment_name);
    envelope.close("Reference");
  }
  writer.close("edXML:edXMLManifest");
  envelope.close("edXMLBody");
  writer.close("edXML:edXMLEnvelope");
  if (!package.attachments.empty()) {
    writer.open("AttachmentEncoded");
    for (std::size_t index = 0; index < package.attachments.size(); ++index) {
      const auto& attachment = package.attachments[index];
      writer.open("Attachment");
      writer.leaf("ContentId", attachment.content_id);
      writer.leaf("AttachmentName", attachment.attachment_name);
      if (!attachment.description.empty()) writer.leaf("Description", attachment.description);
      if (!attachment.content_type.empty()) writer.leaf("ContentType", attachment.content_type);
      writer.newline();
      TRUC_TRY(write_attachment_content(writer, attachment_files[index]));
      writer.close("Attachment");
    }
    writer.close("AttachmentEncoded");
  }
  writer.close("edXML");
  return writer.finish();
}

Status write_status(const StatusPacket& status, ByteSink& out) {
  TRUC_TRY(require(status.from.organ_id, "From/OrganId"));
  TRUC_TRY(require(status.response_for.organ_id, "ResponseFor/OrganId"));
  TRUC_TRY(require(status.response_for.document_id, "ResponseFor/DocumentId"));
  if (!status.timestamp)
    return Error{"field.missing", "a status packet needs a Timestamp", "Timestamp"};

  XmlWriter writer(out);
  EnvelopeWriter envelope(writer);
  writer.declaration();
  writer.open("edXML", kRootAttributes);
  writer.open("edXML:edXMLEnvelope", kEnvelopeAttributes);
  envelope.open("edXMLHeader");
  envelope.open("MessageHeader");
  envelope.organization("From", status.from);
  envelope.response_for(status.response_for);
  if (status.staff_info) envelope.staff(*status.staff_info);
  envelope.leaf("StatusCode", format_status_code(status.status_code));
  envelope.optional_leaf("Description", status.description);
  envelope.leaf("Timestamp", format_local_date_time(*status.timestamp));
  envelope.close("MessageHeader");
  envelope.traces(status.trace_headers, std::nullopt);
  envelope.close("edXMLHeader");
  writer.close("edXML:edXMLEnvelope");
  writer.close("edXML");
  return writer.finish();
}

}  // namespace truc::edxml
