#include "acceptance.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "truc/common/random.hpp"
#include "truc/edxml/validate.hpp"

namespace truc::hub {
namespace {

using store::DeliveryRecord;
using store::DeliveryState;
using store::PackageKind;
using store::PackageRecord;
using store::Repository;

// The hub's id of a package: 24 random hex digits.
Result<std::string> new_package_id() { return random_hex(12); }

std::string route_name(const DeliveryRecord& delivery) {
  if (delivery.route == store::Route::local && delivery.target_code == delivery.recipient_code)
    return "local";
  return std::string(store::to_string(delivery.route)) + ":" + delivery.target_code;
}

std::string status_text(int code) {
  auto status = edxml::parse_status_code(std::to_string(100 + code).substr(1));
  return status ? edxml::format_status_code(*status) + " " +
                      std::string(edxml::status_code_name(*status))
                : std::to_string(code);
}
// What the hub learned from reading and checking a document, before it touches the database.
struct Reading {
  edxml::Document document;
  std::vector<std::string> warnings;
  std::string sha256;
  std::uint64_t size = 0;
  std::string sender;
  std::string document_id;  // edoc: its own; status: the one it is about
  PackageKind kind = PackageKind::edoc;
  std::string signature = "not_checked";  // verified, unsigned, not_checked
  std::optional<std::string> signer_subject;
  bool sha1_accepted = false;  // a SHA-1 signature the sender's entry allows, to be counted
  // The signature checked against the trust store while no database connection is held; the
  // sender's policy decides afterwards what it means. Empty for an unsigned document.
  std::optional<Result<security::VerifiedSignature>> verification;
};

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Whether the signature may speak for `agency`: its chain holds one of the agency's signer CAs,
// or its signer is one of the agency's signer certificates. An entry with neither list takes
// its registered client certificates as its signer certificates (docs/security.md, "Signer
// binding"): the subject UID alone names the agency, and any trusted CA can write any UID.
Status check_signer_binding(const store::Agency& agency,
                            const security::VerifiedSignature& verified,
                            const std::vector<std::string>& client_certificates) {
  const std::string signer = verified.signer.sha256_fingerprint();
  const bool unconfigured = agency.signer_cas.empty() && agency.signer_certificates.empty();
  const auto& certificates = unconfigured ? client_certificates : agency.signer_certificates;
  if (contains(certificates, signer)) return ok_status();
  for (std::size_t index = 1; index < verified.chain.size(); ++index) {
    if (contains(agency.signer_cas, verified.chain[index].sha256_fingerprint())) return ok_status();
  }
  std::string issuer =
      verified.chain.size() > 1 ? verified.chain[1].sha256_fingerprint() : std::string("none");
  return Error{"signature.signer_not_bound",
               "the signer's certificate names the sending agency but is not one the directory "
               "lets sign for it",
               "agency " + agency.code + ", signer " + signer + ", issuing CA " + issuer +
                   (unconfigured ? " (no signer_cas or signer_certificates recorded: only the "
                                   "agency's registered client certificates sign for it)"
                                 : "")};
}

// One recipient's delivery, decided before the transaction.
struct PlannedDelivery {
  std::string recipient;
  std::string target;
  store::Route route = store::Route::local;
};

// The directory entries one submission reads, fetched together where they are known in advance
// (the sender and a package's recipients: one round trip instead of one each).
class AgencyLookup {
 public:
  explicit AgencyLookup(Repository& repository) : repository_(repository) {}

  Status preload(const std::vector<std::string>& codes) {
    auto found = repository_.agencies(codes);
    if (!found) return std::move(found).error();
    for (const auto& code : codes) known_[code] = std::nullopt;
    for (auto& agency : *found) known_[agency.code] = std::move(agency);
    return ok_status();
  }

  Result<std::optional<store::Agency>> agency(const std::string& code) {
    if (auto found = known_.find(code); found != known_.end()) return found->second;
    auto fetched = repository_.agency(code);
    if (!fetched) return std::move(fetched).error();
    known_[code] = *fetched;
    return std::move(*fetched);
  }

  // The fingerprints of the client certificates registered for the agency.
  Result<std::vector<std::string>> client_certificates(const std::string& code) {
    auto registered = repository_.certificates(code);
    if (!registered) return std::move(registered).error();
    std::vector<std::string> fingerprints;
    for (const auto& certificate : *registered) fingerprints.push_back(certificate.fingerprint);
    return fingerprints;
  }

 private:
  Repository& repository_;
  std::map<std::string, std::optional<store::Agency>> known_;
};

}  // namespace

struct Acceptance::Impl {
  const HubSettings& settings;
  store::Pool& database;
  const store::BlobStore& blobs;
  const security::TrustStore& trust;
  HubMetrics& metrics;
  edxml::Parser parser;

  // Parse, validate and verify the signature of the spooled bytes, without the database: the
  // costly part of accepting a package holds no connection of the pool.
  Result<Reading> read(const Caller& caller, const std::filesystem::path& spooled,
                       std::optional<PackageKind> expected_kind,
                       std::optional<std::string>& claimed_sender,
                       std::optional<std::string>& claimed_document) {
    auto file = FileSource::open(spooled);
    if (!file) return std::move(file).error();
    HashingSource source(*file);
    security::SignatureReader signature;
    edxml::DiscardAttachments attachments;
    auto parsed = parser.parse(source, attachments, &signature);
    if (!parsed) return std::move(parsed).error();
    Reading reading{std::move(parsed->document), {}, source.sha256(), source.size()};
    auto report = edxml::validate(edxml::Parsed{reading.document, std::move(parsed->findings)});
    if (const edxml::Finding* problem = report.first_error()) {
      return Error{problem->code, problem->message, problem->path};
    }
    for (const auto& warning : report.warnings()) reading.warnings.push_back(warning.code);

    if (const auto* package = std::get_if<edxml::Package>(&reading.document)) {
      reading.sender = package->from.organ_id;
      reading.document_id = package->document_id;
    } else {
      const auto& status = std::get<edxml::StatusPacket>(reading.document);
      reading.kind = PackageKind::status;
      reading.sender = status.from.organ_id;
      reading.document_id = status.response_for.document_id;
    }
    claimed_sender = reading.sender;
    claimed_document = reading.document_id;
    if (expected_kind && *expected_kind != reading.kind) {
      return Error{"request.messagetype_mismatch", "the document is not of the declared kind",
                   "declared " + std::string(store::to_string(*expected_kind)) +
                       ", the document is " +
                       (reading.kind == PackageKind::edoc ? "a package" : "a status packet")};
    }
    if (!caller.may_act_for(reading.sender)) {
      return Error{"auth.sender_mismatch", "this client may not send as the document's sender",
                   "From/OrganId " + reading.sender};
    }
    if (signature.found()) {
      // SHA-1 is decided with the sender's directory entry (check_sender), not here.
      reading.verification = signature.verify(trust, {.forbid_sha1 = false});
    }
    return reading;
  }

  // The sender's entry in the directory and what its signature policy makes of the signature.
  Status check_sender(AgencyLookup& agencies, Reading& reading) {
    auto sender = agencies.agency(reading.sender);
    if (!sender) return std::move(sender).error();
    if (!*sender || !(*sender)->enabled) {
      return Error{"auth.sender_mismatch", "the sender is not an enabled agency in the directory",
                   reading.sender};
    }
    return apply_signature_policy(agencies, **sender, reading);
  }

  Status apply_signature_policy(AgencyLookup& agencies, const store::Agency& sender,
                                Reading& reading) {
    const store::SignaturePolicy policy = sender.signature_policy;
    if (policy == store::SignaturePolicy::off) return ok_status();
    if (!reading.verification) {
      if (policy == store::SignaturePolicy::require) {
        return Error{"signature.missing", "the sender's policy requires a signed document",
                     reading.sender};
      }
      reading.signature = "unsigned";
      return ok_status();
    }
    const auto& verified = *reading.verification;
    if (!verified) return verified.error();
    // Certificate-bound identity: the signer's certificate must speak for the sending agency.
    if (verified->signer.agency_code() != reading.sender) {
      return Error{
          "signature.signer_mismatch",
          "the signer's certificate does not belong to the sending agency",
          "certificate agency '" + verified->signer.agency_code() + "', sender " + reading.sender};
    }
    std::vector<std::string> client_certificates;
    if (sender.signer_cas.empty() && sender.signer_certificates.empty()) {
      auto registered = agencies.client_certificates(sender.code);
      if (!registered) return std::move(registered).error();
      client_certificates = std::move(*registered);
    }
    TRUC_TRY(check_signer_binding(sender, *verified, client_certificates));
    if (verified->weak) {
      if (settings.forbid_sha1 && !sender.allow_sha1) {
        return Error{"signature.algorithm_forbidden",
                     "SHA-1 signatures are refused; the operator may allow them for this agency "
                     "(allow_sha1)",
                     "agency " + sender.code + ", " + verified->signature_method + ", " +
                         verified->digest_method};
      }
      reading.sha1_accepted = true;
    }
    for (const auto& warning : verified->warnings) reading.warnings.push_back(warning);
    reading.signature = "verified";
    reading.signer_subject = verified->signer.subject();
    return ok_status();
  }

  Result<PlannedDelivery> plan_delivery(AgencyLookup& agencies, const std::string& recipient,
                                        std::vector<std::string>& unknown) {
    auto agency = agencies.agency(recipient);
    if (!agency) return std::move(agency).error();
    if (!*agency || !(*agency)->enabled) {
      unknown.push_back(recipient);
      return PlannedDelivery{};
    }
    PlannedDelivery planned{recipient, recipient, (*agency)->kind};
    if ((*agency)->route_via) {
      auto gateway = agencies.agency(*(*agency)->route_via);
      if (!gateway) return std::move(gateway).error();
      if (!*gateway || !(*gateway)->enabled) {
        unknown.push_back(recipient);
        return PlannedDelivery{};
      }
      planned.target = (*gateway)->code;
    }
    return planned;
  }

  Result<std::vector<PlannedDelivery>> plan(AgencyLookup& agencies,
                                            const std::vector<std::string>& recipients) {
    std::vector<PlannedDelivery> planned;
    std::vector<std::string> unknown;
    std::set<std::string> seen;
    for (const auto& recipient : recipients) {
      if (!seen.insert(recipient).second) continue;
      auto delivery = plan_delivery(agencies, recipient, unknown);
      if (!delivery) return std::move(delivery).error();
      if (!delivery->recipient.empty()) planned.push_back(std::move(*delivery));
    }
    if (!unknown.empty()) {
      std::string list;
      for (const auto& code : unknown) list += (list.empty() ? "" : ", ") + code;
      return Error{"route.unknown_recipient", "no enabled agency in the directory for a recipient",
                   list};
    }
    return planned;
  }

  static std::vector<std::string> recipients_of(const std::vector<DeliveryRecord>& deliveries) {
    std::vector<std::string> codes;
    for (const auto& delivery : deliveries) codes.push_back(delivery.recipient_code);
    return codes;
  }

  Result<Receipt> receipt_of(Repository& repository, const PackageRecord& record) {
    auto deliveries = repository.deliveries(record.id);
    if (!deliveries) return std::move(deliveries).error();
    Receipt receipt{record.id, record.kind, record.document_id, record.sha256, record.received_at,
                    {},        {}};
    for (const auto& delivery : *deliveries)
      receipt.recipients.push_back({delivery.recipient_code, route_name(delivery)});
    return receipt;
  }

  // A package with this identity already accepted: the same bytes get the same receipt.
  Result<std::optional<SubmitResult>> existing(Repository& repository, const Reading& reading) {
    auto found = reading.kind == PackageKind::edoc
                     ? repository.edoc(reading.sender, reading.document_id)
                     : repository.status_packet(reading.sender, reading.sha256);
    if (!found) return std::move(found).error();
    if (!*found) return std::optional<SubmitResult>();
    if ((*found)->sha256 != reading.sha256) {
      return Error{"package.duplicate_document_id",
                   "this sender already sent a different document with this DocumentId",
                   reading.document_id};
    }
    auto receipt = receipt_of(repository, **found);
    if (!receipt) return std::move(receipt).error();
    return std::optional<SubmitResult>(SubmitResult{std::move(*receipt), false});
  }

  // Recipients, ordering and the package it concerns, for an edoc (possibly a recall/update).
  Status route_package(Repository& repository, AgencyLookup& agencies,
                       const edxml::Package& package, const Reading& reading, PackageRecord& record,
                       std::vector<PlannedDelivery>& planned,
                       std::vector<std::string>& recipients) {
    for (const auto& to : package.to) recipients.push_back(to.organ_id);
    auto deliveries = plan(agencies, recipients);
    if (!deliveries) return std::move(deliveries).error();
    planned = std::move(*deliveries);
    if (!package.business ||
        package.business->business_doc_type == edxml::BusinessDocType::new_document) {
      return ok_status();
    }
    record.business_doc_type = static_cast<int>(package.business->business_doc_type);
    auto original = repository.edoc(reading.sender, package.business->document_id);
    if (!original) return std::move(original).error();
    if (!*original) {
      return Error{"business.unknown_original",
                   "no document with this DocumentId was sent by this sender",
                   package.business->document_id};
    }
    auto original_deliveries = repository.deliveries((*original)->id);
    if (!original_deliveries) return std::move(original_deliveries).error();
    auto original_recipients = recipients_of(*original_deliveries);
    for (const auto& delivery : planned) {
      if (std::find(original_recipients.begin(), original_recipients.end(), delivery.recipient) ==
          original_recipients.end()) {
        return Error{"business.not_a_recipient",
                     "a recall, update or replacement can only go to the original's "
                     "recipients",
                     delivery.recipient};
      }
    }
    record.original_id = (*original)->id;
    return ok_status();
  }

  // Where a status packet goes: to the issuer of the document it is about, or, when the issuer
  // itself reports (13, a recall request), to that document's recipients.
  Status route_status(Repository& repository, AgencyLookup& agencies,
                      const edxml::StatusPacket& status, const Reading& reading,
                      PackageRecord& record, std::vector<PlannedDelivery>& planned) {
    record.status_code = static_cast<int>(status.status_code);
    auto about = repository.edoc(status.response_for.organ_id, status.response_for.document_id);
    if (!about) return std::move(about).error();
    if (!*about) {
      return Error{"status.unknown_document", "the hub has no document this status could be about",
                   status.response_for.organ_id + " / " + status.response_for.document_id};
    }
    auto deliveries = repository.deliveries((*about)->id);
    if (!deliveries) return std::move(deliveries).error();
    auto recipients = recipients_of(*deliveries);
    record.original_id = (*about)->id;
    if (reading.sender == (*about)->sender_code) {
      auto routed = plan(agencies, recipients);
      if (!routed) return std::move(routed).error();
      planned = std::move(*routed);
      return ok_status();
    }
    if (std::find(recipients.begin(), recipients.end(), reading.sender) == recipients.end()) {
      return Error{"status.not_a_recipient",
                   "only a recipient of the document can report its status", reading.sender};
    }
    auto routed = plan(agencies, {(*about)->sender_code});
    if (!routed) return std::move(routed).error();
    planned = std::move(*routed);
    return ok_status();
  }

  // What a status or a recall changes in the state of the documents it concerns, as events.
  Status apply_effects(Repository& repository, const Reading& reading, const PackageRecord& record,
                       const std::vector<PlannedDelivery>& planned) {
    if (record.kind == PackageKind::edoc && record.original_id) {
      static constexpr std::string_view kRequests[] = {"", "recall_requested", "update_requested",
                                                       "replace_requested"};
      for (const auto& delivery : planned) {
        TRUC_TRY(repository.add_event({*record.original_id,
                                       delivery.recipient,
                                       {},
                                       std::string(kRequests[*record.business_doc_type]),
                                       reading.sender,
                                       "by package " + record.id}));
      }
      return ok_status();
    }
    if (record.kind != PackageKind::status || !record.original_id) return ok_status();
    auto about = repository.package(*record.original_id);
    if (!about || !*about) return about ? ok_status() : Status(std::move(about).error());
    if (reading.sender == (*about)->sender_code) {
      return repository.add_event({(*about)->id,
                                   {},
                                   {},
                                   "status_sent",
                                   reading.sender,
                                   status_text(*record.status_code) + " by package " + record.id});
    }
    TRUC_TRY(repository.report_status((*about)->id, reading.sender, *record.status_code));
    TRUC_TRY(repository.add_event({(*about)->id,
                                   reading.sender,
                                   {},
                                   "status_reported",
                                   reading.sender,
                                   status_text(*record.status_code) + " by package " + record.id}));
    bool agreed = *record.status_code == static_cast<int>(edxml::StatusCode::agreed);
    bool refused = *record.status_code == static_cast<int>(edxml::StatusCode::refused);
    if (!agreed && !refused) return ok_status();

    // 15/16 answer a recall, update or replacement: about it directly, or about the original.
    std::optional<PackageRecord> business;
    if ((*about)->business_doc_type.value_or(0) > 0) {
      business = *about;
    } else {
      auto latest = repository.latest_business_package((*about)->id, reading.sender);
      if (!latest) return std::move(latest).error();
      business = *latest;
    }
    if (!business || !business->original_id) return ok_status();
    static constexpr std::string_view kOutcomes[] = {"", "recall", "update", "replace"};
    std::string outcome =
        std::string(kOutcomes[*business->business_doc_type]) + (agreed ? "_agreed" : "_refused");
    TRUC_TRY(repository.add_event({*business->original_id,
                                   reading.sender,
                                   {},
                                   outcome,
                                   reading.sender,
                                   "answering package " + business->id}));
    if (business->id != (*about)->id) {
      TRUC_TRY(
          repository.add_event({business->id, reading.sender, {}, outcome, reading.sender, ""}));
    }
    if (agreed && business->business_doc_type == static_cast<int>(edxml::BusinessDocType::recall)) {
      // A recall the recipient agreed to takes the original out of its inbox if still there.
      auto moved =
          repository.settle_deliveries(*business->original_id, store::DeliveryParty::recipient,
                                       {reading.sender}, DeliveryState::recalled, std::nullopt);
      if (!moved) return std::move(moved).error();
      if (!moved->empty()) {
        TRUC_TRY(repository.add_event(
            {*business->original_id, reading.sender, {}, "recalled", settings.hub_code, ""}));
        auto recorded =
            repository.append_evidence(evidence::kind::delivery_recalled, *business->original_id,
                                       reading.sender, reading.sender);
        if (!recorded) return std::move(recorded).error();
        metrics.settled(DeliveryState::recalled);
      }
    }
    return ok_status();
  }

  Result<SubmitResult> submit(const Caller& caller, const std::filesystem::path& spooled,
                              std::optional<PackageKind> expected_kind,
                              std::optional<std::string>& claimed_sender,
                              std::optional<std::string>& claimed_document) {
    auto reading = read(caller, spooled, expected_kind, claimed_sender, claimed_document);
    if (!reading) return std::move(reading).error();
    // The one connection this package takes, from the directory lookups to the commit.
    auto lease = database.acquire();
    if (!lease) return std::move(lease).error();
    Repository repository(**lease);
    AgencyLookup agencies(repository);
    std::vector<std::string> known_codes{reading->sender};
    if (const auto* package = std::get_if<edxml::Package>(&reading->document)) {
      for (const auto& to : package->to) known_codes.push_back(to.organ_id);
    }
    TRUC_TRY(agencies.preload(known_codes));
    TRUC_TRY(check_sender(agencies, *reading));
    auto earlier = existing(repository, *reading);
    if (!earlier) return std::move(earlier).error();
    if (*earlier) return std::move(**earlier);

    PackageRecord record;
    auto id = new_package_id();
    if (!id) return std::move(id).error();
    record.id = std::move(*id);
    record.kind = reading->kind;
    record.sender_code = reading->sender;
    record.document_id = reading->document_id;
    record.sha256 = reading->sha256;
    record.size = static_cast<std::int64_t>(reading->size);
    record.face = caller.face;
    std::vector<PlannedDelivery> planned;
    std::vector<std::string> recipients;
    if (const auto* package = std::get_if<edxml::Package>(&reading->document)) {
      record.business_doc_type = 0;
      TRUC_TRY(
          route_package(repository, agencies, *package, *reading, record, planned, recipients));
    } else {
      TRUC_TRY(route_status(repository, agencies, std::get<edxml::StatusPacket>(reading->document),
                            *reading, record, planned));
    }
    record.signature = reading->signature;
    record.signer_subject = reading->signer_subject;

    // Durable before the answer: the bytes first (fsync, rename), then the one transaction that
    // decides acceptance. A crash between the two leaves an unreferenced blob, never a receipt
    // without bytes.
    TRUC_TRY(blobs.adopt(spooled, {record.sha256, reading->size}));
    auto stored = store_package(**lease, record, *reading, planned, caller);
    if (!stored) return std::move(stored).error();
    if (!*stored) {
      // Another request accepted the same identity meanwhile: answer as for a duplicate.
      auto raced = existing(repository, *reading);
      if (!raced) return std::move(raced).error();
      if (*raced) return std::move(**raced);
      return Error{"store.query_failed", "a concurrent submission could not be resolved",
                   record.document_id};
    }
    metrics.accepted(record.kind, caller.face);
    if (settings.deliveries_changed) settings.deliveries_changed();
    for (const auto& warning : reading->warnings) metrics.tolerated(warning);
    if (reading->sha1_accepted) metrics.sha1_accepted(reading->sender);
    return SubmitResult{std::move(**stored), true};
  }

  // Stores the accepted package. Empty when its identity was taken by a concurrent submission
  // (nothing is written).
  Result<std::optional<Receipt>> store_package(store::Connection& connection, PackageRecord& record,
                                               const Reading& reading,
                                               const std::vector<PlannedDelivery>& planned,
                                               const Caller& caller) {
    Repository repository(connection);
    // The package's row, deliveries and events, the effects on the documents it concerns (a
    // status, a recall, an update or a replacement) and its evidence entry commit together.
    auto transaction = store::Transaction::begin(connection);
    if (!transaction) return std::move(transaction).error();
    std::vector<DeliveryRecord> deliveries;
    store::AcceptanceEvents events{reading.sender,
                                   "via " + caller.face + ", " + std::to_string(record.size) +
                                       " bytes, signature " + record.signature,
                                   settings.hub_code,
                                   {}};
    Receipt receipt{record.id,          record.kind, record.document_id, record.sha256,
                    record.received_at, {},          reading.warnings};
    for (const auto& delivery : planned) {
      DeliveryRecord row{record.id,
                         delivery.recipient,
                         delivery.target,
                         delivery.route,
                         DeliveryState::pending,
                         record.kind == PackageKind::edoc ? record.original_id : std::nullopt,
                         {},
                         {},
                         0,
                         {}};
      events.routed_details.push_back(route_name(row));
      receipt.recipients.push_back({delivery.recipient, route_name(row)});
      deliveries.push_back(std::move(row));
    }
    if (Status inserted = repository.insert_accepted_package(record, deliveries, events);
        !inserted) {
      if (inserted.error().code == "store.unique_violation") return std::optional<Receipt>();
      return std::move(inserted).error();
    }
    receipt.received_at = record.received_at;
    TRUC_TRY(apply_effects(repository, reading, record, planned));
    // Last, so that the chain's head is locked only for the commit.
    auto recorded = repository.append_evidence(record.kind == PackageKind::edoc
                                                   ? evidence::kind::package_accepted
                                                   : evidence::kind::status_accepted,
                                               record.id, reading.sender, "");
    if (!recorded) return std::move(recorded).error();
    TRUC_TRY(transaction->commit());
    return std::optional<Receipt>(std::move(receipt));
  }
};

Acceptance::Acceptance(const HubSettings& settings, store::Pool& database,
                       const store::BlobStore& blobs, const security::TrustStore& trust,
                       HubMetrics& metrics)
    // Aggregate initialization builds the parser in place (it cannot be moved).
    : impl_(new Impl{settings, database, blobs, trust, metrics, edxml::Parser(settings.parse)}) {}

Acceptance::~Acceptance() = default;

Result<SubmitResult> Acceptance::submit(const Caller& caller, const std::filesystem::path& spooled,
                                        std::optional<store::PackageKind> expected_kind,
                                        std::optional<std::string>& claimed_sender,
                                        std::optional<std::string>& claimed_document) {
  return impl_->submit(caller, spooled, expected_kind, claimed_sender, claimed_document);
}

}  // namespace truc::hub
