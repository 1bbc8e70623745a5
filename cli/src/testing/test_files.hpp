#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace truc::cli::testing {

// Writes `size` bytes of a pattern that differs from chunk to chunk (a reordered or repeated
// chunk changes the digest), 1 MiB at a time, and returns `path`.
std::filesystem::path write_test_file(const std::filesystem::path& path, std::uint64_t size);

// The hex SHA-256 of a file, read in bounded chunks.
std::string sha256_of_file(const std::filesystem::path& path);

}  // namespace truc::cli::testing
