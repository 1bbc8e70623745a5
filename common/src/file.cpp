#include "truc/common/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

namespace truc {
namespace {

Error io_error(std::string_view operation, const std::filesystem::path& path, int error_number) {
  return Error{"io." + std::string(operation), std::strerror(error_number), path.string()};
}

}  // namespace

Result<File> File::open_for_reading(const std::filesystem::path& path) {
  int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return io_error("open", path, errno);
  struct stat status {};
  if (::fstat(descriptor, &status) == 0 && S_ISDIR(status.st_mode)) {
    ::close(descriptor);
    return io_error("open", path, EISDIR);
  }
  return File(descriptor, path);
}

Result<File> File::create(const std::filesystem::path& path) {
  int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (descriptor < 0) return io_error("create", path, errno);
  return File(descriptor, path);
}

Result<File> File::create_new(const std::filesystem::path& path) {
  int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (descriptor < 0) return io_error("create", path, errno);
  return File(descriptor, path);
}

File::File(File&& other) noexcept
    : descriptor_(std::exchange(other.descriptor_, -1)), path_(std::move(other.path_)) {}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (descriptor_ >= 0) ::close(descriptor_);
    descriptor_ = std::exchange(other.descriptor_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

File::~File() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

Result<std::size_t> File::read(std::span<char> buffer) {
  while (true) {
    ssize_t count = ::read(descriptor_, buffer.data(), buffer.size());
    if (count >= 0) return static_cast<std::size_t>(count);
    if (errno != EINTR) return io_error("read", path_, errno);
  }
}

Status File::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t count = ::write(descriptor_, bytes.data(), bytes.size());
    if (count < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path_, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(count));
  }
  return ok_status();
}

Status File::sync() {
  if (::fsync(descriptor_) != 0) return io_error("fsync", path_, errno);
  return ok_status();
}

Result<std::uint64_t> File::size() const {
  struct stat status {};
  if (::fstat(descriptor_, &status) != 0) return io_error("stat", path_, errno);
  return static_cast<std::uint64_t>(status.st_size);
}

Result<AtomicFileWriter> AtomicFileWriter::create(const std::filesystem::path& target) {
  static std::atomic<unsigned> sequence{0};
  std::filesystem::path temporary = target;
  temporary += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(sequence++);
  auto file = File::create(temporary);
  if (!file) return std::move(file).error();
  return AtomicFileWriter(std::move(*file), target);
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : file_(std::move(other.file_)),
      target_(std::move(other.target_)),
      committed_(std::exchange(other.committed_, true)) {}

AtomicFileWriter::~AtomicFileWriter() {
  if (!committed_) ::unlink(file_.path().c_str());
}

Status AtomicFileWriter::commit() {
  TRUC_TRY(file_.sync());
  if (::rename(file_.path().c_str(), target_.c_str()) != 0)
    return io_error("rename", target_, errno);
  committed_ = true;
  auto directory = target_.parent_path();
  return fsync_directory(directory.empty() ? std::filesystem::path(".") : directory);
}

Result<std::string> read_small_file(const std::filesystem::path& path, std::uint64_t max_size) {
  auto file = File::open_for_reading(path);
  if (!file) return std::move(file).error();
  std::string content;
  char buffer[64 * 1024];
  while (true) {
    auto count = file->read(buffer);
    if (!count) return std::move(count).error();
    if (*count == 0) return content;
    if (content.size() + *count > max_size) {
      return Error{"io.too_large", "file is larger than " + std::to_string(max_size) + " bytes",
                   path.string()};
    }
    content.append(buffer, *count);
  }
}

Status fsync_directory(const std::filesystem::path& directory) {
  int descriptor = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (descriptor < 0) return io_error("open", directory, errno);
  int result = ::fsync(descriptor);
  int saved_errno = errno;
  ::close(descriptor);
  if (result != 0) return io_error("fsync", directory, saved_errno);
  return ok_status();
}

}  // namespace truc
