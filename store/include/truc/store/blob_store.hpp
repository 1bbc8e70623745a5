#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "truc/common/byte_stream.hpp"
#include "truc/common/digest.hpp"
#include "truc/common/error.hpp"
#include "truc/common/file.hpp"

namespace truc::store {

struct BlobRef {
  std::string sha256;  // lowercase hex: the blob's name
  std::uint64_t size = 0;
};

class BlobStore;

// A blob being written: bytes go to a temporary file and are hashed on the way; commit() makes
// it durable (fsync of the file, rename to its content address, fsync of the directories). Without
// commit() the temporary file is removed.
class BlobWriter final : public ByteSink {
 public:
  BlobWriter(BlobWriter&& other) noexcept;
  BlobWriter& operator=(BlobWriter&&) = delete;
  ~BlobWriter() override;

  Status write(std::string_view bytes) override;
  Result<BlobRef> commit();
  // The temporary file, readable before commit (e.g. to parse what was received).
  const std::filesystem::path& temporary_path() const { return file_.path(); }

 private:
  friend class BlobStore;
  BlobWriter(const BlobStore& store, File file) : store_(&store), file_(std::move(file)) {}

  const BlobStore* store_;
  File file_;
  Digest sha256_{DigestAlgorithm::sha256};
  std::uint64_t size_ = 0;
  bool finished_ = false;
};

// Content-addressed files on disk: objects/<2 hex>/<2 hex>/<sha256>. Identical content is stored
// once. Temporary files live in tmp/ on the same file system, so publishing is a rename.
class BlobStore {
 public:
  static Result<BlobStore> open(const std::filesystem::path& root);

  Result<BlobWriter> create() const;
  // Publishes a file already written in this store's tmp/ directory whose content the caller
  // hashed on the way in (e.g. an upload the HTTP server spooled): fsync, rename, fsync.
  Status adopt(const std::filesystem::path& temporary, const BlobRef& blob) const;
  // Where uploads are spooled so that adopt() is a rename on the same file system.
  std::filesystem::path temporary_directory() const { return root_ / "tmp"; }
  Result<FileSource> open_blob(const std::string& sha256) const;
  bool contains(const std::string& sha256) const;
  std::filesystem::path path_of(const std::string& sha256) const;
  // For /ready: a small file can be created, synced and removed.
  Status check_writable() const;
  const std::filesystem::path& root() const { return root_; }

 private:
  friend class BlobWriter;
  struct SyncedDirectories;
  explicit BlobStore(std::filesystem::path root);
  Status publish(File& file, const BlobRef& blob) const;
  std::filesystem::path root_;
  std::shared_ptr<SyncedDirectories> synced_;
};

}  // namespace truc::store
