#pragma once

// Incoming documents (văn bản đến) of one agency, as its clerks and leaders see them: the list
// with diacritic-blind search, one document with its attachments and the statuses owed to its
// sender, the clerk's two decisions on a new one: register it ("Vào sổ": the next arrival
// number of an incoming register, status 03 to the sender) or return it ("Trả lại": status 02),
// the answer to the sender's recall: accept it (the document is void, status 15) or refuse it
// (status 16); and paper documents, registered by the clerk from their scans into the same
// registers.
// Every query is bound to the caller's agency: another agency's ids are unknown ids.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/office/accounts.hpp"

namespace truc::store {
class Pool;
}

namespace truc::office {

struct IncomingSummary {
  std::int64_t id = 0;
  std::string received_at;  // ISO 8601, UTC
  std::string sender_code;
  std::string sender_name;
  std::string code;  // "12/UBND-VP": number and notation
  std::string subject;
  std::string document_type;
  std::optional<std::string> promulgation_date;  // yyyy-mm-dd
  int priority = 0;                              // edXML Priority, 0 (thường) to 4
  std::string state;                             // new, registered, returned
  std::optional<std::int64_t> arrival_number;
  std::optional<std::string> register_name;
  std::string signature;  // valid, invalid, unsigned; paper: none to check
  std::string source;     // hub, or paper (registered from a scan by the clerk)
  // The sender's recall: requested (awaiting the clerk), accepted (the document is void here) or
  // refused; none while the sender never asked.
  std::optional<std::string> recall_state;
};

struct IncomingAttachment {
  int ordinal = 0;
  std::string name;
  std::string content_type;
  std::int64_t size = 0;
  std::string blob_sha256;
};

struct StatusOwed {
  std::string code;  // "01", "02", "03"
  std::string at;
  std::string state;  // pending, sent, failed
};

// One hop of the package's trace (edXML TraceHeader).
struct TraceHop {
  std::string organ_id;
  std::optional<std::string> at;  // as the hop wrote it: local time, no zone
};

struct RecallDetail {
  std::string state;   // requested, accepted, refused
  std::string reason;  // the sender's
  std::string requested_at;
  std::optional<std::string> decided_at;
  std::optional<std::string> decided_by;  // full name
  std::optional<std::string> refusal;
};

struct IncomingDetail {
  IncomingSummary summary;
  std::string signer_competence;
  std::string signer_position;
  std::string signer_name;
  std::string signature_detail;
  std::optional<std::string> due_date;
  std::optional<std::string> hub_package_id;  // none for paper
  std::optional<std::string> registered_at;
  std::optional<std::string> registered_by;  // full name
  std::optional<std::string> returned_reason;
  std::vector<IncomingAttachment> attachments;
  std::vector<StatusOwed> statuses;
  std::optional<RecallDetail> recall;
  std::optional<std::string> arrived_by;  // push or pull; none for paper
  std::vector<TraceHop> trace;
};

// A paper document (văn bản giấy) as the clerk registers it from its scans.
struct PaperDocument {
  std::int64_t register_id = 0;
  std::string sender_name;              // nơi gửi, 1–200 characters
  std::string code_number;              // số, 1–11
  std::string code_notation;            // ký hiệu, 0–30
  std::string document_type;            // loại văn bản, 1–100
  std::string subject;                  // trích yếu, 1–500
  std::string promulgation_date;        // ngày văn bản, yyyy-mm-dd
  int priority = 0;                     // độ khẩn, 0 (thường) to 4
  std::string signer_name;              // người ký, 0–50
  std::optional<std::string> due_date;  // hạn xử lý, on or after the promulgation date
  std::vector<std::int64_t> uploads;    // the scans, in order: 1 to kMaxUploadsPerRecord
};

struct Register {
  std::int64_t id = 0;
  std::string name;
  int year = 0;
  std::string direction;
  bool secret = false;           // for secret documents (sổ mật)
  std::int64_t next_number = 1;  // the number the next document gets
};

class IncomingDocuments {
 public:
  // `statuses_owed` is called after a commit that owes the hub a status (to wake its sender).
  IncomingDocuments(store::Pool& database, std::function<void()> statuses_owed);

  // state: new, registered, returned, all, or recall (a recall awaits the clerk) (field.invalid
  // otherwise); query: words to find in
  // subject, number/notation, sender, signer and attachment names, diacritics and case ignored.
  Result<std::vector<IncomingSummary>> list(std::int64_t agency_id, const std::string& state,
                                            const std::string& query);
  Result<IncomingDetail> detail(std::int64_t agency_id, std::int64_t id);  // incoming.not_found
  Result<IncomingAttachment> attachment(std::int64_t agency_id, std::int64_t id, int ordinal);
  // direction: incoming or outgoing; this year's and older, newest first.
  Result<std::vector<Register>> registers(std::int64_t agency_id, const std::string& direction);

  // Errors: incoming.not_found, register.not_found (not an incoming register of the agency),
  // incoming.already_registered, incoming.already_returned, incoming.recalled.
  Result<IncomingDetail> register_document(std::int64_t agency_id, std::int64_t id,
                                           std::int64_t register_id, const Actor& actor);
  // A paper document, registered at once with the next arrival number of the same counter as
  // electronic ones, its scans taken from the caller's uploads; it owes no status (no hub).
  // Errors: field.invalid, register.not_found, upload.not_found, upload.already_used.
  Result<IncomingDetail> register_paper(std::int64_t agency_id, const PaperDocument& paper,
                                        const Actor& actor);
  // The same errors as register_document but register.not_found; field.invalid for a reason outside
  // 1–500 characters.
  Result<IncomingDetail> return_document(std::int64_t agency_id, std::int64_t id,
                                         const std::string& reason, const Actor& actor);

  // Errors: incoming.not_found, incoming.no_recall (no recall awaits an answer); for a refusal,
  // field.invalid for a reason outside 1–500 characters.
  Result<IncomingDetail> accept_recall(std::int64_t agency_id, std::int64_t id, const Actor& actor);
  Result<IncomingDetail> refuse_recall(std::int64_t agency_id, std::int64_t id,
                                       const std::string& reason, const Actor& actor);

 private:
  // Answers the recall awaiting the clerk: `accepted` voids the document and owes 15; otherwise
  // 16 with `refusal`.
  Result<IncomingDetail> answer_recall(std::int64_t agency_id, std::int64_t id, bool accepted,
                                       const std::string& refusal, const Actor& actor);

  store::Pool& database_;
  std::function<void()> statuses_owed_;
};

}  // namespace truc::office
