#include "truc/store/blob_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include "truc/common/digest.hpp"
#include "truc/common/random.hpp"

namespace truc::store {
namespace {

Error io_error(std::string_view operation, const std::filesystem::path& path, int error_number) {
  return Error{"io." + std::string(operation), std::strerror(error_number), path.string()};
}

bool is_sha256(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Unique among the nodes that share the directory, where a process id alone is not (containers on
// several hosts may each run trucd as pid 1): a random tag per process. The files are created
// with O_EXCL, so a name that still collided would fail the upload rather than mix two of them.
std::string unique_suffix() {
  static const std::string process_tag = [] {
    // Without a tag (the generator failed) O_EXCL still keeps two uploads apart.
    auto tag = random_hex(8);
    return std::to_string(::getpid()) + "-" + (tag ? *tag : std::string("untagged"));
  }();
  static std::atomic<std::uint64_t> counter{0};
  return process_tag + "-" + std::to_string(counter++);
}

Status make_directories(const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return Error{"io.create", error.message(), directory.string()};
  return ok_status();
}

}  // namespace

// objects/ab/cd directories, by the number abcd, synced with their parents by this process.
struct BlobStore::SyncedDirectories {
  std::mutex mutex;
  std::vector<bool> fan_out = std::vector<bool>(1 << 16);
};

BlobStore::BlobStore(std::filesystem::path root)
    : root_(std::move(root)), synced_(std::make_shared<SyncedDirectories>()) {}

BlobWriter::BlobWriter(BlobWriter&& other) noexcept
    : store_(other.store_),
      file_(std::move(other.file_)),
      sha256_(std::move(other.sha256_)),
      size_(other.size_),
      finished_(std::exchange(other.finished_, true)) {}

BlobWriter::~BlobWriter() {
  if (!finished_) ::unlink(file_.path().c_str());
}

Status BlobWriter::write(std::string_view bytes) {
  sha256_.update(bytes);
  size_ += bytes.size();
  return file_.write_all(bytes);
}

Result<BlobRef> BlobWriter::commit() {
  finished_ = true;
  BlobRef blob{to_hex(sha256_.finish()), size_};
  TRUC_TRY(store_->publish(file_, blob));
  return blob;
}

Status BlobStore::publish(File& file, const BlobRef& blob) const {
  std::filesystem::path temporary = file.path();
  auto discard = [&](Error error) {
    ::unlink(temporary.c_str());
    return error;
  };
  if (Status synced = file.sync(); !synced) return discard(std::move(synced).error());
  std::filesystem::path target = path_of(blob.sha256);
  // The same bytes already stored were synced when they were.
  if (contains(blob.sha256)) {
    ::unlink(temporary.c_str());
    return ok_status();
  }
  if (Status created = make_directories(target.parent_path()); !created)
    return discard(std::move(created).error());
  if (::rename(temporary.c_str(), target.c_str()) != 0)
    return discard(io_error("rename", target, errno));
  // The new name must survive a crash: sync the directory holding it and, the first time this
  // process uses that fan-out directory (it may be new, or made by a process that died before
  // syncing it), the directories above it too.
  TRUC_TRY(fsync_directory(target.parent_path()));
  const std::size_t fan_out = std::stoul(blob.sha256.substr(0, 4), nullptr, 16);
  {
    std::lock_guard lock(synced_->mutex);
    if (synced_->fan_out[fan_out]) return ok_status();
  }
  TRUC_TRY(fsync_directory(target.parent_path().parent_path()));
  TRUC_TRY(fsync_directory(target.parent_path().parent_path().parent_path()));
  std::lock_guard lock(synced_->mutex);
  synced_->fan_out[fan_out] = true;
  return ok_status();
}

Status BlobStore::adopt(const std::filesystem::path& temporary, const BlobRef& blob) const {
  if (!is_sha256(blob.sha256) || temporary.parent_path() != temporary_directory()) {
    return Error{"store.blob_invalid", "only files in the store's tmp/ can be adopted",
                 temporary.string()};
  }
  auto file = File::open_for_reading(temporary);
  if (!file) return std::move(file).error();
  return publish(*file, blob);
}

Result<BlobStore> BlobStore::open(const std::filesystem::path& root) {
  TRUC_TRY(make_directories(root / "objects"));
  TRUC_TRY(make_directories(root / "tmp"));
  return BlobStore(root);
}

Result<BlobWriter> BlobStore::create() const {
  auto file = File::create_new(root_ / "tmp" / ("upload-" + unique_suffix()));
  if (!file) return std::move(file).error();
  return BlobWriter(*this, std::move(*file));
}

std::filesystem::path BlobStore::path_of(const std::string& sha256) const {
  return root_ / "objects" / sha256.substr(0, 2) / sha256.substr(2, 2) / sha256;
}

bool BlobStore::contains(const std::string& sha256) const {
  return is_sha256(sha256) && std::filesystem::exists(path_of(sha256));
}

Result<FileSource> BlobStore::open_blob(const std::string& sha256) const {
  if (!is_sha256(sha256)) return Error{"store.blob_missing", "not a blob name", sha256};
  auto source = FileSource::open(path_of(sha256));
  if (!source) return Error{"store.blob_missing", "the stored package file is missing", sha256};
  return source;
}

Status BlobStore::check_writable() const {
  auto probe = root_ / "tmp" / ("ready-" + unique_suffix());
  auto file = File::create_new(probe);
  if (!file) return std::move(file).error();
  Status written = file->write_all("ok");
  if (written) written = file->sync();
  ::unlink(probe.c_str());
  return written;
}

}  // namespace truc::store
