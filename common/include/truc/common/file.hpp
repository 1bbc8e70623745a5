#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "truc/common/error.hpp"

namespace truc {

// An owned POSIX file descriptor. Errors carry the code "io.<operation>" and the path.
class File {
 public:
  static Result<File> open_for_reading(const std::filesystem::path& path);
  // Creates (or truncates) a file readable and writable by the owner only.
  static Result<File> create(const std::filesystem::path& path);
  // The same, for a file that must not exist yet (O_EXCL): never someone else's file.
  static Result<File> create_new(const std::filesystem::path& path);

  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  Result<std::size_t> read(std::span<char> buffer);
  Status write_all(std::string_view bytes);
  Status sync();
  Result<std::uint64_t> size() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  File(int descriptor, std::filesystem::path path)
      : descriptor_(descriptor), path_(std::move(path)) {}
  int descriptor_ = -1;
  std::filesystem::path path_;
};

// Writes a file under a temporary name in the target's directory and moves it into place on
// commit(), after fsync of the file and the directory. Without commit() the temporary is removed,
// so readers never see a half-written file.
class AtomicFileWriter {
 public:
  static Result<AtomicFileWriter> create(const std::filesystem::path& target);
  AtomicFileWriter(AtomicFileWriter&&) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  ~AtomicFileWriter();

  Status write(std::string_view bytes) { return file_.write_all(bytes); }
  Status commit();

 private:
  AtomicFileWriter(File file, std::filesystem::path target)
      : file_(std::move(file)), target_(std::move(target)) {}
  File file_;
  std::filesystem::path target_;
  bool committed_ = false;
};

Result<std::string> read_small_file(const std::filesystem::path& path,
                                    std::uint64_t max_size = 16 * 1024 * 1024);
Status fsync_directory(const std::filesystem::path& directory);

}  // namespace truc
