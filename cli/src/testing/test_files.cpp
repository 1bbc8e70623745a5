#include "testing/test_files.hpp"

#include <array>
#include <stdexcept>

#include "truc/common/byte_stream.hpp"
#include "truc/common/file.hpp"

namespace truc::cli::testing {

std::filesystem::path write_test_file(const std::filesystem::path& path, std::uint64_t size) {
  auto file = File::create(path);
  if (!file) throw std::runtime_error(file.error().to_string());
  std::string chunk(1024 * 1024, '\0');
  for (std::uint64_t written = 0, index = 0; written < size; written += chunk.size(), ++index) {
    for (std::size_t position = 0; position < chunk.size(); ++position) {
      chunk[position] = static_cast<char>('a' + (position * 7 + index) % 26);
    }
    auto count = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), size - written));
    auto status = file->write_all(std::string_view(chunk).substr(0, count));
    if (!status) throw std::runtime_error(status.error().to_string());
  }
  return path;
}

std::string sha256_of_file(const std::filesystem::path& path) {
  auto file = FileSource::open(path);
  if (!file) throw std::runtime_error(file.error().to_string());
  HashingSource hashing(*file);
  std::array<char, 64 * 1024> buffer{};
  for (;;) {
    auto count = hashing.read(buffer);
    if (!count) throw std::runtime_error(count.error().to_string());
    if (*count == 0) return hashing.sha256();
  }
}

}  // namespace truc::cli::testing
