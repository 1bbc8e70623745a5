#include "evidence_export.hpp"

#include <algorithm>

#include "truc/common/base64.hpp"
#include "truc/common/file.hpp"

namespace truc::hub {
namespace {

// Above the largest package the agency API accepts.
constexpr std::uint64_t kMaxPackageBytes = 256ull << 20;

}  // namespace

Result<evidence::Container> export_evidence(store::Repository& repository,
                                            const store::BlobStore& blobs, const std::string& id) {
  auto document = repository.package(id);
  if (!document) return std::move(document).error();
  if (!*document) return Error{"package.not_found", "no such package", id};
  // The document first, then the status packets answering it.
  std::vector<store::PackageRecord> packages{**document};
  auto related = repository.packages_with_document_id((*document)->document_id);
  if (!related) return std::move(related).error();
  for (auto& package : *related) {
    if (package.kind == store::PackageKind::status && package.original_id == id)
      packages.push_back(std::move(package));
  }
  std::vector<evidence::Entry> about;
  for (const auto& package : packages) {
    auto entries = repository.evidence_entries_about(package.id);
    if (!entries) return std::move(entries).error();
    about.insert(about.end(), entries->begin(), entries->end());
  }
  std::sort(about.begin(), about.end(),
            [](const auto& left, const auto& right) { return left.seq < right.seq; });
  std::optional<store::EvidenceBatch> batch;
  for (auto entry = about.rbegin(); entry != about.rend() && !batch; ++entry) {
    auto holding = repository.evidence_batch_holding(entry->seq);
    if (!holding) return std::move(holding).error();
    batch = std::move(*holding);
  }
  if (about.empty() || !batch || batch->last_seq < about.front().seq) {
    return Error{"evidence.not_sealed",
                 "no sealed batch holds this package's acceptance yet; retry after the next seal",
                 id};
  }
  evidence::Container container;
  container.message_id = id;
  for (const auto& package : packages) {
    // A status accepted after the batch's end is for a later container.
    bool covered = std::any_of(about.begin(), about.end(), [&](const evidence::Entry& entry) {
      return entry.message_id == package.id && entry.seq <= batch->last_seq;
    });
    if (!covered) continue;
    auto bytes = read_small_file(blobs.path_of(package.sha256), kMaxPackageBytes);
    if (!bytes) return std::move(bytes).error();
    container.packages.push_back(
        {package.id, std::string(store::to_string(package.kind)), std::move(*bytes)});
  }
  auto entries = repository.evidence_entries(about.front().seq, batch->last_seq);
  if (!entries) return std::move(entries).error();
  container.entries = std::move(*entries);
  auto signature = base64_decode(batch->seal_signature);
  if (!signature) return std::move(signature).error();
  container.batch = {batch->first_seq,      batch->last_seq,         batch->last_entry_hash,
                     std::move(*signature), batch->seal_certificate, std::nullopt};
  if (batch->tsa_token) {
    auto token = base64_decode(*batch->tsa_token);
    if (!token) return std::move(token).error();
    container.batch.tsa_token = std::move(*token);
  }
  return container;
}

}  // namespace truc::hub
