#pragma once

// A request body written to the spool directory as it arrives, so that memory does not grow with
// the upload.

#include <filesystem>
#include <optional>
#include <string_view>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/common/file.hpp"

namespace truc::http {

class SpoolFile final : public ByteSink {
 public:
  // Creates `<directory>/body-<unique_name>.part`, readable by the owner only and never an
  // existing file. Error code: io.create.
  static Result<SpoolFile> create(const std::filesystem::path& directory,
                                  std::string_view unique_name);

  SpoolFile(SpoolFile&& other) noexcept;
  SpoolFile& operator=(SpoolFile&&) = delete;
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  // Removes the file if it is still there: the handler may have moved it to keep it.
  ~SpoolFile() override;

  Status write(std::string_view bytes) override { return file_->write_all(bytes); }
  // Closes the file; it stays until this object goes.
  Status finish() override;

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit SpoolFile(File file) : path_(file.path()), file_(std::move(file)) {}
  std::filesystem::path path_;
  std::optional<File> file_;
};

}  // namespace truc::http
