#pragma once

#include <filesystem>
#include <functional>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"

namespace truc::bench {

// Creates the file at `path` and lets `write` fill it through a ByteSink, so that a generated
// input of 134 MB streams to disk instead of being held in memory.
Status write_file(const std::filesystem::path& path, const std::function<Status(ByteSink&)>& write);

}  // namespace truc::bench
