#include "truc/hub/evidence_sealer.hpp"

#include "truc/common/base64.hpp"
#include "truc/common/log.hpp"
#include "truc/evidence/seal.hpp"
#include "truc/evidence/timestamp.hpp"

namespace truc::hub {
namespace {

constexpr std::size_t kMaxErrorText = 500;

std::string error_text(const Error& error) {
  std::string text = error.to_string();
  if (text.size() > kMaxErrorText) text.resize(kMaxErrorText);
  return text;
}

}  // namespace

EvidenceSealer::EvidenceSealer(SealerSettings settings, store::Pool& database,
                               TimestampAuthority& authority, EvidenceMetrics& metrics)
    : settings_(std::move(settings)),
      database_(database),
      authority_(authority),
      metrics_(metrics) {
  for (const auto& certificate : settings_.certificates)
    certificate_chain_pem_ += certificate.pem();
}

EvidenceSealer::~EvidenceSealer() { stop(); }

Result<std::optional<store::EvidenceBatch>> EvidenceSealer::seal() {
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  store::Repository repository(**lease);
  auto transaction = store::Transaction::begin(**lease);
  if (!transaction) return std::move(transaction).error();
  auto unsealed = repository.lock_unsealed_evidence();
  if (!unsealed) return std::move(unsealed).error();
  if (!*unsealed) return std::optional<store::EvidenceBatch>();
  store::EvidenceBatch batch;
  batch.first_seq = (*unsealed)->first_seq;
  batch.last_seq = (*unsealed)->last_seq;
  batch.last_entry_hash = (*unsealed)->last_entry_hash;
  auto signature = evidence::sign_statement(
      settings_.key,
      evidence::batch_statement(batch.first_seq, batch.last_seq, batch.last_entry_hash));
  if (!signature) return std::move(signature).error();
  batch.seal_signature = base64_encode(*signature);
  batch.seal_certificate = certificate_chain_pem_;
  TRUC_TRY(repository.insert_evidence_batch(batch));
  TRUC_TRY(transaction->commit());
  return std::optional<store::EvidenceBatch>(std::move(batch));
}

Status EvidenceSealer::stamp(const store::EvidenceBatch& batch) {
  auto signature = base64_decode(batch.seal_signature);
  if (!signature) return std::move(signature).error();
  auto request = evidence::make_timestamp_request(evidence::timestamp_imprint(*signature));
  if (!request) return std::move(request).error();
  auto reply = authority_.exchange(request->der);
  if (!reply) return std::move(reply).error();
  auto token = evidence::token_from_reply(*request, *reply);
  if (!token) return std::move(token).error();
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  return store::Repository(**lease).record_evidence_stamp(batch.id, base64_encode(*token));
}

Result<SealRound> EvidenceSealer::run_once() {
  SealRound round;
  auto sealed = seal();
  if (!sealed) return std::move(sealed).error();
  if (*sealed) {
    std::int64_t entries = (**sealed).last_seq - (**sealed).first_seq + 1;
    metrics_.batch_sealed(entries);
    log_event("info", "evidence.sealed",
              {{"batch", std::to_string((**sealed).id)},
               {"first_seq", std::to_string((**sealed).first_seq)},
               {"last_seq", std::to_string((**sealed).last_seq)}});
    round.sealed = std::move(*sealed);
  }
  std::vector<store::EvidenceBatch> waiting;
  {
    auto lease = database_.acquire();
    if (!lease) return std::move(lease).error();
    auto unstamped =
        store::Repository(**lease).unstamped_evidence_batches(settings_.stamps_per_round);
    if (!unstamped) return std::move(unstamped).error();
    waiting = std::move(*unstamped);
  }
  for (const auto& batch : waiting) {
    if (Status stamped = stamp(batch); !stamped) {
      // The TSA is down or refuses: the batch waits for the next round, acceptance goes on.
      metrics_.stamp_failed();
      log_event("warn", "evidence.stamp_failed",
                {{"batch", std::to_string(batch.id)}, {"code", stamped.error().code}});
      if (auto lease = database_.acquire()) {
        (void)store::Repository(**lease).record_evidence_stamp_failure(batch.id,
                                                                       error_text(stamped.error()));
      }
      round.stamp_error = std::move(stamped).error();
      break;
    }
    metrics_.batch_stamped();
    ++round.stamped;
  }
  auto lease = database_.acquire();
  if (!lease) return std::move(lease).error();
  auto count = store::Repository(**lease).unstamped_evidence_batch_count();
  if (!count) return std::move(count).error();
  round.unstamped = *count;
  metrics_.unstamped_batches(round.unstamped);
  return round;
}

void EvidenceSealer::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void EvidenceSealer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EvidenceSealer::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    if (auto round = run_once(); !round) {
      log_event("warn", "evidence.seal_failed", {{"code", round.error().code}});
    }
    lock.lock();
    wake_.wait_for(lock, settings_.interval, [this] { return stopping_; });
  }
}

}  // namespace truc::hub
