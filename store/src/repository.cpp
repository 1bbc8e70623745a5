#include "truc/store/repository.hpp"

#include <array>

#include "row_values.hpp"

namespace truc::store {
namespace {

std::string instant_text(Instant time) { return format_iso8601(time); }

// A PostgreSQL array literal of text values.
std::string array_literal(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (std::size_t index = 0; index < values.size(); ++index) {
    if (index > 0) literal += ',';
    literal += '"';
    for (char character : values[index]) {
      if (character == '"' || character == '\\') literal += '\\';
      literal += character;
    }
    literal += '"';
  }
  return literal + "}";
}

// Splits a comma-joined list (values are validated not to contain commas).
std::vector<std::string> split_list(const std::string& joined) {
  std::vector<std::string> values;
  std::size_t start = 0;
  while (start < joined.size()) {
    auto comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    values.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return values;
}

Parameter optional_parameter(const std::optional<int>& value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}
std::optional<int> optional_int(const Rows& rows, std::size_t row, std::size_t column) {
  if (rows.is_null(row, column)) return std::nullopt;
  return static_cast<int>(rows.integer(row, column));
}

template <typename Enum, std::size_t Count>
std::optional<Enum> parse_enum(std::string_view text,
                               const std::array<std::string_view, Count>& names) {
  for (std::size_t index = 0; index < Count; ++index) {
    if (names[index] == text) return static_cast<Enum>(index);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 3> kRoutes{"local", "peer_hub", "national"};
constexpr std::array<std::string_view, 3> kPolicies{"require", "verify_if_present", "off"};
constexpr std::array<std::string_view, 2> kKinds{"edoc", "status"};
constexpr std::array<std::string_view, 5> kStates{"pending", "acked", "nacked", "recalled",
                                                  "pushed"};

constexpr const char* kAgencyColumns =
    "a.code, a.name, a.parent_code, a.kind, a.route_via, a.signature_policy, a.enabled, "
    "coalesce((SELECT string_agg(s.system_id, ',' ORDER BY s.system_id) FROM agency_system_ids s "
    "WHERE s.agency_code = a.code), ''), a.push_url, a.push_ca_pem, a.push_pinned_sha256, "
    "a.push_client_certificate, a.qd20_code, array_to_string(a.signer_cas, ','), "
    "array_to_string(a.signer_certificates, ','), a.allow_sha1";

Agency agency_from(const Rows& rows, std::size_t row) {
  Agency agency;
  agency.code = rows.text(row, 0);
  agency.name = rows.text(row, 1);
  agency.parent_code = rows.optional_text(row, 2);
  agency.kind = parse_route(rows.text(row, 3)).value_or(Route::local);
  agency.route_via = rows.optional_text(row, 4);
  agency.signature_policy =
      parse_signature_policy(rows.text(row, 5)).value_or(SignaturePolicy::require);
  agency.enabled = rows.boolean(row, 6);
  agency.system_ids = split_list(rows.text(row, 7));
  if (auto url = rows.optional_text(row, 8)) {
    agency.push = PushEndpoint{*url, rows.optional_text(row, 9), rows.optional_text(row, 10),
                               rows.boolean(row, 11)};
  }
  agency.qd20_code = rows.optional_text(row, 12);
  agency.signer_cas = split_list(rows.text(row, 13));
  agency.signer_certificates = split_list(rows.text(row, 14));
  agency.allow_sha1 = rows.boolean(row, 15);
  return agency;
}

constexpr const char* kPackageColumns =
    "p.id, p.seq, p.kind, p.sender_code, p.document_id, p.business_doc_type, p.original_id, "
    "p.status_code, "
    "p.sha256, p.size, (extract(epoch FROM p.received_at) * 1000)::bigint, p.face, p.signature, "
    "p.signer_subject";
constexpr std::size_t kPackageColumnCount = 14;

PackageRecord package_from(const Rows& rows, std::size_t row) {
  PackageRecord record;
  record.id = rows.text(row, 0);
  record.seq = rows.integer(row, 1);
  record.kind = parse_package_kind(rows.text(row, 2)).value_or(PackageKind::edoc);
  record.sender_code = rows.text(row, 3);
  record.document_id = rows.text(row, 4);
  record.business_doc_type = optional_int(rows, row, 5);
  record.original_id = rows.optional_text(row, 6);
  record.status_code = optional_int(rows, row, 7);
  record.sha256 = rows.text(row, 8);
  record.size = rows.integer(row, 9);
  record.received_at = instant_from_epoch_ms(rows.integer(row, 10));
  record.face = rows.text(row, 11);
  record.signature = rows.text(row, 12);
  record.signer_subject = rows.optional_text(row, 13);
  return record;
}

Result<std::optional<PackageRecord>> single_package(Result<Rows> rows) {
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<PackageRecord>();
  return std::optional<PackageRecord>(package_from(*rows, 0));
}

Status replace_system_ids(Connection& connection, const Agency& agency) {
  TRUC_TRY(
      connection.execute("DELETE FROM agency_system_ids WHERE agency_code = $1", {agency.code}));
  for (const auto& system_id : agency.system_ids) {
    TRUC_TRY(
        connection.execute("INSERT INTO agency_system_ids (system_id, agency_code) VALUES ($1, $2)",
                           {system_id, agency.code}));
  }
  return ok_status();
}

Error agency_not_found(const std::string& code) {
  return Error{"agency.not_found", "no agency with this code in the directory", code};
}

// The columns delivery_records() reads, in its order.
constexpr std::string_view kDeliveryColumns =
    "package_id, recipient_code, target_code, route, state, after_package_id, reported_status, "
    "nack_reason, seq, (extract(epoch FROM updated_at) * 1000)::bigint";

std::vector<DeliveryRecord> delivery_records(const Rows& rows) {
  std::vector<DeliveryRecord> list;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    DeliveryRecord delivery;
    delivery.package_id = rows.text(row, 0);
    delivery.recipient_code = rows.text(row, 1);
    delivery.target_code = rows.text(row, 2);
    delivery.route = parse_route(rows.text(row, 3)).value_or(Route::local);
    delivery.state =
        parse_enum<DeliveryState>(rows.text(row, 4), kStates).value_or(DeliveryState::pending);
    delivery.after_package_id = rows.optional_text(row, 5);
    delivery.reported_status = optional_int(rows, row, 6);
    delivery.nack_reason = rows.optional_text(row, 7);
    delivery.seq = rows.integer(row, 8);
    delivery.updated_at = instant_from_epoch_ms(rows.integer(row, 9));
    list.push_back(std::move(delivery));
  }
  return list;
}

}  // namespace

std::string_view to_string(Route route) { return kRoutes[static_cast<std::size_t>(route)]; }
std::string_view to_string(SignaturePolicy policy) {
  return kPolicies[static_cast<std::size_t>(policy)];
}
std::string_view to_string(PackageKind kind) { return kKinds[static_cast<std::size_t>(kind)]; }
std::string_view to_string(DeliveryState state) { return kStates[static_cast<std::size_t>(state)]; }
std::optional<Route> parse_route(std::string_view text) { return parse_enum<Route>(text, kRoutes); }
std::optional<SignaturePolicy> parse_signature_policy(std::string_view text) {
  return parse_enum<SignaturePolicy>(text, kPolicies);
}
std::optional<PackageKind> parse_package_kind(std::string_view text) {
  return parse_enum<PackageKind>(text, kKinds);
}

Result<std::optional<Agency>> Repository::agency(const std::string& code) {
  auto rows = connection_.execute(
      std::string("SELECT ") + kAgencyColumns + " FROM agencies a WHERE a.code = $1", {code});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<Agency>();
  return std::optional<Agency>(agency_from(*rows, 0));
}

Result<std::vector<Agency>> Repository::agencies(const std::vector<std::string>& codes) {
  auto rows = connection_.execute(
      std::string("SELECT ") + kAgencyColumns + " FROM agencies a WHERE a.code = ANY ($1::text[])",
      {array_literal(codes)});
  if (!rows) return std::move(rows).error();
  std::vector<Agency> list;
  for (std::size_t row = 0; row < rows->size(); ++row) list.push_back(agency_from(*rows, row));
  return list;
}

Result<std::vector<Agency>> Repository::agencies() {
  auto rows = connection_.execute(std::string("SELECT ") + kAgencyColumns +
                                  " FROM agencies a ORDER BY a.code");
  if (!rows) return std::move(rows).error();
  std::vector<Agency> list;
  for (std::size_t row = 0; row < rows->size(); ++row) list.push_back(agency_from(*rows, row));
  return list;
}

Status Repository::insert_agency(const Agency& agency) {
  TRUC_TRY(connection_.execute(
      "INSERT INTO agencies (code, name, parent_code, kind, route_via, signature_policy, enabled, "
      "qd20_code, signer_cas, signer_certificates, allow_sha1) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10::text[], $11)",
      {agency.code, agency.name, agency.parent_code, std::string(to_string(agency.kind)),
       agency.route_via, std::string(to_string(agency.signature_policy)),
       agency.enabled ? "true" : "false", agency.qd20_code, array_literal(agency.signer_cas),
       array_literal(agency.signer_certificates), agency.allow_sha1 ? "true" : "false"}));
  return replace_system_ids(connection_, agency);
}

Status Repository::update_agency(const Agency& agency) {
  auto rows = connection_.execute(
      "UPDATE agencies SET name = $2, parent_code = $3, kind = $4, route_via = $5, "
      "signature_policy = $6, "
      "enabled = $7, qd20_code = $8, signer_cas = $9::text[], signer_certificates = $10::text[], "
      "allow_sha1 = $11, updated_at = now() WHERE code = $1",
      {agency.code, agency.name, agency.parent_code, std::string(to_string(agency.kind)),
       agency.route_via, std::string(to_string(agency.signature_policy)),
       agency.enabled ? "true" : "false", agency.qd20_code, array_literal(agency.signer_cas),
       array_literal(agency.signer_certificates), agency.allow_sha1 ? "true" : "false"});
  if (!rows) return std::move(rows).error();
  if (rows->affected() == 0) return agency_not_found(agency.code);
  return replace_system_ids(connection_, agency);
}

Status Repository::set_push_endpoint(const std::string& code,
                                     const std::optional<PushEndpoint>& endpoint) {
  auto rows = connection_.execute(
      "UPDATE agencies SET push_url = $2, push_ca_pem = $3, push_pinned_sha256 = $4, "
      "push_client_certificate = $5, "
      "updated_at = now() WHERE code = $1",
      {code, endpoint ? Parameter(endpoint->url) : std::nullopt,
       endpoint ? endpoint->ca_pem : std::nullopt,
       endpoint ? endpoint->pinned_sha256 : std::nullopt,
       endpoint && endpoint->client_certificate ? "true" : "false"});
  if (!rows) {
    // agencies_push_trust is the only check this statement can break.
    if (rows.error().code == "store.check_violation") {
      return Error{"agency.invalid", "the agency entry is not valid",
                   "push: needs ca_pem or pinned_sha256"};
    }
    return std::move(rows).error();
  }
  if (rows->affected() == 0) return agency_not_found(code);
  return ok_status();
}

Status Repository::delete_agency(const std::string& code) {
  auto rows = connection_.execute("DELETE FROM agencies WHERE code = $1", {code});
  if (!rows) {
    if (rows.error().code == "store.foreign_key_violation") {
      return Error{"agency.in_use",
                   "other agencies name this one as parent or gateway; change them first", code};
    }
    return std::move(rows).error();
  }
  if (rows->affected() == 0) return agency_not_found(code);
  return ok_status();
}

Status Repository::add_certificate(const AgencyCertificate& certificate) {
  TRUC_TRY(
      connection_.execute("INSERT INTO agency_certificates (fingerprint, agency_code, subject, "
                          "not_after) VALUES ($1, $2, $3, $4) "
                          "ON CONFLICT (fingerprint, agency_code) DO UPDATE SET subject = "
                          "excluded.subject, not_after = excluded.not_after",
                          {certificate.fingerprint, certificate.agency_code, certificate.subject,
                           format_iso8601(certificate.not_after)}));
  return ok_status();
}

Status Repository::remove_certificate(const std::string& agency_code,
                                      const std::string& fingerprint) {
  auto rows = connection_.execute(
      "DELETE FROM agency_certificates WHERE agency_code = $1 AND fingerprint = $2",
      {agency_code, fingerprint});
  if (!rows) return std::move(rows).error();
  if (rows->affected() == 0) {
    return Error{"agency.not_found", "this certificate is not registered for the agency",
                 fingerprint};
  }
  return ok_status();
}

Result<std::vector<AgencyCertificate>> Repository::certificates(const std::string& agency_code) {
  auto rows = connection_.execute(
      "SELECT fingerprint, agency_code, subject, extract(epoch FROM not_after)::bigint FROM "
      "agency_certificates "
      "WHERE agency_code = $1 ORDER BY not_after",
      {agency_code});
  if (!rows) return std::move(rows).error();
  std::vector<AgencyCertificate> list;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    list.push_back({rows->text(row, 0), rows->text(row, 1), rows->text(row, 2),
                    Timestamp(std::chrono::seconds(rows->integer(row, 3)))});
  }
  return list;
}

Result<std::vector<std::string>> Repository::agencies_for_certificate(
    const std::string& fingerprint) {
  auto rows = connection_.execute(
      "SELECT c.agency_code FROM agency_certificates c JOIN agencies a ON a.code = c.agency_code "
      "WHERE c.fingerprint = $1 AND a.enabled ORDER BY 1",
      {fingerprint});
  if (!rows) return std::move(rows).error();
  std::vector<std::string> codes;
  for (std::size_t row = 0; row < rows->size(); ++row) codes.push_back(rows->text(row, 0));
  return codes;
}

Result<std::vector<std::string>> Repository::agencies_for_system(const std::string& system_id) {
  auto rows = connection_.execute(
      "SELECT s.agency_code FROM agency_system_ids s JOIN agencies a ON a.code = s.agency_code "
      "WHERE s.system_id = $1 AND a.enabled ORDER BY 1",
      {system_id});
  if (!rows) return std::move(rows).error();
  std::vector<std::string> codes;
  for (std::size_t row = 0; row < rows->size(); ++row) codes.push_back(rows->text(row, 0));
  return codes;
}

Result<std::optional<PackageRecord>> Repository::package(const std::string& id) {
  return single_package(connection_.execute(
      std::string("SELECT ") + kPackageColumns + " FROM packages p WHERE p.id = $1", {id}));
}

Result<std::optional<PackageRecord>> Repository::edoc(const std::string& sender_code,
                                                      const std::string& document_id) {
  return single_package(
      connection_.execute(std::string("SELECT ") + kPackageColumns +
                              " FROM packages p WHERE p.kind = 'edoc' AND p.sender_code = $1 "
                              "AND p.document_id = $2",
                          {sender_code, document_id}));
}

Result<std::optional<PackageRecord>> Repository::status_packet(const std::string& sender_code,
                                                               const std::string& sha256) {
  return single_package(
      connection_.execute(std::string("SELECT ") + kPackageColumns +
                              " FROM packages p WHERE p.kind = 'status' AND p.sender_code = $1 "
                              "AND p.sha256 = $2",
                          {sender_code, sha256}));
}

Result<std::vector<PackageRecord>> Repository::packages_with_document_id(
    const std::string& document_id) {
  auto rows = connection_.execute(std::string("SELECT ") + kPackageColumns +
                                      " FROM packages p WHERE p.document_id = $1 ORDER BY p.seq",
                                  {document_id});
  if (!rows) return std::move(rows).error();
  std::vector<PackageRecord> list;
  for (std::size_t row = 0; row < rows->size(); ++row) list.push_back(package_from(*rows, row));
  return list;
}

Result<std::optional<PackageRecord>> Repository::latest_business_package(
    const std::string& original_id, const std::string& recipient_code) {
  return single_package(connection_.execute(
      std::string("SELECT ") + kPackageColumns +
          " FROM packages p JOIN deliveries d ON d.package_id = p.id WHERE p.original_id = $1 AND "
          "p.kind = 'edoc' "
          "AND p.business_doc_type > 0 AND d.recipient_code = $2 ORDER BY p.seq DESC LIMIT 1",
      {original_id, recipient_code}));
}

Status Repository::insert_accepted_package(PackageRecord& record,
                                           const std::vector<DeliveryRecord>& deliveries,
                                           const AcceptanceEvents& events) {
  std::vector<std::string> recipients, targets, routes;
  for (const auto& delivery : deliveries) {
    recipients.push_back(delivery.recipient_code);
    targets.push_back(delivery.target_code);
    routes.push_back(std::string(to_string(delivery.route)));
  }
  std::optional<std::string> after =
      deliveries.empty() ? std::nullopt : deliveries.front().after_package_id;
  // One statement, so one round trip and, outside a transaction, one commit: the package, its
  // deliveries (in the package's sequence) and its events, received first, or nothing.
  auto rows = connection_.execute(
      "WITH package AS ("
      " INSERT INTO packages (id, kind, sender_code, document_id, business_doc_type, original_id,"
      " status_code, sha256, size, face, signature, signer_subject)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
      " RETURNING seq, received_at),"
      " delivered AS ("
      " INSERT INTO deliveries (package_id, recipient_code, target_code, route, after_package_id,"
      " seq)"
      " SELECT $1, r.recipient, r.target, r.route, $16, package.seq"
      " FROM package, unnest($13::text[], $14::text[], $15::text[]) AS r(recipient, target, "
      "route)),"
      " logged AS ("
      " INSERT INTO events (package_id, recipient_code, event, actor, detail)"
      " SELECT $1, NULL, 'received', $17, $18 FROM package"
      " UNION ALL"
      " SELECT $1, r.recipient, 'routed', $19, r.detail"
      " FROM package, unnest($13::text[], $20::text[]) AS r(recipient, detail))"
      " SELECT seq, (extract(epoch FROM received_at) * 1000)::bigint FROM package",
      {record.id,
       std::string(to_string(record.kind)),
       record.sender_code,
       record.document_id,
       optional_parameter(record.business_doc_type),
       record.original_id,
       optional_parameter(record.status_code),
       record.sha256,
       std::to_string(record.size),
       record.face,
       record.signature,
       record.signer_subject,
       array_literal(recipients),
       array_literal(targets),
       array_literal(routes),
       after,
       events.received_actor,
       events.received_detail,
       events.routed_actor,
       array_literal(events.routed_details)});
  if (!rows) return std::move(rows).error();
  record.seq = rows->integer(0, 0);
  record.received_at = instant_from_epoch_ms(rows->integer(0, 1));
  return ok_status();
}

Result<std::vector<DeliveryRecord>> Repository::deliveries(const std::string& package_id) {
  auto rows = connection_.execute("SELECT " + std::string(kDeliveryColumns) +
                                      " FROM deliveries WHERE package_id = $1 "
                                      "ORDER BY recipient_code",
                                  {package_id});
  if (!rows) return std::move(rows).error();
  return delivery_records(*rows);
}

Result<std::vector<InboxItem>> Repository::inbox(const std::vector<std::string>& targets,
                                                 PackageKind kind, std::int64_t after_seq,
                                                 std::size_t limit) {
  auto rows = connection_.execute(
      std::string("SELECT ") + kPackageColumns +
          ", string_agg(d.recipient_code, ',' ORDER BY d.recipient_code) FROM deliveries d "
          "JOIN packages p ON p.id = d.package_id "
          "WHERE d.target_code = ANY ($1::text[]) AND d.state = 'pending' AND p.kind = $2 AND "
          "d.seq > $3 "
          "AND NOT EXISTS (SELECT 1 FROM deliveries earlier WHERE earlier.package_id = "
          "d.after_package_id "
          "AND earlier.recipient_code = d.recipient_code AND earlier.state = 'pending') "
          "GROUP BY p.id ORDER BY p.seq LIMIT $4",
      {array_literal(targets), std::string(to_string(kind)), std::to_string(after_seq),
       std::to_string(limit)});
  if (!rows) return std::move(rows).error();
  std::vector<InboxItem> items;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    items.push_back({package_from(*rows, row), split_list(rows->text(row, kPackageColumnCount))});
  }
  return items;
}

Result<std::int64_t> Repository::inbox_count(const std::vector<std::string>& targets,
                                             PackageKind kind) {
  auto rows = connection_.execute(
      "SELECT count(DISTINCT d.package_id) FROM deliveries d "
      "JOIN packages p ON p.id = d.package_id "
      "WHERE d.target_code = ANY ($1::text[]) AND d.state = 'pending' AND p.kind = $2 "
      "AND NOT EXISTS (SELECT 1 FROM deliveries earlier WHERE earlier.package_id = "
      "d.after_package_id "
      "AND earlier.recipient_code = d.recipient_code AND earlier.state = 'pending')",
      {array_literal(targets), std::string(to_string(kind))});
  if (!rows) return std::move(rows).error();
  return rows->integer(0, 0);
}

Result<std::vector<DeliveryRecord>> Repository::settle_deliveries(
    const std::string& package_id, DeliveryParty party, const std::vector<std::string>& codes,
    DeliveryState state, const std::optional<std::string>& reason) {
  // The column is one of two fixed names, never input.
  std::string_view column = party == DeliveryParty::recipient ? "recipient_code" : "target_code";
  auto rows = connection_.execute(
      "UPDATE deliveries SET state = $3, nack_reason = $4, updated_at = now() "
      "WHERE package_id = $1 AND " +
          std::string(column) + " = ANY ($2::text[]) AND state = 'pending' RETURNING " +
          std::string(kDeliveryColumns),
      {package_id, array_literal(codes), std::string(to_string(state)), reason});
  if (!rows) return std::move(rows).error();
  return delivery_records(*rows);
}

Status Repository::report_status(const std::string& package_id, const std::string& recipient_code,
                                 int status_code) {
  TRUC_TRY(
      connection_.execute("UPDATE deliveries SET reported_status = $3, updated_at = now() WHERE "
                          "package_id = $1 AND recipient_code = $2",
                          {package_id, recipient_code, std::to_string(status_code)}));
  return ok_status();
}

Status Repository::add_event(const EventRecord& event) {
  TRUC_TRY(connection_.execute(
      "INSERT INTO events (package_id, recipient_code, event, actor, detail) VALUES ($1, $2, $3, "
      "$4, $5)",
      {event.package_id, event.recipient_code, event.event, event.actor, event.detail}));
  return ok_status();
}

Result<std::vector<EventRecord>> Repository::events(const std::string& package_id) {
  auto rows = connection_.execute(
      "SELECT package_id, recipient_code, (extract(epoch FROM at) * 1000)::bigint, event, actor, "
      "detail FROM events "
      "WHERE package_id = $1 ORDER BY id",
      {package_id});
  if (!rows) return std::move(rows).error();
  std::vector<EventRecord> list;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    list.push_back({rows->text(row, 0), rows->optional_text(row, 1),
                    instant_from_epoch_ms(rows->integer(row, 2)), rows->text(row, 3),
                    rows->text(row, 4), rows->text(row, 5)});
  }
  return list;
}

Status Repository::add_rejection(const RejectionRecord& rejection) {
  TRUC_TRY(connection_.execute(
      "INSERT INTO rejections (credential, sender_code, document_id, code, message, size) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {rejection.credential, rejection.sender_code, rejection.document_id, rejection.code,
       rejection.message, std::to_string(rejection.size)}));
  return ok_status();
}

Result<std::optional<std::string>> Repository::system_secret(const std::string& system_id) {
  auto rows = connection_.execute("SELECT secret_ciphertext FROM systems WHERE system_id = $1",
                                  {system_id});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->text(0, 0));
}

Status Repository::upsert_system(const std::string& system_id,
                                 const std::string& secret_ciphertext) {
  TRUC_TRY(connection_.execute(
      "INSERT INTO systems (system_id, secret_ciphertext) VALUES ($1, $2) "
      "ON CONFLICT (system_id) DO UPDATE SET secret_ciphertext = excluded.secret_ciphertext",
      {system_id, secret_ciphertext}));
  return ok_status();
}

Status Repository::delete_system(const std::string& system_id) {
  auto rows = connection_.execute("DELETE FROM systems WHERE system_id = $1", {system_id});
  if (!rows) return std::move(rows).error();
  if (rows->affected() == 0) return Error{"agency.not_found", "no such system", system_id};
  return ok_status();
}

Result<std::vector<std::string>> Repository::systems() {
  auto rows = connection_.execute("SELECT system_id FROM systems ORDER BY 1");
  if (!rows) return std::move(rows).error();
  std::vector<std::string> ids;
  for (std::size_t row = 0; row < rows->size(); ++row) ids.push_back(rows->text(row, 0));
  return ids;
}

Result<std::vector<QueueDepth>> Repository::queue_depths() {
  auto rows = connection_.execute(
      "SELECT d.target_code, count(*), (extract(epoch FROM min(p.received_at)) * 1000)::bigint "
      "FROM deliveries d JOIN packages p ON p.id = d.package_id WHERE d.state = 'pending' "
      "GROUP BY d.target_code ORDER BY 1");
  if (!rows) return std::move(rows).error();
  std::vector<QueueDepth> depths;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    depths.push_back(
        {rows->text(row, 0), rows->integer(row, 1), instant_from_epoch_ms(rows->integer(row, 2))});
  }
  return depths;
}

Result<std::vector<AgencyTraffic>> Repository::traffic(Instant since, Instant until) {
  auto rows = connection_.execute(
      "WITH sent AS (SELECT sender_code AS code, count(*) AS n FROM packages "
      "  WHERE received_at >= $1 AND received_at < $2 GROUP BY 1), "
      "received AS (SELECT recipient_code AS code, count(*) AS n FROM deliveries "
      "  WHERE created_at >= $1 AND created_at < $2 GROUP BY 1), "
      "acknowledged AS (SELECT recipient_code AS code, count(*) AS n FROM deliveries "
      "  WHERE state = 'acked' AND updated_at >= $1 AND updated_at < $2 GROUP BY 1), "
      "pending AS (SELECT recipient_code AS code, count(*) AS n FROM deliveries WHERE state = "
      "'pending' GROUP BY 1), "
      "rejected AS (SELECT sender_code AS code, count(*) AS n FROM rejections "
      "  WHERE sender_code IS NOT NULL AND at >= $1 AND at < $2 GROUP BY 1) "
      "SELECT a.code, coalesce(sent.n, 0), coalesce(received.n, 0), coalesce(acknowledged.n, 0), "
      "coalesce(pending.n, 0), coalesce(rejected.n, 0) FROM agencies a "
      "LEFT JOIN sent USING (code) LEFT JOIN received USING (code) LEFT JOIN acknowledged USING "
      "(code) "
      "LEFT JOIN pending USING (code) LEFT JOIN rejected USING (code) ORDER BY a.code",
      {instant_text(since), instant_text(until)});
  if (!rows) return std::move(rows).error();
  std::vector<AgencyTraffic> list;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    list.push_back({rows->text(row, 0), rows->integer(row, 1), rows->integer(row, 2),
                    rows->integer(row, 3), rows->integer(row, 4), rows->integer(row, 5)});
  }
  return list;
}

}  // namespace truc::store
