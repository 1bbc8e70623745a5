#pragma once

// The hub's core, independent of any API face: accept a package or status packet, route it
// through the directory, store it durably, hand it to whoever collects it, record every state
// change. The native REST face (native_api.cpp) and the national-platform face call the same
// functions; so do the tests. Every function blocks (database, disk): run on the worker pool.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/common/time.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/evidence/container.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"
#include "truc/store/repository.hpp"

namespace truc::hub {

// Who is calling, once authenticated: the credential and the agencies it may act for.
struct Caller {
  std::string credential;             // "certificate:<sha256>" or "system:<id>"
  std::vector<std::string> agencies;  // may send as these codes and collect for them
  std::string face;                   // the API face: "native", "compat"

  bool may_act_for(const std::string& code) const;
};

struct ReceiptRecipient {
  std::string organ_id;
  std::string route;  // "local", or "peer_hub:<gateway code>", "national:<gateway code>"
};

// What the hub answers when it has accepted (or already had) a package.
struct Receipt {
  std::string id;  // the hub's id: 24 hex digits
  store::PackageKind kind = store::PackageKind::edoc;
  std::string document_id;
  std::string sha256;
  Instant received_at;
  std::vector<ReceiptRecipient> recipients;
  std::vector<std::string> warnings;  // codes of tolerated variants (only on first acceptance)
};

struct SubmitResult {
  Receipt receipt;
  bool created = false;  // false: the same bytes were already accepted (duplicate suppressed)
};

struct InboxEntry {
  store::PackageRecord package;
  std::vector<std::string> recipients;
};

struct InboxPage {
  std::vector<InboxEntry> entries;
  std::optional<std::int64_t> next_cursor;  // absent when the page was not full
};

struct StoredPackage {
  store::PackageRecord record;
  std::filesystem::path file;  // the sender's bytes, exactly as received
};

struct PackageTrace {
  store::PackageRecord package;
  std::vector<store::DeliveryRecord> deliveries;
  std::vector<store::EventRecord> events;
};

// Counters the core updates; the monitoring listener implements them (Prometheus).
class HubMetrics {
 public:
  virtual ~HubMetrics() = default;
  virtual void accepted(store::PackageKind kind, const std::string& face) = 0;
  virtual void duplicate(const std::string& face) = 0;
  virtual void rejected(const std::string& code, const std::string& face) = 0;
  virtual void settled(store::DeliveryState outcome) = 0;
  virtual void tolerated(const std::string& warning) = 0;
  // A SHA-1 signature accepted because the sending agency's entry allows it (allow_sha1, or
  // [signatures] forbid_sha1 = false).
  virtual void sha1_accepted(const std::string& agency_code) = 0;
};

struct HubSettings {
  std::string hub_code;  // actor of the hub's own events
  edxml::ParseOptions parse;
  // SHA-1 signatures are refused unless the sender's entry has allow_sha1; false accepts them
  // from every agency (each one counted either way).
  bool forbid_sha1 = true;
  // Called after a commit that created deliveries or settled some (push workers wake up on it).
  std::function<void()> deliveries_changed;
};

class Hub {
 public:
  Hub(HubSettings settings, store::Pool& database, const store::BlobStore& blobs,
      const security::TrustStore& trust, HubMetrics& metrics);
  ~Hub();

  // The agencies a TLS client certificate may act for; auth.unknown_certificate when none.
  Result<Caller> identify_certificate(const std::string& sha256_fingerprint,
                                      const std::string& face);
  // The agencies a system of the national platform's API may act for (the directory's
  // system_ids), once `authenticate` accepted the request with the secret stored for the system
  // (as stored: encrypted). auth.unknown_system when the system has no secret or no enabled
  // agency; `authenticate`'s error when it refuses.
  Result<Caller> identify_system(
      const std::string& system_id,
      const std::function<Status(const std::string& stored_secret)>& authenticate,
      const std::string& face);

  // Spends a credential that may be used once: `token` in `scope` (say, one system's signed
  // header sets) is recorded until `valid_until`, across restarts and the nodes sharing the
  // database. auth.replayed when it was used before. Forgets, at most once a minute, the tokens
  // whose `valid_until` is before `now`.
  Status use_once(const std::string& scope, const std::string& token, Instant valid_until,
                  Instant now);

  // Accepts the edXML document in `spooled` (a file in the blob store's tmp/ directory, which is
  // moved into the store on success): parse, validate, sender check, signature policy, routing,
  // duplicate suppression, durable storage, then the receipt. Errors carry the codes of
  // docs/errors.md; the refusal is recorded (without content). With `expected_kind`, a document
  // of the other kind is refused (request.messagetype_mismatch) before anything is stored.
  Result<SubmitResult> submit(const Caller& caller, const std::filesystem::path& spooled,
                              std::optional<store::PackageKind> expected_kind = std::nullopt);

  Result<InboxPage> inbox(const Caller& caller, store::PackageKind kind, std::int64_t cursor,
                          std::size_t limit);
  // How many packages of `kind` wait for the caller (what inbox() lists, all pages).
  Result<std::int64_t> inbox_count(const Caller& caller, store::PackageKind kind);
  // For the sender, a recipient or a collector; package.not_found for anyone else.
  Result<StoredPackage> open_package(const Caller& caller, const std::string& id);
  // The collector has it; idempotent. The delivery's state afterwards: acked, or what settled it
  // before (pushed, nacked, recalled), which stays.
  Result<store::DeliveryState> acknowledge(const Caller& caller, const std::string& id);
  // The collector refuses it, with a reason; final. The state afterwards, as for acknowledge.
  Result<store::DeliveryState> refuse(const Caller& caller, const std::string& id,
                                      const std::string& reason);
  // The collector says it is working on a package it has not settled: a "processing" event in
  // the trace, recorded once per delivery (no state change).
  Status mark_processing(const Caller& caller, const std::string& id);
  Result<PackageTrace> trace(const Caller& caller, const std::string& id);

  // Operators (admin API): no caller restriction.
  Result<std::vector<store::DeadLetter>> dead_letters(const std::optional<std::string>& collector);
  // Puts dead letters back in the push queue; returns how many.
  Result<std::uint64_t> replay_dead_letters(const std::optional<std::string>& collector,
                                            const std::optional<std::string>& package_id);
  Result<PackageTrace> trace_any(const std::string& id);
  Result<std::vector<PackageTrace>> trace_document(const std::string& document_id);
  // The evidence container of a package (docs/evidence.md): its bytes, the status packets about
  // it, the entries from its first one to the end of the sealed batch holding the last sealed
  // one, the seal and the timestamp. package.not_found; evidence.not_sealed while no batch
  // holds its acceptance yet (wait for the next seal).
  Result<evidence::Container> evidence(const std::string& id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace truc::hub
