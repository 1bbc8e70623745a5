#pragma once

// Files staff send to the office before the record they belong to exists (the scans of a paper
// document): checked by their bytes, stored once in the blob store, and recorded for the
// uploader. A feature that attaches files to its rows takes them with consume_uploads() in the
// transaction that writes those rows, so that an upload is used by one record only, of the same
// agency and user, or by none if that transaction rolls back.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/office/accounts.hpp"

namespace truc::store {
class BlobStore;
class Pool;
class Transaction;
}  // namespace truc::store

namespace truc::office {

struct Upload {
  std::int64_t id = 0;
  std::string name;
  std::string content_type;  // application/pdf, image/jpeg or image/png, as the bytes begin
  std::int64_t size = 0;
  std::string blob_sha256;
};

// The most files one record takes.
inline constexpr std::size_t kMaxUploadsPerRecord = 20;

class Uploads {
 public:
  Uploads(store::Pool& database, const store::BlobStore& blobs);

  // Takes `file`, a body spooled into the blob store's temporary directory: it is published into
  // the store, or removed. `declared_type` is the request's Content-Type, which the first bytes
  // must bear out. Errors: upload.empty, upload.unsupported_type (not one of the three types, or
  // bytes of another kind), field.invalid (name: 1–255 characters, no path separator).
  Result<Upload> receive(const Account& account, const std::string& name,
                         const std::string& declared_type, const std::filesystem::path& file,
                         const Actor& actor);

 private:
  store::Pool& database_;
  const store::BlobStore& blobs_;
};

// Locks and marks as used by `consumer` (e.g. "incoming_documents/12") the uploads `ids`, in this
// order, of `user_id` in `agency_id`. Errors: field.invalid (none, more than
// kMaxUploadsPerRecord, or an id twice), upload.not_found (not an upload of this user: another
// agency's or user's ids are unknown ids), upload.already_used.
Result<std::vector<Upload>> consume_uploads(store::Transaction& transaction, std::int64_t agency_id,
                                            std::int64_t user_id,
                                            const std::vector<std::int64_t>& ids,
                                            const std::string& consumer);

}  // namespace truc::office
