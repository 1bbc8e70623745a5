#pragma once

// Seals the evidence log in batches and has each batch stamped by an RFC 3161 time-stamping
// authority (docs/evidence.md). Sealing needs only the database and the hub's key; stamping
// needs the TSA. When the TSA is down, acceptance goes on: batches stay unstamped, are counted,
// and are stamped in order once it answers again.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/security/certificate.hpp"
#include "truc/store/database.hpp"
#include "truc/store/repository.hpp"

namespace truc::hub {

// The port to a time-stamping authority: a DER TimeStampReq in, its DER TimeStampResp out.
// Error: evidence.tsa_unavailable when no answer could be had.
class TimestampAuthority {
 public:
  virtual ~TimestampAuthority() = default;
  virtual Result<std::string> exchange(const std::string& request_der) = 0;
};

// What the sealer reports to monitoring.
class EvidenceMetrics {
 public:
  virtual ~EvidenceMetrics() = default;
  virtual void batch_sealed(std::int64_t entries) = 0;
  virtual void batch_stamped() = 0;
  virtual void stamp_failed() = 0;
  // Sealed batches without a timestamp, after a round.
  virtual void unstamped_batches(std::int64_t count) = 0;
};

struct SealerSettings {
  security::PrivateKey key;
  // The signing certificate first, then the chain up to (not necessarily including) its root.
  std::vector<security::Certificate> certificates;
  std::chrono::milliseconds interval{std::chrono::seconds(60)};
  // Batches stamped in one round, at most (a backlog after a long TSA outage drains over
  // several rounds).
  std::size_t stamps_per_round = 100;
};

struct SealRound {
  std::optional<store::EvidenceBatch> sealed;  // the batch this round sealed, if any
  std::size_t stamped = 0;
  std::optional<Error> stamp_error;  // why stamping stopped, if it did
  std::int64_t unstamped = 0;        // batches still without a timestamp
};

class EvidenceSealer {
 public:
  EvidenceSealer(SealerSettings settings, store::Pool& database, TimestampAuthority& authority,
                 EvidenceMetrics& metrics);
  ~EvidenceSealer();
  EvidenceSealer(const EvidenceSealer&) = delete;
  EvidenceSealer& operator=(const EvidenceSealer&) = delete;

  // One round: seals the entries no batch holds yet into one batch, then asks the TSA to stamp
  // the unstamped batches, oldest first, until one fails. Fails only when the database does.
  Result<SealRound> run_once();

  // A round now and then every interval, on a thread of its own, until stop().
  void start();
  void stop();

 private:
  Result<std::optional<store::EvidenceBatch>> seal();
  Status stamp(const store::EvidenceBatch& batch);
  void loop();

  SealerSettings settings_;
  store::Pool& database_;
  TimestampAuthority& authority_;
  EvidenceMetrics& metrics_;
  std::string certificate_chain_pem_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace truc::hub
