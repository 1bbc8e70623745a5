#include "map_document.hpp"

#include <algorithm>
#include <charconv>
#include <span>

namespace truc::edxml {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

// The documented order of the leaf children the schema accepts in any order (xs:all in
// edxml.xsd), as edxml.xsd notes it and build.cpp writes it. Names of equal rank are
// alternatives: OrganInCharge is the variant some senders write for OrganizationInCharge.
struct Ranked {
  std::string_view name;
  int rank;
};
constexpr Ranked kOrganizationOrder[] = {{"OrganId", 0},       {"OrganizationInCharge", 1},
                                         {"OrganInCharge", 1}, {"OrganName", 2},
                                         {"OrganAdd", 3},      {"Email", 4},
                                         {"Telephone", 5},     {"Fax", 6},
                                         {"Website", 7}};
constexpr Ranked kResponseForOrder[] = {
    {"OrganId", 0}, {"Code", 1}, {"PromulgationDate", 2}, {"DocumentId", 3}};
constexpr Ranked kStaffInfoOrder[] = {{"Department", 0}, {"Staff", 1}, {"Email", 2}, {"Mobile", 3}};

// Walks the tree with the path of the current element, so that every finding says where.
class Mapper {
 public:
  Mapper(const std::vector<AttachmentMeasure>& attachments, std::vector<Finding>& findings)
      : attachments_(attachments), findings_(findings) {}

  Document map(const Element& root) {
    const Element* envelope = child(root, "edXMLEnvelope");
    const Element* header = envelope != nullptr ? child(*envelope, "edXMLHeader") : nullptr;
    const Element* message = header != nullptr ? child(*header, "MessageHeader") : nullptr;
    const Element* trace_list = header != nullptr ? child(*header, "TraceHeaderList") : nullptr;
    if (header != nullptr && child(*header, "Signature") != nullptr) {
      warn("signature.not_xmldsig",
           "the Signature element is not in the XML-DSig namespace; it is not a verifiable "
           "signature",
           "edXMLEnvelope/edXMLHeader/Signature");
    }

    if (message != nullptr && child(*message, "StatusCode") != nullptr) {
      StatusPacket status;
      {
        Scope scope(*this, "edXMLEnvelope/edXMLHeader/MessageHeader");
        map_status(*message, status);
      }
      if (trace_list != nullptr) {
        Scope scope(*this, "edXMLEnvelope/edXMLHeader/TraceHeaderList");
        map_traces(*trace_list, status.trace_headers);
      }
      return status;
    }

    Package package;
    if (message != nullptr) {
      Scope scope(*this, "edXMLEnvelope/edXMLHeader/MessageHeader");
      map_message(*message, package);
    }
    if (trace_list != nullptr) {
      Scope scope(*this, "edXMLEnvelope/edXMLHeader/TraceHeaderList");
      map_traces(*trace_list, package.trace_headers);
      if (const Element* business = child(*trace_list, "Bussiness")) {
        Scope business_scope(*this, "Bussiness");
        package.business = map_business(*business);
      }
    }
    if (const Element* body = envelope != nullptr ? child(*envelope, "edXMLBody") : nullptr) {
      if (const Element* manifest = child(*body, "edXMLManifest")) {
        Scope scope(*this, "edXMLEnvelope/edXMLBody/edXMLManifest");
        map_manifest(*manifest, package);
      }
    }
    if (const Element* encoded = child(root, "AttachmentEncoded")) {
      Scope scope(*this, "AttachmentEncoded");
      map_attachments(*encoded, package);
    }
    return package;
  }

 private:
  // Pushes a path segment for the lifetime of the object.
  class Scope {
   public:
    Scope(Mapper& mapper, std::string_view segment) : mapper_(mapper), saved_(mapper.path_.size()) {
      if (!mapper.path_.empty()) mapper.path_ += '/';
      mapper.path_ += segment;
    }
    ~Scope() { mapper_.path_.resize(saved_); }

   private:
    Mapper& mapper_;
    std::size_t saved_;
  };

  static const Element* child(const Element& parent, std::string_view name) {
    for (const auto& element : parent.children) {
      if (element->local_name == name && element->in_namespace(kNamespace)) return element.get();
    }
    return nullptr;
  }

  static std::vector<const Element*> children(const Element& parent, std::string_view name) {
    std::vector<const Element*> found;
    for (const auto& element : parent.children) {
      if (element->local_name == name && element->in_namespace(kNamespace))
        found.push_back(element.get());
    }
    return found;
  }

  static std::string indexed(std::string_view name, std::size_t index) {
    return std::string(name) + "[" + std::to_string(index + 1) + "]";
  }

  std::string path_to(std::string_view name) const {
    return path_.empty() ? std::string(name) : path_ + "/" + std::string(name);
  }

  void warn(std::string code, std::string message, std::string path) {
    findings_.push_back({Severity::warning, std::move(code), std::move(message), std::move(path)});
  }
  void fail(std::string code, std::string message, std::string path) {
    findings_.push_back({Severity::error, std::move(code), std::move(message), std::move(path)});
  }

  // Free text (names, subjects, addresses): exactly as sent.
  std::string text(const Element& parent, std::string_view name) const {
    const Element* element = child(parent, name);
    return element != nullptr ? element->text : std::string();
  }

  // Identifiers, codes, dates and numbers: surrounding whitespace is tolerated and reported.
  std::string token(const Element& parent, std::string_view name) {
    const Element* element = child(parent, name);
    return element != nullptr ? token_of(*element, path_to(name)) : std::string();
  }

  std::string token_of(const Element& element, const std::string& path) {
    std::string_view value = element.text;
    auto first = value.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos) return {};
    auto last = value.find_last_not_of(kWhitespace);
    if (first != 0 || last + 1 != value.size()) {
      warn("field.whitespace_trimmed", "whitespace around the value was ignored", path);
    }
    return std::string(value.substr(first, last - first + 1));
  }

  std::optional<Date> date(const Element& parent, std::string_view name) {
    std::string value = token(parent, name);
    if (value.empty()) return std::nullopt;
    auto parsed = parse_date(value);
    if (!parsed)
      fail("field.invalid_date", "expected a date as yyyy/MM/dd, found '" + value + "'",
           path_to(name));
    return parsed;
  }

  std::optional<LocalDateTime> timestamp(const Element& parent, std::string_view name) {
    std::string value = token(parent, name);
    if (value.empty()) return std::nullopt;
    auto parsed = parse_local_date_time(value);
    if (!parsed) {
      fail("field.invalid_date", "expected a time as yyyy/MM/dd HH:mm:ss, found '" + value + "'",
           path_to(name));
    }
    return parsed;
  }

  std::optional<int> number(const Element& parent, std::string_view name) {
    std::string value = token(parent, name);
    if (value.empty()) return std::nullopt;
    int parsed = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (error != std::errc() || end != value.data() + value.size() || parsed < 0) {
      fail("field.invalid_number", "expected a non-negative integer, found '" + value + "'",
           path_to(name));
      return std::nullopt;
    }
    return parsed;
  }

  // Flags are written 0/1 (Paper, DocumentInfo) or true/false (Direction); both are read.
  std::optional<bool> flag(const Element& parent, std::string_view name) {
    std::string value = token(parent, name);
    if (value.empty()) return std::nullopt;
    if (value == "1" || value == "true") return true;
    if (value == "0" || value == "false") return false;
    fail("field.invalid_code", "expected 0/1 or true/false, found '" + value + "'", path_to(name));
    return std::nullopt;
  }

  template <typename Code>
  std::optional<Code> code(const Element& parent, std::string_view name,
                           std::optional<Code> (*parse)(std::string_view)) {
    std::string value = token(parent, name);
    if (value.empty()) return std::nullopt;
    auto parsed = parse(value);
    if (!parsed)
      fail("field.invalid_code", "'" + value + "' is not a value the standard defines",
           path_to(name));
    return parsed;
  }

  // Deployed senders order these children differently from the notes; the schema accepts any
  // order and the mapper says so, once per parent element (the first pair out of order), so that
  // a reordered element counts once however many of its children moved.
  void check_order(const Element& parent, std::span<const Ranked> order) {
    const Ranked* latest = nullptr;
    for (const auto& element : parent.children) {
      if (!element->in_namespace(kNamespace)) continue;
      auto found = std::find_if(order.begin(), order.end(), [&](const Ranked& entry) {
        return entry.name == element->local_name;
      });
      if (found == order.end()) continue;
      if (latest != nullptr && found->rank < latest->rank) {
        std::string parent_name = path_.substr(path_.rfind('/') + 1);
        warn("field.order_tolerated",
             parent_name + ": " + std::string(latest->name) + " before " +
                 std::string(found->name) + ", not in the documented order; read all the same",
             path_);
        return;
      }
      latest = &*found;
    }
  }

  Organization map_organization(const Element& element) {
    check_order(element, kOrganizationOrder);
    Organization organization;
    organization.organ_id = token(element, "OrganId");
    const Element* in_charge = child(element, "OrganizationInCharge");
    const Element* alias = child(element, "OrganInCharge");
    // The schema's xs:all cannot say "one of the two", so it is said here.
    if (in_charge != nullptr && alias != nullptr) {
      fail("organ.in_charge_conflict",
           "OrganizationInCharge and OrganInCharge are both present; only one may be",
           path_to("OrganInCharge"));
    } else if (alias != nullptr) {
      warn("organ.in_charge_alias", "OrganInCharge was read as OrganizationInCharge",
           path_to("OrganInCharge"));
    }
    if (const Element* read = in_charge != nullptr ? in_charge : alias)
      organization.organization_in_charge = read->text;
    organization.organ_name = text(element, "OrganName");
    organization.organ_add = text(element, "OrganAdd");
    organization.email = token(element, "Email");
    organization.telephone = token(element, "Telephone");
    organization.fax = token(element, "Fax");
    organization.website = token(element, "Website");
    return organization;
  }

  ResponseFor map_response_for(const Element& element) {
    check_order(element, kResponseForOrder);
    ResponseFor response;
    response.organ_id = token(element, "OrganId");
    response.code = token(element, "Code");
    response.promulgation_date = date(element, "PromulgationDate");
    response.document_id = token(element, "DocumentId");
    return response;
  }

  StaffInfo map_staff(const Element& element) {
    Scope scope(*this, "StaffInfo");
    check_order(element, kStaffInfoOrder);
    return StaffInfo{text(element, "Department"), text(element, "Staff"), token(element, "Email"),
                     token(element, "Mobile")};
  }

  void map_message(const Element& message, Package& package) {
    if (const Element* from = child(message, "From")) {
      Scope scope(*this, "From");
      package.from = map_organization(*from);
    }
    auto recipients = children(message, "To");
    for (std::size_t index = 0; index < recipients.size(); ++index) {
      Scope scope(*this, indexed("To", index));
      package.to.push_back(map_organization(*recipients[index]));
    }
    package.document_id = token(message, "DocumentId");
    if (const Element* code = child(message, "Code")) {
      Scope scope(*this, "Code");
      package.code = {token(*code, "CodeNumber"), token(*code, "CodeNotation")};
    }
    if (const Element* info = child(message, "PromulgationInfo")) {
      Scope scope(*this, "PromulgationInfo");
      package.promulgation_info = {text(*info, "Place"), date(*info, "PromulgationDate")};
    }
    if (const Element* type = child(message, "DocumentType")) {
      Scope scope(*this, "DocumentType");
      package.document_type = {number(*type, "Type"), number(*type, "TypeDetail"),
                               text(*type, "TypeName")};
    }
    package.subject = text(message, "Subject");
    package.content = text(message, "Content");
    if (const Element* signer = child(message, "SignerInfo")) {
      package.signer_info = {text(*signer, "Competence"), text(*signer, "Position"),
                             text(*signer, "FullName")};
    }
    package.due_date = date(message, "DueDate");
    if (const Element* other = child(message, "OtherInfo")) {
      Scope scope(*this, "OtherInfo");
      OtherInfo& info = package.other_info;
      info.priority = code<Priority>(*other, "Priority", parse_priority);
      info.sphere_of_promulgation = text(*other, "SphereOfPromulgation");
      info.typer_notation = text(*other, "TyperNotation");
      info.promulgation_amount = number(*other, "PromulgationAmount");
      info.page_amount = number(*other, "PageAmount");
      info.direction = flag(*other, "Direction");
      if (const Element* appendixes = child(*other, "Appendixes")) {
        for (const Element* appendix : children(*appendixes, "Appendix"))
          info.appendixes.push_back(appendix->text);
      }
    }
    auto responses = children(message, "ResponseFor");
    for (std::size_t index = 0; index < responses.size(); ++index) {
      Scope scope(*this, indexed("ResponseFor", index));
      package.response_for.push_back(map_response_for(*responses[index]));
    }
    package.steering_type = code<SteeringType>(message, "SteeringType", parse_steering_type);
    if (const Element* places = child(message, "ToPlaces")) {
      for (const Element* place : children(*places, "Place"))
        package.to_places.push_back(place->text);
    }
  }

  void map_status(const Element& message, StatusPacket& status) {
    if (const Element* from = child(message, "From")) {
      Scope scope(*this, "From");
      status.from = map_organization(*from);
    }
    if (const Element* response = child(message, "ResponseFor")) {
      Scope scope(*this, "ResponseFor");
      status.response_for = map_response_for(*response);
    }
    if (const Element* staff = child(message, "StaffInfo")) status.staff_info = map_staff(*staff);
    if (auto parsed = code<StatusCode>(message, "StatusCode", parse_status_code))
      status.status_code = *parsed;
    status.description = text(message, "Description");
    status.timestamp = timestamp(message, "Timestamp");
  }

  void map_traces(const Element& list, std::vector<TraceHeader>& traces) {
    auto entries = children(list, "TraceHeader");
    for (std::size_t index = 0; index < entries.size(); ++index) {
      Scope scope(*this, indexed("TraceHeader", index));
      TraceHeader trace{token(*entries[index], "OrganId"), timestamp(*entries[index], "Timestamp")};
      if (trace.organ_id.empty()) {
        warn("trace.empty_entry", "a TraceHeader without OrganId was ignored", path_);
        continue;
      }
      traces.push_back(std::move(trace));
    }
  }

  Business map_business(const Element& element) {
    Business business;
    business.document_id = token(element, "DocumentId");
    if (auto type = code<BusinessDocType>(element, "BussinessDocType", parse_business_doc_type)) {
      business.business_doc_type = *type;
    }
    business.business_doc_reason = text(element, "BussinessDocReason");
    business.paper = flag(element, "Paper");
    if (const Element* info = child(element, "BussinessDocumentInfo")) {
      Scope scope(*this, "BussinessDocumentInfo");
      BusinessDocumentInfo document_info{
          flag(*info, "DocumentInfo"), flag(*info, "DocumentReceiver"), {}};
      if (const Element* list = child(*info, "ReceiverList")) {
        auto receivers = children(*list, "Receiver");
        for (std::size_t index = 0; index < receivers.size(); ++index) {
          Scope receiver_scope(*this, "ReceiverList/" + indexed("Receiver", index));
          document_info.receivers.push_back(
              {token(*receivers[index], "OrganId"), number(*receivers[index], "ReceiverType")});
        }
      }
      business.business_document_info = std::move(document_info);
    }
    if (const Element* list = child(element, "ReplacementInfoList")) {
      for (const Element* replacement : children(*list, "ReplacementInfo")) {
        ReplacementInfo info{token(*replacement, "DocumentId"), {}};
        if (const Element* organs = child(*replacement, "OrganIdList")) {
          for (const Element* organ : children(*organs, "OrganId")) {
            info.organ_ids.push_back(
                token_of(*organ, path_to("ReplacementInfo/OrganIdList/OrganId")));
          }
        }
        business.replacement_info.push_back(std::move(info));
      }
    }
    if (const Element* staff = child(element, "StaffInfo")) business.staff_info = map_staff(*staff);
    return business;
  }

  void map_manifest(const Element& manifest, Package& package) {
    for (const auto& [name, value] : manifest.attributes) {
      if (name == "version") package.manifest_version = value;
    }
    for (const Element* reference : children(manifest, "Reference")) {
      package.manifest.push_back({token(*reference, "ContentId"), token(*reference, "ContentType"),
                                  text(*reference, "Description"),
                                  text(*reference, "AttachmentName")});
    }
  }

  void map_attachments(const Element& encoded, Package& package) {
    auto entries = children(encoded, "Attachment");
    for (std::size_t index = 0; index < entries.size(); ++index) {
      Scope scope(*this, indexed("Attachment", index));
      const Element& entry = *entries[index];
      Attachment attachment{token(entry, "ContentId"),
                            text(entry, "AttachmentName"),
                            text(entry, "Description"),
                            token(entry, "ContentType"),
                            {},
                            0,
                            {}};
      const Element* content = child(entry, "ContentTransferEncoded");
      if (content == nullptr || !content->attachment_index) {
        fail("attachment.missing_content", "the attachment has no ContentTransferEncoded element",
             path_);
      } else {
        const AttachmentMeasure& measure = attachments_[*content->attachment_index];
        attachment.size = measure.size;
        attachment.sha256 = measure.sha256;
        attachment.detected_type = measure.detected_type;
      }
      package.attachments.push_back(std::move(attachment));
    }
  }

  const std::vector<AttachmentMeasure>& attachments_;
  std::vector<Finding>& findings_;
  std::string path_;
};

}  // namespace

Document map_document(const Element& root, const std::vector<AttachmentMeasure>& attachments,
                      std::vector<Finding>& findings) {
  return Mapper(attachments, findings).map(root);
}

}  // namespace truc::edxml
