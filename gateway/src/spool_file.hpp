#pragma once

// A request body written to the spool directory as it arrives, so that memory does not grow with
// the upload.

#include <filesystem>
#include <string_view>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"

namespace truc::gateway {

class SpoolFile final : public ByteSink {
 public:
  // Creates `<directory>/body-<unique_name>.part`, readable by the owner only and never an
  // existing file (O_EXCL). Error code: io.create.
  static Result<SpoolFile> create(const std::filesystem::path& directory,
                                  std::string_view unique_name);

  SpoolFile(SpoolFile&& other) noexcept;
  SpoolFile& operator=(SpoolFile&&) = delete;
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  // Removes the file if it is still there: the handler may have moved it to keep it.
  ~SpoolFile() override;

  Status write(std::string_view bytes) override;
  // Closes the descriptor; the file stays until this object goes.
  Status finish() override;

  const std::filesystem::path& path() const { return path_; }

 private:
  SpoolFile(int descriptor, std::filesystem::path path)
      : descriptor_(descriptor), path_(std::move(path)) {}
  int descriptor_ = -1;
  std::filesystem::path path_;
};

}  // namespace truc::gateway
