#include "truc/office/incoming.hpp"

#include <chrono>
#include <cstdio>
#include <utility>

#include "records.hpp"
#include "truc/office/uploads.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

// A paper document arrives when the clerk registers it; it has no package.
constexpr const char* kSummaryColumns =
    "i.id, to_char(coalesce(p.received_at, i.registered_at) AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "i.sender_code, i.sender_name, i.code_number, i.code_notation, i.subject, i.document_type, "
    "i.promulgation_date::text, i.priority, i.state, i.arrival_number, r.name, i.signature, "
    "i.source, i.recall_state";
constexpr const char* kSummaryFrom =
    " FROM incoming_documents i LEFT JOIN received_packages p ON p.id = i.package_id "
    "LEFT JOIN registers r ON r.id = i.register_id ";
constexpr std::size_t kSummaryColumnCount = 16;

IncomingSummary summary_at(const store::Rows& rows, std::size_t row) {
  IncomingSummary summary;
  summary.id = rows.integer(row, 0);
  summary.received_at = rows.text(row, 1);
  summary.sender_code = rows.text(row, 2);
  summary.sender_name = rows.text(row, 3);
  const std::string notation = rows.text(row, 5);
  summary.code = rows.text(row, 4) + (notation.empty() ? "" : "/" + notation);
  summary.subject = rows.text(row, 6);
  summary.document_type = rows.text(row, 7);
  summary.promulgation_date = rows.optional_text(row, 8);
  summary.priority = static_cast<int>(rows.integer(row, 9));
  summary.state = rows.text(row, 10);
  if (!rows.is_null(row, 11)) summary.arrival_number = rows.integer(row, 11);
  summary.register_name = rows.optional_text(row, 12);
  summary.signature = rows.text(row, 13);
  summary.source = rows.text(row, 14);
  summary.recall_state = rows.optional_text(row, 15);
  return summary;
}

Error not_found(std::int64_t id) {
  return Error{"incoming.not_found", "the agency has no incoming document with this id",
               std::to_string(id)};
}

// Locks a new document of the agency for a clerk's decision.
Status lock_new(store::Transaction& transaction, std::int64_t agency_id, std::int64_t id) {
  auto found = transaction.execute(
      "SELECT state, recall_state = 'accepted' FROM incoming_documents "
      "WHERE agency_id = $1 AND id = $2 FOR UPDATE",
      {std::to_string(agency_id), std::to_string(id)});
  if (!found) return std::move(found).error();
  if (found->empty()) return not_found(id);
  if (!found->is_null(0, 1) && found->boolean(0, 1)) {
    return Error{"incoming.recalled", "the sender recalled the document; it is void",
                 std::to_string(id)};
  }
  const std::string state = found->text(0, 0);
  if (state == "registered") {
    return Error{"incoming.already_registered", "the document is registered already",
                 std::to_string(id)};
  }
  if (state == "returned") {
    return Error{"incoming.already_returned", "the document was returned to its sender",
                 std::to_string(id)};
  }
  return ok_status();
}

// Takes the next arrival number of an incoming register of the agency, in the transaction that
// registers the document: the register's row lock orders concurrent clerks (no duplicates) and a
// rollback gives the number back (no gaps). Paper and electronic documents share the counter.
Result<std::string> take_arrival_number(store::Transaction& transaction, std::int64_t agency_id,
                                        std::int64_t register_id) {
  // Numbers run through one year (Decree 30, Article 22): a register of another year takes none.
  auto number = transaction.execute(
      "UPDATE registers SET next_number = next_number + 1 "
      "WHERE agency_id = $1 AND id = $2 AND direction = 'incoming' "
      "AND year = extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh') "
      "RETURNING next_number - 1",
      {std::to_string(agency_id), std::to_string(register_id)});
  if (!number) return std::move(number).error();
  if (!number->empty()) return number->text(0, 0);
  auto other_year = transaction.execute(
      "SELECT year FROM registers WHERE agency_id = $1 AND id = $2 AND direction = 'incoming'",
      {std::to_string(agency_id), std::to_string(register_id)});
  if (!other_year) return std::move(other_year).error();
  if (!other_year->empty()) {
    return Error{"register.closed", "the register is of another year; use this year's",
                 other_year->text(0, 0)};
  }
  return Error{"register.not_found", "the agency has no incoming register with this id",
               std::to_string(register_id)};
}

Status check_paper(const PaperDocument& paper) {
  TRUC_TRY(check_text("sender_name", paper.sender_name, 200));
  TRUC_TRY(check_text("code_number", paper.code_number, 11));
  TRUC_TRY(check_text("code_notation", paper.code_notation, 30, 0));
  TRUC_TRY(check_text("document_type", paper.document_type, 100));
  TRUC_TRY(check_text("subject", paper.subject, 500));
  TRUC_TRY(check_date("promulgation_date", paper.promulgation_date));
  // A document is not dated after the day it arrives, in Vietnam (UTC+7, no summer time).
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(
      std::chrono::system_clock::now() + std::chrono::hours(7))};
  char today_text[11];
  std::snprintf(today_text, sizeof today_text, "%04d-%02u-%02u", static_cast<int>(today.year()),
                static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day()));
  if (paper.promulgation_date > today_text) {
    return invalid_field("promulgation_date", "today or earlier");
  }
  if (paper.priority < 0 || paper.priority > 4) {
    return invalid_field("priority", "0 (thường) to 4 (hỏa tốc hẹn giờ)");
  }
  TRUC_TRY(check_text("signer_name", paper.signer_name, 50, 0));
  if (paper.due_date) {
    TRUC_TRY(check_date("due_date", *paper.due_date));
    // The same yyyy-mm-dd form orders as text as it does as days.
    if (*paper.due_date < paper.promulgation_date) {
      return invalid_field("due_date", "on or after promulgation_date");
    }
  }
  if (paper.uploads.empty() || paper.uploads.size() > kMaxUploadsPerRecord) {
    return invalid_field("uploads", "1 to " + std::to_string(kMaxUploadsPerRecord) + " files");
  }
  return ok_status();
}

}  // namespace

IncomingDocuments::IncomingDocuments(store::Pool& database, std::function<void()> statuses_owed)
    : database_(database), statuses_owed_(std::move(statuses_owed)) {}

Result<std::vector<IncomingSummary>> IncomingDocuments::list(std::int64_t agency_id,
                                                             const std::string& state,
                                                             const std::string& query) {
  if (state != "new" && state != "registered" && state != "returned" && state != "all" &&
      state != "recall") {
    return invalid_field("state", "one of new, registered, returned, all, recall");
  }
  TRUC_TRY(check_text("q", query, 200, 0));
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows = (*connection)
                  ->execute(std::string("SELECT ") + kSummaryColumns + kSummaryFrom +
                                "WHERE i.agency_id = $1 AND ($2 = 'all' OR i.state = $2 OR "
                                "($2 = 'recall' AND i.recall_state = 'requested')) "
                                "AND ($3 = '' OR i.search @@ plainto_tsquery('office_search', "
                                "office_search_text($3))) "
                                "ORDER BY i.id DESC LIMIT 500",
                            {std::to_string(agency_id), state, query});
  if (!rows) return std::move(rows).error();
  std::vector<IncomingSummary> summaries;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    summaries.push_back(summary_at(*rows, row));
  }
  return summaries;
}

Result<IncomingDetail> IncomingDocuments::detail(std::int64_t agency_id, std::int64_t id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows =
      (*connection)
          ->execute(
              std::string("SELECT ") + kSummaryColumns +
                  ", i.signer_competence, i.signer_position, i.signer_name, i.signature_detail, "
                  "i.due_date::text, p.hub_package_id, "
                  "to_char(i.registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                  "u.full_name, i.returned_reason, p.arrived_by" +
                  kSummaryFrom +
                  "LEFT JOIN users u ON u.id = i.registered_by WHERE i.agency_id = $1 AND i.id = "
                  "$2",
              {std::to_string(agency_id), std::to_string(id)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return not_found(id);
  IncomingDetail detail;
  detail.summary = summary_at(*rows, 0);
  std::size_t column = kSummaryColumnCount;
  detail.signer_competence = rows->text(0, column++);
  detail.signer_position = rows->text(0, column++);
  detail.signer_name = rows->text(0, column++);
  detail.signature_detail = rows->text(0, column++);
  detail.due_date = rows->optional_text(0, column++);
  detail.hub_package_id = rows->optional_text(0, column++);
  detail.registered_at = rows->optional_text(0, column++);
  detail.registered_by = rows->optional_text(0, column++);
  detail.returned_reason = rows->optional_text(0, column++);
  detail.arrived_by = rows->optional_text(0, column++);

  auto attachments =
      (*connection)
          ->execute(
              "SELECT ordinal, name, content_type, size, blob_sha256 FROM incoming_attachments "
              "WHERE document_id = $1 ORDER BY ordinal",
              {std::to_string(id)});
  if (!attachments) return std::move(attachments).error();
  for (std::size_t row = 0; row < attachments->size(); ++row) {
    detail.attachments.push_back({static_cast<int>(attachments->integer(row, 0)),
                                  attachments->text(row, 1), attachments->text(row, 2),
                                  attachments->integer(row, 3), attachments->text(row, 4)});
  }
  auto statuses = (*connection)
                      ->execute(
                          "SELECT status_code, to_char(created_at AT TIME ZONE 'UTC', "
                          "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), state FROM outgoing_statuses "
                          "WHERE incoming_id = $1 ORDER BY id",
                          {std::to_string(id)});
  if (!statuses) return std::move(statuses).error();
  for (std::size_t row = 0; row < statuses->size(); ++row) {
    detail.statuses.push_back(
        {statuses->text(row, 0), statuses->text(row, 1), statuses->text(row, 2)});
  }
  auto trace = (*connection)
                   ->execute(
                       "SELECT organ_id, at FROM incoming_trace WHERE document_id = $1 "
                       "ORDER BY ordinal",
                       {std::to_string(id)});
  if (!trace) return std::move(trace).error();
  for (std::size_t row = 0; row < trace->size(); ++row) {
    detail.trace.push_back({trace->text(row, 0), trace->optional_text(row, 1)});
  }
  if (!detail.summary.recall_state) return detail;
  auto recall =
      (*connection)
          ->execute(
              "SELECT i.recall_reason, "
              "to_char(i.recall_requested_at AT TIME ZONE 'UTC', "
              "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
              "to_char(i.recall_decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
              "u.full_name, i.recall_refusal FROM incoming_documents i "
              "LEFT JOIN users u ON u.id = i.recall_decided_by WHERE i.id = $1",
              {std::to_string(id)});
  if (!recall) return std::move(recall).error();
  detail.recall = RecallDetail{*detail.summary.recall_state, recall->text(0, 0),
                               recall->text(0, 1),           recall->optional_text(0, 2),
                               recall->optional_text(0, 3),  recall->optional_text(0, 4)};
  return detail;
}

Result<IncomingAttachment> IncomingDocuments::attachment(std::int64_t agency_id, std::int64_t id,
                                                         int ordinal) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows = (*connection)
                  ->execute(
                      "SELECT a.ordinal, a.name, a.content_type, a.size, a.blob_sha256 FROM "
                      "incoming_attachments a "
                      "JOIN incoming_documents i ON i.id = a.document_id "
                      "WHERE i.agency_id = $1 AND i.id = $2 AND a.ordinal = $3",
                      {std::to_string(agency_id), std::to_string(id), std::to_string(ordinal)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) {
    return Error{"incoming.not_found", "the document has no attachment with this index",
                 std::to_string(id) + "/" + std::to_string(ordinal)};
  }
  return IncomingAttachment{static_cast<int>(rows->integer(0, 0)), rows->text(0, 1),
                            rows->text(0, 2), rows->integer(0, 3), rows->text(0, 4)};
}

Result<std::vector<Register>> IncomingDocuments::registers(std::int64_t agency_id,
                                                           const std::string& direction) {
  if (direction != "incoming" && direction != "outgoing") {
    return invalid_field("direction", "incoming or outgoing");
  }
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows = (*connection)
                  ->execute(
                      "SELECT id, name, year, secret, next_number FROM registers "
                      "WHERE agency_id = $1 AND direction = $2 ORDER BY year DESC, id",
                      {std::to_string(agency_id), direction});
  if (!rows) return std::move(rows).error();
  std::vector<Register> registers;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    registers.push_back({rows->integer(row, 0), rows->text(row, 1),
                         static_cast<int>(rows->integer(row, 2)), direction, rows->boolean(row, 3),
                         rows->integer(row, 4)});
  }
  return registers;
}

Result<IncomingDetail> IncomingDocuments::register_document(std::int64_t agency_id, std::int64_t id,
                                                            std::int64_t register_id,
                                                            const Actor& actor) {
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    TRUC_TRY(lock_new(*transaction, agency_id, id));
    auto number = take_arrival_number(*transaction, agency_id, register_id);
    if (!number) return std::move(number).error();
    const std::string& arrival_number = *number;
    auto registered = transaction->execute(
        "UPDATE incoming_documents SET state = 'registered', register_id = $3, "
        "arrival_number = $4, registered_at = now(), registered_by = $5 "
        "WHERE agency_id = $1 AND id = $2",
        {std::to_string(agency_id), std::to_string(id), std::to_string(register_id), arrival_number,
         actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt});
    if (!registered) return std::move(registered).error();
    TRUC_TRY(owe_status(*transaction, agency_id, id, actor, "03",
                        "Đã vào sổ văn bản đến, số " + arrival_number));
    TRUC_TRY(audit(*transaction, agency_id, actor, "incoming.registered",
                   std::to_string(id) + " as " + arrival_number));
    TRUC_TRY(transaction->commit());
  }
  if (statuses_owed_) statuses_owed_();
  return detail(agency_id, id);
}

Result<IncomingDetail> IncomingDocuments::register_paper(std::int64_t agency_id,
                                                         const PaperDocument& paper,
                                                         const Actor& actor) {
  TRUC_TRY(check_paper(paper));
  if (!actor.user_id) {
    return Error{"auth.forbidden", "paper is registered by a clerk's account", "decide_incoming"};
  }
  std::string id;
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    auto number = take_arrival_number(*transaction, agency_id, paper.register_id);
    if (!number) return std::move(number).error();
    auto inserted = transaction->execute(
        "INSERT INTO incoming_documents (agency_id, source, document_id, sender_code, "
        "sender_name, code_number, code_notation, subject, document_type, promulgation_place, "
        "promulgation_date, priority, signer_competence, signer_position, signer_name, "
        "due_date, signature, state, register_id, arrival_number, registered_at, registered_by) "
        "VALUES ($1, 'paper', '', '', $2, $3, $4, $5, $6, '', $7::date, $8, '', '', $9, "
        "$10::date, 'paper', 'registered', $11, $12, now(), $13) RETURNING id",
        {std::to_string(agency_id), paper.sender_name, paper.code_number, paper.code_notation,
         paper.subject, paper.document_type, paper.promulgation_date,
         std::to_string(paper.priority), paper.signer_name,
         paper.due_date ? store::Parameter(*paper.due_date) : std::nullopt,
         std::to_string(paper.register_id), *number, std::to_string(*actor.user_id)});
    if (!inserted) return std::move(inserted).error();
    id = inserted->text(0, 0);
    auto scans = consume_uploads(*transaction, agency_id, *actor.user_id, paper.uploads,
                                 "incoming_documents/" + id);
    if (!scans) return std::move(scans).error();
    std::string names;
    for (std::size_t index = 0; index < scans->size(); ++index) {
      const Upload& scan = scans->at(index);
      names += (names.empty() ? "" : " ") + scan.name;
      auto saved = transaction->execute(
          "INSERT INTO incoming_attachments (document_id, ordinal, name, content_type, size, "
          "blob_sha256) VALUES ($1, $2, $3, $4, $5, $6)",
          {id, std::to_string(index), scan.name, scan.content_type, std::to_string(scan.size),
           scan.blob_sha256});
      if (!saved) return std::move(saved).error();
    }
    // Found by the names of its scans too, as electronic documents are by their attachments'.
    auto named = transaction->execute(
        "UPDATE incoming_documents SET attachment_names = $2 WHERE id = $1", {id, names});
    if (!named) return std::move(named).error();
    TRUC_TRY(
        audit(*transaction, agency_id, actor, "incoming.paper_registered", id + " as " + *number));
    TRUC_TRY(transaction->commit());
  }
  return detail(agency_id, std::stoll(id));
}

Result<IncomingDetail> IncomingDocuments::return_document(std::int64_t agency_id, std::int64_t id,
                                                          const std::string& reason,
                                                          const Actor& actor) {
  TRUC_TRY(check_text("reason", reason, 500, 1, Lines::several));
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    TRUC_TRY(lock_new(*transaction, agency_id, id));
    auto returned = transaction->execute(
        "UPDATE incoming_documents SET state = 'returned', returned_reason = $3, "
        "returned_at = now(), returned_by = $4 WHERE agency_id = $1 AND id = $2",
        {std::to_string(agency_id), std::to_string(id), reason,
         actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt});
    if (!returned) return std::move(returned).error();
    TRUC_TRY(owe_status(*transaction, agency_id, id, actor, "02", reason));
    TRUC_TRY(audit(*transaction, agency_id, actor, "incoming.returned", std::to_string(id)));
    TRUC_TRY(transaction->commit());
  }
  if (statuses_owed_) statuses_owed_();
  return detail(agency_id, id);
}

Result<IncomingDetail> IncomingDocuments::accept_recall(std::int64_t agency_id, std::int64_t id,
                                                        const Actor& actor) {
  return answer_recall(agency_id, id, true, "", actor);
}

Result<IncomingDetail> IncomingDocuments::refuse_recall(std::int64_t agency_id, std::int64_t id,
                                                        const std::string& reason,
                                                        const Actor& actor) {
  TRUC_TRY(check_text("reason", reason, 500, 1, Lines::several));
  return answer_recall(agency_id, id, false, reason, actor);
}

Result<IncomingDetail> IncomingDocuments::answer_recall(std::int64_t agency_id, std::int64_t id,
                                                        bool accepted, const std::string& refusal,
                                                        const Actor& actor) {
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    auto found = transaction->execute(
        "SELECT recall_state = 'requested' FROM incoming_documents "
        "WHERE agency_id = $1 AND id = $2 FOR UPDATE",
        {std::to_string(agency_id), std::to_string(id)});
    if (!found) return std::move(found).error();
    if (found->empty()) return not_found(id);
    if (found->is_null(0, 0) || !found->boolean(0, 0)) {
      return Error{"incoming.no_recall", "no recall of this document awaits an answer",
                   std::to_string(id)};
    }
    auto answered = transaction->execute(
        "UPDATE incoming_documents SET recall_state = $3, recall_decided_at = now(), "
        "recall_decided_by = $4, recall_refusal = $5 WHERE agency_id = $1 AND id = $2",
        {std::to_string(agency_id), std::to_string(id), accepted ? "accepted" : "refused",
         actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt,
         accepted ? std::nullopt : store::Parameter(refusal)});
    if (!answered) return std::move(answered).error();
    if (accepted) {
      // The work on a void document ends with it; the sender asked for it back, not for a 06.
      auto closed = transaction->execute(
          "UPDATE assignments SET state = 'done', finished_at = now(), "
          "result = 'Văn bản đã bị thu hồi' WHERE agency_id = $1 AND incoming_id = $2 "
          "AND state <> 'done'",
          {std::to_string(agency_id), std::to_string(id)});
      if (!closed) return std::move(closed).error();
      TRUC_TRY(owe_status(*transaction, agency_id, id, actor, "15",
                          "Đồng ý thu hồi: văn bản đã được hủy trên phần mềm quản lý văn bản"));
    } else {
      TRUC_TRY(owe_status(*transaction, agency_id, id, actor, "16", refusal));
    }
    TRUC_TRY(audit(*transaction, agency_id, actor,
                   accepted ? "incoming.recall_accepted" : "incoming.recall_refused",
                   std::to_string(id)));
    TRUC_TRY(transaction->commit());
  }
  if (statuses_owed_) statuses_owed_();
  return detail(agency_id, id);
}

}  // namespace truc::office
