#include "truc/office/inbox.hpp"

#include <memory>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "records.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/common/log.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/edxml/validate.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

// Writes each attachment into a blob of its own as it streams out of the package; the blobs are
// published once the whole package has been read.
class BlobAttachments final : public edxml::AttachmentSink {
 public:
  explicit BlobAttachments(const store::BlobStore& blobs) : blobs_(blobs) {}

  Result<std::unique_ptr<ByteSink>> open_attachment(std::size_t,
                                                    const edxml::AttachmentHeader&) override {
    auto writer = blobs_.create();
    if (!writer) return std::move(writer).error();
    writers_.push_back(std::make_unique<store::BlobWriter>(std::move(*writer)));
    return std::unique_ptr<ByteSink>(std::make_unique<Forward>(*writers_.back()));
  }

  Result<std::vector<store::BlobRef>> publish() {
    std::vector<store::BlobRef> published;
    for (auto& writer : writers_) {
      auto blob = writer->commit();
      if (!blob) return std::move(blob).error();
      published.push_back(*blob);
    }
    return published;
  }

 private:
  // The parser owns what it writes to; the writer stays here, to be committed afterwards.
  class Forward final : public ByteSink {
   public:
    explicit Forward(store::BlobWriter& writer) : writer_(writer) {}
    Status write(std::string_view bytes) override { return writer_.write(bytes); }

   private:
    store::BlobWriter& writer_;
  };

  const store::BlobStore& blobs_;
  std::vector<std::unique_ptr<store::BlobWriter>> writers_;
};

store::Parameter optional_date(const std::optional<edxml::Date>& date) {
  if (!date) return std::nullopt;
  return edxml::format_date(*date);
}

Error invalid_delivery(const std::string& detail) {
  return Error{"delivery.invalid", "the delivery's description is not usable", detail};
}

std::string attachment_names(const edxml::Package& package) {
  std::string names;
  for (const auto& attachment : package.attachments) {
    names += (names.empty() ? "" : " ") + attachment.attachment_name;
  }
  return names;
}

// A sender asking for one of its documents back: a recall package (BussinessDocType 1) or the
// issuer's status 13 about it.
struct RecallRequest {
  std::string document_id;  // the original's edXML DocumentId
  std::string reason;
};

std::optional<RecallRequest> recall_request(const edxml::Document& document) {
  if (const auto* package = std::get_if<edxml::Package>(&document)) {
    if (!package->business ||
        package->business->business_doc_type != edxml::BusinessDocType::recall) {
      return std::nullopt;
    }
    return RecallRequest{package->business->document_id, package->business->business_doc_reason};
  }
  const auto& status = std::get<edxml::StatusPacket>(document);
  if (status.status_code != edxml::StatusCode::recall_request ||
      status.response_for.organ_id != status.from.organ_id) {
    return std::nullopt;
  }
  return RecallRequest{status.response_for.document_id, status.description};
}

// Marks the original for the clerk's decision. A document already voided stays so; one whose
// recall was refused may be asked for again. A recall of a document this agency never received
// is kept as a received package and audited, with nothing to mark.
Status request_recall(store::Transaction& transaction, std::int64_t agency_id,
                      const std::string& sender, const RecallRequest& request,
                      const std::string& hub_package_id) {
  auto marked = transaction.execute(
      "UPDATE incoming_documents SET recall_state = 'requested', recall_reason = $4, "
      "recall_requested_at = now(), recall_decided_at = NULL, recall_decided_by = NULL, "
      "recall_refusal = NULL WHERE agency_id = $1 AND sender_code = $2 AND document_id = $3 "
      "AND recall_state IS DISTINCT FROM 'accepted' RETURNING id",
      {std::to_string(agency_id), sender, request.document_id, request.reason});
  if (!marked) return std::move(marked).error();
  const Actor hub{std::nullopt, ""};
  if (marked->empty()) {
    log_event("warn", "recall_without_document",
              {{"hub_id", hub_package_id}, {"sender", sender}, {"document", request.document_id}});
    return audit(transaction, agency_id, hub, "recall.unmatched", hub_package_id);
  }
  log_event("info", "recall_requested",
            {{"hub_id", hub_package_id}, {"sender", sender}, {"document", request.document_id}});
  return audit(transaction, agency_id, hub, "incoming.recall_requested",
               marked->text(0, 0) + " by " + hub_package_id);
}

struct Signature {
  std::string result;  // valid, invalid, unsigned
  std::string detail;  // the error code when invalid
};

}  // namespace

Inbox::Inbox(store::Pool& database, const store::BlobStore& blobs, const edxml::Parser& parser,
             const security::TrustStore& trust, bool forbid_sha1)
    : database_(database),
      blobs_(blobs),
      parser_(parser),
      trust_(trust),
      forbid_sha1_(forbid_sha1) {}

Result<bool> Inbox::receive(const Delivery& delivery, const std::filesystem::path& file) {
  // The file is ours from here on: published into the blob store, or removed.
  struct RemoveUnlessPublished {
    const std::filesystem::path& path;
    ~RemoveUnlessPublished() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } cleanup{file};

  if (delivery.kind != "edoc" && delivery.kind != "status") {
    return invalid_delivery("kind must be edoc or status: " + delivery.kind);
  }
  TRUC_TRY(check_text("hub_package_id", delivery.hub_package_id, 200));
  std::int64_t agency_id = 0;
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto agency =
        (*connection)
            ->execute(
                "SELECT a.id, EXISTS (SELECT FROM received_packages p WHERE p.agency_id = a.id "
                "AND p.hub_package_id = $2) FROM agencies a WHERE a.code = $1",
                {delivery.recipient_code, delivery.hub_package_id});
    if (!agency) return std::move(agency).error();
    if (agency->empty()) {
      return Error{"delivery.unknown_recipient", "this office does not serve the recipient",
                   delivery.recipient_code};
    }
    agency_id = agency->integer(0, 0);
    if (agency->boolean(0, 1)) return false;  // delivered before: by push, then by pull
  }

  // Read, measure and check the package without holding a connection.
  auto source = FileSource::open(file);
  if (!source) return std::move(source).error();
  HashingSource hashing(*source);
  BlobAttachments attachments(blobs_);
  security::SignatureReader signature_reader;
  auto parsed = parser_.parse(hashing, attachments, &signature_reader);
  if (!parsed) return std::move(parsed).error();
  const store::BlobRef package_blob{hashing.sha256(), hashing.size()};
  if (!delivery.sha256.empty() && package_blob.sha256 != delivery.sha256) {
    return Error{"delivery.digest_mismatch", "the bytes are not those the hub announced",
                 "announced " + delivery.sha256 + ", received " + package_blob.sha256};
  }
  edxml::Document document = std::move(parsed->document);
  auto report = edxml::validate(edxml::Parsed{document, std::move(parsed->findings)});
  if (const edxml::Finding* problem = report.first_error()) {
    return Error{problem->code, problem->message, problem->path};
  }
  const bool is_package = std::holds_alternative<edxml::Package>(document);
  if (is_package != (delivery.kind == "edoc")) {
    return invalid_delivery("announced as " + delivery.kind + ", the document is another kind");
  }
  const std::string sender = is_package ? std::get<edxml::Package>(document).from.organ_id
                                        : std::get<edxml::StatusPacket>(document).from.organ_id;
  if (!delivery.sender_code.empty() && delivery.sender_code != sender) {
    log_event("warn", "delivery_sender_differs",
              {{"hub_id", delivery.hub_package_id},
               {"announced", delivery.sender_code},
               {"document", sender}});
  }
  Signature signature{"unsigned", ""};
  if (signature_reader.found()) {
    auto verified = signature_reader.verify(trust_, {.forbid_sha1 = forbid_sha1_});
    signature = verified ? Signature{"valid", ""} : Signature{"invalid", verified.error().code};
  }
  auto attachment_blobs = attachments.publish();
  if (!attachment_blobs) return std::move(attachment_blobs).error();
  if (is_package &&
      attachment_blobs->size() != std::get<edxml::Package>(document).attachments.size()) {
    return Error{"delivery.invalid", "an attachment's content was not read", ""};
  }
  TRUC_TRY(blobs_.adopt(file, package_blob));

  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto stored = transaction->execute(
      "INSERT INTO received_packages (agency_id, hub_package_id, kind, sender_code, blob_sha256, "
      "size, arrived_by, acked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
      "CASE WHEN $7 = 'push' THEN now() END) "
      "ON CONFLICT (agency_id, hub_package_id) DO NOTHING RETURNING id",
      {std::to_string(agency_id), delivery.hub_package_id, delivery.kind, sender,
       package_blob.sha256, std::to_string(package_blob.size), delivery.arrived_by});
  if (!stored) return std::move(stored).error();
  if (stored->empty()) return false;  // the other way of delivery was quicker
  const std::string package_id = stored->text(0, 0);
  const Actor hub{std::nullopt, ""};

  if (const auto request = recall_request(document)) {
    TRUC_TRY(request_recall(*transaction, agency_id, sender, *request, delivery.hub_package_id));
    TRUC_TRY(transaction->commit());
    return true;
  }
  if (!is_package) {
    // Statuses about the agency's own outgoing documents are read by part 2's outgoing flow.
    TRUC_TRY(audit(*transaction, agency_id, hub, "status.received", delivery.hub_package_id));
    TRUC_TRY(transaction->commit());
    return true;
  }
  const auto& package = std::get<edxml::Package>(document);
  auto incoming = transaction->execute(
      "INSERT INTO incoming_documents (agency_id, package_id, document_id, sender_code, "
      "sender_name, code_number, code_notation, subject, document_type, promulgation_place, "
      "promulgation_date, priority, signer_competence, signer_position, signer_name, due_date, "
      "signature, signature_detail, attachment_names) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
      {std::to_string(agency_id), package_id, package.document_id, package.from.organ_id,
       package.from.organ_name, package.code.code_number, package.code.code_notation,
       package.subject, package.document_type.type_name, package.promulgation_info.place,
       optional_date(package.promulgation_info.promulgation_date),
       std::to_string(
           static_cast<int>(package.other_info.priority.value_or(edxml::Priority::normal))),
       package.signer_info.competence, package.signer_info.position, package.signer_info.full_name,
       optional_date(package.due_date), signature.result, signature.detail,
       attachment_names(package)});
  if (!incoming) return std::move(incoming).error();
  const std::string incoming_id = incoming->text(0, 0);
  for (std::size_t index = 0; index < package.attachments.size(); ++index) {
    const edxml::Attachment& attachment = package.attachments[index];
    auto saved = transaction->execute(
        "INSERT INTO incoming_attachments (document_id, ordinal, name, content_type, size, "
        "blob_sha256) VALUES ($1, $2, $3, $4, $5, $6)",
        {incoming_id, std::to_string(index), attachment.attachment_name,
         attachment.detected_type.empty() ? attachment.content_type : attachment.detected_type,
         std::to_string(attachment.size), attachment_blobs->at(index).sha256});
    if (!saved) return std::move(saved).error();
  }
  for (std::size_t hop = 0; hop < package.trace_headers.size(); ++hop) {
    const edxml::TraceHeader& trace = package.trace_headers[hop];
    auto traced = transaction->execute(
        "INSERT INTO incoming_trace (document_id, ordinal, organ_id, at) VALUES ($1, $2, $3, $4)",
        {incoming_id, std::to_string(hop), trace.organ_id,
         trace.timestamp ? store::Parameter(edxml::format_local_date_time(*trace.timestamp))
                         : std::nullopt});
    if (!traced) return std::move(traced).error();
  }
  auto owed = transaction->execute(
      "INSERT INTO outgoing_statuses (agency_id, incoming_id, status_code, description) "
      "VALUES ($1, $2, '01', 'Văn bản đã đến')",
      {std::to_string(agency_id), incoming_id});
  if (!owed) return std::move(owed).error();
  TRUC_TRY(audit(*transaction, agency_id, hub, "incoming.arrived", delivery.hub_package_id));
  TRUC_TRY(transaction->commit());
  log_event("info", "incoming_arrived",
            {{"agency", delivery.recipient_code},
             {"hub_id", delivery.hub_package_id},
             {"sender", package.from.organ_id},
             {"by", delivery.arrived_by},
             {"signature", signature.result}});
  return true;
}

}  // namespace truc::office
