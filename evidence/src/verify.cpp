// Offline verification of an evidence container: no database, no network.

#include <algorithm>

#include "truc/common/byte_stream.hpp"
#include "truc/common/digest.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/evidence/container.hpp"
#include "truc/evidence/seal.hpp"
#include "truc/evidence/timestamp.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/security/xmldsig.hpp"

namespace truc::evidence {
namespace {

// The first broken link: `link` names it (the detail integrators branch on), `reason` says why.
Error broken(const std::string& link, const std::string& reason) {
  return Error{"evidence.verify_failed", link + ": " + reason, link};
}

bool is_acceptance(const Entry& entry) {
  return entry.kind == kind::package_accepted || entry.kind == kind::status_accepted;
}

Result<std::vector<security::Certificate>> certificates_in(std::string_view pem) {
  static constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  std::vector<security::Certificate> certificates;
  std::size_t start = 0;
  while (true) {
    auto end = pem.find(kEnd, start);
    if (end == std::string_view::npos) break;
    auto certificate =
        security::Certificate::from_pem(pem.substr(start, end + kEnd.size() - start));
    if (!certificate) return std::move(certificate).error();
    certificates.push_back(std::move(*certificate));
    start = end + kEnd.size();
  }
  if (certificates.empty()) return Error{"certificate.invalid", "no certificate", {}};
  return certificates;
}

Result<std::string> check_package_signature(const ContainedPackage& package,
                                            const ContainerTrust& trust) {
  static const edxml::Parser parser;
  MemorySource source(package.bytes);
  edxml::DiscardAttachments attachments;
  security::SignatureReader reader;
  auto parsed = parser.parse(source, attachments, &reader);
  if (!parsed)
    return broken("package", "not a readable edXML document (" + parsed.error().code + ")");
  if (!reader.found()) return std::string("(unsigned)");
  if (trust.trust_ca.empty()) {
    auto summary = reader.describe();
    if (!summary || !summary->integrity) {
      return broken("package", "its XML signature does not verify");
    }
    return summary->signer ? summary->signer->subject() : std::string("(no certificate)");
  }
  auto store = security::TrustStore::load({trust.trust_ca});
  if (!store) return std::move(store).error();
  auto verified = reader.verify(*store, {});
  if (!verified) {
    return broken("package", "its XML signature does not verify (" + verified.error().code + ")");
  }
  return verified->signer.subject();
}

Status check_package_bytes(const Container& container) {
  for (const auto& package : container.packages) {
    auto entry = std::find_if(
        container.entries.begin(), container.entries.end(), [&](const Entry& candidate) {
          return is_acceptance(candidate) && candidate.message_id == package.message_id;
        });
    std::string link = "package bytes of " + package.message_id;
    if (entry == container.entries.end()) return broken(link, "no entry records its acceptance");
    std::string_view expected = entry->kind == kind::package_accepted ? "edoc" : "status";
    if (package.kind != expected) {
      return broken(link, "the package's kind is not the one entry " + std::to_string(entry->seq) +
                              " recorded");
    }
    if (sha256_hex(package.bytes) != entry->package_sha256) {
      return broken(
          link, "their SHA-256 is not the one entry " + std::to_string(entry->seq) + " recorded");
    }
  }
  return ok_status();
}

Status check_chain(const Container& container) {
  const auto& entries = container.entries;
  if (entries.empty()) return broken("entries", "the container holds none");
  for (std::size_t index = 0; index < entries.size(); ++index) {
    const Entry& entry = entries[index];
    std::string seq = std::to_string(entry.seq);
    if (compute_entry_hash(entry) != entry.entry_hash) {
      return broken("entry " + seq, "its fields do not hash to its entry_hash");
    }
    if (index == 0) {
      if (entry.seq == 1 && entry.previous_hash != kGenesisHash) {
        return broken("chain at entry 1", "the first entry does not start the chain");
      }
      continue;
    }
    if (entry.seq != entries[index - 1].seq + 1) {
      return broken("chain at entry " + seq,
                    "it does not follow entry " + std::to_string(entries[index - 1].seq));
    }
    if (entry.previous_hash != entries[index - 1].entry_hash) {
      return broken("chain at entry " + seq, "its previous_hash is not the hash of entry " +
                                                 std::to_string(entries[index - 1].seq));
    }
  }
  return ok_status();
}

Result<std::string> check_seal(const Container& container, const ContainerTrust& trust) {
  const ContainedBatch& batch = container.batch;
  const Entry& last = container.entries.back();
  if (batch.last_seq != last.seq || batch.last_entry_hash != last.entry_hash ||
      batch.first_seq > batch.last_seq || container.entries.front().seq < 1) {
    return broken("seal", "the batch does not end at the container's last entry");
  }
  auto certificates = certificates_in(batch.seal_certificate);
  if (!certificates) return broken("seal", "its certificate cannot be read");
  if (!verify_statement(certificates->front(),
                        batch_statement(batch.first_seq, batch.last_seq, batch.last_entry_hash),
                        batch.seal_signature)) {
    return broken("seal", "its signature is not the seal certificate's over the batch");
  }
  if (!trust.trust_ca.empty()) {
    auto store = security::TrustStore::load({trust.trust_ca});
    if (!store) return std::move(store).error();
    std::vector<security::Certificate> intermediates(certificates->begin() + 1,
                                                     certificates->end());
    if (Status chained = store->verify(certificates->front(), intermediates, now_timestamp());
        !chained) {
      return broken(
          "seal", "its certificate does not chain to a trusted CA (" + chained.error().code + ")");
    }
  }
  return certificates->front().subject();
}

Result<StampedTime> check_timestamp(const Container& container, const ContainerTrust& trust) {
  const ContainedBatch& batch = container.batch;
  if (!batch.tsa_token) return broken("timestamp", "the batch is not stamped yet");
  if (trust.tsa_ca.empty()) return broken("timestamp", "no TSA CA to check it against (--tsa-ca)");
  std::vector<security::Certificate> anchors;
  for (const auto& file : trust.tsa_ca) {
    auto loaded = security::Certificate::load_pem_file(file);
    if (!loaded) return std::move(loaded).error();
    anchors.insert(anchors.end(), loaded->begin(), loaded->end());
  }
  auto stamped =
      verify_timestamp_token(*batch.tsa_token, timestamp_imprint(batch.seal_signature), anchors);
  if (!stamped) return broken("timestamp", stamped.error().message);
  return stamped;
}

}  // namespace

Result<VerifiedContainer> verify_container(const Container& container,
                                           const ContainerTrust& trust) {
  if (container.packages.empty() || container.packages.front().message_id != container.message_id) {
    return broken("package", "the container does not hold the document's bytes");
  }
  VerifiedContainer verified;
  auto signer = check_package_signature(container.packages.front(), trust);
  if (!signer) return std::move(signer).error();
  verified.package_signer = std::move(*signer);
  TRUC_TRY(check_chain(container));
  TRUC_TRY(check_package_bytes(container));
  auto sealer = check_seal(container, trust);
  if (!sealer) return std::move(sealer).error();
  verified.seal_signer = std::move(*sealer);
  auto stamped = check_timestamp(container, trust);
  if (!stamped) return std::move(stamped).error();
  verified.entries = container.entries.size();
  verified.stamped_at = stamped->generated_at;
  verified.tsa_subject = stamped->tsa_subject;
  return verified;
}

}  // namespace truc::evidence
