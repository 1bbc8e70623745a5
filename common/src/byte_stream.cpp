#include "truc/common/byte_stream.hpp"

#include <algorithm>

namespace truc {

Result<std::size_t> MemorySource::read(std::span<char> buffer) {
  std::size_t count = std::min(buffer.size(), remaining_.size());
  // copy_n, not memcpy: an empty view may have no data at all, and memcpy from null is undefined
  // even for zero bytes (the http_parse fuzz target found one).
  std::copy_n(remaining_.data(), count, buffer.data());
  remaining_.remove_prefix(count);
  return count;
}

Result<FileSource> FileSource::open(const std::filesystem::path& path) {
  auto file = File::open_for_reading(path);
  if (!file) return std::move(file).error();
  return FileSource(std::move(*file));
}

Result<std::size_t> FileSource::read(std::span<char> buffer) { return file_.read(buffer); }

Result<std::size_t> HashingSource::read(std::span<char> buffer) {
  auto count = inner_.read(buffer);
  if (count && *count > 0) {
    digest_.update(std::string_view(buffer.data(), *count));
    size_ += *count;
  }
  return count;
}

}  // namespace truc
