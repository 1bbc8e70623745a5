// The evidence log's tables (store/migrations/0006_evidence.sql): appending chained entries and
// sealing batches of them. The rest of Repository is in repository.cpp.

#include "row_values.hpp"
#include "truc/store/repository.hpp"

namespace truc::store {
namespace {

// Any constant the hub uses for no other advisory lock: "evid".
constexpr std::string_view kSealerLock = "1702259044";

constexpr std::string_view kEntryColumns =
    "seq, kind, message_id, actor, recipient_code, package_sha256, "
    "(extract(epoch FROM recorded_at) * 1000)::bigint, previous_hash, entry_hash";

std::vector<evidence::Entry> entries_from(const Rows& rows) {
  std::vector<evidence::Entry> entries;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    entries.push_back({rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2),
                       rows.text(row, 3), rows.text(row, 4), rows.text(row, 5),
                       instant_from_epoch_ms(rows.integer(row, 6)), rows.text(row, 7),
                       rows.text(row, 8)});
  }
  return entries;
}

constexpr std::string_view kBatchColumns =
    "id, first_seq, last_seq, last_entry_hash, (extract(epoch FROM sealed_at) * 1000)::bigint, "
    "seal_signature, seal_certificate, tsa_token, (extract(epoch FROM stamped_at) * 1000)::bigint, "
    "stamp_attempts";

std::vector<EvidenceBatch> batches_from(const Rows& rows) {
  std::vector<EvidenceBatch> batches;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    EvidenceBatch batch;
    batch.id = rows.integer(row, 0);
    batch.first_seq = rows.integer(row, 1);
    batch.last_seq = rows.integer(row, 2);
    batch.last_entry_hash = rows.text(row, 3);
    batch.sealed_at = instant_from_epoch_ms(rows.integer(row, 4));
    batch.seal_signature = rows.text(row, 5);
    batch.seal_certificate = rows.text(row, 6);
    batch.tsa_token = rows.optional_text(row, 7);
    if (!rows.is_null(row, 8)) batch.stamped_at = instant_from_epoch_ms(rows.integer(row, 8));
    batch.stamp_attempts = static_cast<int>(rows.integer(row, 9));
    batches.push_back(std::move(batch));
  }
  return batches;
}

}  // namespace

Result<evidence::Entry> Repository::append_evidence(std::string_view kind,
                                                    const std::string& message_id,
                                                    const std::string& actor,
                                                    const std::string& recipient_code) {
  // The head row's lock orders appends; clock_timestamp() read under it keeps recorded_at in
  // chain order on one database clock.
  auto head = connection_.execute(
      "SELECT h.last_seq, h.last_hash, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, "
      "p.sha256 FROM evidence_chain_head h, packages p WHERE p.id = $1 FOR UPDATE OF h",
      {message_id});
  if (!head) return std::move(head).error();
  if (head->empty()) {
    return Error{"package.not_found", "no package to record evidence about", message_id};
  }
  evidence::Entry entry{head->integer(0, 0) + 1,
                        std::string(kind),
                        message_id,
                        actor,
                        recipient_code,
                        head->text(0, 3),
                        instant_from_epoch_ms(head->integer(0, 2)),
                        head->text(0, 1),
                        {}};
  entry.entry_hash = evidence::compute_entry_hash(entry);
  TRUC_TRY(connection_.execute(
      "WITH appended AS (INSERT INTO evidence_entries (seq, kind, message_id, actor, "
      "recipient_code, package_sha256, recorded_at, previous_hash, entry_hash) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9) RETURNING seq, entry_hash) "
      "UPDATE evidence_chain_head SET last_seq = appended.seq, last_hash = appended.entry_hash "
      "FROM appended",
      {std::to_string(entry.seq), entry.kind, entry.message_id, entry.actor, entry.recipient_code,
       entry.package_sha256, format_iso8601(entry.recorded_at), entry.previous_hash,
       entry.entry_hash}));
  return entry;
}

Result<std::vector<evidence::Entry>> Repository::evidence_entries(std::int64_t first_seq,
                                                                  std::int64_t last_seq) {
  auto rows = connection_.execute("SELECT " + std::string(kEntryColumns) +
                                      " FROM evidence_entries WHERE seq BETWEEN $1 AND $2 "
                                      "ORDER BY seq",
                                  {std::to_string(first_seq), std::to_string(last_seq)});
  if (!rows) return std::move(rows).error();
  return entries_from(*rows);
}

Result<std::vector<evidence::Entry>> Repository::evidence_entries_about(
    const std::string& message_id) {
  auto rows = connection_.execute("SELECT " + std::string(kEntryColumns) +
                                      " FROM evidence_entries WHERE message_id = $1 ORDER BY seq",
                                  {message_id});
  if (!rows) return std::move(rows).error();
  return entries_from(*rows);
}

Result<std::optional<EvidenceBatch>> Repository::evidence_batch_holding(std::int64_t seq) {
  auto rows = connection_.execute("SELECT " + std::string(kBatchColumns) +
                                      " FROM evidence_batches WHERE $1 BETWEEN first_seq AND "
                                      "last_seq",
                                  {std::to_string(seq)});
  if (!rows) return std::move(rows).error();
  auto batches = batches_from(*rows);
  if (batches.empty()) return std::optional<EvidenceBatch>();
  return std::optional<EvidenceBatch>(std::move(batches.front()));
}

Result<std::optional<UnsealedEvidence>> Repository::lock_unsealed_evidence() {
  TRUC_TRY(connection_.execute("SELECT pg_advisory_xact_lock(" + std::string(kSealerLock) + ")"));
  // Committed entries are a gapless prefix of the chain (an append holds the head until its
  // commit), so the unsealed ones run from the first to the last without holes.
  auto rows = connection_.execute(
      "SELECT min(seq), max(seq), (SELECT entry_hash FROM evidence_entries WHERE seq = "
      "(SELECT max(seq) FROM evidence_entries WHERE batch_id IS NULL)) "
      "FROM evidence_entries WHERE batch_id IS NULL");
  if (!rows) return std::move(rows).error();
  if (rows->is_null(0, 0)) return std::optional<UnsealedEvidence>();
  return std::optional<UnsealedEvidence>(
      UnsealedEvidence{rows->integer(0, 0), rows->integer(0, 1), rows->text(0, 2)});
}

Status Repository::insert_evidence_batch(EvidenceBatch& batch) {
  auto rows = connection_.execute(
      "INSERT INTO evidence_batches (first_seq, last_seq, last_entry_hash, seal_signature, "
      "seal_certificate) VALUES ($1, $2, $3, $4, $5) "
      "RETURNING id, (extract(epoch FROM sealed_at) * 1000)::bigint",
      {std::to_string(batch.first_seq), std::to_string(batch.last_seq), batch.last_entry_hash,
       batch.seal_signature, batch.seal_certificate});
  if (!rows) return std::move(rows).error();
  batch.id = rows->integer(0, 0);
  batch.sealed_at = instant_from_epoch_ms(rows->integer(0, 1));
  TRUC_TRY(connection_.execute(
      "UPDATE evidence_entries SET batch_id = $1 WHERE seq BETWEEN $2 AND $3 AND batch_id IS NULL",
      {std::to_string(batch.id), std::to_string(batch.first_seq), std::to_string(batch.last_seq)}));
  return ok_status();
}

Result<std::vector<EvidenceBatch>> Repository::unstamped_evidence_batches(std::size_t limit) {
  auto rows = connection_.execute("SELECT " + std::string(kBatchColumns) +
                                      " FROM evidence_batches WHERE tsa_token IS NULL "
                                      "ORDER BY id LIMIT $1",
                                  {std::to_string(limit)});
  if (!rows) return std::move(rows).error();
  return batches_from(*rows);
}

Status Repository::record_evidence_stamp(std::int64_t batch_id, const std::string& tsa_token) {
  TRUC_TRY(connection_.execute(
      "UPDATE evidence_batches SET tsa_token = $2, stamped_at = now(), stamp_attempts = "
      "stamp_attempts + 1, last_stamp_error = NULL WHERE id = $1 AND tsa_token IS NULL",
      {std::to_string(batch_id), tsa_token}));
  return ok_status();
}

Status Repository::record_evidence_stamp_failure(std::int64_t batch_id, const std::string& error) {
  TRUC_TRY(connection_.execute(
      "UPDATE evidence_batches SET stamp_attempts = stamp_attempts + 1, last_stamp_error = $2 "
      "WHERE id = $1",
      {std::to_string(batch_id), error}));
  return ok_status();
}

Result<std::int64_t> Repository::unstamped_evidence_batch_count() {
  auto rows = connection_.execute("SELECT count(*) FROM evidence_batches WHERE tsa_token IS NULL");
  if (!rows) return std::move(rows).error();
  return rows->integer(0, 0);
}

}  // namespace truc::store
