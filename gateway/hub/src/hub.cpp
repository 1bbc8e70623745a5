#include "truc/hub/hub.hpp"

#include <algorithm>
#include <atomic>
#include <set>

#include "acceptance.hpp"
#include "evidence_export.hpp"
#include "truc/common/digest.hpp"
#include "truc/common/log.hpp"
#include "truc/common/random.hpp"
#include "truc/edxml/validate.hpp"

namespace truc::hub {
namespace {

using store::DeliveryRecord;
using store::DeliveryState;
using store::PackageKind;
using store::PackageRecord;
using store::Repository;

Error not_found(const std::string& id) {
  // The same answer whether the package does not exist or belongs to others: never reveal which.
  return Error{"package.not_found", "no such package for this caller", id};
}

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ",") + value;
  return text;
}

}  // namespace

bool Caller::may_act_for(const std::string& code) const {
  return std::find(agencies.begin(), agencies.end(), code) != agencies.end();
}

struct Hub::Impl {
  HubSettings settings;
  store::Pool& database;
  const store::BlobStore& blobs;
  const security::TrustStore& trust;
  HubMetrics& metrics;
  Acceptance acceptance;
  // When use_once next forgets expired tokens (milliseconds since the epoch).
  std::atomic<std::int64_t> next_forget{0};

  Impl(HubSettings settings_in, store::Pool& database_in, const store::BlobStore& blobs_in,
       const security::TrustStore& trust_in, HubMetrics& metrics_in)
      : settings(std::move(settings_in)),
        database(database_in),
        blobs(blobs_in),
        trust(trust_in),
        metrics(metrics_in),
        acceptance(settings, database, blobs, trust, metrics) {}

  // The deliveries of a package this caller collects (as target).
  static std::vector<DeliveryRecord> collected_by(const Caller& caller,
                                                  const std::vector<DeliveryRecord>& deliveries) {
    std::vector<DeliveryRecord> mine;
    for (const auto& delivery : deliveries) {
      if (caller.may_act_for(delivery.target_code)) mine.push_back(delivery);
    }
    return mine;
  }

  // Whether the caller may see the package at all: sender, recipient or collector.
  static bool involved(const Caller& caller, const PackageRecord& record,
                       const std::vector<DeliveryRecord>& deliveries) {
    if (caller.may_act_for(record.sender_code)) return true;
    return std::any_of(deliveries.begin(), deliveries.end(), [&](const DeliveryRecord& delivery) {
      return caller.may_act_for(delivery.recipient_code) ||
             caller.may_act_for(delivery.target_code);
    });
  }

  struct Loaded {
    PackageRecord record;
    std::vector<DeliveryRecord> deliveries;
  };

  Result<Loaded> load(Repository& repository, const Caller* caller, const std::string& id) {
    auto record = repository.package(id);
    if (!record) return std::move(record).error();
    if (!*record) return not_found(id);
    auto deliveries = repository.deliveries(id);
    if (!deliveries) return std::move(deliveries).error();
    if (caller != nullptr && !involved(*caller, **record, *deliveries)) return not_found(id);
    return Loaded{std::move(**record), std::move(*deliveries)};
  }

  // One UPDATE … RETURNING inside the transaction settles what is still pending and says what it
  // moved, so the answer is the state the delivery really left, also when a push or another
  // request settled it a moment before.
  Result<DeliveryState> settle(const Caller& caller, const std::string& id, DeliveryState state,
                               const std::optional<std::string>& reason) {
    auto lease = database.acquire();
    if (!lease) return std::move(lease).error();
    Repository repository(**lease);
    auto transaction = store::Transaction::begin(**lease);
    if (!transaction) return std::move(transaction).error();
    auto moved = repository.settle_deliveries(id, store::DeliveryParty::collector, caller.agencies,
                                              state, reason);
    if (!moved) return std::move(moved).error();
    if (moved->empty()) {
      // Settled before (settling again changes nothing), or not the caller's to settle.
      auto loaded = load(repository, &caller, id);
      if (!loaded) return std::move(loaded).error();
      auto mine = collected_by(caller, loaded->deliveries);
      if (mine.empty()) return not_found(id);
      return mine.front().state;
    }
    std::vector<std::string> recipients;
    for (const auto& delivery : *moved) {
      recipients.push_back(delivery.recipient_code);
      TRUC_TRY(repository.add_event({id,
                                     delivery.recipient_code,
                                     {},
                                     std::string(store::to_string(state)),
                                     delivery.target_code,
                                     reason.value_or("")}));
    }
    for (const auto& delivery : *moved) {
      auto recorded = repository.append_evidence(state == DeliveryState::acked
                                                     ? evidence::kind::delivery_acked
                                                     : evidence::kind::delivery_nacked,
                                                 id, delivery.target_code, delivery.recipient_code);
      if (!recorded) return std::move(recorded).error();
    }
    TRUC_TRY(transaction->commit());
    for (std::size_t count = 0; count < moved->size(); ++count) metrics.settled(state);
    // Settling a delivery may release one that waited for it (a recall after its original).
    if (settings.deliveries_changed) settings.deliveries_changed();
    log_event(
        "info", state == DeliveryState::acked ? "delivery.acked" : "delivery.refused",
        {{"id", id}, {"recipients", joined(recipients)}, {"collector", joined(caller.agencies)}});
    return state;
  }

  Result<PackageTrace> trace(const Caller* caller, const std::string& id) {
    auto lease = database.acquire();
    if (!lease) return std::move(lease).error();
    Repository repository(**lease);
    auto loaded = load(repository, caller, id);
    if (!loaded) return std::move(loaded).error();
    auto events = repository.events(id);
    if (!events) return std::move(events).error();
    PackageTrace trace{std::move(loaded->record), std::move(loaded->deliveries),
                       std::move(*events)};
    // Others than the sender see only their own side: their deliveries and package-wide events.
    if (caller != nullptr && !caller->may_act_for(trace.package.sender_code)) {
      auto foreign = [&](const std::optional<std::string>& recipient, const std::string& target) {
        return recipient && !caller->may_act_for(*recipient) && !caller->may_act_for(target);
      };
      std::erase_if(trace.deliveries, [&](const DeliveryRecord& delivery) {
        return foreign(delivery.recipient_code, delivery.target_code);
      });
      std::erase_if(trace.events, [&](const store::EventRecord& event) {
        if (!event.recipient_code) return false;
        auto delivery = std::find_if(trace.deliveries.begin(), trace.deliveries.end(),
                                     [&](const DeliveryRecord& kept) {
                                       return kept.recipient_code == *event.recipient_code;
                                     });
        return delivery == trace.deliveries.end();
      });
    }
    return trace;
  }
};

Hub::Hub(HubSettings settings, store::Pool& database, const store::BlobStore& blobs,
         const security::TrustStore& trust, HubMetrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(settings), database, blobs, trust, metrics)) {}

Hub::~Hub() = default;

Result<Caller> Hub::identify_certificate(const std::string& sha256_fingerprint,
                                         const std::string& face) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  auto agencies = Repository(**lease).agencies_for_certificate(sha256_fingerprint);
  if (!agencies) return std::move(agencies).error();
  if (agencies->empty()) {
    return Error{"auth.unknown_certificate",
                 "this client certificate is not registered for any enabled agency",
                 sha256_fingerprint};
  }
  return Caller{"certificate:" + sha256_fingerprint, std::move(*agencies), face};
}

Result<Caller> Hub::identify_system(
    const std::string& system_id,
    const std::function<Status(const std::string& stored_secret)>& authenticate,
    const std::string& face) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  Repository repository(**lease);
  auto secret = repository.system_secret(system_id);
  if (!secret) return std::move(secret).error();
  if (!*secret) {
    return Error{"auth.unknown_system", "no secret is registered for this system id", system_id};
  }
  TRUC_TRY(authenticate(**secret));
  auto agencies = repository.agencies_for_system(system_id);
  if (!agencies) return std::move(agencies).error();
  if (agencies->empty()) {
    return Error{"auth.unknown_system", "this system id is not registered for any enabled agency",
                 system_id};
  }
  return Caller{"system:" + system_id, std::move(*agencies), face};
}

Status Hub::use_once(const std::string& scope, const std::string& token, Instant valid_until,
                     Instant now) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  Repository repository(**lease);
  auto first = repository.use_once(scope, token, valid_until);
  if (!first) return std::move(first).error();
  if (!*first) {
    return Error{
        "auth.replayed", "these signed headers were used before: sign each request anew", {}};
  }
  std::int64_t due = impl_->next_forget.load();
  std::int64_t now_ms = now.time_since_epoch().count();
  // One caller a minute prunes; a failure only leaves rows for the next one.
  if (now_ms >= due && impl_->next_forget.compare_exchange_strong(due, now_ms + 60'000)) {
    if (auto forgotten = repository.forget_used_before(now); !forgotten) {
      log_event("warn", "single_use.prune_failed", {{"code", forgotten.error().code}});
    }
  }
  return ok_status();
}

Result<SubmitResult> Hub::submit(const Caller& caller, const std::filesystem::path& spooled,
                                 std::optional<store::PackageKind> expected_kind) {
  std::optional<std::string> claimed_sender, claimed_document;
  std::uint64_t size = std::filesystem::exists(spooled) ? std::filesystem::file_size(spooled) : 0;
  auto result =
      impl_->acceptance.submit(caller, spooled, expected_kind, claimed_sender, claimed_document);
  if (result) {
    const Receipt& receipt = result->receipt;
    std::vector<std::string> recipients;
    for (const auto& recipient : receipt.recipients) recipients.push_back(recipient.organ_id);
    if (!result->created) impl_->metrics.duplicate(caller.face);
    log_event("info", result->created ? "package.accepted" : "package.duplicate",
              {{"id", receipt.id},
               {"kind", store::to_string(receipt.kind)},
               {"sender", claimed_sender.value_or("")},
               {"recipients", joined(recipients)},
               {"face", caller.face},
               {"size", std::to_string(size)}});
    return result;
  }
  const Error& error = result.error();
  impl_->metrics.rejected(error.code, caller.face);
  log_event("warn", "package.rejected",
            {{"code", error.code},
             {"sender", claimed_sender.value_or("")},
             {"credential", caller.credential},
             {"face", caller.face}});
  // The refusal is recorded without content; losing the record must not change the answer.
  if (auto lease = impl_->database.acquire()) {
    (void)Repository(**lease).add_rejection({caller.credential, claimed_sender, claimed_document,
                                             error.code, error.message,
                                             static_cast<std::int64_t>(size)});
  }
  return result;
}

Result<InboxPage> Hub::inbox(const Caller& caller, store::PackageKind kind, std::int64_t cursor,
                             std::size_t limit) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  auto items = Repository(**lease).inbox(caller.agencies, kind, cursor, limit);
  if (!items) return std::move(items).error();
  InboxPage page;
  for (auto& item : *items)
    page.entries.push_back({std::move(item.package), std::move(item.recipients)});
  if (!page.entries.empty() && page.entries.size() == limit)
    page.next_cursor = page.entries.back().package.seq;
  return page;
}

Result<std::int64_t> Hub::inbox_count(const Caller& caller, store::PackageKind kind) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  return Repository(**lease).inbox_count(caller.agencies, kind);
}

Result<StoredPackage> Hub::open_package(const Caller& caller, const std::string& id) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  Repository repository(**lease);
  auto loaded = impl_->load(repository, &caller, id);
  if (!loaded) return std::move(loaded).error();
  for (const auto& delivery : Impl::collected_by(caller, loaded->deliveries)) {
    if (delivery.state != DeliveryState::pending) continue;
    TRUC_TRY(repository.add_event(
        {id, delivery.recipient_code, {}, "fetched", delivery.target_code, ""}));
  }
  if (!impl_->blobs.contains(loaded->record.sha256)) {
    return Error{"store.blob_missing", "the stored package file is missing", loaded->record.sha256};
  }
  return StoredPackage{loaded->record, impl_->blobs.path_of(loaded->record.sha256)};
}

Result<DeliveryState> Hub::acknowledge(const Caller& caller, const std::string& id) {
  return impl_->settle(caller, id, DeliveryState::acked, std::nullopt);
}

Result<DeliveryState> Hub::refuse(const Caller& caller, const std::string& id,
                                  const std::string& reason) {
  if (reason.empty() || reason.size() > 2000) {
    return Error{"request.invalid_reason", "a refusal needs a reason of 1 to 2000 bytes", {}};
  }
  return impl_->settle(caller, id, DeliveryState::nacked, reason);
}

Status Hub::mark_processing(const Caller& caller, const std::string& id) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  Repository repository(**lease);
  auto loaded = impl_->load(repository, &caller, id);
  if (!loaded) return std::move(loaded).error();
  auto mine = Impl::collected_by(caller, loaded->deliveries);
  if (mine.empty()) return not_found(id);
  auto events = repository.events(id);
  if (!events) return std::move(events).error();
  for (const auto& delivery : mine) {
    bool recorded = std::any_of(events->begin(), events->end(), [&](const auto& event) {
      return event.event == "processing" && event.recipient_code == delivery.recipient_code;
    });
    if (delivery.state != DeliveryState::pending || recorded) continue;
    TRUC_TRY(repository.add_event(
        {id, delivery.recipient_code, {}, "processing", delivery.target_code, ""}));
  }
  return ok_status();
}

Result<PackageTrace> Hub::trace(const Caller& caller, const std::string& id) {
  return impl_->trace(&caller, id);
}

Result<PackageTrace> Hub::trace_any(const std::string& id) { return impl_->trace(nullptr, id); }

Result<std::vector<store::DeadLetter>> Hub::dead_letters(
    const std::optional<std::string>& collector) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  return Repository(**lease).dead_letters(collector);
}

Result<std::uint64_t> Hub::replay_dead_letters(const std::optional<std::string>& collector,
                                               const std::optional<std::string>& package_id) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  auto replayed = Repository(**lease).replay_dead_letters(collector, package_id);
  if (!replayed) return std::move(replayed).error();
  log_event("info", "deadletters.replayed",
            {{"collector", collector.value_or("")},
             {"id", package_id.value_or("")},
             {"count", std::to_string(*replayed)}});
  if (*replayed > 0 && impl_->settings.deliveries_changed) impl_->settings.deliveries_changed();
  return replayed;
}

Result<std::vector<PackageTrace>> Hub::trace_document(const std::string& document_id) {
  std::vector<std::string> ids;
  {
    auto lease = impl_->database.acquire();
    if (!lease) return std::move(lease).error();
    auto packages = Repository(**lease).packages_with_document_id(document_id);
    if (!packages) return std::move(packages).error();
    for (const auto& package : *packages) ids.push_back(package.id);
  }
  std::vector<PackageTrace> traces;
  for (const auto& id : ids) {
    auto trace = impl_->trace(nullptr, id);
    if (!trace) return std::move(trace).error();
    traces.push_back(std::move(*trace));
  }
  return traces;
}

Result<evidence::Container> Hub::evidence(const std::string& id) {
  auto lease = impl_->database.acquire();
  if (!lease) return std::move(lease).error();
  store::Repository repository(**lease);
  return export_evidence(repository, impl_->blobs, id);
}

}  // namespace truc::hub
