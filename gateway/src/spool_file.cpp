#include "spool_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace truc::gateway {
namespace {

Error io_error(std::string_view operation, const std::filesystem::path& path, int error_number) {
  return Error{"io." + std::string(operation), std::strerror(error_number), path.string()};
}

}  // namespace

Result<SpoolFile> SpoolFile::create(const std::filesystem::path& directory,
                                    std::string_view unique_name) {
  std::filesystem::path path = directory / ("body-" + std::string(unique_name) + ".part");
  int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (descriptor < 0) return io_error("create", path, errno);
  return SpoolFile(descriptor, std::move(path));
}

SpoolFile::SpoolFile(SpoolFile&& other) noexcept
    : descriptor_(std::exchange(other.descriptor_, -1)), path_(std::move(other.path_)) {
  other.path_.clear();
}

SpoolFile::~SpoolFile() {
  if (descriptor_ >= 0) ::close(descriptor_);
  if (!path_.empty()) {
    // Already gone is the normal case when the handler kept the body by moving it.
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
}

Status SpoolFile::write(std::string_view bytes) {
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

Status SpoolFile::finish() {
  int descriptor = std::exchange(descriptor_, -1);
  if (descriptor >= 0 && ::close(descriptor) != 0) return io_error("close", path_, errno);
  return ok_status();
}

}  // namespace truc::gateway
