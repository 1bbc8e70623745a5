#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "truc/common/digest.hpp"
#include "truc/common/error.hpp"
#include "truc/common/file.hpp"

namespace truc {

// A source of bytes read front to back, e.g. a file or a request body being received.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to buffer.size() bytes; 0 means the end of the input.
  virtual Result<std::size_t> read(std::span<char> buffer) = 0;
};

// Where streamed bytes go, e.g. a decoded attachment or a package being written.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status write(std::string_view bytes) = 0;
  // Called once after the last write; a sink that buffers or must sync does it here.
  virtual Status finish() { return ok_status(); }
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : remaining_(bytes) {}
  Result<std::size_t> read(std::span<char> buffer) override;

 private:
  std::string_view remaining_;
};

class FileSource final : public ByteSource {
 public:
  static Result<FileSource> open(const std::filesystem::path& path);
  Result<std::size_t> read(std::span<char> buffer) override;

 private:
  explicit FileSource(File file) : file_(std::move(file)) {}
  File file_;
};

// Passes another source through, hashing (SHA-256) and counting what is read.
class HashingSource final : public ByteSource {
 public:
  explicit HashingSource(ByteSource& inner) : inner_(inner) {}
  Result<std::size_t> read(std::span<char> buffer) override;
  std::uint64_t size() const { return size_; }
  // The hex digest of everything read; call once, at the end.
  std::string sha256() { return to_hex(digest_.finish()); }

 private:
  ByteSource& inner_;
  Digest digest_{DigestAlgorithm::sha256};
  std::uint64_t size_ = 0;
};

class StringSink final : public ByteSink {
 public:
  Status write(std::string_view bytes) override {
    text_.append(bytes);
    return ok_status();
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace truc
