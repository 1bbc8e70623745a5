#pragma once

// The evidence container of one document (docs/evidence.md, "Container"): one JSON file holding
// the package bytes, the status packets about it, the log entries from the document's first one
// to the end of the sealed batch that holds its last sealed one, that batch's seal with its
// certificate chain, and the batch's RFC 3161 token. verify_container() checks it offline.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/evidence/entry.hpp"
#include "truc/security/certificate.hpp"

namespace truc::evidence {

inline constexpr std::string_view kContainerFormat = "truc-evidence/1";

// A package the entries speak of, with its bytes.
struct ContainedPackage {
  std::string message_id;
  std::string kind;  // "edoc" or "status"
  std::string bytes;
};

struct ContainedBatch {
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::string last_entry_hash;
  std::string seal_signature;            // raw bytes
  std::string seal_certificate;          // PEM chain, signer first
  std::optional<std::string> tsa_token;  // DER
};

struct Container {
  std::string message_id;                  // the document
  std::vector<ContainedPackage> packages;  // the document first, then its status packets
  std::vector<Entry> entries;              // consecutive, ending at batch.last_seq
  ContainedBatch batch;
};

// JSON with byte members in base64.
std::string encode_container(const Container& container);
// Error: evidence.container_invalid (detail: which member); no package or no entry is one.
Result<Container> decode_container(std::string_view text);

struct ContainerTrust {
  // PEM files of CAs for the package's XML signature and the seal certificate; none: neither
  // chain is checked against a CA (the signatures themselves still are).
  std::vector<std::filesystem::path> trust_ca;
  // PEM files of CAs for the time-stamping authority; none: the token cannot be trusted and the
  // timestamp check fails.
  std::vector<std::filesystem::path> tsa_ca;
};

struct VerifiedContainer {
  std::size_t entries = 0;
  std::string package_signer;  // the XML signature's signer subject
  std::string seal_signer;
  Timestamp stamped_at;
  std::string tsa_subject;
};

// Checks, in order, and fails at the first broken link with evidence.verify_failed, its detail
// naming the link: "package" (XML signature), "package bytes" (SHA-256 against its entry),
// "entry N" (its hash), "chain at entry N" (its previous hash), "seal" (the batch's range and
// last hash, its signature, its certificate), "timestamp" (the token stamps the seal and is
// signed by a trusted TSA).
Result<VerifiedContainer> verify_container(const Container& container, const ContainerTrust& trust);

}  // namespace truc::evidence
