#include "truc/http/spool_file.hpp"

#include <system_error>
#include <utility>

namespace truc::http {

Result<SpoolFile> SpoolFile::create(const std::filesystem::path& directory,
                                    std::string_view unique_name) {
  auto file = File::create_new(directory / ("body-" + std::string(unique_name) + ".part"));
  if (!file) return std::move(file).error();
  return SpoolFile(std::move(*file));
}

SpoolFile::SpoolFile(SpoolFile&& other) noexcept
    : path_(std::exchange(other.path_, {})), file_(std::move(other.file_)) {}

SpoolFile::~SpoolFile() {
  file_.reset();
  if (!path_.empty()) {
    // Already gone is the normal case when the handler kept the body by moving it.
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
}

Status SpoolFile::finish() {
  file_.reset();
  return ok_status();
}

}  // namespace truc::http
