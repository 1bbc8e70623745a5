// Replays fuzz inputs without libFuzzer, for builds with g++ or without TRUC_FUZZ: every file
// named on the command line, and every regular file under each directory named, goes once through
// LLVMFuzzerTestOneInput, in sorted order. CTest runs it on the committed corpus.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

constexpr int kUsageError = 2;

// Adds `argument` (a file, or a directory searched recursively as libFuzzer does) to `inputs`.
bool collect(const fs::path& argument, std::vector<fs::path>& inputs) {
  std::error_code error;
  if (fs::is_regular_file(argument, error)) {
    inputs.push_back(argument);
    return true;
  }
  if (!fs::is_directory(argument, error)) {
    std::fprintf(stderr, "replay: %s is neither a file nor a directory\n", argument.c_str());
    return false;
  }
  for (fs::recursive_directory_iterator entry(argument, error), end; !error && entry != end;
       entry.increment(error)) {
    if (entry->is_regular_file(error)) inputs.push_back(entry->path());
  }
  if (error) {
    std::fprintf(stderr, "replay: cannot list %s: %s\n", argument.c_str(), error.message().c_str());
    return false;
  }
  return true;
}

// An input in a heap block of exactly its size, as libFuzzer passes it, so that AddressSanitizer
// builds catch a read past the end.
struct Input {
  std::unique_ptr<std::uint8_t[]> bytes;
  std::size_t size = 0;
};

std::optional<Input> read_input(const fs::path& path) {
  std::error_code error;
  std::uintmax_t size = fs::file_size(path, error);
  std::ifstream stream(path, std::ios::binary);
  if (error || !stream) return std::nullopt;
  Input input{std::make_unique<std::uint8_t[]>(size), size};
  stream.read(reinterpret_cast<char*>(input.bytes.get()), static_cast<std::streamsize>(size));
  if (!stream) return std::nullopt;
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) == "--help") {
    std::fprintf(stderr,
                 "usage: %s FILE_OR_DIRECTORY...\n"
                 "Runs every input once through the fuzz target (no mutation), e.g. the\n"
                 "committed corpus or a crash file from scripts/fuzz.\n",
                 argv[0]);
    return argc < 2 ? kUsageError : 0;
  }
  std::vector<fs::path> inputs;
  for (int index = 1; index < argc; ++index) {
    if (!collect(argv[index], inputs)) return kUsageError;
  }
  // An empty corpus would make the test pass without testing anything.
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs found\n");
    return kUsageError;
  }
  std::sort(inputs.begin(), inputs.end());

  for (const fs::path& input : inputs) {
    std::optional<Input> bytes = read_input(input);
    if (!bytes) {
      std::fprintf(stderr, "replay: cannot read %s\n", input.c_str());
      return kUsageError;
    }
    std::fprintf(stderr, "Running: %s (%zu bytes)\n", input.c_str(), bytes->size);
    LLVMFuzzerTestOneInput(bytes->bytes.get(), bytes->size);
  }
  std::printf("replayed %zu inputs\n", inputs.size());
  return 0;
}
