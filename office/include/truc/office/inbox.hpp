#pragma once

// Where packages from the hub land, whichever way they came (push to the office's endpoint, or
// the pull that reconciles after an outage): stored once per agency and hub id, durable before the
// caller answers the hub or acknowledges. An edoc becomes an incoming document waiting for a
// clerk ("new"), with its attachments in the blob store, its signature checked against the
// office's trust store, and status 01 (arrived) owed to its sender.

#include <filesystem>
#include <string>

#include "truc/common/error.hpp"

namespace truc::edxml {
class Parser;
}
namespace truc::security {
class TrustStore;
}
namespace truc::store {
class BlobStore;
class Pool;
}  // namespace truc::store

namespace truc::office {

// What the hub says about a package it delivers (X-Truc-* headers of a push; the inbox item of
// a pull).
struct Delivery {
  std::string hub_package_id;
  std::string kind;            // "edoc" or "status"
  std::string sender_code;     // agency codes
  std::string recipient_code;  // an agency this office serves
  std::string sha256;          // of the bytes, lowercase hex
  std::string arrived_by;      // "push" or "pull"
};

class Inbox {
 public:
  // `forbid_sha1`: a signature made with SHA-1 counts as invalid ([signatures] forbid_sha1).
  Inbox(store::Pool& database, const store::BlobStore& blobs, const edxml::Parser& parser,
        const security::TrustStore& trust, bool forbid_sha1);

  // Stores the package in `file` (in blobs.temporary_directory(); moved into the blob store or
  // removed). Returns true when it was new, false when this agency had it already (the file is
  // then dropped). Errors: delivery.unknown_recipient (not an agency of this office),
  // delivery.invalid (a kind other than edoc or status, or not the document's),
  // field.invalid (no hub id), delivery.digest_mismatch (the bytes are not what the hub
  // announced), parse.* and schema errors of a package the office cannot read, store.*.
  // The sender recorded is the document's From, whatever the delivery says.
  Result<bool> receive(const Delivery& delivery, const std::filesystem::path& file);

 private:
  store::Pool& database_;
  const store::BlobStore& blobs_;
  const edxml::Parser& parser_;
  const security::TrustStore& trust_;
  bool forbid_sha1_;
};

}  // namespace truc::office
