#include "truc/office/incoming.hpp"

#include <utility>

#include "records.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

constexpr const char* kSummaryColumns =
    "i.id, to_char(p.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "i.sender_code, i.sender_name, i.code_number, i.code_notation, i.subject, i.document_type, "
    "i.promulgation_date::text, i.priority, i.state, i.arrival_number, r.name, i.signature, "
    "i.recall_state";
constexpr const char* kSummaryFrom =
    " FROM incoming_documents i JOIN received_packages p ON p.id = i.package_id "
    "LEFT JOIN registers r ON r.id = i.register_id ";
constexpr std::size_t kSummaryColumnCount = 15;

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
  summary.recall_state = rows.optional_text(row, 14);
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
                                "AND ($3 = '' OR i.search @@ plainto_tsquery('office_search', $3)) "
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
                  "u.full_name, i.returned_reason" +
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
  detail.hub_package_id = rows->text(0, column++);
  detail.registered_at = rows->optional_text(0, column++);
  detail.registered_by = rows->optional_text(0, column++);
  detail.returned_reason = rows->optional_text(0, column++);

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
  auto rows =
      (*connection)
          ->execute(
              "SELECT id, name, year, secret, next_number FROM registers "
              "WHERE agency_id = $1 AND direction = $2 ORDER BY year DESC, id",
              {std::to_string(agency_id), direction});
  if (!rows) return std::move(rows).error();
  std::vector<Register> registers;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    registers.push_back({rows->integer(row, 0), rows->text(row, 1),
                         static_cast<int>(rows->integer(row, 2)), direction,
                         rows->boolean(row, 3), rows->integer(row, 4)});
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
    // The register's row lock orders concurrent clerks; a rollback gives the number back.
    auto number = transaction->execute(
        "UPDATE registers SET next_number = next_number + 1 "
        "WHERE agency_id = $1 AND id = $2 AND direction = 'incoming' RETURNING next_number - 1",
        {std::to_string(agency_id), std::to_string(register_id)});
    if (!number) return std::move(number).error();
    if (number->empty()) {
      return Error{"register.not_found", "the agency has no incoming register with this id",
                   std::to_string(register_id)};
    }
    const std::string arrival_number = number->text(0, 0);
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
