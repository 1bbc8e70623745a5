#pragma once

// Accepting one package or status packet: parse, validate and verify it without the database,
// then, on one connection, check the sender, suppress duplicates, route it and store it in one
// transaction with its deliveries and events. Hub::submit is this, plus its log line, metrics
// and the record of a refusal.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "truc/hub/hub.hpp"

namespace truc::hub {

class Acceptance {
 public:
  // Keeps references: everything must outlive it (Hub::Impl owns both).
  Acceptance(const HubSettings& settings, store::Pool& database, const store::BlobStore& blobs,
             const security::TrustStore& trust, HubMetrics& metrics);
  ~Acceptance();
  Acceptance(const Acceptance&) = delete;
  Acceptance& operator=(const Acceptance&) = delete;

  // `claimed_sender` and `claimed_document` are set as soon as the document says them, so that
  // a refusal can be recorded against them.
  Result<SubmitResult> submit(const Caller& caller, const std::filesystem::path& spooled,
                              std::optional<store::PackageKind> expected_kind,
                              std::optional<std::string>& claimed_sender,
                              std::optional<std::string>& claimed_document);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace truc::hub
