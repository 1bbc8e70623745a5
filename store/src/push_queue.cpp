// The push queue of the repository: claims, outcomes and dead letters (truc/hub/dispatcher.hpp
// drives them). The rest of Repository is in repository.cpp.

#include "row_values.hpp"
#include "truc/store/repository.hpp"

namespace truc::store {

Result<std::vector<PushJob>> Repository::claim_push_jobs(std::size_t limit,
                                                         std::chrono::seconds lease,
                                                         const std::string& node_id) {
  auto rows = connection_.execute(
      // For each collector with a push endpoint, its first due deliveries (deliveries_push_queue);
      // then the oldest of those.
      "WITH due AS (SELECT d.package_id, d.recipient_code FROM agencies a CROSS JOIN LATERAL "
      "  (SELECT d.package_id, d.recipient_code, d.seq FROM deliveries d "
      "   WHERE d.target_code = a.code AND d.state = 'pending' AND d.dead_lettered_at IS NULL "
      "   AND d.next_attempt_at <= now() AND (d.claimed_until IS NULL OR d.claimed_until < now()) "
      "   AND NOT EXISTS (SELECT 1 FROM deliveries earlier WHERE earlier.package_id = "
      "     d.after_package_id AND earlier.recipient_code = d.recipient_code "
      "     AND earlier.state = 'pending') "
      "   ORDER BY d.seq LIMIT $1 FOR UPDATE SKIP LOCKED) d "
      "  WHERE a.push_url IS NOT NULL AND a.enabled ORDER BY d.seq LIMIT $1), "
      "claimed AS (UPDATE deliveries d SET claimed_by = $3, claimed_until = now() + "
      "make_interval(secs => $2::double precision) "
      "  FROM due WHERE d.package_id = due.package_id AND d.recipient_code = due.recipient_code "
      "  RETURNING d.package_id, d.recipient_code, d.target_code, d.attempts) "
      "SELECT c.package_id, c.recipient_code, c.target_code, p.sender_code, p.sha256, p.kind, "
      "c.attempts, "
      "a.push_url, a.push_ca_pem, a.push_pinned_sha256, a.push_client_certificate "
      "FROM claimed c JOIN packages p ON p.id = c.package_id JOIN agencies a ON a.code = "
      "c.target_code ORDER BY p.seq",
      {std::to_string(limit), std::to_string(lease.count()), node_id});
  if (!rows) return std::move(rows).error();
  std::vector<PushJob> jobs;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    jobs.push_back({rows->text(row, 0), rows->text(row, 1), rows->text(row, 2), rows->text(row, 3),
                    rows->text(row, 4),
                    parse_package_kind(rows->text(row, 5)).value_or(PackageKind::edoc),
                    static_cast<int>(rows->integer(row, 6)),
                    PushEndpoint{rows->text(row, 7), rows->optional_text(row, 8),
                                 rows->optional_text(row, 9), rows->boolean(row, 10)}});
  }
  return jobs;
}

Result<bool> Repository::renew_push_claim(const std::string& package_id,
                                          const std::string& recipient_code,
                                          const std::string& node_id, std::chrono::seconds lease) {
  auto rows = connection_.execute(
      "UPDATE deliveries SET claimed_until = now() + make_interval(secs => $4::double precision) "
      "WHERE package_id = $1 AND recipient_code = $2 AND claimed_by = $3 AND state = 'pending' "
      "AND claimed_until IS NOT NULL",
      {package_id, recipient_code, node_id, std::to_string(lease.count())});
  if (!rows) return std::move(rows).error();
  return rows->affected() > 0;
}

Result<std::uint64_t> Repository::release_push_claims(const std::string& node_id) {
  auto rows = connection_.execute(
      "UPDATE deliveries SET claimed_until = NULL, claimed_by = NULL "
      "WHERE claimed_by = $1 AND claimed_until IS NOT NULL",
      {node_id});
  if (!rows) return std::move(rows).error();
  return rows->affected();
}

Result<bool> Repository::record_push_success(const std::string& package_id,
                                             const std::string& recipient_code) {
  auto rows = connection_.execute(
      "UPDATE deliveries SET state = 'pushed', attempts = attempts + 1, claimed_until = NULL, "
      "claimed_by = NULL, "
      "last_error = NULL, "
      "updated_at = now() WHERE package_id = $1 AND recipient_code = $2 AND state = 'pending'",
      {package_id, recipient_code});
  if (!rows) return std::move(rows).error();
  return rows->affected() > 0;
}

Result<bool> Repository::record_push_failure(const std::string& package_id,
                                             const std::string& recipient_code,
                                             const std::string& error,
                                             const std::optional<Instant>& retry_at) {
  auto rows = connection_.execute(
      "UPDATE deliveries SET attempts = attempts + 1, claimed_until = NULL, claimed_by = NULL, "
      "last_error = $3, "
      "next_attempt_at = coalesce($4::timestamptz, next_attempt_at), "
      "dead_lettered_at = CASE WHEN $4::timestamptz IS NULL THEN now() END, updated_at = now() "
      "WHERE package_id = $1 AND recipient_code = $2 AND state = 'pending'",
      {package_id, recipient_code, error,
       retry_at ? Parameter(format_iso8601(*retry_at)) : std::nullopt});
  if (!rows) return std::move(rows).error();
  return rows->affected() > 0;
}

Result<std::vector<DeadLetter>> Repository::dead_letters(
    const std::optional<std::string>& target_code) {
  auto rows = connection_.execute(
      "SELECT d.package_id, d.recipient_code, d.target_code, p.sender_code, p.document_id, "
      "d.attempts, "
      "coalesce(d.last_error, ''), (extract(epoch FROM d.dead_lettered_at) * 1000)::bigint "
      "FROM deliveries d JOIN packages p ON p.id = d.package_id WHERE d.state = 'pending' "
      "AND d.dead_lettered_at IS NOT NULL AND ($1::text IS NULL OR d.target_code = $1) ORDER BY "
      "d.dead_lettered_at",
      {target_code});
  if (!rows) return std::move(rows).error();
  std::vector<DeadLetter> letters;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    letters.push_back({rows->text(row, 0), rows->text(row, 1), rows->text(row, 2),
                       rows->text(row, 3), rows->text(row, 4),
                       static_cast<int>(rows->integer(row, 5)), rows->text(row, 6),
                       instant_from_epoch_ms(rows->integer(row, 7))});
  }
  return letters;
}

Result<std::uint64_t> Repository::replay_dead_letters(
    const std::optional<std::string>& target_code, const std::optional<std::string>& package_id) {
  auto rows = connection_.execute(
      "UPDATE deliveries SET dead_lettered_at = NULL, attempts = 0, next_attempt_at = now(), "
      "claimed_until = NULL, "
      "updated_at = now() WHERE state = 'pending' AND dead_lettered_at IS NOT NULL "
      "AND ($1::text IS NULL OR target_code = $1) AND ($2::text IS NULL OR package_id = $2)",
      {target_code, package_id});
  if (!rows) return std::move(rows).error();
  return rows->affected();
}

Result<std::int64_t> Repository::dead_letter_count() {
  auto rows = connection_.execute(
      "SELECT count(*) FROM deliveries WHERE state = 'pending' AND dead_lettered_at IS NOT NULL");
  if (!rows) return std::move(rows).error();
  return rows->integer(0, 0);
}

}  // namespace truc::store
