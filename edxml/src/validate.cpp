#include "truc/edxml/validate.hpp"

#include <set>
#include <string>

#include "truc/edxml/content_type.hpp"

namespace truc::edxml {
namespace {

// Lengths enforced by one deployed validator (docs/edxml.md); the standard does not confirm
// them, so exceeding one is a warning: a peer may refuse the document.
struct LengthRule {
  std::string_view name;
  std::size_t max_characters;
};

std::size_t count_characters(std::string_view utf8) {
  std::size_t count = 0;
  for (unsigned char byte : utf8) count += (byte & 0xc0) != 0x80;
  return count;
}

class Checker {
 public:
  explicit Checker(std::vector<Finding>& findings) : findings_(findings) {}

  void check(const Package& package) {
    const std::string header = "edXMLEnvelope/edXMLHeader/MessageHeader";
    check_organization(package.from, header + "/From");
    for (std::size_t index = 0; index < package.to.size(); ++index) {
      check_organization(package.to[index], header + "/To[" + std::to_string(index + 1) + "]");
    }
    require(package.document_id, header + "/DocumentId");
    require(package.code.code_number, header + "/Code/CodeNumber");
    require(package.subject, header + "/Subject");
    if (!package.promulgation_info.promulgation_date) {
      require({}, header + "/PromulgationInfo/PromulgationDate");
    }
    limit(package.code.code_number, {"CodeNumber", 11}, header + "/Code/CodeNumber");
    limit(package.code.code_notation, {"CodeNotation", 30}, header + "/Code/CodeNotation");
    limit(package.promulgation_info.place, {"Place", 50}, header + "/PromulgationInfo/Place");
    limit(package.subject, {"Subject", 500}, header + "/Subject");
    limit(package.content, {"Content", 500}, header + "/Content");
    limit(package.document_type.type_name, {"TypeName", 100}, header + "/DocumentType/TypeName");
    limit(package.other_info.sphere_of_promulgation, {"SphereOfPromulgation", 100},
          header + "/OtherInfo/SphereOfPromulgation");
    limit(package.other_info.typer_notation, {"TyperNotation", 10},
          header + "/OtherInfo/TyperNotation");
    for (const auto& place : package.to_places)
      limit(place, {"Place", 150}, header + "/ToPlaces/Place");

    if (package.business && package.business->business_doc_type != BusinessDocType::new_document &&
        package.business->document_id.empty()) {
      fail("business.missing_document_id",
           "a recall, update or replacement must name the DocumentId of the document it concerns",
           "edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/DocumentId");
    }
    check_attachments(package);
  }

  void check(const StatusPacket& status) {
    const std::string header = "edXMLEnvelope/edXMLHeader/MessageHeader";
    check_organization(status.from, header + "/From");
    require(status.response_for.organ_id, header + "/ResponseFor/OrganId");
    require(status.response_for.document_id, header + "/ResponseFor/DocumentId");
    if (!status.timestamp) require({}, header + "/Timestamp");
  }

 private:
  void fail(std::string code, std::string message, std::string path) {
    findings_.push_back({Severity::error, std::move(code), std::move(message), std::move(path)});
  }
  void warn(std::string code, std::string message, std::string path) {
    findings_.push_back({Severity::warning, std::move(code), std::move(message), std::move(path)});
  }

  void require(std::string_view value, std::string path) {
    if (value.empty())
      fail("field.missing", "a required value is missing or empty", std::move(path));
  }

  void limit(std::string_view value, LengthRule rule, std::string path) {
    std::size_t characters = count_characters(value);
    if (characters > rule.max_characters) {
      warn("field.too_long",
           std::string(rule.name) + " has " + std::to_string(characters) +
               " characters; deployed validators allow " + std::to_string(rule.max_characters),
           std::move(path));
    }
  }

  void check_organization(const Organization& organization, const std::string& path) {
    require(organization.organ_id, path + "/OrganId");
    if (!organization.organ_id.empty() && !is_agency_code(organization.organ_id)) {
      warn("organ.not_agency_code",
           "'" + organization.organ_id +
               "' is not in the national agency code form (e.g. 000.00.00.G22)",
           path + "/OrganId");
    }
    limit(organization.organ_name, {"OrganName", 200}, path + "/OrganName");
    limit(organization.organ_add, {"OrganAdd", 500}, path + "/OrganAdd");
    limit(organization.email, {"Email", 100}, path + "/Email");
    limit(organization.telephone, {"Telephone", 20}, path + "/Telephone");
    limit(organization.fax, {"Fax", 20}, path + "/Fax");
  }

  // Why a name cannot be used as a file name as it is, or empty when it can.
  static std::string unsafe_name_reason(std::string_view name) {
    if (name.empty()) return "it is empty";
    if (name == "." || name == "..") return "it is a directory reference";
    for (unsigned char character : name) {
      if (character < 0x20 || character == 0x7f) return "it contains a control character";
      if (character == '/' || character == '\\') return "it contains a path separator";
    }
    if (name.find(':') != std::string_view::npos) return "it contains a drive or stream separator";
    // C1 controls (U+0080..U+009F) and bidirectional overrides, which disguise a file's type.
    for (std::size_t index = 0; index + 1 < name.size(); ++index) {
      auto lead = static_cast<unsigned char>(name[index]);
      auto next = static_cast<unsigned char>(name[index + 1]);
      if (lead == 0xc2 && next >= 0x80 && next <= 0x9f) return "it contains a control character";
      if (lead == 0xe2 && index + 2 < name.size() && next == 0x80) {
        auto last = static_cast<unsigned char>(name[index + 2]);
        if (last >= 0xaa && last <= 0xae) return "it contains a bidirectional override";
      }
      if (lead == 0xe2 && index + 2 < name.size() && next == 0x81) {
        auto last = static_cast<unsigned char>(name[index + 2]);
        if (last >= 0xa6 && last <= 0xa9) return "it contains a bidirectional override";
      }
    }
    if (count_characters(name) > 500) return "it is longer than 500 characters";
    return {};
  }

  void check_attachments(const Package& package) {
    std::set<std::string> manifest_ids;
    for (std::size_t index = 0; index < package.manifest.size(); ++index) {
      const auto& reference = package.manifest[index];
      std::string path =
          "edXMLEnvelope/edXMLBody/edXMLManifest/Reference[" + std::to_string(index + 1) + "]";
      require(reference.content_id, path + "/ContentId");
      if (!reference.content_id.empty() && !manifest_ids.insert(reference.content_id).second) {
        fail("attachment.duplicate_content_id",
             "ContentId '" + reference.content_id + "' is listed twice", path + "/ContentId");
      }
    }
    std::set<std::string> attachment_ids;
    for (std::size_t index = 0; index < package.attachments.size(); ++index) {
      const auto& attachment = package.attachments[index];
      std::string path = "AttachmentEncoded/Attachment[" + std::to_string(index + 1) + "]";
      require(attachment.content_id, path + "/ContentId");
      if (!attachment.content_id.empty()) {
        if (!attachment_ids.insert(attachment.content_id).second) {
          fail("attachment.duplicate_content_id",
               "two attachments have ContentId '" + attachment.content_id + "'",
               path + "/ContentId");
        } else if (!manifest_ids.contains(attachment.content_id)) {
          fail("manifest.unlisted_attachment",
               "attachment '" + attachment.content_id + "' is not listed in the manifest",
               path + "/ContentId");
        }
      }
      if (auto reason = unsafe_name_reason(attachment.attachment_name); !reason.empty()) {
        fail("attachment.unsafe_name",
             "the attachment name cannot be used as a file name: " + reason,
             path + "/AttachmentName");
      }
      if (!attachment.detected_type.empty() &&
          !content_types_agree(attachment.content_type, attachment.detected_type)) {
        warn("attachment.type_mismatch",
             "declared as '" + attachment.content_type + "' but the content is " +
                 attachment.detected_type,
             path + "/ContentType");
      }
    }
    for (std::size_t index = 0; index < package.manifest.size(); ++index) {
      const auto& reference = package.manifest[index];
      if (!reference.content_id.empty() && !attachment_ids.contains(reference.content_id)) {
        fail("manifest.missing_attachment",
             "the manifest lists '" + reference.content_id +
                 "' but no attachment has that ContentId",
             "edXMLEnvelope/edXMLBody/edXMLManifest/Reference[" + std::to_string(index + 1) +
                 "]/ContentId");
      }
    }
  }

  std::vector<Finding>& findings_;
};

}  // namespace

bool ValidationReport::valid() const { return first_error() == nullptr; }

const Finding* ValidationReport::first_error() const {
  for (const auto& finding : findings) {
    if (finding.severity == Severity::error) return &finding;
  }
  return nullptr;
}

std::vector<Finding> ValidationReport::errors() const {
  std::vector<Finding> selected;
  for (const auto& finding : findings) {
    if (finding.severity == Severity::error) selected.push_back(finding);
  }
  return selected;
}

std::vector<Finding> ValidationReport::warnings() const {
  std::vector<Finding> selected;
  for (const auto& finding : findings) {
    if (finding.severity == Severity::warning) selected.push_back(finding);
  }
  return selected;
}

ValidationReport validate(const Parsed& parsed) {
  ValidationReport report{parsed.findings};
  Checker checker(report.findings);
  std::visit([&](const auto& document) { checker.check(document); }, parsed.document);
  return report;
}

}  // namespace truc::edxml
