#pragma once

// The hub's tables as typed records, and the statements that read and change them. Every function
// runs on the connection (inside the caller's transaction, if any); none decides policy.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/common/time.hpp"
#include "truc/evidence/entry.hpp"
#include "truc/store/database.hpp"

namespace truc::store {

// How the hub reaches an agency.
enum class Route { local, peer_hub, national };
enum class SignaturePolicy { require, verify_if_present, off };
enum class PackageKind { edoc, status };
enum class DeliveryState { pending, acked, nacked, recalled, pushed };

std::string_view to_string(Route route);
std::string_view to_string(SignaturePolicy policy);
std::string_view to_string(PackageKind kind);
std::string_view to_string(DeliveryState state);
std::optional<Route> parse_route(std::string_view text);
std::optional<SignaturePolicy> parse_signature_policy(std::string_view text);
std::optional<PackageKind> parse_package_kind(std::string_view text);

// Where and how the hub pushes packages to an agency that wants push delivery.
struct PushEndpoint {
  std::string url;                           // https://...
  std::optional<std::string> ca_pem;         // CAs to trust for the endpoint
  std::optional<std::string> pinned_sha256;  // or exactly this server certificate
  bool client_certificate = false;           // present the hub's own client certificate
};

struct Agency {
  std::string code;
  std::string name;
  std::optional<std::string> parent_code;
  Route kind = Route::local;
  std::optional<std::string> route_via;
  std::vector<std::string> system_ids;
  SignaturePolicy signature_policy = SignaturePolicy::require;
  bool enabled = true;
  std::optional<PushEndpoint> push;
  // The agency's code in the national list (Decision 20/2020/QĐ-TTg), when recorded.
  std::optional<std::string> qd20_code;
  // Signer binding (docs/security.md): a signature speaks for the agency only when its chain
  // holds one of these CAs, or its signer is one of these certificates (SHA-256 of the DER,
  // lowercase hex). Both empty: the agency's registered client certificates sign for it.
  std::vector<std::string> signer_cas;
  std::vector<std::string> signer_certificates;
  // Accept (and count) SHA-1 signatures from this agency; refused otherwise.
  bool allow_sha1 = false;
};

struct AgencyCertificate {
  std::string fingerprint;  // SHA-256 of the DER, lowercase hex
  std::string agency_code;
  std::string subject;
  Timestamp not_after;
};

struct PackageRecord {
  std::string id;
  std::int64_t seq = 0;
  PackageKind kind = PackageKind::edoc;
  std::string sender_code;
  std::string document_id;
  std::optional<int> business_doc_type;
  std::optional<std::string> original_id;
  std::optional<int> status_code;
  std::string sha256;
  std::int64_t size = 0;
  Instant received_at;
  std::string face;
  std::string signature;  // verified, unsigned, not_checked
  std::optional<std::string> signer_subject;
};

// Who a delivery is matched by: the agency it is for, or the one that collects it (the same for
// a local agency; a peer hub or the national platform for the others).
enum class DeliveryParty { recipient, collector };

struct DeliveryRecord {
  std::string package_id;
  std::string recipient_code;
  std::string target_code;
  Route route = Route::local;
  DeliveryState state = DeliveryState::pending;
  std::optional<std::string> after_package_id;
  std::optional<int> reported_status;
  std::optional<std::string> nack_reason;
  std::int64_t seq = 0;
  Instant updated_at;
};

struct EventRecord {
  std::string package_id;
  std::optional<std::string> recipient_code;
  Instant at;
  std::string event;
  std::string actor;
  std::string detail;
};

struct RejectionRecord {
  std::string credential;
  std::optional<std::string> sender_code;
  std::optional<std::string> document_id;
  std::string code;
  std::string message;
  std::int64_t size = 0;
};

// A delivery claimed for pushing, with what the push needs.
struct PushJob {
  std::string package_id;
  std::string recipient_code;
  std::string target_code;
  std::string sender_code;
  std::string sha256;
  PackageKind kind = PackageKind::edoc;
  int attempts = 0;  // before this one
  PushEndpoint endpoint;
};

// The events a package's acceptance writes: who received it and how, then each delivery's route.
struct AcceptanceEvents {
  std::string received_actor;
  std::string received_detail;
  std::string routed_actor;
  std::vector<std::string> routed_details;  // one per delivery, in their order
};

struct DeadLetter {
  std::string package_id;
  std::string recipient_code;
  std::string target_code;
  std::string sender_code;
  std::string document_id;
  int attempts = 0;
  std::string last_error;
  Instant dead_lettered_at;
};

// A package waiting for a collector, with the recipients it holds it for.
struct InboxItem {
  PackageRecord package;
  std::vector<std::string> recipients;
};

// Deliveries waiting for one collector (an agency or a gateway).
struct QueueDepth {
  std::string target_code;
  std::int64_t pending = 0;
  Instant oldest;
};

struct AgencyTraffic {
  std::string agency_code;
  std::int64_t sent = 0;      // packages it sent in the period
  std::int64_t received = 0;  // deliveries addressed to it in the period
  std::int64_t acknowledged = 0;
  std::int64_t pending = 0;   // deliveries to it not yet acknowledged (now)
  std::int64_t rejected = 0;  // its submissions refused in the period
};

// A sealed run of consecutive evidence entries (evidence_log.cpp; docs/evidence.md).
struct EvidenceBatch {
  std::int64_t id = 0;
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::string last_entry_hash;
  Instant sealed_at;
  std::string seal_signature;            // base64
  std::string seal_certificate;          // PEM chain, signer first
  std::optional<std::string> tsa_token;  // base64 DER TimeStampToken
  std::optional<Instant> stamped_at;
  int stamp_attempts = 0;
};

// The entries no batch holds yet: consecutive, from first_seq to the last one committed.
struct UnsealedEvidence {
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::string last_entry_hash;
};

class Repository {
 public:
  explicit Repository(Connection& connection) : connection_(connection) {}

  // Directory.
  Result<std::optional<Agency>> agency(const std::string& code);
  Result<std::vector<Agency>> agencies();
  // The entries of these codes that exist, in no particular order.
  Result<std::vector<Agency>> agencies(const std::vector<std::string>& codes);
  // store.unique_violation when the code exists.
  Status insert_agency(const Agency& agency);
  // agency.not_found when there is no such code.
  Status update_agency(const Agency& agency);
  // Sets or clears how the agency is pushed to (update_agency leaves it alone).
  Status set_push_endpoint(const std::string& code, const std::optional<PushEndpoint>& endpoint);
  Status delete_agency(const std::string& code);
  Status add_certificate(const AgencyCertificate& certificate);
  Status remove_certificate(const std::string& agency_code, const std::string& fingerprint);
  Result<std::vector<AgencyCertificate>> certificates(const std::string& agency_code);
  // The enabled agencies a client certificate may act for.
  Result<std::vector<std::string>> agencies_for_certificate(const std::string& fingerprint);
  Result<std::vector<std::string>> agencies_for_system(const std::string& system_id);

  // Packages, deliveries, events.
  Result<std::optional<PackageRecord>> package(const std::string& id);
  Result<std::optional<PackageRecord>> edoc(const std::string& sender_code,
                                            const std::string& document_id);
  Result<std::optional<PackageRecord>> status_packet(const std::string& sender_code,
                                                     const std::string& sha256);
  // Every package carrying this DocumentId (edocs by it, status packets about it), oldest first.
  Result<std::vector<PackageRecord>> packages_with_document_id(const std::string& document_id);
  // The newest recall, update or replacement of `original_id` that was delivered to `recipient`.
  Result<std::optional<PackageRecord>> latest_business_package(const std::string& original_id,
                                                               const std::string& recipient_code);
  // Fills record.seq and record.received_at. store.unique_violation on a duplicate identity.
  // Accepts a package in one statement: its row (setting record.seq and received_at), its
  // deliveries (package id and seq taken from the record) and its events ("received", then one
  // "routed" per delivery, in order). store.unique_violation when the package's identity is
  // taken, and then nothing is written.
  Status insert_accepted_package(PackageRecord& record,
                                 const std::vector<DeliveryRecord>& deliveries,
                                 const AcceptanceEvents& events);
  Result<std::vector<DeliveryRecord>> deliveries(const std::string& package_id);
  // Packages with deliveries pending for collectors `targets`, oldest first, after `after_seq`,
  // leaving out deliveries whose predecessor (after_package_id) is still pending for the same
  // recipient.
  Result<std::vector<InboxItem>> inbox(const std::vector<std::string>& targets, PackageKind kind,
                                       std::int64_t after_seq, std::size_t limit);
  // How many packages inbox() would list from the start (without a limit).
  Result<std::int64_t> inbox_count(const std::vector<std::string>& targets, PackageKind kind);
  // Moves the package's pending deliveries to `state`, those whose recipient (or collector) is
  // one of `codes`, in one statement; returns the deliveries it moved, as they are now. One
  // settled before is left as it is.
  Result<std::vector<DeliveryRecord>> settle_deliveries(const std::string& package_id,
                                                        DeliveryParty party,
                                                        const std::vector<std::string>& codes,
                                                        DeliveryState state,
                                                        const std::optional<std::string>& reason);
  Status report_status(const std::string& package_id, const std::string& recipient_code,
                       int status_code);
  Status add_event(const EventRecord& event);
  Result<std::vector<EventRecord>> events(const std::string& package_id);
  Status add_rejection(const RejectionRecord& rejection);

  // Push delivery. Claims up to `limit` due deliveries for agencies with a push endpoint, oldest
  // first, skipping rows other workers (or hub nodes) hold and deliveries whose predecessor is
  // pending; a claim, held by node `node_id`, lasts `lease` unless renewed, so a node that dies
  // frees its deliveries within a lease.
  Result<std::vector<PushJob>> claim_push_jobs(std::size_t limit, std::chrono::seconds lease,
                                               const std::string& node_id);
  // Extends node `node_id`'s claim on a delivery to `lease` from now, while its push goes on;
  // false when the node holds it no more (it expired and another node took it, or it settled).
  Result<bool> renew_push_claim(const std::string& package_id, const std::string& recipient_code,
                                const std::string& node_id, std::chrono::seconds lease);
  // Frees every claim node `node_id` holds: at its start, those of its previous run, whose
  // pushes died with it. Returns how many.
  Result<std::uint64_t> release_push_claims(const std::string& node_id);
  // The push succeeded: the delivery is settled as pushed (unless settled meanwhile).
  Result<bool> record_push_success(const std::string& package_id,
                                   const std::string& recipient_code);
  // The push failed: retry at `retry_at`, or, without one, become a dead letter (unless settled
  // meanwhile: false).
  Result<bool> record_push_failure(const std::string& package_id, const std::string& recipient_code,
                                   const std::string& error,
                                   const std::optional<Instant>& retry_at);
  Result<std::vector<DeadLetter>> dead_letters(const std::optional<std::string>& target_code);
  // Puts dead letters back in the push queue (all of a collector's, or one delivery); returns
  // how many.
  Result<std::uint64_t> replay_dead_letters(const std::optional<std::string>& target_code,
                                            const std::optional<std::string>& package_id);
  Result<std::int64_t> dead_letter_count();

  // Systems of the compatible API: the encrypted HMAC secret.
  Result<std::optional<std::string>> system_secret(const std::string& system_id);
  Status upsert_system(const std::string& system_id, const std::string& secret_ciphertext);
  Status delete_system(const std::string& system_id);
  Result<std::vector<std::string>> systems();

  // Monitoring and operators.
  Result<std::vector<QueueDepth>> queue_depths();
  Result<std::vector<AgencyTraffic>> traffic(Instant since, Instant until);

  // Evidence log (evidence_log.cpp). Appends an entry about package `message_id` to the chain
  // and returns it. It locks the chain's head until the transaction ends: call it inside the
  // transaction that writes the outcome, as late as possible, so that entries are chained in
  // commit order and the lock is held briefly. `recipient_code` is empty for a package entry.
  Result<evidence::Entry> append_evidence(std::string_view kind, const std::string& message_id,
                                          const std::string& actor,
                                          const std::string& recipient_code);
  // Entries first_seq..last_seq, in order.
  Result<std::vector<evidence::Entry>> evidence_entries(std::int64_t first_seq,
                                                        std::int64_t last_seq);
  // The entries about one package, in order.
  Result<std::vector<evidence::Entry>> evidence_entries_about(const std::string& message_id);
  // The batch holding entry `seq`, when it is sealed.
  Result<std::optional<EvidenceBatch>> evidence_batch_holding(std::int64_t seq);
  // Inside a transaction: waits for any other sealer (on any node) and returns what is left to
  // seal, if anything.
  Result<std::optional<UnsealedEvidence>> lock_unsealed_evidence();
  // Records the sealed batch and points its entries at it; fills batch.id and sealed_at.
  Status insert_evidence_batch(EvidenceBatch& batch);
  // Sealed batches still waiting for a timestamp, oldest first.
  Result<std::vector<EvidenceBatch>> unstamped_evidence_batches(std::size_t limit);
  Status record_evidence_stamp(std::int64_t batch_id, const std::string& tsa_token);
  Status record_evidence_stamp_failure(std::int64_t batch_id, const std::string& error);
  Result<std::int64_t> unstamped_evidence_batch_count();

  // Single-use credentials (single_use.cpp). Records `token` as used in `scope` until
  // `valid_until`: true the first time, false when it was recorded before (by any node).
  Result<bool> use_once(const std::string& scope, const std::string& token, Instant valid_until);
  // Forgets the tokens whose valid_until is before `now`; returns how many.
  Result<std::uint64_t> forget_used_before(Instant now);

 private:
  Connection& connection_;
};

}  // namespace truc::store
